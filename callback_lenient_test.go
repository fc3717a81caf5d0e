package monri_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/gen"
)

// signedCallback posts body, correctly signed, to a handler built with opts
// and returns the answer and what fn got.
func signedCallback(t *testing.T, body string, opts ...monri.CallbackOption) (cbReply, []monri.Callback) {
	t.Helper()
	rec := &cbRecorder{}
	h := monri.CallbackHandler(secretKey, rec.fn, opts...)
	r := cbPost(t, h, http.MethodPost, signedHeader(secretKey, body), strings.NewReader(body), int64(len(body)))
	return r, rec.calls()
}

// withField is the approved callback with one field set to a raw JSON value.
func withField(name, raw string) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(cbBody), &m); err != nil {
		panic(err)
	}
	m[name] = json.RawMessage(raw)
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestSignedCallbackWithSurprisingFieldsIsAccepted: a field the shop does
// not act on never turns a genuine callback into a 4xx.
func TestSignedCallbackWithSurprisingFieldsIsAccepted(t *testing.T) {
	cases := []struct {
		name, field, raw string
		check            func(t *testing.T, cb monri.Callback)
	}{
		{"created_at in another layout", "created_at", `"06.09.2019 14:00:49"`, func(t *testing.T, cb monri.Callback) {
			assert.Nil(t, cb.CreatedAt)
			assert.Equal(t, "06.09.2019 14:00:49", cb.AdditionalProperties["created_at"])
		}},
		{"created_at as a number", "created_at", `1567771249`, func(t *testing.T, cb monri.Callback) {
			assert.Nil(t, cb.CreatedAt)
			assert.EqualValues(t, 1567771249, cb.AdditionalProperties["created_at"])
		}},
		{"id as a string", "id", `"214417"`, func(t *testing.T, cb monri.Callback) {
			assert.Nil(t, cb.ID)
			assert.Equal(t, "214417", cb.AdditionalProperties["id"])
		}},
		{"id as a number", "id", `214417`, func(t *testing.T, cb monri.Callback) {
			require.NotNil(t, cb.ID)
			assert.EqualValues(t, 214417, *cb.ID)
		}},
		{"masked_pan as an object", "masked_pan", `{"first6":"411111"}`, func(t *testing.T, cb monri.Callback) {
			assert.Nil(t, cb.MaskedPan)
		}},
		{"installments in words", "number_of_installments", `"two"`, func(t *testing.T, cb monri.Callback) {
			assert.Nil(t, cb.NumberOfInstallments)
			assert.Equal(t, "two", cb.AdditionalProperties["number_of_installments"])
		}},
		{"unknown transaction type", "transaction_type", `"capture"`, nil},
		{"approval_code as a number", "approval_code", `914783`, func(t *testing.T, cb monri.Callback) {
			assert.Nil(t, cb.ApprovalCode)
			assert.EqualValues(t, 914783, cb.AdditionalProperties["approval_code"])
		}},
		{"pan_token as false", "pan_token", `false`, func(t *testing.T, cb monri.Callback) { assert.Nil(t, cb.PanToken) }},
		{"an unknown field", "risk_score", `{"value":0.3,"flags":[1,"x"]}`, func(t *testing.T, cb monri.Callback) {
			assert.Contains(t, cb.AdditionalProperties, "risk_score")
		}},
		{"an unknown null", "three_ds", `null`, nil},
		{"amount as a string of digits", "amount", `"1024"`, func(t *testing.T, cb monri.Callback) { assert.EqualValues(t, 1024, cb.Amount) }},
		{"order_number as an integer", "order_number", `20241`, func(t *testing.T, cb monri.Callback) { assert.Equal(t, "20241", cb.OrderNumber) }},
		{"response_code as a number", "response_code", `0`, func(t *testing.T, cb monri.Callback) {
			assert.Equal(t, "0", cb.ResponseCode, "never mistaken for 0000")
		}},
		{"response_code null", "response_code", `null`, func(t *testing.T, cb monri.Callback) { assert.Empty(t, cb.ResponseCode) }},
		{"amount null", "amount", `null`, func(t *testing.T, cb monri.Callback) { assert.Zero(t, cb.Amount) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := withField(c.field, c.raw)
			r, got := signedCallback(t, body)
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			require.Len(t, got, 1)
			cb := got[0]
			assert.Equal(t, []byte(body), cb.Raw, "the verified body reaches fn")
			assert.Equal(t, monri.CallbackStatusApproved, cb.Status)
			if c.check != nil {
				c.check(t, cb)
			}
		})
	}
}

// TestSignedButUnusableCallbackIsRefused: a field the shop acts on that
// breaks its rule gets 400 naming the field; fn is not called.
func TestSignedButUnusableCallbackIsRefused(t *testing.T) {
	cases := []struct{ name, body, message string }{
		{"amount with a fraction", withField("amount", `10.24`), "amount: must be an integer"},
		{"amount as a decimal string", withField("amount", `"10.24"`), "amount: must be an integer"},
		{"negative amount", withField("amount", `-5`), "amount: must be an integer"},
		{"amount beyond int64", withField("amount", `99999999999999999999`), "amount: must be an integer"},
		{"amount as a bool", withField("amount", `true`), "amount: must be an integer"},
		{"currency as a number", withField("currency", `978`), "currency: must be a JSON string"},
		{"status as a number", withField("status", `1`), "status: must be a JSON string"},
		{"no order_number", withField("order_number", `null`), "order_number: is required"},
		{"empty order_number", withField("order_number", `""`), "order_number: is required"},
		{"order_number as an object", withField("order_number", `{}`), "order_number: must be a JSON string or an integer"},
		{"no status", `{"order_number":"o"}`, "status: is required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var log bytes.Buffer
			// A saved card's token rides along: a refusal must not echo it.
			var m map[string]json.RawMessage
			require.NoError(t, json.Unmarshal([]byte(c.body), &m))
			m["pan_token"] = json.RawMessage(`"pan-TOKEN-refused-77c1"`)
			body, err := json.Marshal(m)
			require.NoError(t, err)
			r, got := signedCallback(t, string(body), monri.WithCallbackLogger(slog.New(slog.NewJSONHandler(&log, nil))))
			require.Equal(t, http.StatusBadRequest, r.status)
			assert.NotContains(t, log.String()+string(r.body), "pan-TOKEN", "a card token reached the answer or the log")
			assert.NotContains(t, log.String()+string(r.body), "10.24", "the refused value is not quoted")
			assert.NotContains(t, log.String()+string(r.body), "99999999999999999999", "the refused value is not quoted")
			assert.Contains(t, string(r.body), c.message)
			assert.Empty(t, got)
			assert.Contains(t, log.String(), c.message, "the refusal is logged")
			assert.Contains(t, log.String(), `"level":"ERROR"`)
			assert.NotContains(t, log.String(), "411111******1111", "the body is not logged")
		})
	}
}

// TestCallbackPrintsNoCardData: %v of what fn gets, as a shop might log
// it, shows the order and not the card.
func TestCallbackPrintsNoCardData(t *testing.T) {
	body := withField("pan_token", `"pan-TOKEN-cb-5e1f0a2b"`)
	r, got := signedCallback(t, body)
	require.Equal(t, http.StatusOK, r.status)
	require.Len(t, got, 1)
	require.NotNil(t, got[0].PanToken)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X"} {
		out := fmt.Sprintf(verb, got[0]) + fmt.Sprintf(verb, &got[0])
		assert.NotContains(t, out, "pan-TOKEN", verb)
		assert.NotContains(t, out, "411111", verb)
		assert.Contains(t, out, "order-1", verb)
	}
}

func TestCallbackLoggerNamesTheReasonNotTheSecrets(t *testing.T) {
	var log bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&log, nil))
	rec := &cbRecorder{failures: 1}
	h := monri.CallbackHandler(secretKey, rec.fn, monri.WithCallbackLogger(logger))

	r := cbPost(t, h, http.MethodPost, signedHeader("another-key", cbBody), strings.NewReader(cbBody), int64(len(cbBody)))
	require.Equal(t, http.StatusUnauthorized, r.status)
	r = cbPost(t, h, http.MethodPost, signedHeader(secretKey, cbBody), strings.NewReader(cbBody), int64(len(cbBody)))
	require.Equal(t, http.StatusInternalServerError, r.status)
	r = cbPost(t, h, http.MethodPost, signedHeader(secretKey, cbBody), strings.NewReader(cbBody), int64(len(cbBody)))
	require.Equal(t, http.StatusOK, r.status)

	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	require.Len(t, lines, 2, "one line per answer that is not 200")
	assert.Contains(t, lines[0], `"level":"WARN"`)
	assert.Contains(t, lines[0], "digest does not match")
	assert.Contains(t, lines[1], `"level":"ERROR"`)
	assert.Contains(t, lines[1], `"order_number":"order-1"`)
	assert.Contains(t, lines[1], "database is down", "fn's error is logged for the shop")
	assert.NotRegexp(t, hex128, log.String(), "a digest reached the log")
	assert.NotContains(t, log.String(), "WP3-callback ")
	assert.NotContains(t, log.String(), "411111******1111", "the body is not logged")
}

func TestWithMaxCallbackBytes(t *testing.T) {
	r, got := signedCallback(t, cbBody, monri.WithMaxCallbackBytes(int64(len(cbBody))))
	assert.Equal(t, http.StatusOK, r.status)
	assert.Len(t, got, 1)
	r, got = signedCallback(t, cbBody, monri.WithMaxCallbackBytes(int64(len(cbBody)-1)))
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	assert.Contains(t, string(r.body), fmt.Sprintf("at most %d bytes", len(cbBody)-1))
	assert.Empty(t, got)
}

// TestCallbackHasEveryContractField: monri.Callback is written by hand for
// its lenient decoding; it must carry every field of the contract's
// Callback, with the same JSON name and type.
func TestCallbackHasEveryContractField(t *testing.T) {
	ours := map[string]reflect.Type{}
	ourType := reflect.TypeFor[monri.Callback]()
	for i := range ourType.NumField() {
		f := ourType.Field(i)
		ours[strings.Split(f.Tag.Get("json"), ",")[0]] = f.Type
	}
	genType := reflect.TypeFor[gen.Callback]()
	for i := range genType.NumField() {
		f := genType.Field(i)
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name == "-" {
			continue
		}
		assert.Equal(t, f.Type, ours[name], "field %s", name)
	}
}

// TestCallbackHandlerPassesContextAndRaw: Raw is the body byte for byte.
func TestCallbackHandlerPassesContextAndRaw(t *testing.T) {
	var raw []byte
	h := monri.CallbackHandler(secretKey, func(_ context.Context, cb monri.Callback) error { raw = cb.Raw; return nil })
	r := cbPost(t, h, http.MethodPost, signedHeader(secretKey, cbBody), strings.NewReader(cbBody), int64(len(cbBody)))
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, cbBody, string(raw))
}
