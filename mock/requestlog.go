package mock

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// The request log: a bounded ring of the last requests the mock answered,
// and, with WithRequestLog, one log line per request.

// RequestRecord is one request the mock answered.
type RequestRecord struct {
	// Time is when the request arrived, by the server's clock.
	Time time.Time
	// Method is the request's method.
	Method string
	// Path is the path with the query, with the values of query parameters
	// that may hold a secret (digest, pan_token, ...) replaced by REDACTED.
	Path string
	// Status is the answer's HTTP status; 0 when the connection was dropped.
	Status int
	// Duration is how long the answer took, latency included.
	Duration time.Duration
	// Rule is what refused the request: the message of an error answer,
	// such as "order_info: length must be 3-100"; "" for a success.
	Rule string
}

// Requests returns the last requests the server answered, oldest first: as
// many as [WithRequestLogSize] says.
func (s *Server) Requests() []RequestRecord { return s.requests.snapshot() }

type requestLog struct {
	logger *slog.Logger
	mu     sync.Mutex
	log    *ring[RequestRecord]
}

func newRequestLog(logs logConfig) *requestLog {
	return &requestLog{logger: logs.logger, log: newRing[RequestRecord](logs.requestLogSize)}
}

func (l *requestLog) add(rec RequestRecord) {
	if l.logger != nil {
		l.logger.Info("request", "method", rec.Method, "path", rec.Path, "status", rec.Status,
			"duration", rec.Duration, "rule", rec.Rule)
	}
	l.mu.Lock()
	l.log.add(rec)
	l.mu.Unlock()
}

func (l *requestLog) snapshot() []RequestRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.log.all()
}

func (l *requestLog) forget() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.log.clear()
}

// logWriter sees the status and the refusing rule of the answer it passes on.
type logWriter struct {
	http.ResponseWriter
	status int
	rule   string
}

func (w *logWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *logWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.status >= 400 && w.rule == "" {
		// An error the generated code wrote, not writeError: Monri's shape.
		var e struct{ Message string }
		if json.Unmarshal(b, &e) == nil {
			w.rule = e.Message
		}
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (dropConnection).
func (w *logWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// noteRule records on a logWriter what refused the request.
func noteRule(w http.ResponseWriter, rule string) {
	if lw, ok := w.(*logWriter); ok && lw.rule == "" {
		lw.rule = rule
	}
}

// secretParams are query parameters whose values are never logged.
var secretParams = map[string]bool{
	"digest": true, "pan_token": true, "authorization": true, "key": true, "merchant_key": true,
	"authenticity_token": true, "token": true, "secret": true, "password": true,
}

// logPath is the request's path and query with secret values redacted.
func logPath(u *url.URL) string {
	p := u.EscapedPath()
	if u.RawQuery == "" {
		return p
	}
	pairs := strings.Split(u.RawQuery, "&")
	for i, pair := range pairs {
		k, _, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(k)
		if err != nil || secretParams[strings.ToLower(name)] {
			pairs[i] = k + "=REDACTED"
		}
	}
	return p + "?" + strings.Join(pairs, "&")
}
