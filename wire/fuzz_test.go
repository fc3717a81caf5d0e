package wire_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/monri-go/monri/wire"
)

// FuzzTimestamp: any input either fails with ErrTimestamp (or a JSON error)
// or round-trips: what it writes reads back as the same instant and layout.
func FuzzTimestamp(f *testing.F) {
	for _, s := range []string{
		`"2019-02-12T11:22:33Z"`, `"2019-02-12 11:22:33 UTC"`, `"2021-09-26T07:58:30.996+0200"`,
		`"2021-09-26T07:58:30+02:00"`, `null`, `""`, `"2019-02-30 25:61:61 UTC"`, `"\u0032019-02-12T11:22:33Z"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var ts wire.Timestamp
		if err := ts.UnmarshalJSON(in); err != nil {
			if !errors.Is(err, wire.ErrTimestamp) {
				t.Fatalf("error without ErrTimestamp: %v", err)
			}
			return
		}
		out, err := json.Marshal(ts)
		if err != nil {
			t.Fatalf("read %q but cannot write it: %v", in, err)
		}
		var again wire.Timestamp
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("wrote %s from %q and cannot read it back: %v", out, in, err)
		}
		if !again.Time.Equal(ts.Time) && !ts.IsZero() {
			// Layouts with milliseconds or whole seconds may drop finer digits.
			if again.Time.Sub(ts.Time).Abs().Seconds() >= 1 {
				t.Fatalf("round trip moved the instant: %q -> %s", in, out)
			}
		}
		if again.Layout != ts.Layout && !ts.IsZero() {
			t.Fatalf("round trip changed the layout: %q -> %s", in, out)
		}
	})
}

// FuzzInstallments: any input either fails with ErrInstallments (or a JSON
// error) or decodes to a count that encodes back to the same count.
func FuzzInstallments(f *testing.F) {
	for _, s := range []string{`""`, `null`, `2`, `12`, `"6"`, `-3`, `2.5`, `"two"`, `123456`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var n wire.Installments
		if err := n.UnmarshalJSON(in); err != nil {
			if !errors.Is(err, wire.ErrInstallments) {
				t.Fatalf("error without ErrInstallments: %v", err)
			}
			return
		}
		if n < 0 || n > 9999 {
			t.Fatalf("decoded %q to %d", in, n)
		}
		out, err := json.Marshal(n)
		if err != nil {
			t.Fatal(err)
		}
		var again wire.Installments
		if err := json.Unmarshal(out, &again); err != nil || again != n {
			t.Fatalf("round trip %q -> %s -> %d (%v)", in, out, again, err)
		}
	})
}
