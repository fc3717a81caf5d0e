package monri

import (
	"context"
	"errors"
	"fmt"
)

// call runs one generated-client call and turns every outcome other than a
// decoded 2xx into an error: *Error for what Monri answered, a wrapped error
// for what never got an answer.
func call[T any](ctx context.Context, policy retryPolicy, send func(context.Context) (*T, error)) (*T, error) {
	return callExchange(ctx, &exchange{policy: policy}, send)
}

// callExchange is call with the caller's exchange, for a caller that sets
// the retry budget or reads how many attempts were made.
func callExchange[T any](ctx context.Context, ex *exchange, send func(context.Context) (*T, error)) (*T, error) {
	v, err := send(withExchange(ctx, ex))
	answered := ex.status != 0
	failed := ex.status < 200 || ex.status > 299
	switch {
	case err != nil && ex.method == "":
		return nil, fmt.Errorf("monri: build request: %w", err)
	case err != nil && !answered:
		return nil, err // no answer; the doer already said which request
	case err != nil && failed && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		// Monri answered with a retryable failure, then the context ended
		// the wait: keep both, so neither errors.Is nor errors.As loses out.
		return nil, errors.Join(err, apiError(ex))
	case failed:
		return nil, apiError(ex)
	case err != nil:
		return nil, decodeError(ex, err)
	case v == nil:
		return nil, decodeError(ex, nil)
	}
	return v, nil
}
