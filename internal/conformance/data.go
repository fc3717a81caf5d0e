package conformance

import (
	"context"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
)

// madeCustomer is a customer the run created.
type madeCustomer struct {
	mid, uuid string
	create    *exchange
	deleted   bool
}

// customerPair is two customers made one after the other: b is newer.
type customerPair struct{ a, b *madeCustomer }

// madeLink is a payment link the run created, with the body that made it,
// so that cleanup can deactivate it with the fields Monri requires.
type madeLink struct {
	orderNumber string
	body        map[string]any
	id          any
	create      *exchange
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// idOf reads a customer's identifier: uuid in single answers, id in list items.
func idOf(m map[string]any) string {
	if s := str(m["uuid"]); s != "" {
		return s
	}
	return str(m["id"])
}

func customerBody(mid string) map[string]any {
	return map[string]any{
		"merchant_customer_id": mid,
		"description":          "monri-go conformance run",
		"email":                mid + "@example.com",
		"name":                 "Conformance Test",
		"phone":                "+38761000000",
		"metadata":             map[string]any{"run": mid},
		"zip_code":             "71000",
		"city":                 "Sarajevo",
		"address":              "Zmaja od Bosne 1",
		"country":              "BA",
	}
}

// createCustomer creates one customer and registers it for cleanup as soon
// as anything says it may exist: an answer without an identifier is
// resolved by merchant_customer_id, never by creating again.
func (r *runner) createCustomer(ctx context.Context, body map[string]any, o sendOpts) (*madeCustomer, error) {
	mid := str(body["merchant_customer_id"])
	x, err := r.send(ctx, "POST", "/v2/customers", body, o)
	c := &madeCustomer{mid: mid, create: x}
	if err != nil {
		r.customers = append(r.customers, c) // it may have been applied: look it up at cleanup
		return nil, fmt.Errorf("create customer: %w", err)
	}
	if x.Status != 200 {
		if x.Status >= 500 {
			r.customers = append(r.customers, c)
		}
		return nil, fmt.Errorf("create customer answered %d: %s", x.Status, errorMessage(x))
	}
	c.uuid = idOf(x.json())
	r.customers = append(r.customers, c)
	if c.uuid == "" {
		if err := r.resolve(ctx, c); err != nil {
			return c, fmt.Errorf("create customer answered without uuid or id, and %w", err)
		}
	}
	return c, nil
}

// resolve finds a customer's uuid by its merchant_customer_id.
func (r *runner) resolve(ctx context.Context, c *madeCustomer) error {
	x, err := r.send(ctx, "GET", "/v2/merchants/customers/"+url.PathEscape(c.mid), nil, sendOpts{})
	if err != nil {
		return fmt.Errorf("looking it up failed: %w", err)
	}
	if x.Status != 200 {
		return fmt.Errorf("looking it up by merchant_customer_id answered %d", x.Status)
	}
	if c.uuid = idOf(x.json()); c.uuid == "" {
		return fmt.Errorf("looking it up by merchant_customer_id gave no uuid either")
	}
	return nil
}

// customers returns the run's two customers, creating them on first use.
func (r *runner) customersPair(ctx context.Context) (*customerPair, error) {
	if r.pair != nil || r.pairErr != nil {
		return r.pair, r.pairErr
	}
	a, err := r.createCustomer(ctx, customerBody(r.name()), sendOpts{})
	if err == nil && a.uuid != "" {
		var b *madeCustomer
		if b, err = r.createCustomer(ctx, customerBody(r.name()), sendOpts{}); err == nil {
			r.pair = &customerPair{a: a, b: b}
		}
	}
	if err != nil {
		r.pairErr = fmt.Errorf("setup: %w", err)
	}
	return r.pair, r.pairErr
}

func linkBody(orderNumber string) map[string]any {
	return map[string]any{
		"transaction_type": "purchase",
		"amount":           100,
		"currency":         "EUR",
		"order_number":     orderNumber,
		"order_info":       "monri-go conformance run",
		"language":         "en",
		"ch_full_name":     "Conformance Test",
		"ch_email":         "conformance@example.com",
		"active":           true,
	}
}

// payByLink returns the run's link, creating it on first use.
func (r *runner) payByLink(ctx context.Context) (*madeLink, error) {
	if r.link != nil || r.linkErr != nil {
		return r.link, r.linkErr
	}
	l := &madeLink{orderNumber: r.name()}
	l.body = linkBody(l.orderNumber)
	r.links = append(r.links, l) // create-or-update is idempotent; cleanup checks before deactivating
	x, err := r.send(ctx, "POST", "/v2/terminal-entry/create-or-update", l.body, sendOpts{})
	l.create = x
	switch {
	case err != nil:
		r.linkErr = fmt.Errorf("setup: create link: %w", err)
	case x.Status != 200:
		r.linkErr = fmt.Errorf("setup: create link answered %d: %s", x.Status, errorMessage(x))
	default:
		l.id = x.json()["id"]
		r.link = l
	}
	return r.link, r.linkErr
}

// upsertLink sends the link's body with changes, keeping them in the body
// that cleanup will send.
func (r *runner) upsertLink(ctx context.Context, l *madeLink, changes map[string]any) (*exchange, map[string]any, error) {
	for k, v := range changes {
		l.body[k] = v
	}
	x, err := r.send(ctx, "POST", "/v2/terminal-entry/create-or-update", l.body, sendOpts{})
	if err != nil {
		return nil, nil, err
	}
	if x.Status != 200 {
		return x, nil, fmt.Errorf("create-or-update answered %d: %s", x.Status, errorMessage(x))
	}
	return x, x.json(), nil
}

// get sends a GET and requires a 200 with a JSON object.
func (r *runner) get(ctx context.Context, target string) (map[string]any, error) {
	x, err := r.send(ctx, "GET", target, nil, sendOpts{})
	if err != nil {
		return nil, err
	}
	if x.Status != 200 {
		return nil, fmt.Errorf("GET %s answered %d: %s", target, x.Status, errorMessage(x))
	}
	m := x.json()
	if m == nil {
		return nil, fmt.Errorf("GET %s: the answer is not a JSON object", target)
	}
	return m, nil
}

// items reads a list answer's data array as objects.
func items(m map[string]any) ([]map[string]any, error) {
	data, ok := m["data"].([]any)
	if !ok {
		return nil, fmt.Errorf("data is not an array")
	}
	out := make([]map[string]any, 0, len(data))
	for i, d := range data {
		o, ok := d.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("data[%d] is not an object", i)
		}
		out = append(out, o)
	}
	return out, nil
}

// diffKeys lists the keys whose values differ between a and b, except skip.
func diffKeys(a, b map[string]any, skip ...string) []string {
	var out []string
	for k := range a {
		if !slices.Contains(skip, k) && !reflect.DeepEqual(a[k], b[k]) {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok && !slices.Contains(skip, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// errorMessage is the message of an error answer, or a short excerpt.
func errorMessage(x *exchange) string {
	if m := x.json(); m != nil {
		if msg := str(m["message"]); msg != "" {
			return truncate(msg, 200)
		}
	}
	return truncate(strings.TrimSpace(string(x.RespBody)), 120)
}

// errorShape says how an error answer differs from Monri's
// {"status":"invalid-request","message":...}; empty when it does not.
func errorShape(x *exchange) string {
	m := x.json()
	if m == nil {
		return fmt.Sprintf("the body is not a JSON object: %q", truncate(string(x.RespBody), 80))
	}
	var bad []string
	if s := str(m["status"]); s != "invalid-request" {
		bad = append(bad, fmt.Sprintf("status is %q, want \"invalid-request\"", s))
	}
	if str(m["message"]) == "" {
		bad = append(bad, "no message string")
	}
	return strings.Join(bad, "; ")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
