package openapi_test

import (
	"os"
	"testing"

	"github.com/monri-go/monri/openapi"
	"github.com/stretchr/testify/require"
)

func TestYAMLIsTheCommittedFile(t *testing.T) {
	onDisk, err := os.ReadFile("monri.yaml")
	require.NoError(t, err)
	require.Equal(t, onDisk, openapi.YAML())
}

func TestYAMLReturnsAFreshCopy(t *testing.T) {
	first := openapi.YAML()
	first[0] = 'X'
	require.NotEqual(t, first[0], openapi.YAML()[0], "a caller's change must not reach the next caller")
}

func TestLoadReturnsAValidFreshDocument(t *testing.T) {
	first, err := openapi.Load()
	require.NoError(t, err)
	require.NotNil(t, first.Paths.Value("/v2/customers"), "the contract must route /v2/customers")
	first.Paths.Delete("/v2/customers")
	second, err := openapi.Load()
	require.NoError(t, err)
	require.NotNil(t, second.Paths.Value("/v2/customers"), "a caller's change must not reach the next caller")
}
