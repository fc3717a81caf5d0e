package mock

import (
	"net/http/httptest"
	"testing"
)

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
// the test: t.Cleanup stops it. A bad option fails the test at once.
func Start(t testing.TB, opts ...Option) *Running {
	t.Helper()
	srv, err := New(opts...)
	if err != nil {
		t.Fatalf("mock.Start: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		_ = srv.Close()
	})
	return &Running{
		URL:               ts.URL,
		MerchantKey:       srv.cfg.merchantKey,
		AuthenticityToken: srv.cfg.authenticityToken,
		Server:            srv,
	}
}
