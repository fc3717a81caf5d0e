//go:build tools

// Package tools pins the versions of the code generators this module runs
// through go generate, so that every machine regenerates byte for byte.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
