package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri"
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
			"With no credentials it starts the mock in-process on 127.0.0.1 and stops it at the end.\n" +
			"With MONRI_MERCHANT_KEY and MONRI_AUTHENTICITY_TOKEN (or the --*-file flags) it uses Monri's\n" +
			"test environment; --base-url points it at any server; production needs --env prod.\n" +
			"The first line says which of these it runs against.\n\n" +
			"On a mock that serves the payment page (the link's payment_url is on --base-url), the buyer\n" +
			"also pays the link: a shop's callback endpoint on 127.0.0.1 (monri.CallbackHandler)\n" +
			"receives the signed callback, and the link shows approved.",
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.demo(cmd, &conn, jsonLines)
		},
	}
	conn.register(cmd)
	cmd.Flags().BoolVar(&jsonLines, "json", false, "print one JSON object per step instead of text")
	return cmd
}

func (a *app) demo(cmd *cobra.Command, conn *connection, jsonLines bool) error {
	log := &exchangeLog{base: http.DefaultTransport}
	if a.transport != nil {
		log.base = a.transport
	}
	t := &transcript{a: a, json: jsonLines, log: log}
	given, err := conn.resolve(a, cmd)
	if err != nil {
		return err
	}
	if !given && conn.baseURL == "" {
		srv, url, stop, err := startEmbeddedMock()
		if err != nil {
			return err
		}
		defer func() {
			stop()
			t.note("Stopped the embedded mock.")
		}()
		conn.baseURL = url
		conn.secrets.merchantKey, conn.secrets.authenticityToken = mock.DefaultMerchantKey, mock.DefaultAuthenticityToken
		t.note(fmt.Sprintf("Running against the embedded Monri mock at %s (no %s/%s set).", url, monri.EnvMerchantKey, monri.EnvAuthenticityToken))
		return a.runDemo(cmd.Context(), conn, t, log, srv)
	}
	if _, err := conn.client(a, cmd, nil); err != nil {
		return err // before the first line: nothing runs
	}
	t.note(demoTarget(a, cmd, conn))
	return a.runDemo(cmd.Context(), conn, t, log, nil)
}

// demoTarget is the demo's first line: the server and where the
// credentials came from.
func demoTarget(a *app, cmd *cobra.Command, conn *connection) string {
	from := "--merchant-key-file/--authenticity-token-file"
	switch {
	case cmd.Flags().Changed("merchant-key") || cmd.Flags().Changed("authenticity-token"):
		from = "the command line"
	case conn.secrets.merchantKeyFile == "" && conn.secrets.authenticityTokenFile == "":
		from = monri.EnvMerchantKey + "/" + monri.EnvAuthenticityToken
	case a.getenv(monri.EnvMerchantKey) != "" || a.getenv(monri.EnvAuthenticityToken) != "":
		from += " and the environment"
	}
	if conn.baseURL != "" {
		return fmt.Sprintf("Running against %s (--base-url) with the credentials from %s.", conn.baseURL, from)
	}
	env, _ := monri.ParseEnvironment(conn.env)
	name := "test"
	if env == monri.Production {
		name = "PRODUCTION"
	}
	return fmt.Sprintf("Running against Monri's %s environment at %s with the credentials from %s.", name, env.BaseURL(), from)
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
	c, err := conn.client(a, nil, &http.Client{Transport: log})
	if err != nil {
		return err
	}
	key := conn.secrets.merchantKey
	suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
	merchantID := "demo-" + suffix
	order := "demo-" + suffix
	var cust *monri.Customer

	// Where the server may be a mock, a shop on 127.0.0.1 takes the
	// callback; the buyer pays if the link's payment_url is the mock's page.
	var shop *demoShop
	if conn.baseURL != "" && loopbackURL(conn.baseURL) {
		if shop, err = startDemoShop(key, log); err != nil {
			return err
		}
		defer shop.stop()
	}
	link := func(amount int64) monri.PayByLinkParams {
		p := demoLink(order, amount)
		if shop != nil {
			p = shop.link(p)
		}
		return p
	}
	var payPage string

	steps := []demoStep{
		{name: "create customer", call: func() (map[string]any, error) {
			var err error
			cust, err = c.Customers.Create(ctx, monri.CustomerParams{
				MerchantCustomerID: &merchantID, Name: monri.String("Ada Lovelace"), Email: monri.String("ada@example.com"), Country: monri.String("BA"),
			})
			if err != nil {
				return nil, err
			}
			return map[string]any{"uuid": cust.UUID, "merchant_customer_id": deref(cust.MerchantCustomerID), "name": deref(cust.Name)}, nil
		}},
		{name: "get customer by uuid", call: func() (map[string]any, error) {
			got, err := c.Customers.Get(ctx, cust.UUID)
			if err != nil {
				return nil, err
			}
			return map[string]any{"name": deref(got.Name), "email": deref(got.Email)}, nil
		}},
		{name: "get by merchant_customer_id", call: func() (map[string]any, error) {
			got, err := c.Customers.GetByMerchantCustomerID(ctx, merchantID)
			if err != nil {
				return nil, err
			}
			return map[string]any{"uuid": got.UUID}, nil
		}},
		{name: "update customer", call: func() (map[string]any, error) {
			got, err := c.Customers.Update(ctx, cust.UUID, monri.CustomerParams{City: monri.String("Sarajevo")})
			if err != nil {
				return nil, err
			}
			return map[string]any{"city": deref(got.City), "updated_at": got.UpdatedAt.String()}, nil
		}},
		{name: "list customers", call: func() (map[string]any, error) {
			list, err := c.Customers.List(ctx, &monri.ListParams{Limit: monri.Int(10)})
			if err != nil {
				return nil, err
			}
			return map[string]any{"on_page": len(list)}, nil
		}},
		{name: "list payment methods", call: func() (map[string]any, error) {
			if embedded != nil {
				// A saved card, as a real purchase with tokenize_pan would leave.
				if _, err := embedded.AddPaymentMethod(cust.UUID, monri.PaymentMethod{MaskedPan: "405840******0005"}); err != nil {
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
		{name: "delete customer", call: func() (map[string]any, error) {
			d, err := c.Customers.Delete(ctx, cust.UUID)
			if err != nil {
				return nil, err
			}
			return map[string]any{"deleted": d.Deleted}, nil
		}},
		{name: "create pay-by-link", call: func() (map[string]any, error) {
			l, err := c.PayByLink.CreateOrUpdate(ctx, link(1024))
			if err == nil && l != nil && shop != nil && l.PaymentURL == strings.TrimRight(conn.baseURL, "/")+"/pay/"+order {
				payPage = l.PaymentURL
			}
			return linkSummary(l, err)
		}},
		{name: "show pay-by-link", note: statusNote, call: func() (map[string]any, error) {
			return linkSummary(c.PayByLink.Get(ctx, order))
		}},
		{name: "update pay-by-link amount", call: func() (map[string]any, error) {
			return linkSummary(c.PayByLink.CreateOrUpdate(ctx, link(2048)))
		}},
		{name: "deactivate pay-by-link", call: func() (map[string]any, error) {
			return linkSummary(c.PayByLink.Deactivate(ctx, link(2048)))
		}},
		{name: "activate pay-by-link", call: func() (map[string]any, error) {
			return linkSummary(c.PayByLink.Activate(ctx, link(2048)))
		}},
	}
	buyer := []demoStep{
		{name: "buyer pays, callback arrives", call: func() (map[string]any, error) {
			return shop.pay(ctx, conn.baseURL, key, order, embedded)
		}},
		{name: "show paid pay-by-link", call: func() (map[string]any, error) {
			return linkSummary(c.PayByLink.Get(ctx, order))
		}},
	}
	for i, buyerAdded := 0, false; i < len(steps); i++ {
		if err := t.step(steps[i]); err != nil {
			t.note(fmt.Sprintf("Demo stopped at step %d of %d.", t.steps, len(steps)))
			return errReported
		}
		if i == len(steps)-1 && payPage != "" && !buyerAdded {
			steps, buyerAdded = append(steps, buyer...), true // the server serves the mock's payment page
		}
	}
	if payPage == "" && embedded == nil {
		t.note("Skipped the buyer-pays steps: the link's payment_url is not a mock's payment page on a loopback --base-url.")
	}
	t.note(fmt.Sprintf("All %d steps passed.", len(steps)))
	return nil
}

// statusNote explains step 9's two statuses.
const statusNote = "status is this request's outcome; terminal_entry_status is the payment's: pending until a buyer pays"

// loopbackURL reports whether u names a loopback host, where a shop on
// 127.0.0.1 is reachable from the server.
func loopbackURL(u string) bool {
	parsed, err := url.Parse(u)
	if err != nil {
		return false
	}
	h := parsed.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func demoLink(order string, amount int64) monri.PayByLinkParams {
	return monri.PayByLinkParams{
		OrderNumber: order, Amount: amount, Currency: "EUR",
		TransactionType: monri.TransactionTypePurchase, OrderInfo: "monri-go demo order",
		ChFullName: monri.String("Ada Lovelace"), Language: monri.Ptr(monri.LanguageEn),
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
	if l.Status == string(monri.SavedStatusCreated) {
		fields["payment_url"] = l.PaymentURL
	}
	return fields, nil
}
