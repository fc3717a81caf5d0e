package signer_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/monri-go/monri/signer"
)

// FuzzVerify feeds arbitrary headers, paths and bodies to Verify. It must
// never panic, must answer with one of the documented errors, must never
// echo the secrets, and may accept only the header Sign would have made.
func FuzzVerify(f *testing.F) {
	const key, token = "fuzz-merchant-key", "fuzz-token"
	now := time.Unix(1593457122, 0)
	s, err := signer.New(key, token, signer.WithClock(func() time.Time { return now }))
	if err != nil {
		f.Fatal(err)
	}
	valid := signer.Scheme + " " + token + " 1593457122 " + signer.Digest(key, "1593457122", token, "/v2/customers?limit=1", nil)
	f.Add(valid, "/v2/customers?limit=1", []byte(nil))
	f.Add(valid, "/v2/customers?limit=2", []byte(nil))
	f.Add(strings.ToLower(valid), "/v2/customers?limit=1", []byte(nil))
	f.Add(strings.Replace(valid, " ", "  ", 1), "/x", []byte("{}"))
	f.Add(" \t"+valid+"\t ", "/v2/customers?limit=1", []byte(nil))
	f.Add("WP3-v2.1 fuzz-token 00001593457122 "+strings.Repeat("0", 128), "/", []byte(`{"a":1}`))
	f.Add("WP3-v2.1 fuzz-token 99999999999999999999 "+strings.Repeat("f", 128), "/", []byte(nil))
	f.Add("", "", []byte(nil))

	f.Fuzz(func(t *testing.T, header, path string, body []byte) {
		err := s.Verify(header, path, body)
		if err == nil {
			fields := strings.Split(strings.Trim(header, " \t"), " ")
			want := signer.Digest(key, fields[2], token, path, body)
			if len(fields) != 4 || fields[0] != signer.Scheme || fields[1] != token || fields[3] != want {
				t.Fatalf("accepted a header Sign would not make: %q", header)
			}
			ts, perr := strconv.ParseInt(fields[2], 10, 64)
			if perr != nil || now.Sub(time.Unix(ts, 0)).Abs() > signer.DefaultWindow {
				t.Fatalf("accepted a timestamp outside the window: %q", header)
			}
			return
		}
		known := []error{signer.ErrMissing, signer.ErrMalformed, signer.ErrUnknownToken, signer.ErrStale, signer.ErrMismatch}
		matched := false
		for _, k := range known {
			matched = matched || errors.Is(err, k)
		}
		if !matched {
			t.Fatalf("undocumented error %v", err)
		}
		msg := err.Error()
		if strings.Contains(msg, key) || (len(header) > 8 && strings.Contains(msg, header)) {
			t.Fatalf("error echoes a secret or the header: %v", err)
		}
	})
}
