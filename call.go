package monri

import (
	"context"
	"fmt"
)

// call runs one generated-client call and turns every outcome other than a
// decoded 2xx into an error: *Error for what Monri answered, a wrapped error
// for what never got an answer.
func call[T any](ctx context.Context, policy retryPolicy, send func(context.Context) (*T, error)) (*T, error) {
	ex := &exchange{policy: policy}
	v, err := send(withExchange(ctx, ex))
	switch {
	case err != nil && ex.method == "":
		return nil, fmt.Errorf("monri: build request: %w", err)
	case err != nil && ex.status == 0:
		return nil, err // no answer; the doer already said which request
	case ex.status < 200 || ex.status > 299:
		return nil, apiError(ex)
	case err != nil:
		return nil, decodeError(ex, err)
	case v == nil:
		return nil, decodeError(ex, nil)
	}
	return v, nil
}
