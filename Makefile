# Every target below runs from a fresh checkout with Go and, for the race
# detector, a C compiler (cgo) installed.
GO ?= go
# The linters are pinned in their own module, so they never enter go.mod.
LINT_TOOL = $(GO) tool -modfile=$(CURDIR)/tools/lint/go.mod

.PHONY: all generate test stress lint footprint check-generate api check-api

all: lint test

## generate: regenerate gen/ and mock/internal/api/ from openapi/monri.yaml (tools.go).
generate:
	$(GO) generate ./...

## test: every test, with the race detector. This is the README's test command.
test:
	$(GO) test -race -count=1 ./...

## stress: the concurrent load test at full size (64 × 1,000), without -race.
stress:
	MONRI_STRESS=1 $(GO) test -count=1 -run '^TestConcurrentLoadMatchesModel$$' -v .

## lint: gofmt, go vet, staticcheck and golangci-lint (.golangci.yml) must
## report nothing, in the SDK's module and in tools/contract's (the gate's own
## Go code). Every step runs, so one run shows every finding.
lint:
	@status=0; \
	unformatted="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; status=1; fi; \
	for mod in . tools/contract; do \
		echo "go vet ./... ($$mod)"; (cd $$mod && $(GO) vet ./...) || status=1; \
		echo "staticcheck ./... ($$mod)"; (cd $$mod && $(LINT_TOOL) staticcheck ./...) || status=1; \
		echo "golangci-lint run ./... ($$mod)"; (cd $$mod && $(LINT_TOOL) golangci-lint run ./...) || status=1; \
	done; \
	exit $$status

## footprint: what importing monri, signer and mock costs an application's
## go.mod and go.sum, and that the CLI links no testing package.
footprint:
	GO=$(GO) bash scripts/footprint.sh

## conformance-mock: build ./cmd/monri, serve monri mock on a free loopback port and
## run monri conformance against it as a black box; every check must pass (exit 0).
.PHONY: conformance-mock
conformance-mock:
	GO=$(GO) bash scripts/conformance-mock.sh

## check-generate: fail when go generate or go mod tidy would change a committed file.
check-generate: generate
	$(GO) mod tidy -diff
	cd tools/lint && $(GO) mod tidy -diff
	cd tools/contract && $(GO) mod tidy -diff
	@if [ -n "$$(git status --porcelain)" ]; then \
		echo "go generate changed committed files; regenerate and commit:"; \
		git status --porcelain; git diff --stat; exit 1; \
	fi

## api: record the exported Go API of each public package in api/*.txt.
api:
	$(GO) run ./internal/cmd/apicheck -w

## check-api: fail when api/*.txt differ from the code. A change there is a
## change to the Go API: run make api, commit the files and add a CHANGELOG.md entry.
check-api:
	$(GO) run ./internal/cmd/apicheck

# The breaking-change gate. oasdiff is pinned in tools/contract/go.mod, its own
# module, so it never enters the SDK's go.mod; only Go is needed.
.PHONY: check-contract

## check-contract: fail when openapi/monri.yaml breaks openapi/released/monri.yaml (oasdiff)
## unless the major version was bumped and openapi/CHANGELOG.md lists it under Breaking.
## First the gate's own tests: removing a response field or tightening a request length fails it.
check-contract:
	cd tools/contract && $(GO) test -count=1 . && $(GO) run .

# The OpenAPI contract for other teams. Unlike the targets above, these need
# Node (20.19+ or 22.12+) with npm, and docs-test and pay-test need Debian's
# chromium, which scripts/install-chromium.sh installs with apt-get when it is
# missing. The tools are pinned in tools/spec/ (npm ci into its git-ignored
# node_modules); everything they write goes to build/.
.PHONY: spec-tools lint-spec docs docs-test pay-test consumer-test

## spec-tools: install the pinned Redocly CLI, Spectral CLI and playwright-core (skipped when already current).
spec-tools:
	bash scripts/spec-tools.sh

## lint-spec: Redocly (recommended) and Spectral (spectral:oas) must report zero problems.
lint-spec:
	bash scripts/lint-spec.sh

## docs: render openapi/monri.yaml into the self-contained build/docs/index.html.
docs:
	bash scripts/build-docs.sh

## docs-test: open the rendered docs in headless Chromium (installed if missing);
## every operation's summary must be in the rendered DOM. Screenshots: build/screenshots/.
docs-test: docs
	bash scripts/docs-browser-test.sh

## consumer-test: generate a TypeScript client from the contract (openapi-typescript and
## openapi-fetch, pinned in tools/consumer), tsc --strict it, and run all nine operations
## and two error cases against `go run ./cmd/monri mock`, signing in a middleware.
consumer-test:
	GO=$(GO) bash scripts/consumer-test.sh

## pay-test: a buyer pays a Pay By Link page of the mock in headless Chromium,
## driven by the pinned playwright-core; the success URL's digest, the signed
## callback and the approved link are checked in Go. Screenshots: build/screenshots/.
pay-test:
	GO=$(GO) bash scripts/pay-browser-test.sh

# Benchmarks against their targets (BENCHMARKS.md). Not part of CI, which only
# compiles and runs each benchmark once. Everything they build and write goes
# to build/bench/; report.md there holds the tables.
.PHONY: bench bench-peer

## bench: codegen time, Sign vs SHA-512, facade vs net/http, list page at 1k vs
## 100k customers, `monri mock` under load (checks on and off), RSS at 100k.
bench:
	$(GO) run ./bench/suite -sections codegen,micro,load,rss

## bench-peer: install the pinned Prism (tools/bench, npm ci) and load it and
## `monri mock` route by route in the same run. Needs Node 18.20+ and npm.
bench-peer:
	bash scripts/bench-tools.sh
	$(GO) run ./bench/suite -sections peer
