// Package openapi publishes monri.yaml, the hand-written OpenAPI 3.0.3
// contract for Monri's Customers and Pay By Link APIs, as the exact bytes
// committed in this folder. It has no dependencies, so importing it adds
// only the document to a binary.
package openapi

import _ "embed"

//go:embed monri.yaml
var document string

// YAML returns the contract exactly as committed, in a new slice each call
// so that no caller can change what another one reads.
func YAML() []byte {
	return []byte(document)
}
