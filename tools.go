//go:build generate

package monri

// The code generators this module runs, all pinned by go.mod's tool
// directive, so every machine regenerates byte for byte. This file imports
// nothing: a tools.go import would put the generators' modules into the
// go.mod of every application that imports monri. Only go generate, which
// sets the "generate" build tag, reads it.

// gen: the client and models (codegen.yaml).
//go:generate go tool oapi-codegen -config codegen.yaml openapi/monri.yaml

// mock/internal/api: the strict server interface the mock implements.
//go:generate go tool oapi-codegen -config mock/internal/api/cfg.yaml openapi/monri.yaml
