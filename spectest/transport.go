package spectest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// TB is the part of testing.TB the Transport uses; *testing.T satisfies it.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// Transport is an http.RoundTripper that checks every request and response
// against the contract and reports each violation with t.Errorf, which fails
// the test. Traffic still flows after a violation, so a test sees all of
// them at once.
type Transport struct {
	t         TB
	base      http.RoundTripper
	validator *Validator
}

// NewTransport wraps base (http.DefaultTransport when nil) for use in t.
// Loading the contract is reported as a failure of t too.
func NewTransport(t TB, base http.RoundTripper) *Transport {
	t.Helper()
	v, err := NewValidator()
	if err != nil {
		t.Errorf("spectest: %v", err)
	}
	if base == nil {
		base = http.DefaultTransport
	}
	return &Transport{t: t, base: base, validator: v}
}

// RoundTrip validates req, sends it through the wrapped transport, and
// validates the response. Neither body is consumed: the caller reads them as
// if the Transport were not there.
func (tr *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, req, err := readRequestBody(req)
	if err != nil {
		return nil, err
	}
	if tr.validator == nil {
		return tr.base.RoundTrip(req)
	}
	in, reqErr := tr.validator.ValidateRequest(req, body)
	if reqErr != nil {
		tr.t.Errorf("spectest: %v", reqErr)
	}

	resp, err := tr.base.RoundTrip(req)
	if err != nil || in == nil {
		return resp, err
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("spectest: read response body: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if err := tr.validator.ValidateResponse(in, resp.StatusCode, resp.Header, respBody); err != nil {
		tr.t.Errorf("spectest: %v", err)
	}
	return resp, nil
}

// readRequestBody returns the bytes req will send, and a request that still
// sends them. A RoundTripper must not change the caller's request, so a body
// without GetBody is read into a clone.
func readRequestBody(req *http.Request) ([]byte, *http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, req, nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, nil, fmt.Errorf("spectest: replay request body: %w", err)
		}
		defer rc.Close()
		body, err := io.ReadAll(rc)
		if err != nil {
			return nil, nil, fmt.Errorf("spectest: read request body: %w", err)
		}
		return body, req, nil
	}
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("spectest: read request body: %w", err)
	}
	clone := req.Clone(req.Context())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	clone.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return body, clone, nil
}
