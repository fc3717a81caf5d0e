package spectest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/spectest"
)

// recorder collects what the Transport reports instead of failing the test.
type recorder struct {
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

const wellFormedAuth = "WP3-v2.1 token 1593457122 bd120476c656a8ec3ce5d6a150f17061d03a8e280b0fbba278a73a15066830562f73ce5536882c9222e265f1ff6c2df629173375b549cba5a9275b08686f32ea"

// validCustomer has every required field; those without a value are null.
const validCustomer = `{"status":"approved","uuid":"4b281da4-d145-4233-b957-2018cf9aa0fb","merchant_customer_id":null,` +
	`"description":null,"email":null,"name":"Test","phone":null,"metadata":null,"zip_code":null,"city":null,` +
	`"address":null,"country":"BA","created_at":"2019-02-12T11:22:33Z","updated_at":"2019-02-12T11:22:33Z",` +
	`"deleted":false,"deleted_at":null}`

func TestTransportMatrix(t *testing.T) {
	cases := []struct {
		name       string
		method     string
		path       string
		auth       string
		body       string
		respStatus int
		respBody   string
		violation  string // substring of the report; empty means none
	}{
		{"valid get", "GET", "/v2/customers/abc", wellFormedAuth, "", 200, validCustomer, ""},
		{"valid create", "POST", "/v2/customers", wellFormedAuth, `{"name":"Test","country":"BA"}`, 200, validCustomer, ""},
		{"valid error answer", "GET", "/v2/customers/abc", wellFormedAuth, "", 404, `{"status":"invalid-request","message":"no such customer"}`, ""},
		{"missing authorization", "GET", "/v2/customers/abc", "", "", 200, validCustomer, "authorization header missing"},
		{"lower-case scheme", "GET", "/v2/customers/abc", strings.Replace(wellFormedAuth, "WP3", "wp3", 1), "", 200, validCustomer, "authorization header missing"},
		{"bad request field", "POST", "/v2/customers", wellFormedAuth, `{"country":"Bosnia"}`, 200, validCustomer, "country"},
		{"unknown request field", "POST", "/v2/customers", wellFormedAuth, `{"nickname":"x"}`, 200, validCustomer, "nickname"},
		{"negative limit", "GET", "/v2/customers?limit=-1", wellFormedAuth, "", 200, `{"status":"approved","data":[]}`, "limit"},
		{"undocumented path", "GET", "/v2/nothing", wellFormedAuth, "", 200, `{}`, "no operation"},
		{"required response field left out", "GET", "/v2/customers/abc", wellFormedAuth, "", 200, strings.Replace(validCustomer, `"phone":null,`, "", 1), `property "phone" is missing`},
		{"bad response field", "GET", "/v2/customers/abc", wellFormedAuth, "", 200, `{"status":"approved","created_at":"2019-02-12 11:22:33 UTC"}`, "created_at"},
		{"undocumented status", "GET", "/v2/customers/abc", wellFormedAuth, "", 418, `{"status":"error","message":"teapot"}`, "418"},
		{"error answer in the wrong shape", "GET", "/v2/customers/abc", wellFormedAuth, "", 500, `{"error":"boom"}`, "500"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var gotBody string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				gotBody = string(b)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(c.respStatus)
				_, _ = io.WriteString(w, c.respBody)
			}))
			defer srv.Close()

			rec := &recorder{}
			client := &http.Client{Transport: spectest.NewTransport(rec, nil)}
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			req, err := http.NewRequest(c.method, srv.URL+c.path, body)
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			resp, err := client.Do(req)
			require.NoError(t, err)
			respBody, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			resp.Body.Close()

			assert.Equal(t, c.body, gotBody, "the server must receive the body unchanged")
			assert.Equal(t, c.respBody, string(respBody), "the caller must read the response body unchanged")
			if c.violation == "" {
				assert.Empty(t, rec.errors)
				return
			}
			require.NotEmpty(t, rec.errors, "violation not reported")
			assert.Contains(t, strings.Join(rec.errors, "\n"), c.violation)
		})
	}
}

func TestTransportKeepsBodyWithoutGetBody(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = string(b)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, validCustomer)
	}))
	defer srv.Close()

	rec := &recorder{}
	req, err := http.NewRequest("POST", srv.URL+"/v2/customers", nil)
	require.NoError(t, err)
	req.Body = io.NopCloser(strings.NewReader(`{"name":"Test"}`)) // no GetBody
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", wellFormedAuth)
	resp, err := spectest.NewTransport(rec, nil).RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, `{"name":"Test"}`, got)
	assert.Empty(t, rec.errors)
}

func TestTransportReportsUnreadableBody(t *testing.T) {
	rec := &recorder{}
	req, err := http.NewRequest("POST", "http://127.0.0.1:1/v2/customers", strings.NewReader("{}"))
	require.NoError(t, err)
	req.GetBody = func() (io.ReadCloser, error) { return nil, fmt.Errorf("gone") }
	_, err = spectest.NewTransport(rec, nil).RoundTrip(req) //nolint:bodyclose // it fails before sending: no response
	require.Error(t, err)
	assert.Contains(t, err.Error(), "replay request body")
}
