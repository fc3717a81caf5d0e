package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

// watchWriter records what is written and closes seen once it has
// received want.
type watchWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func newWatchWriter(want string) *watchWriter {
	return &watchWriter{want: want, seen: make(chan struct{})}
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// interruptible runs args with stdin a terminal that never ends, and
// sends SIGINT once stderr shows want. It returns the exit code and stderr.
func interruptible(t *testing.T, env map[string]string, want string, args ...string) (int, string) {
	t.Helper()
	stdin, stdinW := io.Pipe()
	defer func() { assert.NoError(t, stdinW.Close()) }()
	stderr := newWatchWriter(want)
	signals := make(chan os.Signal, 2)
	done := make(chan int, 1)
	go func() {
		done <- process{
			args: args, stdin: stdin, stdout: io.Discard, stderr: stderr,
			getenv: func(k string) string { return env[k] }, signals: signals,
			exit:       func(int) { t.Error("a single signal must not exit the process") },
			isTerminal: func(s any) bool { return s == stdin },
		}.run(t.Context())
	}()
	select {
	case <-stderr.seen:
	case code := <-done:
		t.Fatalf("ended with %d before %q: %s", code, want, stderr.String())
	}
	signals <- syscall.SIGINT
	return <-done, stderr.String()
}

func TestCtrlCStopsReadingStdin(t *testing.T) {
	creds := map[string]string{monri.EnvMerchantKey: docsKey, monri.EnvAuthenticityToken: docsToken}
	cases := []struct {
		name, hint string
		args       []string
	}{
		{"sign --body-file -", "reading the body from stdin; end with Ctrl-D", []string{"sign", "--path", "/v2/x", "--body-file", "-"}},
		{"verify --body-file -", "reading the body from stdin; end with Ctrl-D", []string{"verify", "--path", "/v2/x", "--header", "h", "--body-file", "-"}},
		{"--data -", "reading the --data body from stdin; end with Ctrl-D", []string{"customers", "create", "--data", "-"}},
		{"--merchant-key-file -", "reading the secret for --merchant-key-file from stdin", []string{"sign", "--path", "/v2/x", "--merchant-key-file", "-"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stderr := interruptible(t, creds, c.hint, c.args...)
			assert.Equal(t, exitInterrupted, code, stderr)
			assert.True(t, strings.HasSuffix(stderr, "monri: interrupted\n"), stderr)
		})
	}
}

func TestNoStdinHintWhenPiped(t *testing.T) {
	env := map[string]string{monri.EnvMerchantKey: docsKey, monri.EnvAuthenticityToken: docsToken}
	r := cli(t, env, `{"example":"1"}`, "sign", "--timestamp", "1593457122", "--path", "/v2/payment/new", "--body-file", "-", "--digest")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, docsDigest+"\n", r.stdout)
	assert.Empty(t, r.stderr)
}

// Ctrl-C during a call: interrupted and 130, not "waiting to retry" and 1.
func TestCtrlCDuringACall(t *testing.T) {
	arrived := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(arrived) })
		<-r.Context().Done()
	}))
	defer srv.Close()
	signals := make(chan os.Signal, 1)
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- process{
			args:  []string{"customers", "list", "--base-url", srv.URL},
			stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr,
			getenv:  envMap{monri.EnvMerchantKey: docsKey, monri.EnvAuthenticityToken: docsToken}.get,
			signals: signals,
		}.run(t.Context())
	}()
	<-arrived
	signals <- syscall.SIGTERM
	assert.Equal(t, exitInterrupted, <-done)
	assert.Equal(t, "monri: interrupted\n", stderr.String())
}

type envMap map[string]string

func (e envMap) get(k string) string { return e[k] }

// The first signal cancels; the second exits at once with 130.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	a := &app{stderr: newStream(io.Discard)}
	signals := make(chan os.Signal, 2)
	ctx, cancel := context.WithCancel(t.Context())
	exited := make(chan int, 1)
	finished := make(chan struct{})
	go func() {
		a.watchSignals(signals, cancel, func(code int) { exited <- code }, make(chan struct{}))
		close(finished)
	}()
	signals <- os.Interrupt
	<-ctx.Done()
	assert.True(t, a.interrupted.Load())
	signals <- os.Interrupt
	assert.Equal(t, exitInterrupted, <-exited)
	<-finished
}

// Ctrl-C on `monri mock` with a request held by --latency: the request is
// cut, the mock says it stopped, and the exit code is 0.
func TestMockStopsOnCtrlCWithARequestInFlight(t *testing.T) {
	pr, pw := io.Pipe()
	signals := make(chan os.Signal, 1)
	done := make(chan int, 1)
	var out lockedWriter
	out.w = pw
	// The create's commit gate runs inside the mock's handler, past its
	// closed check: once it has been entered, the request is in flight.
	entered := make(chan struct{})
	var enter sync.Once
	gate := mock.WithCreateCommitGate(func(ctx context.Context) {
		enter.Do(func() { close(entered) })
		<-ctx.Done() // held until the shutdown cuts the connection
	})
	go func() {
		done <- process{
			args:  []string{"mock", "--addr", "127.0.0.1:0", "--no-verify"},
			stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard, getenv: envMap{}.get,
			signals: signals, exit: func(int) { t.Error("one Ctrl-C must not force an exit") },
			mockOptions: []mock.Option{gate},
		}.run(t.Context())
		_ = pw.Close() // a PipeWriter's Close always returns nil
	}()
	lines := bufio.NewScanner(pr)
	require.True(t, lines.Scan())
	url := strings.TrimPrefix(lines.Text(), "Monri mock listening on ")
	go func() {
		for lines.Scan() {
		}
	}()

	body, err := os.ReadFile("testdata/customer.json")
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url+"/v2/customers", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	answered := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		answered <- err
	}()
	<-entered
	signals <- os.Interrupt
	assert.Equal(t, 0, <-done)
	assert.Error(t, <-answered, "the request in flight is cut")
	out.mu.Lock()
	defer out.mu.Unlock()
	assert.Contains(t, out.buf.String(), "Monri mock stopped")
}

func contextWithCancel(t *testing.T) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}

func TestIsTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, r.Close()); assert.NoError(t, w.Close()) })
	f, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, f.Close()) })
	assert.False(t, isTerminal(r), "a pipe")
	assert.False(t, isTerminal(f), "a file")
	assert.False(t, isTerminal(&bytes.Buffer{}), "not a file at all")
}
