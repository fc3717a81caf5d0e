package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/monri-go/monri/internal/version"
)

// TestVersion: both spellings print the build info's version and revision.
func TestVersion(t *testing.T) {
	want := "monri " + version.Read().String() + "\n"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		r := cli(t, nil, "", args...)
		assert.Equal(t, 0, r.code, "%v: %s", args, r.stderr)
		assert.Equal(t, want, r.stdout, "%v", args)
		assert.Contains(t, r.stdout, version.Read().GoVersion)
	}
	r := cli(t, nil, "", "version", "extra")
	assert.Equal(t, exitUsage, r.code)
}
