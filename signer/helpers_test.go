package signer_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/monri-go/monri/signer"
)

// vector is one entry of testdata/vectors.json.
type vector struct {
	Name              string `json:"name"`
	MerchantKey       string `json:"merchant_key"`
	AuthenticityToken string `json:"authenticity_token"`
	Timestamp         string `json:"timestamp"`
	Method            string `json:"method"`
	Fullpath          string `json:"fullpath"`
	Body              string `json:"body"`
	Digest            string `json:"digest"`
	Authorization     string `json:"authorization"`
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Vectors []vector `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Vectors) == 0 {
		t.Fatal("no vectors in testdata/vectors.json")
	}
	return file.Vectors
}

// docsVector is the Customers API example, always the first vector.
func docsVector(t testing.TB) vector {
	t.Helper()
	v := loadVectors(t)[0]
	if v.Digest != "bd120476c656a8ec3ce5d6a150f17061d03a8e280b0fbba278a73a15066830562f73ce5536882c9222e265f1ff6c2df629173375b549cba5a9275b08686f32ea" {
		t.Fatalf("first vector is not the docs example: %q", v.Name)
	}
	return v
}

func (v vector) unix(t testing.TB) int64 {
	t.Helper()
	ts, err := strconv.ParseInt(v.Timestamp, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func fixedClock(sec int64) func() time.Time {
	return func() time.Time { return time.Unix(sec, 0) }
}

func mustNew(t testing.TB, key, token string, opts ...signer.Option) *signer.Signer {
	t.Helper()
	s, err := signer.New(key, token, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// fields splits a header this package produced; only for tests.
func fields(t testing.TB, authorization string) (scheme, token, timestamp, digest string) {
	t.Helper()
	f := strings.Split(authorization, " ")
	if len(f) != 4 {
		t.Fatalf("header has %d fields, want 4", len(f))
	}
	return f[0], f[1], f[2], f[3]
}

func mustParseInt(t testing.TB, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
