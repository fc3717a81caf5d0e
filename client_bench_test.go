package monri_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/signer"
)

// The contract's examples, answered verbatim by the canned server so that
// the server's share of each call is as small and as constant as it can be.
const (
	ovhCustomerJSON = `{"uuid":"4b281da4-d145-4233-b957-2018cf9aa0fb","merchant_customer_id":"customer-id-1234",` +
		`"description":"Customer","email":"test@example.com","name":"Test","phone":null,"status":"approved",` +
		`"deleted":false,"city":null,"country":"BA","zip_code":"71000","address":null,"metadata":{"key":"value"},` +
		`"created_at":"2019-02-12T11:22:33Z","updated_at":"2019-02-12T11:22:33Z","deleted_at":null}`
	ovhLinkJSON = `{"status":"created","id":1,"amount":30,"currency":"BAM","order_number":"6638614b544b7058414b5467304146574c647841",` +
		`"transaction_type":"purchase","order_info":"Test trx","number_of_installments":"","ch_full_name":"John Doe",` +
		`"ch_address":"Elm street 22","ch_city":"Orgrimmar","ch_zip":"q123abc99","ch_country":"US","ch_phone":"061 000 000",` +
		`"ch_email":"test@example.com","language":"hr",` +
		`"payment_url":"https://ipgtest.monri.com/v2/terminal-entry/6638614b544b7058414b5467304146574c647841",` +
		`"terminal_entry_status":"pending","supported_payment_methods":["card"],"expires_at":"2019-02-22 11:22:33 UTC",` +
		`"active":true,"created_at":"2019-02-12 11:22:33 UTC","updated_at":"2019-02-12 11:22:33 UTC",` +
		`"tokenize_pan":false,"tokenize_pan_offered":false}`
	ovhUUID  = "4b281da4-d145-4233-b957-2018cf9aa0fb"
	ovhKey   = "qwert1234"
	ovhToken = "7db11ea5d4a1af32421b564c79b946d1ead3daf0"
)

// ovhServer answers the two benchmarked calls with the contract's
// examples on loopback. It reads every request body in full, as a real
// server does, and checks nothing else.
func ovhServer(b *testing.B) *httptest.Server {
	answer := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v2/customers/{uuid}", answer(ovhCustomerJSON))
	mux.HandleFunc("POST /v2/terminal-entry/create-or-update", answer(ovhLinkJSON))
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	return srv
}

func ovhLinkParams() monri.PayByLinkParams {
	s := func(v string) *string { return &v }
	return monri.PayByLinkParams{
		OrderNumber: "6638614b544b7058414b5467304146574c647841", Amount: 30, Currency: "BAM",
		TransactionType: gen.TransactionTypePurchase, OrderInfo: "Test trx",
		ChFullName: s("John Doe"), ChAddress: s("Elm street 22"), ChCity: s("Orgrimmar"), ChZip: s("q123abc99"),
		ChCountry: s("US"), ChPhone: s("061 000 000"), ChEmail: s("test@example.com"), Language: ovhPtr(gen.Language("hr")),
		SupportedPaymentMethods: []monri.CardToken{monri.PaymentMethodCard},
	}
}

// BenchmarkClient compares a facade call with the same call written by
// hand with net/http, encoding/json and the same signer, both against one
// loopback server that answers at once. Each pair shares nothing but the
// server; each side has its own keep-alive connection.
//
// make bench runs the facade and net/http sides of each call in turn, many
// times, and reports the ratio of their medians (target: at most 1.15x).
func BenchmarkClient(b *testing.B) {
	srv := ovhServer(b)
	ctx := context.Background()
	newFacade := func(b *testing.B) *monri.Client {
		c, err := monri.NewClient(monri.WithBaseURL(srv.URL), monri.WithCredentials(ovhKey, ovhToken),
			monri.WithHTTPClient(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}))
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	newHand := func(b *testing.B) *ovhHandClient {
		s, err := signer.New(ovhKey, ovhToken)
		if err != nil {
			b.Fatal(err)
		}
		return &ovhHandClient{base: srv.URL, signer: s, hc: &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}}
	}

	b.Run("call=customers.get/via=facade", func(b *testing.B) {
		c := newFacade(b)
		b.ReportAllocs()
		for b.Loop() {
			if cust, err := c.Customers.Get(ctx, ovhUUID); err != nil || cust.UUID != ovhUUID {
				b.Fatal(cust, err)
			}
		}
	})
	b.Run("call=customers.get/via=nethttp", func(b *testing.B) {
		c := newHand(b)
		b.ReportAllocs()
		for b.Loop() {
			if cust, err := c.getCustomer(ctx, ovhUUID); err != nil || cust.UUID != ovhUUID {
				b.Fatal(cust, err)
			}
		}
	})
	params := ovhLinkParams()
	b.Run("call=paybylink.create-or-update/via=facade", func(b *testing.B) {
		c := newFacade(b)
		b.ReportAllocs()
		for b.Loop() {
			if l, err := c.PayByLink.CreateOrUpdate(ctx, params); err != nil || l.Status != string(gen.SavedStatusCreated) {
				b.Fatal(l, err)
			}
		}
	})
	b.Run("call=paybylink.create-or-update/via=nethttp", func(b *testing.B) {
		c := newHand(b)
		b.ReportAllocs()
		for b.Loop() {
			if l, err := c.createOrUpdateLink(ctx, params); err != nil || l.Status != string(gen.SavedStatusCreated) {
				b.Fatal(l, err)
			}
		}
	})
}

// ovhHandClient is what a merchant would write without this module's facade:
// the baseline of BenchmarkClient.
type ovhHandClient struct {
	base   string
	signer *signer.Signer
	hc     *http.Client
}

func (c *ovhHandClient) getCustomer(ctx context.Context, uuid string) (*gen.Customer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v2/customers/"+url.PathEscape(uuid), nil)
	if err != nil {
		return nil, err
	}
	var out gen.Customer
	return &out, c.do(req, &out)
}

func (c *ovhHandClient) createOrUpdateLink(ctx context.Context, p gen.PayByLinkRequest) (*gen.PayByLink, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/v2/terminal-entry/create-or-update", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	var out gen.PayByLink
	return &out, c.do(req, &out)
}

func (c *ovhHandClient) do(req *http.Request, out any) error {
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "hand-written/1.0")
	if err := c.signer.Sign(req); err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, body)
	}
	return json.Unmarshal(body, out)
}

func ovhPtr[T any](v T) *T { return &v }
