package monri_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/wire"
)

// TestErrorHelpersByStatus pins which helper answers true for each status
// that matters, so that rate limiting is never mistaken for a bad request.
func TestErrorHelpersByStatus(t *testing.T) {
	type want struct{ invalid, rateLimited, retryable, notFound, unauthorized bool }
	cases := []struct {
		status int
		want   want
	}{
		{400, want{invalid: true}},
		{401, want{unauthorized: true}},
		{402, want{invalid: true}},
		{403, want{invalid: true}},
		{404, want{notFound: true}},
		{405, want{invalid: true}},
		{406, want{invalid: true}},
		{408, want{retryable: true}},
		{409, want{invalid: true}},
		{410, want{invalid: true}},
		{413, want{invalid: true}},
		{415, want{invalid: true}},
		{422, want{invalid: true}},
		{429, want{rateLimited: true, retryable: true}},
		{451, want{invalid: true}},
		{499, want{invalid: true}},
		{500, want{retryable: true}},
		{501, want{retryable: true}},
		{502, want{retryable: true}},
		{503, want{retryable: true}},
		{504, want{retryable: true}},
		{599, want{retryable: true}},
		{200, want{}},
		{302, want{}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.status), func(t *testing.T) {
			for name, err := range map[string]error{
				"bare":    &monri.Error{HTTPStatus: c.status},
				"wrapped": fmt.Errorf("shop: %w", &monri.Error{HTTPStatus: c.status}),
			} {
				got := want{
					invalid:      monri.IsInvalidRequest(err),
					rateLimited:  monri.IsRateLimited(err),
					retryable:    monri.IsRetryable(err),
					notFound:     monri.IsNotFound(err),
					unauthorized: monri.IsUnauthorized(err),
				}
				assert.Equal(t, c.want, got, name)
			}
		})
	}
	assert.False(t, monri.IsRetryable(nil))
	assert.False(t, monri.IsRetryable(fmt.Errorf("some other failure")))
}

// TestIsRetryableOnARefusedConnection: a dial that fails never reached
// Monri, so it is retryable.
func TestIsRetryableOnARefusedConnection(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	url := ts.URL
	ts.Close() // nothing listens there now
	c := fastRetryClient(t, url, monri.WithMaxRetries(0))
	_, err := c.Customers.Get(t.Context(), "u-1")
	require.Error(t, err)
	assert.True(t, monri.IsRetryable(err), "%v", err)
	assert.False(t, monri.IsInvalidRequest(err))
}

// TestUndecodableBodyKeepsNoCardToken: a 200 of payment methods that fails
// to decode holds pan tokens and a card number; the error must keep neither
// in any form an error reporter might print or serialise.
func TestUndecodableBodyKeepsNoCardToken(t *testing.T) {
	body, err := os.ReadFile("testdata/payment-methods-undecodable.json")
	require.NoError(t, err)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer ts.Close()
	c := fastRetryClient(t, ts.URL)

	_, err = c.Customers.ListPaymentMethods(t.Context(), "00000000-0000-4000-8000-000000000000", nil)
	var apiErr *monri.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusOK, apiErr.HTTPStatus)
	assert.ErrorIs(t, err, wire.ErrTimestamp, "the cause stays testable")
	assert.Contains(t, apiErr.Message, "is not a timestamp", "the message names the rule")
	assert.Contains(t, apiErr.Excerpt, `"token":"…"`, "the excerpt keeps the shape")

	marshalled, mErr := json.Marshal(apiErr)
	require.NoError(t, mErr)
	for name, out := range map[string]string{
		"Error()": err.Error(), "%v": fmt.Sprintf("%v", err), "%+v": fmt.Sprintf("%+v", err),
		"%#v": fmt.Sprintf("%#v", err), "%#v of *Error": fmt.Sprintf("%#v", apiErr),
		"%+v of Err": fmt.Sprintf("%+v", apiErr.Err), "%#v of Err": fmt.Sprintf("%#v", apiErr.Err),
		"json": string(marshalled),
	} {
		assert.NotContains(t, out, "pan-TOKEN", name)
		assert.NotContains(t, out, "4111111111111111", name)
		assert.NotContains(t, out, "405840", name)
	}
}

// TestErrorExcerptOfABodyThatIsNotJSON masks what could be a token in a
// proxy's page and says how long the body was.
func TestErrorExcerptOfABodyThatIsNotJSON(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = fmt.Fprint(w, "<h1>502</h1> token=abcdef0123456789 more text that goes on and on and on")
	}))
	defer ts.Close()
	_, err := fastRetryClient(t, ts.URL, monri.WithMaxRetries(0)).Customers.Get(t.Context(), "u-1")
	var apiErr *monri.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Excerpt, "bytes, not JSON: <h1>502</h1> token=…")
	assert.NotContains(t, apiErr.Excerpt, "abcdef")
}
