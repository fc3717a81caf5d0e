package mock_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/openapi"
	"github.com/monri-go/monri/wire"
)

// TestClientDrivesEveryOperation runs all nine operations of the contract
// through the generated client, with the spectest transport failing the
// test on any request or response the contract does not allow.
func TestClientDrivesEveryOperation(t *testing.T) {
	clk := newClock()
	run := mock.Start(t, mock.WithClock(clk.Now))
	c := client(t, run, clk)
	ctx := context.Background()

	// createCustomer
	body := decodeFixture[gen.CustomerRequest](t, "customer_create.json")
	created, err := c.CreateCustomerWithResponse(ctx, body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, created.StatusCode(), "%s", created.Body)
	cust := created.JSON200
	require.NotNil(t, cust.UUID)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, cust.UUID)
	assert.Equal(t, gen.ApprovedStatusApproved, cust.Status)
	assert.Equal(t, body.Name, cust.Name)
	assert.Equal(t, body.Metadata, cust.Metadata)
	assert.Equal(t, "2024-05-06T07:08:09Z", cust.CreatedAt.String())
	assert.Equal(t, "2024-05-06T07:08:09Z", cust.UpdatedAt.String())
	assert.False(t, cust.Deleted)
	assert.Nil(t, cust.DeletedAt)
	id := cust.UUID

	// getCustomer
	got, err := c.GetCustomerWithResponse(ctx, id)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, got.StatusCode())
	assert.Equal(t, cust, got.JSON200)

	// updateCustomer: only the fields sent change.
	clk.Add(time.Minute)
	upd, err := c.UpdateCustomerWithResponse(ctx, id, gen.CustomerRequest{Description: strp("Returning customer"), City: strp("Mostar")})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, upd.StatusCode(), "%s", upd.Body)
	want := *cust
	want.Description, want.City = strp("Returning customer"), strp("Mostar")
	want.UpdatedAt = wire.NewTimestamp(t0.Add(time.Minute), wire.RFC3339)
	assert.Equal(t, &want, upd.JSON200)

	// getCustomerByMerchantCustomerId
	byMID, err := c.GetCustomerByMerchantCustomerIDWithResponse(ctx, *body.MerchantCustomerID)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, byMID.StatusCode())
	assert.Equal(t, &want, byMID.JSON200)

	// listCustomers: items carry id, not uuid.
	limit := 10
	list, err := c.ListCustomersWithResponse(ctx, &gen.ListCustomersParams{Limit: &limit})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, list.StatusCode())
	require.Len(t, list.JSON200.Data, 1)
	item := list.JSON200.Data[0]
	assert.Equal(t, id, item.ID)

	// listCustomerPaymentMethods: empty, then one seeded card.
	pms, err := c.ListCustomerPaymentMethodsWithResponse(ctx, id, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, pms.StatusCode())
	assert.Empty(t, pms.JSON200.Data)
	assert.Contains(t, string(pms.Body), `"data":[]`)
	seeded, err := run.Server.AddPaymentMethod(id, decodeFixture[gen.PaymentMethod](t, "payment_method.json"))
	require.NoError(t, err)
	pms, err = c.ListCustomerPaymentMethodsWithResponse(ctx, id, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, pms.StatusCode())
	require.Equal(t, []gen.PaymentMethod{seeded}, pms.JSON200.Data)
	assert.Equal(t, id, seeded.CustomerUUID)
	assert.Regexp(t, `^[0-9a-f]{64}$`, seeded.Token.Reveal())
	assert.Equal(t, seeded.Token, seeded.ID)
	assert.False(t, seeded.Expired)

	// createOrUpdatePayByLink
	link := decodeFixture[gen.PayByLinkRequest](t, "pay_by_link_create.json")
	pbl, err := c.CreateOrUpdatePayByLinkWithResponse(ctx, link)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, pbl.StatusCode(), "%s", pbl.Body)
	assert.Equal(t, string(gen.SavedStatusCreated), pbl.JSON200.Status)
	assert.Equal(t, int64(1), pbl.JSON200.ID)
	assert.Equal(t, run.URL+"/pay/"+url.PathEscape(link.OrderNumber), pbl.JSON200.PaymentURL)
	assert.Equal(t, gen.TerminalEntryStatusExpired, pbl.JSON200.TerminalEntryStatus, "expires_at 2021 is before the clock")
	assert.Contains(t, string(pbl.Body), `"created_at":"2024-05-06 07:09:09 UTC"`)
	assert.Contains(t, string(pbl.Body), `"expires_at":"2021-09-26T07:58:30.996+0200"`)

	// getPayByLink
	show, err := c.GetPayByLinkWithResponse(ctx, link.OrderNumber)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, show.StatusCode())
	assert.Equal(t, string(gen.ApprovedStatusApproved), show.JSON200.Status)
	wantShow := *pbl.JSON200
	wantShow.Status = string(gen.ApprovedStatusApproved)
	assert.Equal(t, &wantShow, show.JSON200)

	// deleteCustomer
	del, err := c.DeleteCustomerWithResponse(ctx, id)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, del.StatusCode())
	assert.Equal(t, &gen.DeletedCustomer{Status: gen.ApprovedStatusApproved, ID: id, Deleted: true}, del.JSON200)
}

func ptrTo[T any](v T) *T { return &v }

// TestOpenAPIDocument checks GET /openapi.yaml serves the contract's exact
// bytes without a signature.
func TestOpenAPIDocument(t *testing.T) {
	run := mock.Start(t)
	r := send(t, run, request{method: http.MethodGet, target: "/openapi.yaml"})
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "application/yaml", r.header.Get("Content-Type"))
	assert.Equal(t, openapi.YAML(), r.body)
}

// TestOpenAPIJSON checks GET /openapi.json is the same contract as the YAML,
// converted from the embedded bytes.
func TestOpenAPIJSON(t *testing.T) {
	run := mock.Start(t)
	r := send(t, run, request{method: http.MethodGet, target: "/openapi.json"})
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))

	fromJSON, err := openapi3.NewLoader().LoadFromData(r.body)
	require.NoError(t, err)
	fromYAML, err := openapi3.NewLoader().LoadFromData(openapi.YAML())
	require.NoError(t, err)
	a, err := json.Marshal(fromJSON)
	require.NoError(t, err)
	b, err := json.Marshal(fromYAML)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(a))
	assert.Equal(t, "3.0.3", fromJSON.OpenAPI)
}
