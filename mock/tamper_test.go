package mock_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

// signedRequest is one request as a client signs it, in parts that the
// matrix changes one byte at a time.
type signedRequest struct {
	method, path, query string
	body                []byte
	token, timestamp    string
	digest              string
}

func (r signedRequest) target() string {
	if r.query == "" {
		return r.path
	}
	return r.path + "?" + r.query
}

func (r signedRequest) header() string {
	return signer.Scheme + " " + r.token + " " + r.timestamp + " " + r.digest
}

// send sends r with its Authorization header, and the extra header values if any.
func (r signedRequest) send(t *testing.T, base string, authorization ...string) (int, gen.MonriError) {
	t.Helper()
	req, err := http.NewRequest(r.method, base+r.target(), bytes.NewReader(r.body))
	require.NoError(t, err)
	if len(r.body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	if len(authorization) == 0 {
		authorization = []string{r.header()}
	}
	for _, a := range authorization {
		req.Header.Add("Authorization", a)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var e gen.MonriError
	if resp.StatusCode != http.StatusOK {
		require.NoError(t, json.Unmarshal(raw, &e), "%s", raw)
	}
	return resp.StatusCode, e
}

func sign(now time.Time, method, path, query string, body []byte) signedRequest {
	r := signedRequest{method: method, path: path, query: query, body: body, token: mock.DefaultAuthenticityToken, timestamp: strconv.FormatInt(now.Unix(), 10)}
	r.digest = signer.Digest(mock.DefaultMerchantKey, r.timestamp, r.token, r.target(), body)
	return r
}

// flip changes the byte at i to another printable byte that keeps the
// string in the same character class where possible (a hex digit stays a
// hex digit, a digit a digit), so each change tests the signature and not
// only the header's syntax.
func flip(s string, i int) string {
	b := []byte(s)
	switch c := b[i]; {
	case c >= '0' && c <= '8', c >= 'a' && c <= 'e', c >= 'A' && c <= 'Y':
		b[i] = c + 1
	case c == '9':
		b[i] = '0'
	case c == 'f':
		b[i] = 'a'
	default:
		b[i] = 'x'
	}
	return string(b)
}

// TestTamperingMatrix changes one byte of each part of a signed request, at
// every position, and expects 401 every time; the untouched request passes.
func TestTamperingMatrix(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	m := mock.Start(t, mock.WithClock(func() time.Time { return now }))

	// A customer and a link to address, created by signed requests.
	create := sign(now, http.MethodPost, "/v2/customers", "", []byte(`{"merchant_customer_id":"tamper-1","name":"Ada"}`))
	code, e := create.send(t, m.URL)
	require.Equal(t, http.StatusOK, code, e.Message)
	uuid := m.Server.Customers()[0].UUID

	requests := map[string]signedRequest{
		"update customer": sign(now, http.MethodPost, "/v2/customers/"+uuid, "", []byte(`{"city":"Mostar","name":"Ada"}`)),
		"list customers":  sign(now, http.MethodGet, "/v2/customers", "limit=10&offset=0", nil),
		"get customer":    sign(now, http.MethodGet, "/v2/customers/"+uuid, "", nil),
	}
	parts := []struct {
		name   string
		length func(signedRequest) int
		change func(signedRequest, int) (signedRequest, bool)
	}{
		{"body", func(r signedRequest) int { return len(r.body) }, func(r signedRequest, i int) (signedRequest, bool) {
			r.body = []byte(flip(string(r.body), i))
			return r, true
		}},
		{"path", func(r signedRequest) int { return len(r.path) }, func(r signedRequest, i int) (signedRequest, bool) {
			if i == 0 {
				return r, false // without its leading slash the target is no request line at all
			}
			r.path = flip(r.path, i)
			return r, true
		}},
		{"query", func(r signedRequest) int { return len(r.query) }, func(r signedRequest, i int) (signedRequest, bool) {
			r.query = flip(r.query, i)
			return r, true
		}},
		{"timestamp", func(r signedRequest) int { return len(r.timestamp) }, func(r signedRequest, i int) (signedRequest, bool) {
			r.timestamp = flip(r.timestamp, i)
			return r, true
		}},
		{"token", func(r signedRequest) int { return len(r.token) }, func(r signedRequest, i int) (signedRequest, bool) {
			r.token = flip(r.token, i)
			return r, true
		}},
		{"digest", func(r signedRequest) int { return len(r.digest) }, func(r signedRequest, i int) (signedRequest, bool) {
			r.digest = flip(r.digest, i)
			return r, true
		}},
	}

	changes := 0
	for name, r := range requests {
		t.Run(name+"/untouched", func(t *testing.T) {
			code, e := r.send(t, m.URL)
			require.Equal(t, http.StatusOK, code, e.Message)
		})
		before := snapshot(m.Server)
		for _, part := range parts {
			t.Run(name+"/"+part.name, func(t *testing.T) {
				for i := range part.length(r) {
					tampered, ok := part.change(r, i)
					if !ok {
						continue
					}
					code, e := tampered.send(t, m.URL)
					changes++
					require.Equal(t, http.StatusUnauthorized, code, "one byte of the %s changed at %d: %s %s -> %d %s", part.name, i, tampered.method, tampered.target(), code, e.Message)
					assert.Equal(t, gen.MonriErrorStatusInvalidRequest, e.Status)
					assert.True(t, strings.HasPrefix(e.Message, "authorization: "), e.Message)
					assert.NotContains(t, e.Message, mock.DefaultMerchantKey)
					assert.NotContains(t, e.Message, tampered.digest)
				}
			})
		}
		assert.Equal(t, before, snapshot(m.Server), "%s: a refused request changed the state", name)
	}
	t.Logf("%d single-byte changes, all refused with 401", changes)
	assert.Greater(t, changes, 500)
}

// TestTimestampWindow: just inside the window passes, just outside in either
// direction is stale.
func TestTimestampWindow(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	m := mock.Start(t, mock.WithClock(func() time.Time { return now }))
	cases := []struct {
		name   string
		offset time.Duration
		code   int
		want   string
	}{
		{"now", 0, http.StatusOK, ""},
		{"15 minutes old", -signer.DefaultWindow, http.StatusOK, ""},
		{"15 minutes ahead", signer.DefaultWindow, http.StatusOK, ""},
		{"15 minutes 1 second old", -signer.DefaultWindow - time.Second, http.StatusUnauthorized, "outside the allowed window"},
		{"15 minutes 1 second ahead", signer.DefaultWindow + time.Second, http.StatusUnauthorized, "outside the allowed window"},
		{"a day old", -24 * time.Hour, http.StatusUnauthorized, "outside the allowed window"},
		{"the epoch", -now.Sub(time.Unix(0, 0)), http.StatusUnauthorized, "outside the allowed window"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := sign(now.Add(c.offset), http.MethodGet, "/v2/customers", "limit=1", nil)
			code, e := r.send(t, m.URL)
			assert.Equal(t, c.code, code, e.Message)
			assert.Contains(t, e.Message, c.want)
		})
	}
}

// TestHeaderFormRules documents, by test, how the mock treats the header's
// edge cases: each is malformed (401), never accepted and never a 500.
func TestHeaderFormRules(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	m := mock.Start(t, mock.WithClock(func() time.Time { return now }))
	r := sign(now, http.MethodGet, "/v2/customers", "", nil)
	valid := r.header()
	cases := []struct {
		name    string
		headers []string
		code    int
		want    string
	}{
		{"valid", []string{valid}, http.StatusOK, ""},
		{"surrounding spaces are HTTP whitespace and ignored", []string{"  " + valid + "  "}, http.StatusOK, ""},
		{"duplicate header, both valid: ambiguous, refused", []string{valid, valid}, http.StatusUnauthorized, "malformed"},
		{"duplicate header, one valid", []string{valid, "WP3-v2.1 x 1 " + strings.Repeat("0", 128)}, http.StatusUnauthorized, "malformed"},
		{"lower-case scheme", []string{strings.Replace(valid, signer.Scheme, "wp3-v2.1", 1)}, http.StatusUnauthorized, "malformed"},
		{"upper-case scheme", []string{strings.Replace(valid, signer.Scheme, "WP3-V2.1", 1)}, http.StatusUnauthorized, "malformed"},
		{"double space between fields", []string{strings.Replace(valid, " ", "  ", 2)}, http.StatusUnauthorized, "malformed"},
		{"tab between fields", []string{strings.Replace(valid, " ", "\t", 1)}, http.StatusUnauthorized, "malformed"},
		{"older scheme", []string{strings.Replace(valid, signer.Scheme, "WP3-v2", 1)}, http.StatusUnauthorized, "malformed"},
		{"upper-case digest", []string{r.method + strings.ToUpper(valid[len(valid)-128:])}, http.StatusUnauthorized, "malformed"},
		{"missing", []string{""}, http.StatusUnauthorized, "missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			headers := c.headers
			if len(headers) == 1 && headers[0] == "" {
				code, e := r.sendWithout(t, m.URL)
				assert.Equal(t, c.code, code, e.Message)
				assert.Contains(t, e.Message, c.want)
				return
			}
			code, e := r.send(t, m.URL, headers...)
			assert.Equal(t, c.code, code, e.Message)
			assert.Contains(t, e.Message, c.want)
		})
	}
}

// sendWithout sends r with no Authorization header at all.
func (r signedRequest) sendWithout(t *testing.T, base string) (int, gen.MonriError) {
	t.Helper()
	resp, err := http.Get(base + r.target())
	require.NoError(t, err)
	defer resp.Body.Close()
	var e gen.MonriError
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&e))
	return resp.StatusCode, e
}
