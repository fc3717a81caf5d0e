package main

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBaseURLFlagFollowsTheClearTextRule: --base-url takes https:// or
// http:// to a loopback host, other http:// only with --insecure-http, and
// says how to fix what it refuses. No request is sent.
func TestBaseURLFlagFollowsTheClearTextRule(t *testing.T) {
	cases := []struct {
		url      string
		insecure bool
		want     string // part of the usage error; "" when accepted
	}{
		{"https://ipgtest.monri.com", false, ""},
		{"http://127.0.0.1:4010", false, ""},
		{"http://localhost:4010/", false, ""},
		{"http://[::1]:4010", false, ""},
		{"http://10.0.0.5:4010", true, ""},
		{"http://10.0.0.5:4010", false, "pass --insecure-http"},
		{"http://mock.internal", false, "clear text"},
		{"127.0.0.1:4010", false, "add https://"},
		{"localhost:4010", true, "add https://"},
		{"ftp://example.com", false, "not an absolute http(s) URL"},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			conn := connection{baseURL: c.url, insecureHTTP: c.insecure, secrets: secretFlags{merchantKey: "k", authenticityToken: "t"}, secretsLoaded: true, env: "test"}
			a := &app{getenv: func(string) string { return "" }}
			cl, err := conn.client(a, nil, nil)
			if c.want == "" {
				require.NoError(t, err)
				assert.NotNil(t, cl)
				return
			}
			require.Error(t, err)
			var usage usageError
			assert.True(t, errors.As(err, &usage), "a usage error (exit 2): %v", err)
			assert.Contains(t, err.Error(), "--base-url")
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestInsecureHTTPFlagIsRegistered(t *testing.T) {
	r := cli(t, nil, "", "customers", "get", "u-1", "--base-url", "http://10.0.0.5:4010", "--merchant-key", "k", "--authenticity-token", "t")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "--insecure-http")
}
