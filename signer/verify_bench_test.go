package signer_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/monri-go/monri/signer"
)

// BenchmarkVerifyRequest is the mock's per-request check: a signed 1 KiB
// POST, verified from its header, target and body.
func BenchmarkVerifyRequest(b *testing.B) {
	body := benchBody()
	s, err := signer.New(benchKey, benchToken, signer.WithClock(fixedClock(benchTS)))
	if err != nil {
		b.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, "https://ipg.monri.com"+benchPath+"?a=1", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Sign(req); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := s.VerifyRequest(req, body); err != nil {
			b.Fatal(err)
		}
	}
}
