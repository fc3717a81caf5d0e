package main

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

var digestLike = regexp.MustCompile(`[0-9a-f]{128}`)

// TestNoCommandLeaksASecret runs every command with --debug where it has
// one, against a mock holding distinctive credentials, in success and in
// failure, and checks stdout and stderr. Two commands print secrets by
// design and are checked only for what they must not print: sign prints
// the Authorization value (token and digest, never the key) and mock prints
// its own test credentials for clients to use.
func TestNoCommandLeaksASecret(t *testing.T) {
	const key, token = "sk-LEAK-CHECK-merchant-7d2e", "tok-LEAK-CHECK-auth-4f90"
	m := mock.Start(t, mock.WithCredentials(key, token))
	conn := []string{"--base-url", m.URL, "--merchant-key", key, "--authenticity-token", token, "--debug"}
	wrong := []string{"--base-url", m.URL, "--merchant-key", key + "x", "--authenticity-token", token, "--debug"}

	var uuid string
	runs := []struct {
		name string
		args func() []string
		code int
	}{
		{"demo", func() []string { return append([]string{"demo"}, conn...) }, 0},
		{"demo json", func() []string { return append([]string{"demo", "--json"}, conn...) }, 0},
		{"demo wrong key", func() []string { return append([]string{"demo"}, wrong...) }, 1},
		{"customers create", func() []string {
			return append([]string{"customers", "create", "--merchant-customer-id", "leak-1", "--name", "Ada"}, conn...)
		}, 0},
		{"customers get", func() []string { return append([]string{"customers", "get", uuid}, conn...) }, 0},
		{"customers get-by-merchant-id", func() []string { return append([]string{"customers", "get-by-merchant-id", "leak-1"}, conn...) }, 0},
		{"customers update", func() []string { return append([]string{"customers", "update", uuid, "--city", "Mostar"}, conn...) }, 0},
		{"customers list", func() []string { return append([]string{"customers", "list", "--all"}, conn...) }, 0},
		{"customers payment-methods", func() []string { return append([]string{"customers", "payment-methods", uuid}, conn...) }, 0},
		{"customers delete", func() []string { return append([]string{"customers", "delete", uuid}, conn...) }, 0},
		{"customers get unknown", func() []string { return append([]string{"customers", "get", "nope"}, conn...) }, 1},
		{"customers list wrong key", func() []string { return append([]string{"customers", "list"}, wrong...) }, 1},
		{"links create-or-update", func() []string {
			return append([]string{"links", "create-or-update", "--data", "@testdata/link.json"}, conn...)
		}, 0},
		{"links show", func() []string {
			return append([]string{"links", "show", "6638614b544b7058414b5467304146574c647841"}, conn...)
		}, 0},
		{"links deactivate", func() []string {
			return append([]string{"links", "deactivate", "6638614b544b7058414b5467304146574c647841", "--data", "@testdata/link.json"}, conn...)
		}, 0},
		{"links activate", func() []string {
			return append([]string{"links", "activate", "6638614b544b7058414b5467304146574c647841", "--data", "@testdata/link.json"}, conn...)
		}, 0},
		{"links show wrong key", func() []string { return append([]string{"links", "show", "x1"}, wrong...) }, 1},
		{"verify valid", func() []string {
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			header := signer.Scheme + " " + token + " " + ts + " " + signer.Digest(key, ts, token, "/x", nil)
			return []string{"verify", "--merchant-key", key, "--authenticity-token", token, "--path", "/x", "--header", header}
		}, 0},
		{"verify tampered", func() []string {
			header := signer.Scheme + " " + token + " 1 " + signer.Digest(key, "1", token, "/x", nil)
			return []string{"verify", "--merchant-key", key, "--authenticity-token", token, "--path", "/y", "--header", header, "--window", "876000h"}
		}, 1},
		{"usage error", func() []string { return append([]string{"customers", "get"}, conn...) }, 2},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			res := cli(t, nil, "", r.args()...)
			require.Equal(t, r.code, res.code, "stdout %s\nstderr %s", res.stdout, res.stderr)
			all := res.stdout + res.stderr
			assert.NotContains(t, all, key)
			assert.NotContains(t, all, token)
			assert.NotRegexp(t, digestLike, all, "a digest was printed")
			assert.NotContains(t, all, signer.Scheme+" ", "an Authorization value was printed")
			if r.name == "customers create" {
				for _, c := range m.Server.Customers() {
					if c.MerchantCustomerID != nil && *c.MerchantCustomerID == "leak-1" {
						uuid = c.UUID
					}
				}
			}
		})
	}

	t.Run("sign prints the header but never the key", func(t *testing.T) {
		res := cli(t, nil, "", "sign", "--merchant-key", key, "--authenticity-token", token, "--path", "/x")
		require.Equal(t, 0, res.code)
		assert.NotContains(t, res.stdout+res.stderr, key)
	})
}
