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
	// Duration is how long the mock took to start answering, latency
	// included.
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
	log    *ring[*RequestRecord]
}

func newRequestLog(logs logConfig) *requestLog {
	return &requestLog{logger: logs.logger, log: newRing[*RequestRecord](logs.requestLogSize)}
}

func (l *requestLog) snapshot() []RequestRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	kept := l.log.all()
	out := make([]RequestRecord, len(kept))
	for i, rec := range kept {
		out[i] = *rec
	}
	return out
}

func (l *requestLog) forget() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.log.clear()
}

// logWriter records the request in the log as soon as the answer starts,
// before any byte of it can reach the client, so that a client that has
// its answer finds the request in GET /__mock/requests.
type logWriter struct {
	http.ResponseWriter
	log   *requestLog
	start time.Time
	rec   RequestRecord  // Status and Rule are filled in as the answer goes
	kept  *RequestRecord // in the log; nil until the answer starts
}

func newLogWriter(w http.ResponseWriter, l *requestLog, r *http.Request, arrived time.Time) *logWriter {
	return &logWriter{ResponseWriter: w, log: l, start: time.Now(),
		rec: RequestRecord{Time: arrived, Method: r.Method, Path: logPath(r.URL)}}
}

// begin puts the record in the log with the status of the answer.
func (w *logWriter) begin(status int) {
	if w.kept != nil {
		return
	}
	w.rec.Status = status
	w.rec.Duration = time.Since(w.start)
	rec := w.rec
	w.kept = &rec
	w.log.mu.Lock()
	w.log.log.add(w.kept)
	w.log.mu.Unlock()
}

// setRule records what refused the request, in the log too once it is there.
func (w *logWriter) setRule(rule string) {
	if w.rec.Rule != "" {
		return
	}
	w.rec.Rule = rule
	if w.kept != nil {
		w.log.mu.Lock()
		w.kept.Rule = rule
		w.log.mu.Unlock()
	}
}

// end logs the line, and the record of an answer that never started (a
// dropped connection).
func (w *logWriter) end() {
	w.begin(0)
	if l := w.log.logger; l != nil {
		l.Info("request", "method", w.rec.Method, "path", w.rec.Path, "status", w.rec.Status,
			"duration", time.Since(w.start), "rule", w.rec.Rule)
	}
}

func (w *logWriter) WriteHeader(code int) {
	w.begin(code)
	w.ResponseWriter.WriteHeader(code)
}

func (w *logWriter) Write(b []byte) (int, error) {
	if w.kept == nil {
		w.begin(http.StatusOK)
	}
	if w.rec.Status >= 400 && w.rec.Rule == "" {
		// An error the generated code wrote, not writeError: Monri's shape.
		var e struct{ Message string }
		if json.Unmarshal(b, &e) == nil {
			w.setRule(e.Message)
		}
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (dropConnection).
func (w *logWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// noteRule records on a logWriter what refused the request.
func noteRule(w http.ResponseWriter, rule string) {
	if lw, ok := w.(*logWriter); ok {
		lw.setRule(rule)
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
