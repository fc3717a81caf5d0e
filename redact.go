package monri

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/monri-go/monri/wire"
)

// What an Error may show of a body it could not use. A 2xx body can hold
// saved cards' pan tokens and a decoder's error can quote a value, so
// neither is kept as it came.
const (
	excerptMax    = 240 // bytes of excerpt, about three lines of a log
	excerptKeyMax = 40  // a longer key is cut: keys are names, not data
	excerptNumMax = 12  // a longer number may be a card number
	prefixMax     = 48  // bytes shown of a body that is not JSON
	maskRun       = 6   // letters and digits in a row, one a digit, are masked
	maskAlways    = 16  // and so is any longer run, digit or not
)

// excerpt returns the redacted view of body described on Error.Excerpt.
func excerpt(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return maskedPrefix(body)
	}
	b, err := json.Marshal(redactValue(v))
	if err != nil {
		return maskedPrefix(body)
	}
	s := string(b)
	if len(s) > excerptMax {
		s = strings.ToValidUTF8(s[:excerptMax], "") + "…"
	}
	return s
}

// redactValue keeps the shape of v and replaces what could be data: every
// string, and every number too long to be an amount or a count.
func redactValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if len(k) > excerptKeyMax {
				k = strings.ToValidUTF8(k[:excerptKeyMax], "") + "…"
			}
			out[k] = redactValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = redactValue(e)
		}
		return out
	case string:
		return "…"
	case json.Number:
		if len(x) > excerptNumMax {
			return "…"
		}
		return x
	}
	return v // bool or nil
}

// maskedPrefix describes a body that is not JSON: its length and its first
// bytes with every run of letters and digits that could be a token or a card
// number masked: maskRun or more with a digit among them, or maskAlways or more.
func maskedPrefix(body []byte) string {
	p := body[:min(len(body), prefixMax)]
	var b strings.Builder
	fmt.Fprintf(&b, "%d bytes, not JSON: ", len(body))
	for i := 0; i < len(p); {
		j, digit := i, false
		for j < len(p) && isAlnum(p[j]) {
			digit = digit || p[j] <= '9'
			j++
		}
		switch {
		case j-i >= maskAlways, j-i >= maskRun && digit:
			b.WriteString("…")
			i = j
		case j > i:
			b.Write(p[i:j])
			i = j
		case p[i] >= 0x20 && p[i] < 0x7f:
			b.WriteByte(p[i])
			i++
		default:
			b.WriteByte('.')
			i++
		}
	}
	if len(body) > len(p) {
		b.WriteString("…")
	}
	return b.String()
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// decodeFailure is a decoding error reduced to the field and the rule. It
// hides the original's text, which can quote a value, but errors.Is still
// sees the original's sentinels.
type decodeFailure struct {
	msg   string
	cause error
}

func (e *decodeFailure) Error() string                { return e.msg }
func (e *decodeFailure) Is(target error) bool         { return errors.Is(e.cause, target) }
func (e *decodeFailure) GoString() string             { return fmt.Sprintf("&monri.decodeFailure{%q}", e.msg) }
func (e *decodeFailure) MarshalJSON() ([]byte, error) { return json.Marshal(e.msg) }

// genReading finds the fields in gen's decoder errors, "error reading
// 'data': error reading 'pan_token': ...", outermost first.
var genReading = regexp.MustCompile(`error reading '([A-Za-z0-9_]+)'`)

// redactDecodeError names the field that failed and the rule it broke.
func redactDecodeError(err error) error {
	var fields []string
	for _, m := range genReading.FindAllStringSubmatch(err.Error(), -1) {
		fields = append(fields, m[1])
	}
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	rule := "has the wrong type or format"
	switch {
	case errors.Is(err, wire.ErrTimestamp):
		rule = "is not a timestamp in one of Monri's layouts"
	case errors.Is(err, wire.ErrInstallments):
		rule = "is not an installments count (2-12 or \"\")"
	case errors.As(err, &typeErr):
		if typeErr.Field != "" {
			fields = append(fields, typeErr.Field)
		}
		kind, _, _ := strings.Cut(typeErr.Value, " ") // "number 1.5" -> "number"
		rule = fmt.Sprintf("want %s, got a JSON %s", typeErr.Type, kind)
	case errors.As(err, &syntaxErr):
		return &decodeFailure{msg: fmt.Sprintf("body is not valid JSON (at byte %d)", syntaxErr.Offset), cause: err}
	}
	where := "a field"
	if len(fields) > 0 {
		where = strings.Join(fields, ".")
	}
	return &decodeFailure{msg: where + ": " + rule, cause: err}
}
