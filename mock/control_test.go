package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

// The control API, driven as a test in another language would: plain HTTP
// requests signed with the mock's credentials, JSON decoded by hand.

// ctl sends a signed control request; body may be nil.
func ctl(t *testing.T, run *mock.Running, method, target string, body []byte) reply {
	t.Helper()
	req := request{method: method, target: target, body: body, sign: signerFor(t, run, nil)}
	if body != nil {
		req.contentType = "application/json"
	}
	return send(t, run, req)
}

// decode decodes a reply's JSON body into T, failing t on another status.
func decode[T any](t *testing.T, r reply, status int) T {
	t.Helper()
	require.Equal(t, status, r.status, "body %s", r.body)
	require.Equal(t, "application/json", r.header.Get("Content-Type"))
	var v T
	require.NoError(t, json.Unmarshal(r.body, &v), "body %s", r.body)
	return v
}

type callbackLog struct {
	Callbacks []struct {
		OrderNumber string          `json:"order_number"`
		URL         string          `json:"url"`
		Body        json.RawMessage `json:"body"`
		Attempts    int             `json:"attempts"`
		LastStatus  int             `json:"last_status"`
		LastError   string          `json:"last_error"`
		Delivered   bool            `json:"delivered"`
		Done        bool            `json:"done"`
		Refused     bool            `json:"refused"`
	} `json:"callbacks"`
}

type requestLog struct {
	Requests []struct {
		Method     string  `json:"method"`
		Path       string  `json:"path"`
		Status     int     `json:"status"`
		DurationMS float64 `json:"duration_ms"`
		Rule       string  `json:"rule"`
	} `json:"requests"`
}

// linkBody is a create-or-update body, as another language would write it.
func linkBody(order, callbackURL string) []byte {
	cb := ""
	if callbackURL != "" {
		cb = fmt.Sprintf(`,"callback_url_override":%q`, callbackURL)
	}
	return fmt.Appendf(nil, `{"order_number":%q,"amount":1024,"currency":"EUR","transaction_type":"purchase",`+
		`"order_info":"Two books","ch_full_name":"Ada Lovelace"%s}`, order, cb)
}

func TestControlPayAndCallbackCycleOverPlainHTTP(t *testing.T) {
	run := mock.Start(t, fastCallbacks)
	merchant := newReceiver(t, run.MerchantKey, nil)

	created := ctl(t, run, http.MethodPost, "/v2/terminal-entry/create-or-update", linkBody("cycle-1", merchant.URL))
	require.Equal(t, http.StatusOK, created.status, "%s", created.body)

	paid := decode[struct {
		Link        gen.PayByLink `json:"link"`
		Callback    gen.Callback  `json:"callback"`
		CallbackURL string        `json:"callback_url"`
		RedirectURL string        `json:"redirect_url"`
	}](t, ctl(t, run, http.MethodPost, "/__mock/links/cycle-1/pay", nil), http.StatusOK)
	assert.Equal(t, gen.TerminalEntryStatusApproved, paid.Link.TerminalEntryStatus)
	assert.Equal(t, merchant.URL, paid.CallbackURL)
	assert.Contains(t, paid.RedirectURL, "order_number=cycle-1")
	assert.Equal(t, "approved", paid.Callback.Status)

	log := decode[callbackLog](t, ctl(t, run, http.MethodGet, "/__mock/callbacks?wait=20s", nil), http.StatusOK)
	require.Len(t, log.Callbacks, 1)
	cb := log.Callbacks[0]
	assert.Equal(t, "cycle-1", cb.OrderNumber)
	assert.Equal(t, merchant.URL, cb.URL)
	assert.True(t, cb.Delivered && cb.Done && !cb.Refused, "%+v", cb)
	assert.Equal(t, 1, cb.Attempts)
	assert.Equal(t, http.StatusOK, cb.LastStatus)
	_, verified, bodies, invalid := merchant.got()
	require.Len(t, verified, 1)
	assert.Zero(t, invalid)
	assert.JSONEq(t, string(bodies[0]), string(cb.Body), "the log holds the body that was sent")

	again := ctl(t, run, http.MethodPost, "/__mock/links/cycle-1/pay", nil)
	assert.Equal(t, http.StatusConflict, again.status)
	assert.Equal(t, "order_number: the payment link is already paid", again.monriError(t).Message)
}

func TestControlEndpointsAreSignedAndRouted(t *testing.T) {
	run := mock.Start(t)
	for _, c := range []struct{ method, target string }{
		{http.MethodPost, "/__mock/reset"},
		{http.MethodPost, "/__mock/customers/4b281da4-d145-4233-b957-2018cf9aa0fb/payment-methods"},
		{http.MethodPost, "/__mock/links/o-1/pay"},
		{http.MethodPost, "/__mock/links/o-1/cancel"},
		{http.MethodPost, "/__mock/links/o-1/expire"},
		{http.MethodGet, "/__mock/callbacks"},
		{http.MethodGet, "/__mock/requests"},
		{http.MethodGet, "/__mock/faults"},
		{http.MethodPut, "/__mock/faults"},
	} {
		t.Run(c.method+" "+c.target, func(t *testing.T) {
			unsigned := send(t, run, request{method: c.method, target: c.target})
			assert.Equal(t, http.StatusUnauthorized, unsigned.status, "%s", unsigned.body)
			assert.Equal(t, "authorization: the Authorization header is missing", unsigned.monriError(t).Message)

			other, err := signer.New("another-key", run.AuthenticityToken)
			require.NoError(t, err)
			forged := send(t, run, request{method: c.method, target: c.target, sign: other})
			assert.Equal(t, http.StatusUnauthorized, forged.status)

			method := http.MethodDelete
			notAllowed := send(t, run, request{method: method, target: c.target, sign: signerFor(t, run, nil)})
			assert.Equal(t, http.StatusMethodNotAllowed, notAllowed.status)
			assert.Contains(t, notAllowed.header.Get("Allow"), c.method)
		})
	}
}

func TestControlReset(t *testing.T) {
	run := mock.Start(t, fastCallbacks)
	customer := ctl(t, run, http.MethodPost, "/v2/customers", []byte(`{"name":"Ada"}`))
	require.Equal(t, http.StatusOK, customer.status, "%s", customer.body)
	require.Equal(t, http.StatusOK, ctl(t, run, http.MethodPost, "/v2/terminal-entry/create-or-update",
		linkBody("reset-1", "http://127.0.0.1:1/cb")).status)
	require.Equal(t, http.StatusOK, ctl(t, run, http.MethodPost, "/__mock/links/reset-1/pay", nil).status)
	waitCallbacks(t, run.Server)

	got := decode[struct {
		Status string `json:"status"`
	}](t, ctl(t, run, http.MethodPost, "/__mock/reset", nil), http.StatusOK)
	assert.Equal(t, "reset", got.Status)

	assert.Empty(t, run.Server.Customers())
	assert.Empty(t, run.Server.PayByLinks())
	reqs := decode[requestLog](t, ctl(t, run, http.MethodGet, "/__mock/requests", nil), http.StatusOK).Requests
	require.Len(t, reqs, 1, "only the reset itself, recorded once it was answered")
	assert.Equal(t, "/__mock/reset", reqs[0].Path)
	assert.Empty(t, decode[callbackLog](t, ctl(t, run, http.MethodGet, "/__mock/callbacks", nil), http.StatusOK).Callbacks)
	missing := ctl(t, run, http.MethodGet, "/v2/terminal-entry/reset-1/show", nil)
	assert.Equal(t, http.StatusNotFound, missing.status)

	// The same order number starts afresh: a new, payable link.
	require.Equal(t, http.StatusOK, ctl(t, run, http.MethodPost, "/v2/terminal-entry/create-or-update", linkBody("reset-1", "")).status)
	assert.Equal(t, http.StatusOK, ctl(t, run, http.MethodPost, "/__mock/links/reset-1/pay", nil).status)

	withBody := ctl(t, run, http.MethodPost, "/__mock/reset", []byte(`{"keep":"customers"}`))
	assert.Equal(t, http.StatusBadRequest, withBody.status)
	assert.Equal(t, "body: must be empty", withBody.monriError(t).Message)
}

func TestControlExpireAndCancel(t *testing.T) {
	clk := newClock()
	run := mock.Start(t, mock.WithClock(clk.Now))
	sg := signerFor(t, run, clk)
	do := func(method, target string, body []byte) reply {
		req := request{method: method, target: target, body: body, sign: sg}
		if body != nil {
			req.contentType = "application/json"
		}
		return send(t, run, req)
	}
	require.Equal(t, http.StatusOK, do(http.MethodPost, "/v2/terminal-entry/create-or-update", linkBody("exp-1", "")).status)

	cancel := decode[struct {
		OrderNumber string `json:"order_number"`
		RedirectURL string `json:"redirect_url"`
	}](t, do(http.MethodPost, "/__mock/links/exp-1/cancel", nil), http.StatusOK)
	assert.Equal(t, "exp-1", cancel.OrderNumber)
	assert.True(t, strings.HasSuffix(cancel.RedirectURL, "/pay/exp-1/cancelled"), cancel.RedirectURL)

	expired := decode[gen.PayByLink](t, do(http.MethodPost, "/__mock/links/exp-1/expire", nil), http.StatusOK)
	assert.Equal(t, gen.TerminalEntryStatusExpired, expired.TerminalEntryStatus)
	assert.False(t, expired.Active, "the contract's rule: an unpaid link is expired exactly when it is not active")
	require.NotNil(t, expired.ExpiresAt)
	assert.True(t, expired.ExpiresAt.Before(clk.Now()), "expires_at %v must be before now %v", expired.ExpiresAt, clk.Now())
	shown := decode[gen.PayByLink](t, do(http.MethodGet, "/v2/terminal-entry/exp-1/show", nil), http.StatusOK)
	assert.Equal(t, gen.TerminalEntryStatusExpired, shown.TerminalEntryStatus)
	assert.False(t, shown.Active)

	twice := decode[gen.PayByLink](t, do(http.MethodPost, "/__mock/links/exp-1/expire", nil), http.StatusOK)
	assert.Equal(t, expired.ExpiresAt.String(), twice.ExpiresAt.String(), "expiring again changes nothing")

	for _, c := range []struct {
		name, target string
		status       int
		message      string
	}{
		{"pay an expired link", "/__mock/links/exp-1/pay", http.StatusConflict, "order_number: the payment link has expired"},
		{"pay no link", "/__mock/links/none/pay", http.StatusNotFound, "order_number: no payment link with this order number"},
		{"expire no link", "/__mock/links/none/expire", http.StatusNotFound, "order_number: no payment link with this order number"},
		{"cancel no link", "/__mock/links/none/cancel", http.StatusNotFound, "order_number: no payment link with this order number"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := do(http.MethodPost, c.target, nil)
			assert.Equal(t, c.status, r.status)
			assert.Equal(t, c.message, r.monriError(t).Message)
		})
	}

	require.Equal(t, http.StatusOK, do(http.MethodPost, "/v2/terminal-entry/create-or-update", linkBody("paid-1", "")).status)
	require.Equal(t, http.StatusOK, do(http.MethodPost, "/__mock/links/paid-1/pay", nil).status)
	r := do(http.MethodPost, "/__mock/links/paid-1/expire", nil)
	assert.Equal(t, http.StatusConflict, r.status)
	assert.Equal(t, "order_number: the payment link is already paid", r.monriError(t).Message)

	_, err := run.Server.Expire(t.Context(), "paid-1")
	assert.ErrorIs(t, err, mock.ErrLinkPaid)
	_, err = run.Server.Expire(t.Context(), "none")
	assert.ErrorIs(t, err, mock.ErrNoLink)
}

type faultsBody struct {
	ErrorRate float64 `json:"error_rate"`
	DropRate  float64 `json:"drop_rate"`
	LatencyMS float64 `json:"latency_ms"`
	Seed      *int64  `json:"seed"`
}

func TestControlFaults(t *testing.T) {
	run := mock.Start(t, mock.WithSeed(7))
	got := decode[faultsBody](t, ctl(t, run, http.MethodGet, "/__mock/faults", nil), http.StatusOK)
	require.NotNil(t, got.Seed)
	assert.Equal(t, faultsBody{Seed: got.Seed}, got)
	assert.Equal(t, int64(7), *got.Seed)

	set := decode[faultsBody](t, ctl(t, run, http.MethodPut, "/__mock/faults",
		[]byte(`{"error_rate":1,"drop_rate":0,"latency_ms":0,"seed":42}`)), http.StatusOK)
	assert.Equal(t, 1.0, set.ErrorRate)
	assert.Equal(t, int64(42), *set.Seed)
	failed := send(t, run, request{method: http.MethodGet, target: "/v2/customers", sign: signerFor(t, run, nil), garbageIn: true})
	assert.Contains(t, []int{500, 503}, failed.status, "error_rate 1 fails every API request")
	assert.Contains(t, failed.monriError(t).Message, "fault injected by the mock")
	assert.Equal(t, http.StatusOK, ctl(t, run, http.MethodGet, "/__mock/faults", nil).status, "faults never apply to /__mock/")

	back := decode[faultsBody](t, ctl(t, run, http.MethodPut, "/__mock/faults",
		[]byte(`{"error_rate":0,"drop_rate":0,"latency_ms":1.5}`)), http.StatusOK)
	assert.Equal(t, int64(42), *back.Seed, "without seed the sequence goes on from the seed last set")
	assert.Equal(t, 1.5, back.LatencyMS)
	assert.Equal(t, http.StatusOK, ctl(t, run, http.MethodGet, "/v2/customers", nil).status)

	for _, c := range []struct{ name, body, message string }{
		{"error rate above 1", `{"error_rate":1.5,"drop_rate":0,"latency_ms":0}`, "error_rate: must be within [0, 1], got 1.5"},
		{"negative drop rate", `{"error_rate":0,"drop_rate":-0.1,"latency_ms":0}`, "drop_rate: must be within [0, 1], got -0.1"},
		{"negative latency", `{"error_rate":0,"drop_rate":0,"latency_ms":-1}`, "latency_ms: must be within [0, 300000], got -1"},
		{"latency too long", `{"error_rate":0,"drop_rate":0,"latency_ms":300001}`, "latency_ms: must be within [0, 300000], got 300001"},
		{"missing error rate", `{"drop_rate":0,"latency_ms":0}`, "error_rate: is required"},
		{"missing drop rate", `{"error_rate":0,"latency_ms":0}`, "drop_rate: is required"},
		{"missing latency", `{"error_rate":0,"drop_rate":0}`, "latency_ms: is required"},
		{"unknown field", `{"error_rate":0,"drop_rate":0,"latency_ms":0,"latency":5}`, "latency: is not a fault setting (error_rate, drop_rate, latency_ms, seed)"},
		{"rate as a string", `{"error_rate":"0.5","drop_rate":0,"latency_ms":0}`, "error_rate: must be a number"},
		{"seed not an integer", `{"error_rate":0,"drop_rate":0,"latency_ms":0,"seed":1.5}`, "seed: must be an integer"},
		{"not JSON", `{"error_rate":`, "body: is not valid JSON"},
		{"two values", `{"error_rate":0,"drop_rate":0,"latency_ms":0}{}`, "body: is not valid JSON"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := run.Server.Faults()
			r := ctl(t, run, http.MethodPut, "/__mock/faults", []byte(c.body))
			assert.Equal(t, http.StatusBadRequest, r.status, "%s", r.body)
			assert.Equal(t, c.message, r.monriError(t).Message)
			assert.Equal(t, before, run.Server.Faults(), "a refused PUT changes nothing")
		})
	}
	plain := send(t, run, request{method: http.MethodPut, target: "/__mock/faults", body: []byte(`{}`),
		contentType: "text/plain", sign: signerFor(t, run, nil)})
	assert.Equal(t, "Content-Type: must be application/json", plain.monriError(t).Message)

	assert.ErrorContains(t, run.Server.SetFaults(mock.FaultSettings{ErrorRate: 2}), "error_rate: must be within [0, 1]")
}

// TestSetFaultsConcurrently changes faults while requests run; the race
// detector checks the lock.
func TestSetFaultsConcurrently(t *testing.T) {
	run := mock.Start(t)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := range 20 {
			_ = run.Server.SetFaults(mock.FaultSettings{ErrorRate: float64(i%2) / 2})
		}
	}()
	go func() {
		defer wg.Done()
		for range 20 {
			r, err := http.Get(run.URL + "/openapi.yaml")
			if err == nil {
				r.Body.Close()
			}
			_ = run.Server.Faults()
		}
	}()
	wg.Wait()
}

func TestControlRequests(t *testing.T) {
	run := mock.Start(t)
	bad := ctl(t, run, http.MethodPost, "/v2/terminal-entry/create-or-update",
		[]byte(`{"order_number":"o-1","amount":1,"currency":"EUR","transaction_type":"purchase","order_info":"ab"}`))
	require.Equal(t, http.StatusBadRequest, bad.status)
	ctl(t, run, http.MethodGet, "/v2/customers?limit=2&offset=0", nil)
	ctl(t, run, http.MethodGet, "/v2/customers/4b281da4-d145-4233-b957-2018cf9aa0fb", nil)
	buyerDo(t, http.MethodGet, run.URL+"/pay/none/success?order_number=none&digest=abcdef0123")

	reqs := decode[requestLog](t, ctl(t, run, http.MethodGet, "/__mock/requests", nil), http.StatusOK).Requests
	require.Len(t, reqs, 4)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Equal(t, "/v2/terminal-entry/create-or-update", reqs[0].Path)
	assert.Equal(t, http.StatusBadRequest, reqs[0].Status)
	assert.Equal(t, "order_info: length must be 3-100", reqs[0].Rule)
	assert.GreaterOrEqual(t, reqs[0].DurationMS, 0.0)
	assert.Equal(t, "/v2/customers?limit=2&offset=0", reqs[1].Path)
	assert.Equal(t, http.StatusOK, reqs[1].Status)
	assert.Empty(t, reqs[1].Rule)
	assert.Equal(t, http.StatusNotFound, reqs[2].Status)
	assert.Equal(t, "uuid: no customer with this uuid", reqs[2].Rule, "a handler's error answer names its rule too")
	assert.Equal(t, "/pay/none/success?order_number=none&digest=REDACTED", reqs[3].Path)
}
