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
