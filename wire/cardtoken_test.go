package wire_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/wire"
)

// tok is shaped like Monri's example token (64 hex digits).
const tok = "00c1eb1a4a0b61d1c2921c8d3a3f4570801da3f3f087c280e832cb4876a5e633"

// verbs are every way a value commonly reaches a log line.
var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s", "%-40v", "%T"}

func TestCardTokenPrintsRedacted(t *testing.T) {
	type holder struct {
		ID    wire.CardToken
		Token wire.CardToken
		List  []wire.CardToken
		Ptr   *wire.CardToken
	}
	ct := wire.CardToken(tok)
	values := map[string]any{
		"value":   ct,
		"pointer": &ct,
		"struct":  holder{ID: ct, Token: ct, List: []wire.CardToken{ct, wire.PaymentMethodCard}, Ptr: &ct},
		"slice":   []wire.CardToken{ct, ct},
		"map":     map[string]wire.CardToken{"token": ct},
		"any":     []any{ct},
	}
	for name, v := range values {
		for _, verb := range verbs {
			t.Run(name+" "+verb, func(t *testing.T) {
				out := fmt.Sprintf(verb, v)
				assert.NotContains(t, out, tok)
				assert.NotContains(t, out, tok[:16], "no prefix of the token either")
			})
		}
	}
	assert.NotContains(t, fmt.Sprint(ct), tok)
	assert.NotContains(t, fmt.Sprintln(ct), tok)
}

func TestCardTokenRedactedForms(t *testing.T) {
	for _, tc := range []struct {
		name, verb string
		tok        wire.CardToken
		want       string
	}{
		{"long token shows its last four", "%v", tok, "card-token[…e633]"},
		{"%s is %v", "%s", tok, "card-token[…e633]"},
		{"%q quotes the redacted form", "%q", tok, `"card-token[…e633]"`},
		{"%#v is a Go expression of the redacted form", "%#v", tok, `wire.CardToken("card-token[…e633]")`},
		{"%x does not hex the token", "%x", tok, "card-token[…e633]"},
		{"width pads", "%20v", tok, "   card-token[…e633]"},
		{"minus pads right", "%-20v", tok, "card-token[…e633]   "},
		{"a short value shows nothing of itself", "%v", "tok-1", "card-token[redacted]"},
		{"empty", "%v", "", "card-token[]"},
		{"the literal card prints as is", "%v", wire.PaymentMethodCard, "card"},
		{"the literal card quoted", "%q", wire.PaymentMethodCard, `"card"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, fmt.Sprintf(tc.verb, tc.tok))
		})
	}
	assert.Equal(t, "card-token[…e633]", wire.CardToken(tok).String())
	assert.Equal(t, `wire.CardToken("card-token[…e633]")`, wire.CardToken(tok).GoString())
}

func TestCardTokenRevealAndIsCard(t *testing.T) {
	assert.Equal(t, tok, wire.CardToken(tok).Reveal())
	assert.Equal(t, tok, string(wire.CardToken(tok)))
	assert.True(t, wire.PaymentMethodCard.IsCard())
	assert.False(t, wire.CardToken(tok).IsCard())
}

func TestCardTokenJSONIsThePlainString(t *testing.T) {
	type body struct {
		Token     wire.CardToken   `json:"token"`
		Supported []wire.CardToken `json:"supported_payment_methods"`
	}
	in := body{Token: tok, Supported: []wire.CardToken{tok, wire.PaymentMethodCard}}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"token":"`+tok+`","supported_payment_methods":["`+tok+`","card"]}`, string(b))

	var out body
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)
	assert.Equal(t, tok, out.Token.Reveal())

	var bad wire.CardToken
	assert.Error(t, json.Unmarshal([]byte(`12`), &bad), "a token is a JSON string")
}
