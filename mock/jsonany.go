package mock

import (
	"encoding/json"
	"errors"
	"io"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeAny decodes the first JSON value of data into the values
// json.NewDecoder(bytes.NewReader(data)) with UseNumber gives: map[string]any,
// []any, string, json.Number, bool or nil. It accepts exactly the inputs
// that Decode accepts, in one pass and with fewer allocations: one value
// after leading whitespace, with anything after it. It fails where Decode
// fails (io.EOF for no value), though not with Decode's error values.
//
// It exists for the mock's body validation, the hottest decoding in the
// mock; FuzzDecodeAny compares it with encoding/json.
func decodeAny(data []byte) (any, error) {
	d := anyDecoder{data: data}
	d.skipSpace()
	if d.i == len(d.data) {
		return nil, io.EOF
	}
	// Whatever follows the first value is left unread, as Decode leaves it:
	// its scanner ends even a top-level scalar at the next byte ("1x" is 1,
	// "01" is 0) and keeps any complaint for a later Decode call.
	return d.value(0)
}

var (
	errSyntax   = errors.New("invalid JSON")
	errTooDeep  = errors.New("invalid JSON: exceeded max depth")
	errTruncate = io.ErrUnexpectedEOF
)

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

type anyDecoder struct {
	data []byte
	i    int
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (d *anyDecoder) skipSpace() {
	for d.i < len(d.data) && isSpace(d.data[d.i]) {
		d.i++
	}
}

func (d *anyDecoder) fail() error {
	if d.i >= len(d.data) {
		return errTruncate
	}
	return errSyntax
}

// value decodes the value at d.i; depth is the number of enclosing
// objects and arrays.
func (d *anyDecoder) value(depth int) (any, error) {
	if d.i >= len(d.data) {
		return nil, errTruncate
	}
	switch c := d.data[d.i]; {
	case c == '{':
		if depth+1 > maxDepth {
			return nil, errTooDeep
		}
		return d.object(depth + 1)
	case c == '[':
		if depth+1 > maxDepth {
			return nil, errTooDeep
		}
		return d.array(depth + 1)
	case c == '"':
		return d.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	}
	return nil, errSyntax
}

func (d *anyDecoder) literal(word string) error {
	for k := 0; k < len(word); k++ {
		if d.i >= len(d.data) {
			return errTruncate
		}
		if d.data[d.i] != word[k] {
			return errSyntax
		}
		d.i++
	}
	return nil
}

func (d *anyDecoder) object(depth int) (any, error) {
	d.i++ // {
	m := map[string]any{}
	d.skipSpace()
	if d.i < len(d.data) && d.data[d.i] == '}' {
		d.i++
		return m, nil
	}
	for {
		if d.i >= len(d.data) || d.data[d.i] != '"' {
			return nil, d.fail()
		}
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		d.skipSpace()
		if d.i >= len(d.data) || d.data[d.i] != ':' {
			return nil, d.fail()
		}
		d.i++
		d.skipSpace()
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		m[k] = v // a repeated name: the last one wins, as in encoding/json
		d.skipSpace()
		if d.i >= len(d.data) {
			return nil, errTruncate
		}
		switch d.data[d.i] {
		case ',':
			d.i++
			d.skipSpace()
		case '}':
			d.i++
			return m, nil
		default:
			return nil, errSyntax
		}
	}
}

func (d *anyDecoder) array(depth int) (any, error) {
	d.i++ // [
	a := []any{}
	d.skipSpace()
	if d.i < len(d.data) && d.data[d.i] == ']' {
		d.i++
		return a, nil
	}
	for {
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		d.skipSpace()
		if d.i >= len(d.data) {
			return nil, errTruncate
		}
		switch d.data[d.i] {
		case ',':
			d.i++
			d.skipSpace()
		case ']':
			d.i++
			return a, nil
		default:
			return nil, errSyntax
		}
	}
}

// number checks the JSON number grammar and returns the literal as a
// json.Number.
func (d *anyDecoder) number() (any, error) {
	start := d.i
	digits := func() int {
		n := 0
		for d.i < len(d.data) && d.data[d.i] >= '0' && d.data[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	if d.data[d.i] == '-' {
		d.i++
	}
	if d.i >= len(d.data) {
		return nil, errTruncate
	}
	switch c := d.data[d.i]; {
	case c == '0':
		d.i++
	case c >= '1' && c <= '9':
		digits()
	default:
		return nil, errSyntax
	}
	if d.i < len(d.data) && d.data[d.i] == '.' {
		d.i++
		if digits() == 0 {
			return nil, d.fail()
		}
	}
	if d.i < len(d.data) && (d.data[d.i] == 'e' || d.data[d.i] == 'E') {
		d.i++
		if d.i < len(d.data) && (d.data[d.i] == '+' || d.data[d.i] == '-') {
			d.i++
		}
		if digits() == 0 {
			return nil, d.fail()
		}
	}
	return json.Number(d.data[start:d.i]), nil
}

// str decodes the string at d.i (at its opening quote) as encoding/json
// unquotes it: invalid UTF-8 and unpaired surrogates become U+FFFD.
func (d *anyDecoder) str() (string, error) {
	d.i++ // "
	start := d.i
	// Fast path: no escapes, all valid UTF-8 above the control range.
	for d.i < len(d.data) {
		c := d.data[d.i]
		if c == '"' {
			s := d.data[start:d.i]
			d.i++
			return string(s), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		if c < utf8.RuneSelf {
			d.i++
			continue
		}
		r, size := utf8.DecodeRune(d.data[d.i:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		d.i += size
	}
	// Slow path: build the string.
	b := make([]byte, 0, d.i-start+16)
	b = append(b, d.data[start:d.i]...)
	for {
		if d.i >= len(d.data) {
			return "", errTruncate
		}
		c := d.data[d.i]
		switch {
		case c == '"':
			d.i++
			return string(b), nil
		case c < 0x20:
			return "", errSyntax
		case c == '\\':
			d.i++
			if d.i >= len(d.data) {
				return "", errTruncate
			}
			e := d.data[d.i]
			d.i++
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, err := d.hex4()
				if err != nil {
					return "", err
				}
				if utf16.IsSurrogate(r) {
					// A valid pair is consumed whole; otherwise only the
					// first half, which becomes U+FFFD.
					if r2, ok := d.peekU4(); ok {
						if dec := utf16.DecodeRune(r, r2); dec != unicode.ReplacementChar {
							d.i += 6
							b = utf8.AppendRune(b, dec)
							continue
						}
					}
					r = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, r)
			default:
				return "", errSyntax
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			d.i++
		default:
			r, size := utf8.DecodeRune(d.data[d.i:])
			d.i += size
			b = utf8.AppendRune(b, r) // RuneError for an invalid byte
		}
	}
}

func unhex(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// hex4 reads the 4 hex digits after \u.
func (d *anyDecoder) hex4() (rune, error) {
	var r rune
	for k := 0; k < 4; k++ {
		if d.i >= len(d.data) {
			return 0, errTruncate
		}
		h := unhex(d.data[d.i])
		if h < 0 {
			return 0, errSyntax
		}
		r = r<<4 | h
		d.i++
	}
	return r, nil
}

// peekU4 returns the code unit of a \uXXXX at d.i without consuming it.
func (d *anyDecoder) peekU4() (rune, bool) {
	if d.i+6 > len(d.data) || d.data[d.i] != '\\' || d.data[d.i+1] != 'u' {
		return 0, false
	}
	var r rune
	for k := 2; k < 6; k++ {
		h := unhex(d.data[d.i+k])
		if h < 0 {
			return 0, false
		}
		r = r<<4 | h
	}
	return r, true
}
