package monri_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
)

// TestAttemptTimeoutEndsAStalledCall: a server that never answers does not
// hold a call made with context.Background(). The bound is small here so
// the test is quick; its value is checked in the internal test.
func TestAttemptTimeoutEndsAStalledCall(t *testing.T) {
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer ts.Close()
	defer close(release)
	c := fastRetryClient(t, ts.URL, monri.WithTimeout(20*time.Millisecond), monri.WithMaxRetries(1))

	_, err := c.Customers.Get(context.Background(), "u-1")
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestBaseURLClearTextOnlyToLoopback(t *testing.T) {
	cases := []struct {
		url      string
		insecure bool
		err      string // "" when accepted
	}{
		{"https://ipgtest.monri.com", false, ""},
		{"https://proxy.example:8443/monri/", false, ""},
		{"http://127.0.0.1:4010", false, ""},
		{"http://127.9.8.7", false, ""},
		{"http://[::1]:4010", false, ""},
		{"http://localhost:4010", false, ""},
		{"http://LOCALHOST", false, ""},
		{"http://ipgtest.monri.com", false, "clear text"},
		{"http://10.0.0.5:4010", false, "clear text"},
		{"http://[::2]", false, "clear text"},
		{"http://localhost.example.com", false, "clear text"},
		{"http://128.0.0.1", false, "clear text"},
		{"http://user:hunter2@mock.internal", false, "user or password"},
		{"https://user:hunter2@proxy.example", false, "user or password"},
		{"https://user:hunter2@proxy.example", true, "user or password"},
		{"https://user@proxy.example", false, "user or password"},
		{"http://10.0.0.5:4010", true, ""},
		{"http://mock.internal", true, ""},
		{"127.0.0.1:4010", false, "add https://"},
		{"localhost:4010", false, "add https://"},
		{"ftp://example.com", false, "not an absolute http(s) URL"},
		{"https://", false, "not an absolute http(s) URL"},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			clearEnv(t)
			opts := []monri.Option{monri.WithCredentials(secretKey, secretToken), monri.WithBaseURL(c.url)}
			if c.insecure {
				opts = append(opts, monri.WithInsecureHTTP())
			}
			_, err := monri.NewClient(opts...)
			checkErr := monri.CheckBaseURL(c.url, c.insecure)
			if c.err == "" {
				assert.NoError(t, err)
				assert.NoError(t, checkErr)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.err)
			assert.NotContains(t, err.Error(), "hunter2", "a password in the URL is not quoted")
			require.Error(t, checkErr)
			assert.Equal(t, err.Error(), checkErr.Error(), "CheckBaseURL says what NewClient says")
		})
	}
}
