package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

const fileKey, fileToken = "sk-file-merchant-key-9f1c", "tok-file-9f1c"

func TestSecretsFromFilesAndStdin(t *testing.T) {
	m := mock.Start(t, mock.WithCredentials(fileKey, fileToken))
	files := []string{"--merchant-key-file", "testdata/secret_key.txt", "--authenticity-token-file", "testdata/secret_token.txt"}
	cases := []struct {
		name  string
		stdin string
		env   envMap
		args  []string
	}{
		{"both files", "", nil, files},
		{"key from stdin", fileKey + "\n", nil, []string{"--merchant-key-file", "-", "--authenticity-token-file", "testdata/secret_token.txt"}},
		{"environment", "", envMap{monri.EnvMerchantKey: fileKey, monri.EnvAuthenticityToken: fileToken}, nil},
		{"file beats environment", "", envMap{monri.EnvMerchantKey: "wrong", monri.EnvAuthenticityToken: fileToken}, files[:2]},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := cli(t, c.env, c.stdin, append([]string{"customers", "list", "--base-url", m.URL}, c.args...)...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Empty(t, r.stderr, "no warning without the plain flags")
			assert.NotContains(t, r.stdout+r.stderr, fileKey)
		})
	}
}

func TestPlainSecretFlagsWarn(t *testing.T) {
	m := mock.Start(t, mock.WithCredentials(fileKey, fileToken))
	r := cli(t, nil, "", "customers", "list", "--base-url", m.URL, "--merchant-key", fileKey, "--authenticity-token", fileToken)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "monri: warning: --merchant-key is visible to other users of this machine (ps, shell history); use $MONRI_MERCHANT_KEY or --merchant-key-file\n")
	assert.Contains(t, r.stderr, "monri: warning: --authenticity-token is visible")
	assert.NotContains(t, r.stderr, fileKey)
}

func TestSecretFileProblems(t *testing.T) {
	dir := t.TempDir()
	twoLines := filepath.Join(dir, "two")
	require.NoError(t, os.WriteFile(twoLines, []byte("a\nb\n"), 0o600))
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--merchant-key-file", "testdata/nope.txt"}, "--merchant-key-file testdata/nope.txt: no such file"},
		{[]string{"--merchant-key-file", twoLines}, "--merchant-key-file: the file must hold the secret on one line"},
		{[]string{"--authenticity-token-file", empty}, "--authenticity-token-file: the file must hold the secret on one line"},
		{[]string{"--merchant-key-file", "-", "--authenticity-token-file", "-"}, "only one of --merchant-key-file and --authenticity-token-file can be -"},
		{[]string{"--merchant-key", "k", "--merchant-key-file", "testdata/secret_key.txt"}, "not both"},
	}
	for _, c := range cases {
		r := cli(t, nil, "", append([]string{"customers", "list", "--base-url", "http://127.0.0.1:1"}, c.args...)...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", c.args, r.stderr)
		assert.Contains(t, r.stderr, c.want)
		assert.NotContains(t, r.stderr, "\nb\n", "never the content")
	}
}

// `monri mock` with credentials of its own never prints them, and with
// them it may listen beyond loopback.
func TestMockNeverPrintsGivenCredentials(t *testing.T) {
	pr, pw := io.Pipe()
	out := &lockedWriter{w: pw}
	var errOut strings.Builder
	ctx, cancel := contextWithCancel(t)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"mock", "--addr", "127.0.0.1:0", "--merchant-key-file", "testdata/secret_key.txt", "--authenticity-token-file", "testdata/secret_token.txt"},
			strings.NewReader(""), out, &errOut, envMap{}.get)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	require.True(t, lines.Scan())
	url := strings.TrimPrefix(lines.Text(), "Monri mock listening on ")
	go func() {
		for lines.Scan() {
		}
	}()
	r := cli(t, nil, "", "customers", "list", "--base-url", url, "--merchant-key-file", "testdata/secret_key.txt", "--authenticity-token-file", "testdata/secret_token.txt")
	assert.Equal(t, 0, r.code, "the mock uses the credentials from the files: %s", r.stderr)
	cancel()
	require.Equal(t, 0, <-done)
	out.mu.Lock()
	defer out.mu.Unlock()
	all := out.buf.String() + errOut.String()
	assert.NotContains(t, all, fileKey)
	assert.NotContains(t, all, fileToken)
	assert.NotContains(t, all, mock.DefaultMerchantKey)
	assert.Contains(t, all, "monri demo --base-url "+url+"   (with the credentials you gave the mock")
}

func TestLoopbackAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:4010": true, "localhost:4010": true, "[::1]:4010": true, "127.0.0.2:0": true,
		":4020": false, "0.0.0.0:4010": false, "[::]:4010": false, "192.168.1.5:4010": false, "example.com:80": false, "nonsense": false,
	} {
		assert.Equal(t, want, loopbackAddr(addr), addr)
	}
}
