package wire

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Installments is Pay By Link's number_of_installments: 2 to 12, or none.
// Monri's own example sends the empty string for none (ERRATA 8), so the
// zero value reads from "" or null and writes "".
type Installments int

// Installment bounds documented by Monri.
const (
	MinInstallments Installments = 2
	MaxInstallments Installments = 12
)

// ErrInstallments is wrapped by every error from reading Installments.
var ErrInstallments = errors.New("wire: invalid number_of_installments")

// IsSet reports whether a number of installments was given.
func (n Installments) IsSet() bool { return n != 0 }

// Validate reports whether n is none or within 2-12.
func (n Installments) Validate() error {
	if n == 0 || (n >= MinInstallments && n <= MaxInstallments) {
		return nil
	}
	return fmt.Errorf("%w: %d is outside 2-12", ErrInstallments, int(n))
}

// MarshalJSON writes "" for none and the number otherwise.
func (n Installments) MarshalJSON() ([]byte, error) {
	if n == 0 {
		return []byte(`""`), nil
	}
	return strconv.AppendInt(nil, int64(n), 10), nil
}

// UnmarshalJSON reads an integer, "" or null (none), or a string of digits.
// It checks the JSON shape only; the 2-12 range is the spec's to enforce,
// so that a server's out-of-range answer still decodes. Use Validate for it.
func (n *Installments) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")), bytes.Equal(b, []byte(`""`)):
		*n = 0
		return nil
	case len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"':
		b = b[1 : len(b)-1]
	}
	if len(b) == 0 || len(b) > 4 {
		return fmt.Errorf("%w: want an integer or \"\", got %s", ErrInstallments, truncate(string(b), 16))
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return fmt.Errorf("%w: want an integer or \"\", got %s", ErrInstallments, truncate(string(b), 16))
		}
	}
	v, err := strconv.Atoi(string(b))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInstallments, err)
	}
	*n = Installments(v)
	return nil
}
