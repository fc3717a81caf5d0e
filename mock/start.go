package mock

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// TB is the part of testing.TB that [Start] uses. It is an interface of its
// own so that this package, which the CLI links, does not import testing;
// a *testing.T, *testing.B or *testing.F satisfies it.
type TB interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
}

// Running is a mock server listening on loopback, as [Start] returns it.
type Running struct {
	// URL is the base URL, e.g. http://127.0.0.1:54321, to give a client.
	URL string
	// MerchantKey and AuthenticityToken are the credentials to sign with.
	MerchantKey       string
	AuthenticityToken string
	// Server is the handler being served, for seeding and inspection.
	Server *Server
}

// Start serves a new Server on 127.0.0.1 on a free port for the duration of
// the test: t.Cleanup stops it, after the requests in flight have returned.
// A bad option, or no free port, fails the test at once.
func Start(t TB, opts ...Option) *Running {
	t.Helper()
	srv, err := New(opts...)
	if err != nil {
		t.Fatalf("mock.Start: %v", err)
		return nil // Fatalf does not return for a testing.TB
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mock.Start: %v", err)
		return nil
	}
	in := &inFlight{next: srv}
	in.idle = sync.NewCond(&in.mu)
	hs := &http.Server{Handler: in, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		// Serve returns ErrServerClosed after hs.Close; any other error
		// shows up as the test's failed requests.
		_ = hs.Serve(ln)
	}()
	t.Cleanup(func() {
		in.close()
		_ = hs.Close()
		<-served
		in.wait()
		// As httptest.Server.Close does: idle keep-alive connections of the
		// default transport would otherwise outlive the test.
		if tr, ok := http.DefaultTransport.(*http.Transport); ok {
			tr.CloseIdleConnections()
		}
		_ = srv.Close()
	})
	return &Running{
		URL:               "http://" + ln.Addr().String(),
		MerchantKey:       srv.cfg.merchantKey,
		AuthenticityToken: srv.cfg.authenticityToken,
		Server:            srv,
	}
}

// inFlight counts the requests being served, so that Start's cleanup
// returns only when no handler is still running; after close it refuses new
// ones with 503.
type inFlight struct {
	next   http.Handler
	mu     sync.Mutex
	idle   *sync.Cond
	n      int
	closed bool
}

func (f *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		http.Error(w, "mock: server stopped", http.StatusServiceUnavailable)
		return
	}
	f.n++
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.n--
		if f.n == 0 {
			f.idle.Broadcast()
		}
		f.mu.Unlock()
	}()
	f.next.ServeHTTP(w, r)
}

func (f *inFlight) close() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
}

func (f *inFlight) wait() {
	f.mu.Lock()
	for f.n > 0 {
		f.idle.Wait()
	}
	f.mu.Unlock()
}
