// Package wire holds the Go types for values whose JSON form Monri's APIs
// leave loose: timestamps in three layouts and an installments count that
// may arrive as an empty string. The generated models in package gen use
// them through codegen.yaml's type mapping and the spec's x-go-type.
package wire

import (
	"bytes"
	"errors"
	"fmt"
	"time"
)

// Layout names one of the timestamp layouts Monri's APIs use.
type Layout uint8

const (
	// RFC3339 is the Customers API layout, e.g. 2019-02-12T11:22:33Z.
	// It is what a Timestamp built from a plain time.Time writes.
	RFC3339 Layout = iota
	// UTCSuffix is the Pay By Link created_at/updated_at layout,
	// e.g. 2019-02-12 11:22:33 UTC. It always writes the time in UTC.
	UTCSuffix
	// CompactOffset is the Pay By Link expires_at layout,
	// e.g. 2021-09-26T07:58:30.996+0200: milliseconds and an offset without a colon.
	CompactOffset
)

// Go reference layouts for each Layout. Parsing accepts optional fractional
// seconds after the seconds field even though the layouts do not show them.
const (
	layoutRFC3339       = time.RFC3339Nano
	layoutUTCSuffix     = "2006-01-02 15:04:05 UTC"
	layoutCompactOffset = "2006-01-02T15:04:05.000-0700"
	parseCompactOffset  = "2006-01-02T15:04:05-0700"
)

// String returns the layout's name.
func (l Layout) String() string {
	switch l {
	case RFC3339:
		return "RFC3339"
	case UTCSuffix:
		return "UTCSuffix"
	case CompactOffset:
		return "CompactOffset"
	}
	return fmt.Sprintf("Layout(%d)", uint8(l))
}

// Timestamp is an instant that reads any of Monri's three timestamp layouts
// and writes back the layout it was read in, so a value fetched from Monri
// and sent back is unchanged. A Timestamp made from a time.Time writes
// RFC 3339 unless its Layout says otherwise.
type Timestamp struct {
	time.Time
	// Layout is the layout MarshalText writes.
	Layout Layout
}

// NewTimestamp returns t as a Timestamp that writes the given layout.
func NewTimestamp(t time.Time, layout Layout) Timestamp {
	return Timestamp{Time: t, Layout: layout}
}

// ErrTimestamp is wrapped by every error from parsing a Timestamp.
var ErrTimestamp = errors.New("wire: invalid timestamp")

// ParseTimestamp reads s in any of the three layouts.
func ParseTimestamp(s string) (Timestamp, error) {
	if t, err := time.Parse(layoutRFC3339, s); err == nil {
		return Timestamp{Time: t, Layout: RFC3339}, nil
	}
	if t, err := time.Parse(layoutUTCSuffix, s); err == nil {
		return Timestamp{Time: t, Layout: UTCSuffix}, nil
	}
	if t, err := time.Parse(parseCompactOffset, s); err == nil {
		return Timestamp{Time: t, Layout: CompactOffset}, nil
	}
	return Timestamp{}, fmt.Errorf("%w: %q matches none of 2006-01-02T15:04:05Z07:00, 2006-01-02 15:04:05 UTC, 2006-01-02T15:04:05.000-0700", ErrTimestamp, truncate(s, 64))
}

// String formats the timestamp in its layout.
func (ts Timestamp) String() string {
	b, err := ts.MarshalText()
	if err != nil {
		return ts.Time.String()
	}
	return string(b)
}

// MarshalText writes the timestamp in its Layout.
func (ts Timestamp) MarshalText() ([]byte, error) {
	switch ts.Layout {
	case RFC3339:
		return ts.Time.AppendFormat(nil, layoutRFC3339), nil
	case UTCSuffix:
		return ts.Time.UTC().AppendFormat(nil, layoutUTCSuffix), nil
	case CompactOffset:
		return ts.Time.AppendFormat(nil, layoutCompactOffset), nil
	}
	return nil, fmt.Errorf("wire: timestamp has unknown layout %d", uint8(ts.Layout))
}

// UnmarshalText reads any of the three layouts.
func (ts *Timestamp) UnmarshalText(b []byte) error {
	parsed, err := ParseTimestamp(string(b))
	if err != nil {
		return err
	}
	*ts = parsed
	return nil
}

// MarshalJSON writes the timestamp as a JSON string in its Layout.
func (ts Timestamp) MarshalJSON() ([]byte, error) {
	// The layout written between the quotes in one buffer: one allocation.
	out := make([]byte, 1, 40)
	out[0] = '"'
	switch ts.Layout {
	case RFC3339:
		out = ts.Time.AppendFormat(out, layoutRFC3339)
	case UTCSuffix:
		out = ts.Time.UTC().AppendFormat(out, layoutUTCSuffix)
	case CompactOffset:
		out = ts.Time.AppendFormat(out, layoutCompactOffset)
	default:
		return ts.MarshalText() // its error
	}
	return append(out, '"'), nil
}

// UnmarshalJSON reads a JSON string in any of the three layouts. JSON null
// leaves the value unchanged, as encoding/json does for time.Time.
func (ts *Timestamp) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("%w: want a JSON string, got %s", ErrTimestamp, truncate(string(b), 64))
	}
	// The three layouts contain no characters JSON escapes, so a string with
	// a backslash cannot be one of them.
	inner := b[1 : len(b)-1]
	if bytes.IndexByte(inner, '\\') >= 0 {
		return fmt.Errorf("%w: escaped characters are not allowed", ErrTimestamp)
	}
	return ts.UnmarshalText(inner)
}

// truncate bounds how much of a bad input an error repeats.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
