package main

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/monri-go/monri"
)

// FuzzData feeds arbitrary --data values to the parser the customers and
// links commands use. It must never panic; it either fills the params or
// returns a usage error (exit code 2) that says --data.
func FuzzData(f *testing.F) {
	for _, s := range []string{
		`{"name":"Ada","metadata":{"k":"v"}}`, `{"name":`, `{"nickname":"x"}`, `{"name":5}`, `{} {}`, `[]`, `null`, ``, `  `,
		`{"amount":30,"currency":"BAM","order_number":"o-1","transaction_type":"purchase","order_info":"x","number_of_installments":""}`,
		`{"number_of_installments":"two"}`, `{"expires_at":"2021-09-26T07:58:30.996+0200"}`, `{"expires_at":"tomorrow"}`,
		`@testdata/nope.json`, `-`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		a := &app{stdin: strings.NewReader(`{"name":"from stdin"}`), stderr: io.Discard, isTerminal: func(any) bool { return false }}
		raw, err := a.readData(t.Context(), data)
		if err != nil {
			requireUsage(t, err)
			return
		}
		var customer monri.CustomerParams
		if err := decodeData(raw, &customer); err != nil {
			requireUsage(t, err)
		}
		var link monri.PayByLinkParams
		if err := decodeData(raw, &link); err != nil {
			requireUsage(t, err)
		}
	})
}

func requireUsage(t *testing.T, err error) {
	t.Helper()
	var usage usageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "--data") {
		t.Fatalf("not a --data usage error: %v", err)
	}
}
