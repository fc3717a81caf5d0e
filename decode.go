package monri

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// ok decodes a call's answer into a T as gen's Parse<Operation>Response
// does for its JSON200: a 200 whose Content-Type mentions json is
// unmarshalled, anything else gives nil. It reads the bytes the doer kept in
// the call's exchange instead of reading the response body a second time.
// Statuses other than 200 are left to call, which reports them from the
// exchange whatever gen would have decoded, so they need no decoding here.
func ok[T any](ctx context.Context, rsp *http.Response, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	_ = rsp.Body.Close()
	ex, _ := ctx.Value(exchangeKey{}).(*exchange)
	if ex == nil || rsp.StatusCode != http.StatusOK || !strings.Contains(rsp.Header.Get("Content-Type"), "json") {
		return nil, nil
	}
	var v T
	if err := json.Unmarshal(ex.body, &v); err != nil {
		return nil, err
	}
	return &v, nil
}
