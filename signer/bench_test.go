package signer_test

import (
	"bytes"
	"crypto/sha512"
	"encoding/hex"
	"net/http"
	"testing"

	"github.com/monri-go/monri/signer"
)

const (
	benchKey   = "qwert1234"
	benchToken = "7db11ea5d4a1af32421b564c79b946d1ead3daf0"
	benchTS    = 1593457122
	benchPath  = "/v2/payment/new"
)

var sink string

func benchBody() []byte {
	body := make([]byte, 1024)
	for i := range body {
		body[i] = byte('a' + i%26)
	}
	return body
}

// BenchmarkSign signs a 1 KiB POST built by http.NewRequest, which sets
// GetBody for a bytes.Reader, as generated clients do.
func BenchmarkSign(b *testing.B) {
	body := benchBody()
	s, err := signer.New(benchKey, benchToken, signer.WithClock(fixedClock(benchTS)))
	if err != nil {
		b.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, "https://ipg.monri.com"+benchPath, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Sign(req); err != nil {
			b.Fatal(err)
		}
	}
	sink = req.Header.Get("Authorization")
}

// BenchmarkSignBody signs the same request from the bytes the caller holds,
// as a transport that keeps its marshalled body does: no GetBody replay.
func BenchmarkSignBody(b *testing.B) {
	body := benchBody()
	s, err := signer.New(benchKey, benchToken, signer.WithClock(fixedClock(benchTS)))
	if err != nil {
		b.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, "https://ipg.monri.com"+benchPath, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := s.SignBody(req, body); err != nil {
			b.Fatal(err)
		}
	}
	sink = req.Header.Get("Authorization")
}

// BenchmarkSHA512 is the floor for BenchmarkSign: a hex SHA-512 over the
// same bytes Sign hashes, already concatenated.
func BenchmarkSHA512(b *testing.B) {
	body := benchBody()
	msg := []byte(benchKey + "1593457122" + benchToken + benchPath)
	msg = append(msg, body...)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		sum := sha512.Sum512(msg)
		sink = hex.EncodeToString(sum[:])
	}
}
