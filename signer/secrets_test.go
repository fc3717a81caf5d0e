package signer_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/monri-go/monri/signer"
)

// Distinctive values so that any leak is unmistakable.
const (
	secretKey   = "MERCHANT-KEY-zebra-7f3a91c2"
	secretToken = "AUTH-TOKEN-okapi-c0ffee4242"
)

// assertNoSecret fails if out holds a secret, raw or hex-encoded.
func assertNoSecret(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range []string{secretKey, secretToken} {
		for _, form := range []string{s, hex.EncodeToString([]byte(s)), strings.ToUpper(hex.EncodeToString([]byte(s)))} {
			if strings.Contains(out, form) {
				t.Fatalf("%s leaks a secret: %q", what, out)
			}
		}
	}
}

func TestSecretsNotInFmt(t *testing.T) {
	s := mustNew(t, secretKey, secretToken)
	type exported struct{ S *signer.Signer }
	type unexported struct{ s *signer.Signer }
	type byValue struct{ S signer.Signer }
	type byValueUnexported struct{ s signer.Signer }
	values := map[string]any{
		"*Signer":                       s,
		"Signer":                        *s,
		"struct{S *Signer}":             exported{s},
		"struct{s *Signer}":             unexported{s},
		"struct{S Signer}":              byValue{*s},
		"struct{s Signer}":              byValueUnexported{*s},
		"[]*Signer":                     []*signer.Signer{s},
		"map[string]Signer":             map[string]signer.Signer{"x": *s},
		"pointer to struct{s Signer}":   &byValueUnexported{*s},
		"pointer to struct{S *Signer}":  &exported{s},
		"any holding *Signer in struct": struct{ A any }{s},
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
			t.Run(name+" "+verb, func(t *testing.T) {
				assertNoSecret(t, verb, fmt.Sprintf(verb, v))
			})
		}
	}
	// The top-level forms say what they hide, rather than printing nothing.
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{s, *s} {
			out := fmt.Sprintf(verb, v)
			if out != "signer.Signer{merchantKey:[redacted], authenticityToken:[redacted]}" {
				t.Fatalf("Sprintf(%s) = %q", verb, out)
			}
		}
	}
}

func TestSecretsNotInSlog(t *testing.T) {
	s := mustNew(t, secretKey, secretToken)
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("pointer", "signer", s)
	log.Info("value", "signer", *s)
	log.Info("any", slog.Any("signer", s))
	log.Info("group", slog.Group("client", slog.Any("signer", s)))
	var text bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("text", "signer", s)

	out := buf.String() + text.String()
	assertNoSecret(t, "slog output", out)
	if n := strings.Count(out, "[redacted]"); n != 10 {
		t.Fatalf("want 10 redacted values in %q, got %d", out, n)
	}
	// The JSON handler output is well-formed and shows the redacted group.
	line, _, _ := strings.Cut(buf.String(), "\n")
	var rec struct {
		Signer map[string]string `json:"signer"`
	}
	if err := json.Unmarshal([]byte(line), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Signer["merchantKey"] != "[redacted]" || rec.Signer["authenticityToken"] != "[redacted]" {
		t.Fatalf("slog JSON signer = %v", rec.Signer)
	}
}

func TestSecretsNotInJSON(t *testing.T) {
	s := mustNew(t, secretKey, secretToken)
	out, err := json.Marshal(struct{ S *signer.Signer }{s})
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, "json.Marshal", string(out))
}

// Every error path, provoked with secrets close at hand, must not echo them.
func TestSecretsNotInErrors(t *testing.T) {
	var errs []error
	collect := func(err error) {
		t.Helper()
		if err == nil {
			t.Fatal("expected an error")
		}
		errs = append(errs, err)
	}

	// New.
	_, err := signer.New("", secretToken)
	collect(err)
	_, err = signer.New(secretKey, "")
	collect(err)
	_, err = signer.New(secretKey, secretToken+" with space")
	collect(err)
	_, err = signer.New(secretKey, secretToken, signer.WithWindow(0))
	collect(err)
	_, err = signer.New(secretKey, secretToken, signer.WithClock(nil))
	collect(err)

	s := mustNew(t, secretKey, secretToken, signer.WithClock(fixedClock(1700000000)), signer.WithWindow(time.Minute))

	// Sign.
	collect(s.Sign(nil))
	collect(s.Sign(&http.Request{}))
	req := newReq(t, io.NopCloser(&failingReader{data: "x", err: errors.New("read failed")}))
	collect(s.Sign(req))
	req = newReq(t, strings.NewReader("x"))
	req.GetBody = func() (io.ReadCloser, error) { return nil, errors.New("no copy") }
	collect(s.Sign(req))
	req.GetBody = func() (io.ReadCloser, error) { return nil, nil }
	collect(s.Sign(req))
	collect((*signer.Signer)(nil).Sign(newReq(t, nil)))

	// Verify: every outcome, with headers built around the real secrets.
	path, body := "/v2/customers", []byte(`{"a":1}`)
	good := func(ts string) string {
		return "WP3-v2.1 " + secretToken + " " + ts + " " + signer.Digest(secretKey, ts, secretToken, path, body)
	}
	digest := signer.Digest(secretKey, "1700000000", secretToken, path, body)
	for _, h := range []string{
		"",
		"WP3-v2.1",
		"wp3-v2.1 " + secretToken + " 1700000000 " + digest,
		"WP3-v2.1 " + secretToken + " 1700000000",
		"WP3-v2.1 " + secretToken + "  1700000000 " + digest,
		"WP3-v2.1 " + secretToken + " 1700000000 " + digest + " " + secretKey,
		"WP3-v2.1 " + secretToken + " 17000x0000 " + digest,
		"WP3-v2.1 " + secretToken + " 1700000000 " + strings.ToUpper(digest),
		"WP3-v2.1 " + secretToken + " 1700000000 " + secretKey,
		"WP3-v2.1 " + secretKey + " 1700000000 " + digest,
		"WP3-v2.1 " + secretToken + "x 1700000000 " + digest,
		good("1600000000"),
		good("1800000000"),
		good("1700000000") + "0"[:0], // valid header, but the body below differs
	} {
		err := s.Verify(h, path, append(body, '!'))
		collect(err)
	}
	r, _ := http.NewRequest(http.MethodGet, baseURL+path, nil)
	r.Header.Add("Authorization", good("1700000000"))
	r.Header.Add("Authorization", good("1700000000"))
	collect(s.VerifyRequest(r, nil))
	collect(s.VerifyRequest(nil, nil))

	for _, err := range errs {
		assertNoSecret(t, "error", err.Error())
		assertNoSecret(t, "error %+v", fmt.Sprintf("%+v", err))
		if strings.Contains(err.Error(), digest) || strings.Contains(err.Error(), "1700000000") {
			t.Fatalf("error %q echoes the header's digest or timestamp", err)
		}
	}
}
