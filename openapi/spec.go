// Package openapi publishes monri.yaml, the hand-written OpenAPI 3.0.3
// contract for Monri's Customers and Pay By Link APIs, as the exact bytes
// committed in this folder, and parses it with kin-openapi for the mock
// and the tests that check traffic against it.
package openapi

import (
	_ "embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed monri.yaml
var document string

// YAML returns the contract exactly as committed, in a new slice each call
// so that no caller can change what another one reads.
func YAML() []byte {
	return []byte(document)
}

// Load parses the embedded contract and validates it, examples included.
// Each call returns a new document, so callers may change theirs.
func Load() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(YAML())
	if err != nil {
		return nil, fmt.Errorf("openapi: parse monri.yaml: %w", err)
	}
	if err := doc.Validate(loader.Context, openapi3.EnableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("openapi: monri.yaml is invalid: %w", err)
	}
	return doc, nil
}
