# Every target runs from a fresh checkout with only Go installed.
GO ?= go

.PHONY: all generate test lint check-generate

all: lint test

## generate: regenerate gen/ from openapi/monri.yaml and codegen.yaml.
generate:
	$(GO) generate ./...

## test: every test, with the race detector. This is the README's test command.
test:
	$(GO) test -race -count=1 ./...

## lint: gofmt and go vet must be clean.
lint:
	@unformatted="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## check-generate: fail when go generate or go mod tidy would change a committed file.
check-generate: generate
	$(GO) mod tidy -diff
	@if [ -n "$$(git status --porcelain)" ]; then \
		echo "go generate changed committed files; regenerate and commit:"; \
		git status --porcelain; git diff --stat; exit 1; \
	fi
