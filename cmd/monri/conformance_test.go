package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/mock"
)

func TestConformanceAgainstMock(t *testing.T) {
	m := mock.Start(t)
	dir := t.TempDir()
	r := cli(t, nil, "", "conformance", "--base-url", m.URL, "--merchant-key", m.MerchantKey,
		"--authenticity-token", m.AuthenticityToken, "--json", "--record", dir, "--debug")
	require.Equal(t, exitOK, r.code, r.stderr+r.stdout)
	assert.Contains(t, r.stderr, "deleteCustomer DELETE /v2/customers/{uuid} -> 200")
	assert.NotContains(t, r.stdout+r.stderr, m.AuthenticityToken)
	assert.NotContains(t, r.stdout+r.stderr, "WP3-v2.1")
	var results []struct {
		Name   string `json:"name"`
		OK     bool   `json:"ok"`
		Detail string `json:"detail"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &results))
	require.NotEmpty(t, results)
	for _, res := range results {
		assert.True(t, res.OK, "%s: %s", res.Name, res.Detail)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	assert.NotEmpty(t, files)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NotContains(t, string(raw), m.MerchantKey)
		assert.NotContains(t, string(raw), m.AuthenticityToken)
	}
}

func TestConformanceExitCodes(t *testing.T) {
	m := mock.Start(t)
	creds := []string{"--merchant-key", m.MerchantKey, "--authenticity-token", m.AuthenticityToken}
	wrongKey := []string{"--merchant-key", "not-the-mock-key", "--authenticity-token", m.AuthenticityToken}
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"table", append([]string{"--base-url", m.URL, "--only", "unknown-uuid-404"}, creds...), exitOK, "unknown-uuid-404"},
		{"differs", append([]string{"--base-url", m.URL, "--only", "unknown-uuid-404"}, wrongKey...), exitFail, "DIFFERS"},
		{"unknown check", append([]string{"--base-url", m.URL, "--only", "no-such-check"}, creds...), exitUsage, ""},
		{"production without the flag", append([]string{"--env", "prod"}, creds...), exitUsage, ""},
		{"production by its base URL", append([]string{"--base-url", "https://IPG.monri.com/"}, creds...), exitUsage, ""},
		{"writes without production", append([]string{"--base-url", m.URL, "--allow-production-writes"}, creds...), exitUsage, ""},
		{"no credentials", []string{"--base-url", m.URL}, exitUsage, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cli(t, nil, "", append([]string{"conformance"}, tt.args...)...)
			assert.Equal(t, tt.code, r.code, r.stderr+r.stdout)
			assert.Contains(t, r.stdout, tt.out)
			assert.NotContains(t, r.stdout+r.stderr, "not-the-mock-key")
		})
	}
	assert.Empty(t, m.Server.Customers(), "usage errors and read checks create nothing")
}

// TestConformanceLeaksNothing: with --debug and --record, in success and in
// failure, neither the output nor a fixture holds the key, the token or a digest.
func TestConformanceLeaksNothing(t *testing.T) {
	const key, token = "sk-LEAK-CHECK-conformance-3a1f", "tok-LEAK-CHECK-conformance-8c2d"
	m := mock.Start(t, mock.WithCredentials(key, token))
	digest := regexp.MustCompile(`[0-9a-f]{128}`)
	for _, tt := range []struct {
		name, key string
		code      int
	}{{"conforms", key, exitOK}, {"wrong key", key + "x", exitFail}} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			r := cli(t, nil, "", "conformance", "--base-url", m.URL, "--merchant-key", tt.key,
				"--authenticity-token", token, "--debug", "--record", dir)
			require.Equal(t, tt.code, r.code, r.stderr+r.stdout)
			texts := []string{r.stdout, r.stderr}
			files, err := filepath.Glob(filepath.Join(dir, "*.json"))
			require.NoError(t, err)
			require.NotEmpty(t, files)
			for _, f := range files {
				raw, err := os.ReadFile(f)
				require.NoError(t, err)
				texts = append(texts, string(raw))
			}
			for _, s := range texts {
				assert.NotContains(t, s, "LEAK-CHECK")
				assert.NotRegexp(t, digest, s)
			}
		})
	}
}
