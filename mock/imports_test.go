package mock

import (
	"go/build"
	"slices"
	"testing"
)

// The mock is a library: it must not depend on a test helper. It once
// imported spectest for Load, which now lives in openapi.
func TestMockDoesNotImportSpectest(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(pkg.Imports, "github.com/monri-go/monri/spectest") {
		t.Error("package mock imports spectest; load the contract with openapi.Load")
	}
}
