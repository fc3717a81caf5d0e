package monri

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/monri-go/monri/internal/transport"
)

// api is what every service shares: the transport, the server and the
// client's options (without credentials).
type api struct {
	t      *transport.Transport
	server string
	cfg    config
}

// send hands req, as gen's New<Operation>Request built it (or the error it
// failed with), to the transport, and turns every outcome other than a 200
// JSON answer into an error: *Error for what Monri answered, a wrapped
// error for what never got an answer. A 200 is decoded into a T.
func send[T any](ctx context.Context, a *api, call transport.Call, req *http.Request, buildErr error) (*T, *transport.Result, error) {
	if buildErr != nil {
		return nil, nil, fmt.Errorf("monri: build request: %w", buildErr)
	}
	res, err := a.t.Do(ctx, req, call)
	switch {
	case err != nil && !res.Answered():
		return nil, res, err // no answer; the transport already said which request
	case err != nil:
		// Monri answered with a retryable failure, then the context ended
		// the wait: keep both, so neither errors.Is nor errors.As loses out.
		return nil, res, errors.Join(err, apiError(res))
	case !res.OK():
		return nil, res, apiError(res)
	case res.Status != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "json"):
		return nil, res, decodeError(res, nil)
	}
	var v T
	if err := json.Unmarshal(res.Body, &v); err != nil {
		return nil, res, decodeError(res, err)
	}
	return &v, res, nil
}
