package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
)

func (a *app) demoCommand() *cobra.Command {
	var conn connection
	var jsonLines bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole Customers and Pay By Link flow, against the embedded mock by default",
		Long: "demo creates, reads, updates, lists and deletes a customer, then creates, shows, updates,\n" +
			"deactivates and activates a payment link, printing each request, its status and the fields\n" +
			"that matter.\n\n" +
			"With no credentials it starts the mock in-process on 127.0.0.1 and stops it at the end. There\n" +
			"the buyer also pays the link: a shop's callback endpoint on 127.0.0.1 (monri.CallbackHandler)\n" +
			"receives the signed callback, and the link shows approved.\n" +
			"With MONRI_MERCHANT_KEY and MONRI_AUTHENTICITY_TOKEN (or the flags) it uses Monri's test\n" +
			"environment; --base-url points it at any server; production needs --env prod.",
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.demo(cmd.Context(), &conn, jsonLines)
		},
	}
	conn.register(cmd)
	cmd.Flags().BoolVar(&jsonLines, "json", false, "print one JSON object per step instead of text")
	return cmd
}

// exchangeLog records each request's line and status for the transcript.
type exchangeLog struct {
	mu     sync.Mutex
	method string
	target string
	status int
	base   http.RoundTripper
}

func (l *exchangeLog) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.base.RoundTrip(r)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.method, l.target, l.status = r.Method, r.URL.RequestURI(), 0
	if resp != nil {
		l.status = resp.StatusCode
	}
	return resp, err
}

// record notes an exchange that did not go through RoundTrip: the callback
// the demo's shop received.
func (l *exchangeLog) record(method, target string, status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.method, l.target, l.status = method, target, status
}

func (l *exchangeLog) last() (method, target string, status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.method, l.target, l.status
}

// transcript prints steps as text or JSON lines.
type transcript struct {
	a     *app
	json  bool
	log   *exchangeLog
	steps int
}

type stepLine struct {
	Step   int            `json:"step"`
	Name   string         `json:"name"`
	Method string         `json:"method"`
	Target string         `json:"target"`
	Status int            `json:"status"`
	OK     bool           `json:"ok"`
	Fields map[string]any `json:"fields,omitempty"`
	Error  string         `json:"error,omitempty"`
}

func (t *transcript) note(msg string) {
	if t.json {
		b, _ := json.Marshal(map[string]string{"note": msg})
		fmt.Fprintln(t.a.stdout, string(b))
		return
	}
	fmt.Fprintln(t.a.stdout, msg)
}

// step runs one call and prints its line; it returns the call's error.
func (t *transcript) step(name string, call func() (map[string]any, error)) error {
	t.steps++
	fields, err := call()
	method, target, status := t.log.last()
	line := stepLine{Step: t.steps, Name: name, Method: method, Target: target, Status: status, OK: err == nil, Fields: fields}
	if err != nil {
		line.Error = err.Error()
	}
	if t.json {
		b, merr := json.Marshal(line)
		if merr != nil {
			return merr
		}
		fmt.Fprintln(t.a.stdout, string(b))
		return err
	}
	mark := "ok  "
	if err != nil {
		mark = "FAIL"
	}
	fmt.Fprintf(t.a.stdout, "%s %2d. %-28s %-6s %s -> %s\n", mark, line.Step, name, method, target, statusText(status))
	if len(fields) > 0 {
		parts := make([]string, 0, len(fields))
		for _, k := range sortedKeys(fields) {
			parts = append(parts, fmt.Sprintf("%s=%v", k, fields[k]))
		}
		fmt.Fprintf(t.a.stdout, "         %s\n", strings.Join(parts, "  "))
	}
	if err != nil {
		fmt.Fprintf(t.a.stdout, "         error: %v\n", err)
	}
	return err
}

func statusText(code int) string {
	if code == 0 {
		return "no answer"
	}
	return strconv.Itoa(code)
}

func (a *app) demo(ctx context.Context, conn *connection, jsonLines bool) error {
	log := &exchangeLog{base: http.DefaultTransport}
	t := &transcript{a: a, json: jsonLines, log: log}

	if !conn.resolve(a) && conn.baseURL == "" {
		srv, url, stop, err := startEmbeddedMock()
		if err != nil {
			return err
		}
		defer func() {
			stop()
			t.note("Stopped the embedded mock.")
		}()
		conn.baseURL, conn.merchantKey, conn.authenticityToken = url, mock.DefaultMerchantKey, mock.DefaultAuthenticityToken
		t.note(fmt.Sprintf("No MONRI_MERCHANT_KEY/MONRI_AUTHENTICITY_TOKEN set: running against the embedded Monri mock at %s.", url))
		return a.runDemo(ctx, conn, t, log, srv)
	}
	return a.runDemo(ctx, conn, t, log, nil)
}

// startEmbeddedMock serves a fresh mock on a free loopback port.
func startEmbeddedMock() (*mock.Server, string, func(), error) {
	srv, err := mock.New()
	if err != nil {
		return nil, "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, fmt.Errorf("embedded mock: %w", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
		_ = srv.Close()
	}
	return srv, "http://" + ln.Addr().String(), stop, nil
}

// runDemo runs the steps in order and stops at the first failure. embedded
// is the in-process mock, if any, for seeding a saved card to list.
func (a *app) runDemo(ctx context.Context, conn *connection, t *transcript, log *exchangeLog, embedded *mock.Server) error {
	c, err := conn.client(a, &http.Client{Transport: log})
	if err != nil {
		return err
	}
	suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
	merchantID := "demo-" + suffix
	order := "demo-" + suffix
	var cust *monri.Customer

	// On the embedded mock the buyer pays too, and a shop gets the callback.
	linkParams := func(amount int64) monri.PayByLinkParams { return demoLink(order, amount) }
	var shop *demoShop
	if embedded != nil {
		shop, err = startDemoShop(conn.merchantKey, log)
		if err != nil {
			return err
		}
		defer shop.stop()
		linkParams = func(amount int64) monri.PayByLinkParams { return shop.link(demoLink(order, amount)) }
	}

	steps := []struct {
		name string
		call func() (map[string]any, error)
	}{
		{"create customer", func() (map[string]any, error) {
			var err error
			cust, err = c.Customers.Create(ctx, monri.CustomerParams{
				MerchantCustomerID: &merchantID, Name: ptr("Ada Lovelace"), Email: ptr("ada@example.com"), Country: ptr("BA"),
			})
			if err != nil {
				return nil, err
			}
			return map[string]any{"uuid": cust.UUID, "merchant_customer_id": deref(cust.MerchantCustomerID), "name": deref(cust.Name)}, nil
		}},
		{"get customer by uuid", func() (map[string]any, error) {
			got, err := c.Customers.Get(ctx, cust.UUID)
			if err != nil {
				return nil, err
			}
			return map[string]any{"name": deref(got.Name), "email": deref(got.Email)}, nil
		}},
		{"get by merchant_customer_id", func() (map[string]any, error) {
			got, err := c.Customers.GetByMerchantCustomerID(ctx, merchantID)
			if err != nil {
				return nil, err
			}
			return map[string]any{"uuid": got.UUID}, nil
		}},
		{"update customer", func() (map[string]any, error) {
			got, err := c.Customers.Update(ctx, cust.UUID, monri.CustomerParams{City: ptr("Sarajevo")})
			if err != nil {
				return nil, err
			}
			return map[string]any{"city": deref(got.City), "updated_at": got.UpdatedAt.String()}, nil
		}},
		{"list customers", func() (map[string]any, error) {
			list, err := c.Customers.List(ctx, &monri.ListParams{Limit: ptr(10)})
			if err != nil {
				return nil, err
			}
			return map[string]any{"on_page": len(list)}, nil
		}},
		{"list payment methods", func() (map[string]any, error) {
			if embedded != nil {
				// A saved card, as a real purchase with tokenize_pan would leave.
				if _, err := embedded.AddPaymentMethod(cust.UUID, gen.PaymentMethod{MaskedPan: "405840******0005"}); err != nil {
					return nil, err
				}
			}
			methods, err := c.Customers.ListPaymentMethods(ctx, cust.UUID, nil)
			if err != nil {
				return nil, err
			}
			fields := map[string]any{"count": len(methods)}
			if len(methods) > 0 {
				fields["masked_pan"] = methods[0].MaskedPan
			}
			return fields, nil
		}},
		{"delete customer", func() (map[string]any, error) {
			d, err := c.Customers.Delete(ctx, cust.UUID)
			if err != nil {
				return nil, err
			}
			return map[string]any{"deleted": d.Deleted}, nil
		}},
		{"create pay-by-link", func() (map[string]any, error) {
			l, err := c.PayByLink.CreateOrUpdate(ctx, linkParams(1024))
			return linkSummary(l, err)
		}},
		{"show pay-by-link", func() (map[string]any, error) {
			return linkSummary(c.PayByLink.Get(ctx, order))
		}},
		{"update pay-by-link amount", func() (map[string]any, error) {
			return linkSummary(c.PayByLink.CreateOrUpdate(ctx, linkParams(2048)))
		}},
		{"deactivate pay-by-link", func() (map[string]any, error) {
			return linkSummary(c.PayByLink.Deactivate(ctx, linkParams(2048)))
		}},
		{"activate pay-by-link", func() (map[string]any, error) {
			return linkSummary(c.PayByLink.Activate(ctx, linkParams(2048)))
		}},
	}
	if shop != nil {
		steps = append(steps, []struct {
			name string
			call func() (map[string]any, error)
		}{
			{"buyer pays, callback arrives", func() (map[string]any, error) {
				return shop.pay(ctx, embedded, conn.merchantKey, order)
			}},
			{"show paid pay-by-link", func() (map[string]any, error) {
				return linkSummary(c.PayByLink.Get(ctx, order))
			}},
		}...)
	}
	for _, s := range steps {
		if err := t.step(s.name, s.call); err != nil {
			t.note(fmt.Sprintf("Demo stopped at step %d of %d.", t.steps, len(steps)))
			return errReported
		}
	}
	t.note(fmt.Sprintf("All %d steps passed.", len(steps)))
	return nil
}

func demoLink(order string, amount int64) monri.PayByLinkParams {
	return monri.PayByLinkParams{
		OrderNumber: order, Amount: amount, Currency: "EUR",
		TransactionType: gen.TransactionTypePurchase, OrderInfo: "monri-go demo order",
		ChFullName: ptr("Ada Lovelace"), Language: ptr(gen.LanguageEn),
	}
}

func linkSummary(l *monri.PayByLink, err error) (map[string]any, error) {
	if err != nil {
		return nil, err
	}
	if l == nil {
		return nil, errors.New("no link in the answer")
	}
	fields := map[string]any{"status": l.Status, "amount": l.Amount, "active": l.Active,
		"terminal_entry_status": l.TerminalEntryStatus}
	if l.Status == string(gen.SavedStatusCreated) {
		fields["payment_url"] = l.PaymentURL
	}
	return fields, nil
}
