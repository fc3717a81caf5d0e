package mock_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/wire"
)

func TestPayByLinkCreateThenUpdate(t *testing.T) {
	clk := newClock()
	run := mock.Start(t, mock.WithClock(clk.Now))
	c := client(t, run, clk)
	ctx := context.Background()
	first := decodeFixture[gen.PayByLinkRequest](t, "pay_by_link_create.json")

	r1, err := c.CreateOrUpdatePayByLinkWithResponse(ctx, first)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, r1.StatusCode(), "%s", r1.Body)
	created := r1.JSON200
	assert.Equal(t, string(gen.SavedStatusCreated), created.Status)
	assert.Equal(t, int64(1), created.ID)
	assert.Equal(t, "2024-05-06 07:08:09 UTC", created.CreatedAt.String())
	assert.Equal(t, "2024-05-06 07:08:09 UTC", created.UpdatedAt.String())
	assert.False(t, created.Active, "the fixture's expires_at (2021) is before the clock")
	assert.Equal(t, gen.TerminalEntryStatusExpired, created.TerminalEntryStatus)
	assert.Equal(t, "John Doe", *created.ChFullName)

	// Same order_number: an update of only the fields sent.
	clk.Add(time.Hour)
	second := gen.PayByLinkRequest{
		OrderNumber:             first.OrderNumber,
		Amount:                  4500,
		Currency:                "EUR",
		TransactionType:         gen.TransactionTypeAuthorize,
		OrderInfo:               "Changed order",
		Language:                ptrTo(gen.LanguageEn),
		NumberOfInstallments:    ptrTo(wire.Installments(6)),
		SupportedPaymentMethods: []wire.CardToken{},
		TokenizePan:             ptrTo(true),
	}
	r2, err := c.CreateOrUpdatePayByLinkWithResponse(ctx, second)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, r2.StatusCode(), "%s", r2.Body)
	want := *created
	want.Status = string(gen.SavedStatusUpdated)
	want.Amount, want.Currency = int64(4500), "EUR"
	want.TransactionType = gen.TransactionTypeAuthorize
	want.OrderInfo = "Changed order"
	want.Language = ptrTo(gen.LanguageEn)
	want.NumberOfInstallments = wire.Installments(6)
	// An empty slice is omitted by the generated client's omitempty, so it
	// is not sent and the methods are unchanged.
	want.TokenizePan = true
	want.UpdatedAt = wire.NewTimestamp(t0.Add(time.Hour), wire.UTCSuffix)
	assert.Equal(t, &want, r2.JSON200)

	// A third call is an update too; the order number never changes and no
	// second link appears.
	r3, err := c.CreateOrUpdatePayByLinkWithResponse(ctx, second)
	require.NoError(t, err)
	assert.Equal(t, string(gen.SavedStatusUpdated), r3.JSON200.Status)

	// A raw body can send an empty list: then there are none.
	cleared := send(t, run, request{method: http.MethodPost, target: "/v2/terminal-entry/create-or-update",
		body:        pblWith(t, func(m map[string]any) { m["supported_payment_methods"] = []string{} }),
		contentType: "application/json", sign: signerFor(t, run, clk)})
	require.Equal(t, http.StatusOK, cleared.status, "%s", cleared.body)
	l, _ := run.Server.PayByLink(first.OrderNumber)
	assert.Empty(t, l.SupportedPaymentMethods)

	links := run.Server.PayByLinks()
	require.Len(t, links, 1)
	assert.Equal(t, first.OrderNumber, links[0].OrderNumber)
	assert.Equal(t, int64(1), links[0].ID)

	// Another order number is another link with the next id.
	other := first
	other.OrderNumber = "order-2"
	r4, err := c.CreateOrUpdatePayByLinkWithResponse(ctx, other)
	require.NoError(t, err)
	assert.Equal(t, string(gen.SavedStatusCreated), r4.JSON200.Status)
	assert.Equal(t, int64(2), r4.JSON200.ID)
	assert.Equal(t, run.URL+"/pay/order-2", r4.JSON200.PaymentURL)
	require.Len(t, run.Server.PayByLinks(), 2)
}

// TestPayByLinkActive: active is the merchant's switch until the link
// expires; an unpaid link is expired exactly when it is not active.
func TestPayByLinkActive(t *testing.T) {
	clk := newClock()
	run := mock.Start(t, mock.WithClock(clk.Now))
	c := client(t, run, clk)
	ctx := context.Background()
	body := decodeFixture[gen.PayByLinkRequest](t, "pay_by_link_create.json")
	later := wire.NewTimestamp(t0.Add(time.Hour), wire.RFC3339)
	body.ExpiresAt = &later
	steps := []struct {
		active  *bool
		advance time.Duration
		want    bool
	}{
		{nil, 0, true}, // default
		{ptrTo(false), 0, false},
		{nil, 0, false}, // not sent: unchanged
		{ptrTo(true), 0, true},
		{nil, 2 * time.Hour, false}, // past expires_at
		{ptrTo(true), 0, false},     // activating does not undo an expiry
	}
	for i, st := range steps {
		clk.Add(st.advance)
		body.Active = st.active
		r, err := c.CreateOrUpdatePayByLinkWithResponse(ctx, body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, r.StatusCode())
		show, err := c.GetPayByLinkWithResponse(ctx, body.OrderNumber)
		require.NoError(t, err)
		wantEntry := gen.TerminalEntryStatusExpired
		if st.want {
			wantEntry = gen.TerminalEntryStatusPending
		}
		for _, got := range []*gen.PayByLink{r.JSON200, show.JSON200} {
			assert.Equal(t, st.want, got.Active, "step %d", i)
			assert.Equal(t, wantEntry, got.TerminalEntryStatus, "step %d", i)
		}
	}
}

func TestPayByLinkExpiry(t *testing.T) {
	tests := []struct {
		layout    string
		expiresAt string // t0 + 1h
	}{
		{"CompactOffset", "2024-05-06T10:08:09.000+0200"},
		{"RFC3339", "2024-05-06T08:08:09Z"},
		{"UTCSuffix", "2024-05-06 08:08:09 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.layout, func(t *testing.T) {
			clk := newClock()
			run := mock.Start(t, mock.WithClock(clk.Now))
			c := client(t, run, clk)
			ctx := context.Background()
			body := decodeFixture[gen.PayByLinkRequest](t, "pay_by_link_create.json")
			ts, err := wire.ParseTimestamp(tt.expiresAt)
			require.NoError(t, err)
			require.Equal(t, tt.layout, ts.Layout.String())
			body.ExpiresAt = &ts
			r, err := c.CreateOrUpdatePayByLinkWithResponse(ctx, body)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, r.StatusCode())
			assert.Contains(t, string(r.Body), `"expires_at":"`+tt.expiresAt+`"`, "echoed in the layout it was sent")

			for _, step := range []struct {
				advance time.Duration
				want    gen.TerminalEntryStatus
				active  bool
			}{
				{0, gen.TerminalEntryStatusPending, true},
				{time.Hour, gen.TerminalEntryStatusPending, true}, // exactly at expires_at: not passed yet
				{time.Second, gen.TerminalEntryStatusExpired, false},
			} {
				clk.Add(step.advance)
				show, err := c.GetPayByLinkWithResponse(ctx, body.OrderNumber)
				require.NoError(t, err)
				require.Equal(t, http.StatusOK, show.StatusCode())
				assert.Equal(t, step.want, show.JSON200.TerminalEntryStatus, "at %v", clk.Now())
				assert.Equal(t, step.active, show.JSON200.Active, "at %v", clk.Now())
				assert.Contains(t, string(show.Body), `"expires_at":"`+tt.expiresAt+`"`)
			}
		})
	}
}

func TestPaymentURLUsesRequestHost(t *testing.T) {
	run := mock.Start(t)
	s := signerFor(t, run, nil)
	body := pblWith(t, func(m map[string]any) { m["order_number"] = "order/1 a" })
	req, err := http.NewRequest(http.MethodPost, run.URL+"/v2/terminal-entry/create-or-update", strings.NewReader(string(body)))
	require.NoError(t, err)
	req.Host = "shop.example:8080"
	req.Header.Set("Content-Type", "application/json")
	require.NoError(t, s.Sign(req))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	l, ok := run.Server.PayByLink("order/1 a")
	require.True(t, ok)
	assert.Equal(t, "http://shop.example:8080/pay/order%2F1%20a", l.PaymentURL)

	// The page it points at exists on the mock; an unknown one is 404.
	u, err := url.Parse(l.PaymentURL)
	require.NoError(t, err)
	page := send(t, run, request{method: http.MethodGet, target: u.EscapedPath()})
	require.Equal(t, http.StatusOK, page.status)
	assert.Equal(t, "text/html; charset=utf-8", page.header.Get("Content-Type"))
	assert.Contains(t, string(page.body), "Order order/1 a: Order info")
	assert.Contains(t, string(page.body), "Amount: 0.30 BAM", "minor units shown in major units")
	missing := send(t, run, request{method: http.MethodGet, target: "/pay/nope"})
	require.Equal(t, http.StatusNotFound, missing.status)
	assert.Equal(t, "order_number: no payment link with this order number", missing.monriError(t).Message)
}
