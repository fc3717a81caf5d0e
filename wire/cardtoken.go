package wire

import (
	"fmt"
	"io"
	"strconv"
)

// CardToken is a saved card's pan token, as Monri sends it in a payment
// method's id and token and accepts it in supported_payment_methods.
//
// It is a string on the wire (JSON reads and writes it unchanged), but it
// never prints: every fmt verb, String and GoString show a redacted form,
// card-token[…1234] with the last four characters of a long token, so a
// %v of a payment method, a slice of them or an error that wraps one
// cannot leak the token into a log. The literal PaymentMethodCard prints
// as is. Code that must send the token reads it with Reveal.
type CardToken string

// PaymentMethodCard is the literal "card" of supported_payment_methods: any
// card the buyer enters, rather than a saved one. It is not a secret.
const PaymentMethodCard CardToken = "card"

// revealLast is how many trailing characters the redacted form shows, and
// minRevealLen the shortest token that shows them: a shorter value prints
// fully redacted so that its tail is not most of it.
const (
	revealLast   = 4
	minRevealLen = 16
)

// Reveal returns the token itself, for code that must send or store it.
func (t CardToken) Reveal() string { return string(t) }

// IsCard reports whether t is the literal "card" rather than a token.
func (t CardToken) IsCard() bool { return t == PaymentMethodCard }

// String returns the redacted form, never the token.
func (t CardToken) String() string {
	switch {
	case t == PaymentMethodCard:
		return string(t)
	case t == "":
		return "card-token[]"
	case len(t) < minRevealLen:
		return "card-token[redacted]"
	}
	return "card-token[…" + string(t[len(t)-revealLast:]) + "]"
}

// GoString returns the redacted form as a Go expression, for %#v.
func (t CardToken) GoString() string {
	return "wire.CardToken(" + strconv.Quote(t.String()) + ")"
}

// Format prints the redacted form for every verb: %q quotes it, %#v shows
// GoString, and %x, %d or any other verb print it as %s would, so no verb
// reaches the token's bytes.
func (t CardToken) Format(f fmt.State, verb rune) {
	s := t.String()
	switch {
	case verb == 'v' && f.Flag('#'):
		s = t.GoString()
	case verb == 'q':
		s = strconv.Quote(s)
	}
	if w, ok := f.Width(); ok && len([]rune(s)) < w {
		pad := make([]byte, w-len([]rune(s)))
		for i := range pad {
			pad[i] = ' '
		}
		if f.Flag('-') {
			s += string(pad)
		} else {
			s = string(pad) + s
		}
	}
	_, _ = io.WriteString(f, s)
}
