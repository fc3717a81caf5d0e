package monri_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/spectest"
)

const (
	secretKey   = "sk-SECRET-merchant-key-7f3a"
	secretToken = "tok-SECRET-authenticity-9c1d"
)

// clearEnv checks that no MONRI_* variable reaches a test: TestMain unsets
// them, so this needs no t.Setenv and the test may run in parallel.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{monri.EnvMerchantKey, monri.EnvAuthenticityToken, monri.EnvEnvironment} {
		if v := os.Getenv(k); v != "" {
			t.Fatalf("%s is set for a test that wants it unset", k)
		}
	}
}

// newClient returns a facade client on a fresh mock, with every request and
// response checked against the contract.
func newClient(t *testing.T, opts ...monri.Option) (*monri.Client, *mock.Running) {
	t.Helper()
	clearEnv(t)
	m := mock.Start(t)
	base := []monri.Option{
		monri.WithBaseURL(m.URL),
		monri.WithCredentials(m.MerchantKey, m.AuthenticityToken),
		monri.WithHTTPClient(&http.Client{Transport: spectest.NewTransport(t, nil)}),
	}
	c, err := monri.NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c, m
}

func TestNewClientConfiguration(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		opts    []monri.Option
		wantURL string
		wantErr string
	}{
		{"no credentials", nil, nil, "", "missing credentials"},
		{"only a key in env", map[string]string{monri.EnvMerchantKey: secretKey}, nil, "", "missing credentials"},
		{"credentials from env, test by default", map[string]string{monri.EnvMerchantKey: secretKey, monri.EnvAuthenticityToken: secretToken}, nil, "https://ipgtest.monri.com", ""},
		{"production from env", map[string]string{monri.EnvMerchantKey: secretKey, monri.EnvAuthenticityToken: secretToken, monri.EnvEnvironment: "prod"}, nil, "https://ipg.monri.com", ""},
		{"bad environment in env", map[string]string{monri.EnvMerchantKey: secretKey, monri.EnvAuthenticityToken: secretToken, monri.EnvEnvironment: "staging"}, nil, "", "MONRI_ENVIRONMENT"},
		{"option beats env", map[string]string{monri.EnvEnvironment: "prod"}, []monri.Option{monri.WithCredentials(secretKey, secretToken), monri.WithEnvironment(monri.Test)}, "https://ipgtest.monri.com", ""},
		{"explicit production", nil, []monri.Option{monri.WithCredentials(secretKey, secretToken), monri.WithEnvironment(monri.Production)}, "https://ipg.monri.com", ""},
		{"base URL", nil, []monri.Option{monri.WithCredentials(secretKey, secretToken), monri.WithBaseURL("http://127.0.0.1:4010/")}, "http://127.0.0.1:4010", ""},
		{"relative base URL", nil, []monri.Option{monri.WithCredentials(secretKey, secretToken), monri.WithBaseURL("/v2")}, "", "WithBaseURL"},
		{"unknown environment", nil, []monri.Option{monri.WithCredentials(secretKey, secretToken), monri.WithEnvironment("staging")}, "", "WithEnvironment"},
		{"empty credentials option", nil, []monri.Option{monri.WithCredentials(secretKey, "")}, "", "WithCredentials"},
		{"negative retries", nil, []monri.Option{monri.WithCredentials(secretKey, secretToken), monri.WithMaxRetries(-1)}, "", "WithMaxRetries"},
		{"negative timeout", nil, []monri.Option{monri.WithCredentials(secretKey, secretToken), monri.WithTimeout(-1)}, "", "WithTimeout"},
		{"nil http client", nil, []monri.Option{monri.WithCredentials(secretKey, secretToken), monri.WithHTTPClient(nil)}, "", "WithHTTPClient"},
		{"user agent with newline", nil, []monri.Option{monri.WithCredentials(secretKey, secretToken), monri.WithUserAgent("a\r\nX-Evil: 1")}, "", "WithUserAgent"},
		{"backoff upside down", nil, []monri.Option{monri.WithCredentials(secretKey, secretToken), monri.WithBackoff(2, 1)}, "", "WithBackoff"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			client, err := monri.NewClient(c.opts...)
			if c.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.wantErr)
				assert.NotContains(t, err.Error(), secretKey)
				assert.NotContains(t, err.Error(), secretToken)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.wantURL, client.BaseURL())
		})
	}
}

func TestClientPrintsNoSecret(t *testing.T) {
	clearEnv(t)
	c, err := monri.NewClient(monri.WithCredentials(secretKey, secretToken))
	require.NoError(t, err)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(format, c) + fmt.Sprintf(format, *c) + fmt.Sprintf(format, c.Customers) + fmt.Sprintf(format, c.Raw())
		assert.NotContains(t, out, secretKey, format)
		assert.NotContains(t, out, secretToken, format)
	}
}

func TestErrorsAreTyped(t *testing.T) {
	c, m := newClient(t)
	ctx := t.Context()

	_, err := c.Customers.Get(ctx, "4b281da4-d145-4233-b957-2018cf9aa0fb")
	var apiErr *monri.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.HTTPStatus)
	assert.Equal(t, monri.StatusInvalidRequest, apiErr.Status)
	assert.Equal(t, http.MethodGet, apiErr.Method)
	assert.Equal(t, "/v2/customers/4b281da4-d145-4233-b957-2018cf9aa0fb", apiErr.Path)
	assert.NotEmpty(t, apiErr.Message)
	assert.Contains(t, apiErr.Excerpt, `"message":"…"`, "the excerpt keeps the shape, not the values")
	assert.True(t, monri.IsNotFound(err))
	assert.False(t, monri.IsInvalidRequest(err))
	assert.False(t, monri.IsUnauthorized(err))

	// A request the contract forbids: sent without the spectest transport.
	unchecked, err := monri.NewClient(monri.WithBaseURL(m.URL), monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
	require.NoError(t, err)
	_, err = unchecked.Customers.Create(ctx, monri.CustomerParams{Country: ptr("Bosnia")})
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.HTTPStatus)
	assert.Contains(t, apiErr.Message, "country")
	assert.True(t, monri.IsInvalidRequest(err))
}

func TestUnauthorizedIsTyped(t *testing.T) {
	clearEnv(t)
	m := mock.Start(t)
	c, err := monri.NewClient(monri.WithBaseURL(m.URL), monri.WithCredentials(secretKey, m.AuthenticityToken))
	require.NoError(t, err)
	_, err = c.Customers.List(t.Context(), nil)
	require.Error(t, err)
	assert.True(t, monri.IsUnauthorized(err), "%v", err)
	assert.NotContains(t, err.Error(), secretKey)
}

func TestContextErrorsSurvive(t *testing.T) {
	c, _ := newClient(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Customers.List(ctx, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	var apiErr *monri.Error
	assert.False(t, errors.As(err, &apiErr), "no answer is not a Monri error")
}

func TestNetworkErrorsAreWrapped(t *testing.T) {
	clearEnv(t)
	c, err := monri.NewClient(monri.WithBaseURL("http://127.0.0.1:1"), monri.WithCredentials(secretKey, secretToken), monri.WithMaxRetries(0))
	require.NoError(t, err)
	_, err = c.PayByLink.Get(t.Context(), "order-1")
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "monri: GET /v2/terminal-entry/order-1/show: "), err.Error())
	var apiErr *monri.Error
	assert.False(t, errors.As(err, &apiErr))
}

func ptr[T any](v T) *T { return &v }

func TestUndecodableSuccessKeepsARedactedExcerpt(t *testing.T) {
	cases := []struct {
		name, contentType, body, excerpt string
	}{
		{"broken JSON", "application/json", `{"status":"approved","uuid":`, `28 bytes, not JSON: {"status":"approved","uuid":`},
		{"wrong type", "application/json", `{"status":"approved","created_at":"yesterday"}`, `{"created_at":"…","status":"…"}`},
		{"not JSON at all", "text/html", `<html>maintenance</html>`, `24 bytes, not JSON: <html>maintenance</html>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", c.contentType)
				_, _ = io.WriteString(w, c.body)
			}))
			defer ts.Close()
			clearEnv(t)
			client, err := monri.NewClient(monri.WithBaseURL(ts.URL), monri.WithCredentials(secretKey, secretToken))
			require.NoError(t, err)
			_, err = client.Customers.Get(t.Context(), "u-1")
			var apiErr *monri.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusOK, apiErr.HTTPStatus)
			assert.Equal(t, c.excerpt, apiErr.Excerpt)
			assert.Contains(t, apiErr.Message, "cannot decode")
		})
	}
}

func TestErrorAnswerInAnotherShapeKeepsAnExcerpt(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "upstream down")
	}))
	defer ts.Close()
	clearEnv(t)
	client, err := monri.NewClient(monri.WithBaseURL(ts.URL), monri.WithCredentials(secretKey, secretToken), monri.WithMaxRetries(0))
	require.NoError(t, err)
	_, err = client.PayByLink.Get(t.Context(), "order-1")
	var apiErr *monri.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.HTTPStatus)
	assert.Equal(t, "13 bytes, not JSON: upstream down", apiErr.Excerpt)
	assert.Empty(t, apiErr.Status)
	assert.Contains(t, err.Error(), "502 Bad Gateway")
}
