package main

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

var errDiskFull = errors.New("no space left on device")

// failingWriter fails every write after the first ok ones.
type failingWriter struct {
	ok     int
	writes int
	buf    bytes.Buffer
}

func (w *failingWriter) Write(p []byte) (int, error) {
	w.writes++
	if w.writes > w.ok {
		return 0, errDiskFull
	}
	return w.buf.Write(p)
}

// shortWriter accepts one byte less than it is given, without an error.
type shortWriter struct{}

func (shortWriter) Write(p []byte) (int, error) { return max(len(p)-1, 0), nil }

// A command whose output could not be written fails, whatever it printed
// with: its own lines, JSON, or cobra's help.
func TestStdoutWriteFailureFailsTheCommand(t *testing.T) {
	creds := []string{"--merchant-key", docsKey, "--authenticity-token", docsToken, "--path", "/v2/payment/new", "--body", `{"example":"1"}`}
	tests := []struct {
		name string
		args []string
	}{
		{"sign", append([]string{"sign", "--timestamp", "1593457122"}, creds...)},
		{"sign --digest", append([]string{"sign", "--timestamp", "1593457122", "--digest"}, creds...)},
		{"verify", append([]string{"verify", "--now", "1593457122", "--header", "WP3-v2.1 " + docsToken + " 1593457122 " + docsDigest}, creds...)},
		{"version", []string{"version"}},
		{"--version", []string{"--version"}},
		{"--help", []string{"--help"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := &failingWriter{}
			var errOut strings.Builder
			code := run(t.Context(), tt.args, strings.NewReader(""), out, &errOut, func(string) string { return "" })
			assert.Equal(t, exitFail, code)
			assert.Contains(t, errOut.String(), "monri: write output: no space left on device\n")
			assert.NotContains(t, errOut.String(), docsKey)
		})
	}
}

// JSON output (printJSON) that cannot be written fails the same way.
func TestStdoutWriteFailureFailsAJSONCommand(t *testing.T) {
	m := mock.Start(t)
	out := &failingWriter{}
	var errOut strings.Builder
	code := run(t.Context(), []string{"customers", "list", "--base-url", m.URL}, strings.NewReader(""), out, &errOut,
		envMap{monri.EnvMerchantKey: m.MerchantKey, monri.EnvAuthenticityToken: m.AuthenticityToken}.get)
	assert.Equal(t, exitFail, code)
	assert.Equal(t, "monri: write output: no space left on device\n", errOut.String())
	assert.Equal(t, 1, out.writes, "the command reached its output")
}

// The verify case above must be a valid check, or it would fail for
// another reason; with a working stdout it passes.
func TestStdoutWriteFailureCasesPassOtherwise(t *testing.T) {
	r := cli(t, nil, "", "verify", "--merchant-key", docsKey, "--authenticity-token", docsToken, "--path", "/v2/payment/new",
		"--now", "1593457122", "--header", "WP3-v2.1 "+docsToken+" 1593457122 "+docsDigest, "--body", `{"example":"1"}`)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "valid\n", r.stdout)
}

// A failed write to stderr has nowhere to be reported and does not fail
// a command whose stdout was written.
func TestStderrWriteFailureKeepsTheExitCode(t *testing.T) {
	var out strings.Builder
	errOut := &failingWriter{}
	// --merchant-key on the command line prints a warning to stderr.
	code := run(t.Context(), []string{"sign", "--merchant-key", docsKey, "--authenticity-token", docsToken, "--timestamp", "1593457122",
		"--path", "/v2/payment/new", "--body", `{"example":"1"}`, "--digest"}, strings.NewReader(""), &out, errOut, func(string) string { return "" })
	assert.Equal(t, exitOK, code)
	assert.Equal(t, docsDigest+"\n", out.String())
	assert.Positive(t, errOut.writes, "the warning was attempted")
}

func TestStreamKeepsTheFirstError(t *testing.T) {
	w := &failingWriter{ok: 1}
	s := newStream(w)
	s.printf("%s\n", "one")
	require.NoError(t, s.failed())
	s.println("two")
	s.println("three")
	assert.ErrorIs(t, s.failed(), errDiskFull)
	assert.Equal(t, 2, w.writes, "nothing is written after the first error")
	assert.Equal(t, "one\n", w.buf.String())
	_, err := s.Write([]byte("four"))
	assert.ErrorIs(t, err, errDiskFull)
}

func TestStreamShortWriteIsAnError(t *testing.T) {
	s := newStream(shortWriter{})
	n, err := s.Write([]byte("abc"))
	assert.Equal(t, 2, n)
	assert.ErrorIs(t, err, io.ErrShortWrite)
	assert.ErrorIs(t, s.failed(), io.ErrShortWrite)
}
