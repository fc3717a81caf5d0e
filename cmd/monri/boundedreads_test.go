package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hugeFile is a sparse file of 1 GiB: a command that read it whole before
// checking its size would take that much memory, and a bounded read stops
// just past its limit.
func hugeFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "huge")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(1<<30))
	require.NoError(t, f.Close())
	return path
}

func TestFileFlagsReadOnlyUpToTheirLimit(t *testing.T) {
	huge := hugeFile(t)
	sign := []string{"sign", "--path", "/v2/customers"}
	secretsFromEnv := envMap{"MONRI_MERCHANT_KEY": docsKey, "MONRI_AUTHENTICITY_TOKEN": docsToken}
	cases := []struct {
		name  string
		env   envMap
		stdin string
		args  []string
		want  string
	}{
		{"merchant key file", nil, "", append(sign, "--merchant-key-file", huge, "--authenticity-token", docsToken),
			"--merchant-key-file: more than " + strconv.Itoa(maxSecret) + " bytes, the limit for a secret"},
		{"authenticity token file", nil, "", append(sign, "--authenticity-token-file", huge, "--merchant-key", docsKey),
			"--authenticity-token-file: more than " + strconv.Itoa(maxSecret) + " bytes, the limit for a secret"},
		{"merchant key on stdin", nil, strings.Repeat("k", maxSecret+1), append(sign, "--merchant-key-file", "-", "--authenticity-token", docsToken),
			"--merchant-key-file: more than " + strconv.Itoa(maxSecret) + " bytes, the limit for a secret"},
		{"sign body file", secretsFromEnv, "", append(sign, "--body-file", huge),
			"--body-file: more than " + strconv.Itoa(maxBody) + " bytes, the limit for a body"},
		{"verify body file", secretsFromEnv, "", []string{"verify", "--path", "/v2/customers", "--header", "WP3-v2.1 t 1 d", "--body-file", huge},
			"--body-file: more than " + strconv.Itoa(maxBody) + " bytes, the limit for a body"},
		{"data file", secretsFromEnv, "", []string{"customers", "create", "--base-url", "http://127.0.0.1:1", "--data", "@" + huge},
			"--data: more than " + strconv.Itoa(maxData) + " bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := cli(t, c.env, c.stdin, c.args...)
			assert.Equal(t, exitUsage, r.code, r.stderr)
			assert.Contains(t, r.stderr, c.want)
		})
	}
}

func TestSignBodyOnStdinOverTheLimit(t *testing.T) {
	r := cli(t, envMap{"MONRI_MERCHANT_KEY": docsKey, "MONRI_AUTHENTICITY_TOKEN": docsToken}, strings.Repeat("x", maxBody+1),
		"sign", "--path", "/v2/customers", "--body-file", "-")
	assert.Equal(t, exitUsage, r.code, r.stderr)
	assert.Contains(t, r.stderr, "--body-file: more than "+strconv.Itoa(maxBody)+" bytes")
}
