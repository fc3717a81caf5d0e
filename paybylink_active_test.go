package monri_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

// fullLink is a link with every field a caller may set that Monri's show
// answer does not return: the three URL overrides and the comment.
func fullLink(order string) monri.PayByLinkParams {
	p := link(order)
	p.CallbackURLOverride = ptr("https://shop.example/monri/callback")
	p.SuccessURLOverride = ptr("https://shop.example/monri/success")
	p.CancelURLOverride = ptr("https://shop.example/monri/cancel")
	p.Comment = ptr("gift wrap")
	p.ChEmail = ptr("ada@example.com")
	p.TokenizePan = ptr(true)
	return p
}

// recorder passes requests to the mock and records each one's method and
// path; after, when set, runs once the first request has been answered.
type recorder struct {
	m     *mock.Running
	after func()

	mu       sync.Mutex
	requests []string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.m.Server.ServeHTTP(w, req)
	r.mu.Lock()
	r.requests = append(r.requests, req.Method+" "+req.URL.Path)
	first := len(r.requests) == 1
	r.mu.Unlock()
	if first && r.after != nil {
		r.after()
	}
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.requests...)
}

// linkModes are the two behaviours Monri's create-or-update may have.
var linkModes = []mock.LinkUpdates{mock.Merge, mock.Replace}

// TestDeactivateActivateKeepEveryField: whether Monri merges or replaces,
// Deactivate and Activate send one create-or-update with exactly the
// caller's params and only active changed, so every field survives,
// URL overrides and comment included.
func TestDeactivateActivateKeepEveryField(t *testing.T) {
	steps := []struct {
		name   string
		call   func(*monri.PayByLinkService, context.Context, monri.PayByLinkParams, ...monri.RequestOption) (*monri.PayByLink, error)
		active bool
	}{
		{"deactivate", (*monri.PayByLinkService).Deactivate, false},
		{"activate", (*monri.PayByLinkService).Activate, true},
		{"deactivate again", (*monri.PayByLinkService).Deactivate, false},
	}
	for _, mode := range linkModes {
		t.Run(mode.String(), func(t *testing.T) {
			clearEnv(t)
			m := mock.Start(t, mock.WithLinkUpdates(mode))
			rec := &recorder{m: m}
			ts := httptest.NewServer(rec)
			defer ts.Close()
			c := fastRetryClient(t, ts.URL, monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
			ctx := t.Context()
			params := fullLink("keep-1")
			_, err := c.PayByLink.CreateOrUpdate(ctx, params)
			require.NoError(t, err)

			for i, step := range steps {
				got, err := step.call(c.PayByLink, ctx, params)
				require.NoError(t, err, step.name)
				assert.Equal(t, step.active, got.Active, step.name)
				assert.Nil(t, params.Active, "the caller's params are not changed")

				want := fullLink("keep-1")
				want.Active = ptr(step.active)
				stored, ok := m.Server.PayByLinkRequest("keep-1")
				require.True(t, ok)
				assert.Equal(t, want, stored, "%s: the link holds exactly what the caller sent", step.name)
				assert.Len(t, rec.seen(), 2+i, "%s: one request, no read before the write", step.name)
				assert.Equal(t, "POST /v2/terminal-entry/create-or-update", rec.seen()[1+i])
			}
		})
	}
}

// TestDeactivateDoesNotUndoAConcurrentUpdate: a CreateOrUpdate changing the
// amount lands just after the first request of a Deactivate (or Activate)
// call has been answered. The call reads nothing back, so it cannot write
// the old amount over the new one.
func TestDeactivateDoesNotUndoAConcurrentUpdate(t *testing.T) {
	ops := map[string]func(*monri.PayByLinkService, context.Context, monri.PayByLinkParams, ...monri.RequestOption) (*monri.PayByLink, error){
		"deactivate": (*monri.PayByLinkService).Deactivate,
		"activate":   (*monri.PayByLinkService).Activate,
	}
	for _, mode := range linkModes {
		for name, op := range ops {
			t.Run(mode.String()+"/"+name, func(t *testing.T) {
				clearEnv(t)
				m := mock.Start(t, mock.WithLinkUpdates(mode))
				other := fastRetryClient(t, m.URL, monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
				params := fullLink("race-1")
				_, err := other.PayByLink.CreateOrUpdate(t.Context(), params)
				require.NoError(t, err)

				rec := &recorder{m: m}
				rec.after = func() {
					repriced := fullLink("race-1")
					repriced.Amount = 2048
					_, err := other.PayByLink.CreateOrUpdate(context.Background(), repriced)
					assert.NoError(t, err)
				}
				ts := httptest.NewServer(rec)
				defer ts.Close()
				c := fastRetryClient(t, ts.URL, monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))

				_, err = op(c.PayByLink, t.Context(), params)
				require.NoError(t, err)
				stored, ok := m.Server.PayByLinkRequest("race-1")
				require.True(t, ok)
				assert.Equal(t, int64(2048), stored.Amount, "the concurrent amount change was undone")
				assert.Equal(t, []string{"POST /v2/terminal-entry/create-or-update"}, rec.seen())
			})
		}
	}
}

// TestDeactivateRefusesPartialParams: a params that is not the link's whole
// body is refused, naming the field, before anything is sent.
func TestDeactivateRefusesPartialParams(t *testing.T) {
	clearEnv(t)
	m := mock.Start(t)
	rec := &recorder{m: m}
	ts := httptest.NewServer(rec)
	defer ts.Close()
	c := fastRetryClient(t, ts.URL, monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
	without := func(f func(*monri.PayByLinkParams)) monri.PayByLinkParams {
		p := link("part-1")
		f(&p)
		return p
	}
	cases := []struct {
		field  string
		params monri.PayByLinkParams
	}{
		{"order_number", without(func(p *monri.PayByLinkParams) { p.OrderNumber = "" })},
		{"amount", without(func(p *monri.PayByLinkParams) { p.Amount = 0 })},
		{"currency", without(func(p *monri.PayByLinkParams) { p.Currency = "" })},
		{"transaction_type", without(func(p *monri.PayByLinkParams) { p.TransactionType = "" })},
		{"order_info", without(func(p *monri.PayByLinkParams) { p.OrderInfo = "" })},
		{"amount", monri.PayByLinkParams{OrderNumber: "part-1"}},
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			_, err := c.PayByLink.Deactivate(t.Context(), tc.params)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "monri: PayByLink.Deactivate: "+tc.field+" is not set")
			_, err = c.PayByLink.Activate(t.Context(), tc.params)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "monri: PayByLink.Activate: "+tc.field+" is not set")
		})
	}
	assert.Empty(t, rec.seen(), "nothing was sent")
}
