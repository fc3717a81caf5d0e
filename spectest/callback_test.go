package spectest_test

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/signer"
)

// TestPaymentCallbackIsDescribed: the Pay By Link callback is an OpenAPI
// callback of createOrUpdatePayByLink, posted to the link's
// callback_url_override, signed with WP3-callback, answered 2xx to stop
// Monri's retries.
func TestPaymentCallbackIsDescribed(t *testing.T) {
	doc := load(t)
	op := doc.Paths.Value("/v2/terminal-entry/create-or-update").Post
	require.NotNil(t, op)
	cb := op.Callbacks["paymentCallback"]
	require.NotNil(t, cb, "createOrUpdatePayByLink has no paymentCallback")
	item := cb.Value.Value("{$request.body#/callback_url_override}")
	require.NotNil(t, item, "the callback is not keyed by the link's callback_url_override")
	require.Len(t, item.Operations(), 1)
	post := item.Post
	require.NotNil(t, post)
	assert.Equal(t, "notifyPayment", post.OperationID)

	require.NotNil(t, post.Security)
	require.Len(t, *post.Security, 1)
	assert.Contains(t, (*post.Security)[0], "WP3Callback")
	scheme := doc.Components.SecuritySchemes["WP3Callback"].Value
	assert.Equal(t, "apiKey", scheme.Type)
	assert.Equal(t, "header", scheme.In)
	assert.Equal(t, "Authorization", scheme.Name)
	assert.Contains(t, scheme.Description, "WP3-callback <digest>")

	media := post.RequestBody.Value.Content.Get("application/json")
	require.NotNil(t, media)
	assert.Same(t, doc.Components.Schemas["Callback"].Value, media.Schema.Value)
	require.NotNil(t, media.Example)
	assert.NoError(t, media.Schema.Value.VisitJSON(media.Example))

	for _, code := range []string{"200", "400", "401", "5XX"} {
		assert.NotNil(t, post.Responses.Value(code), "no %s response", code)
	}
	assert.Nil(t, post.Responses.Value("404"))
}

// TestCallbackSchema: the fields Monri's plugins read are there, required
// where every callback has them, and unknown fields are accepted by the
// schema and kept by the generated model.
func TestCallbackSchema(t *testing.T) {
	doc := load(t)
	s := doc.Components.Schemas["Callback"].Value
	for _, name := range []string{"order_number", "status", "response_code", "approval_code", "amount", "currency", "masked_pan", "pan_token", "created_at"} {
		assert.Contains(t, s.Properties, name)
	}
	assert.ElementsMatch(t, []string{"order_number", "status", "response_code", "amount", "currency"}, s.Required)
	require.NotNil(t, s.AdditionalProperties.Has)
	assert.True(t, *s.AdditionalProperties.Has, "unknown fields must be allowed")

	body := `{"order_number":"o-1","status":"approved","response_code":"0000","amount":1024,"currency":"EUR",` +
		`"pan_token":null,"created_at":"2019-09-06T14:00:49.081+02:00","custom_params":"{a:b}","issuer":"xml-sim"}`
	var v any
	require.NoError(t, json.Unmarshal([]byte(body), &v))
	assert.NoError(t, s.VisitJSON(v))

	var cb gen.Callback
	require.NoError(t, json.Unmarshal([]byte(body), &cb))
	assert.Equal(t, "o-1", cb.OrderNumber)
	assert.Equal(t, int64(1024), cb.Amount)
	assert.Nil(t, cb.PanToken)
	require.NotNil(t, cb.CreatedAt)
	assert.Equal(t, "2019-09-06T12:00:49.081Z", cb.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
	assert.Equal(t, "xml-sim", cb.AdditionalProperties["issuer"])

	for _, missing := range []string{"order_number", "status", "response_code", "amount", "currency"} {
		m := map[string]any{"order_number": "o-1", "status": "approved", "response_code": "0000", "amount": 1, "currency": "EUR"}
		delete(m, missing)
		assert.Error(t, s.VisitJSON(m), "without %s", missing)
	}
}

// TestCallbackSchemeExample: the digest in the WP3Callback description is
// what signer computes for the example it gives.
func TestCallbackSchemeExample(t *testing.T) {
	desc := load(t).Components.SecuritySchemes["WP3Callback"].Value.Description
	m := regexp.MustCompile("merchant key `([^`]+)` and body\\s+`([^`]+)` give the digest\\s+`([0-9a-f]{128})`").FindStringSubmatch(desc)
	require.NotNil(t, m, "no worked example in the WP3Callback description")
	assert.Equal(t, m[3], signer.CallbackDigest(m[1], []byte(m[2])))
}
