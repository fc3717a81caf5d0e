package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// Masks written in place of what a fixture must not hold.
const (
	maskToken = "<masked-token>"
	maskEmail = "masked@example.com"
)

// Recorder writes each exchange of a run to a directory as a redacted JSON
// fixture: no Authorization header, and tokens, pan tokens, emails and the
// credentials masked wherever they appear.
type Recorder struct {
	dir string

	mu      sync.Mutex
	n       int
	secrets map[string]bool // every token value seen so far, and the credentials
	err     error
}

// NewRecorder makes dir if needed and returns a Recorder writing into it.
func NewRecorder(dir string) (*Recorder, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil { //nolint:gosec // fixtures for the repository, secrets masked: readable like source
		return nil, fmt.Errorf("conformance: record: %w", err)
	}
	return &Recorder{dir: dir, secrets: map[string]bool{}}, nil
}

// Err is the first error writing a fixture, if any.
func (rec *Recorder) Err() error {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.err
}

// fixture is the recorded form of an exchange.
type fixture struct {
	Operation      string              `json:"operation"`
	Method         string              `json:"method"`
	Path           string              `json:"path"`
	RequestHeader  map[string][]string `json:"request_headers"`
	RequestBody    json.RawMessage     `json:"request_body,omitempty"`
	Status         int                 `json:"status"`
	ResponseHeader map[string][]string `json:"response_headers"`
	ResponseBody   json.RawMessage     `json:"response_body,omitempty"`
}

// dropHeaders never reach a fixture.
var dropHeaders = []string{"Authorization", "Cookie", "Set-Cookie", "Proxy-Authorization"}

func (rec *Recorder) addSecrets(s ...string) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, v := range s {
		if v != "" {
			rec.secrets[v] = true
		}
	}
}

func (rec *Recorder) write(x *exchange) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.err != nil {
		return
	}
	reqBody, reqJSON := parseBody(x.ReqBody)
	respBody, respJSON := parseBody(x.RespBody)
	collectTokens(reqBody, rec.secrets)
	collectTokens(respBody, rec.secrets)
	f := fixture{
		Operation:      x.Operation,
		Method:         x.Method,
		Path:           rec.maskString(x.Target),
		RequestHeader:  rec.headers(x.ReqHeader),
		RequestBody:    rec.body(reqBody, reqJSON, x.ReqBody),
		Status:         x.Status,
		ResponseHeader: rec.headers(x.RespHeader),
		ResponseBody:   rec.body(respBody, respJSON, x.RespBody),
	}
	out, err := marshal(f, true)
	if err != nil {
		rec.err = fmt.Errorf("conformance: record: %w", err)
		return
	}
	rec.n++
	name := fmt.Sprintf("%03d-%s.json", rec.n, safeName(x.Operation))
	if err := os.WriteFile(filepath.Join(rec.dir, name), out, 0o644); err != nil { //nolint:gosec // the same
		rec.err = fmt.Errorf("conformance: record: %w", err)
	}
}

// marshal writes JSON without HTML escaping, so fixtures read as sent:
// ?limit=1&offset=0, not \u0026.
func marshal(v any, indent bool) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if !indent {
		return bytes.TrimRight(b.Bytes(), "\n"), nil
	}
	return b.Bytes(), nil
}

func safeName(op string) string {
	if op == "" {
		return "unknown"
	}
	return op
}

func parseBody(b []byte) (any, bool) {
	if len(b) == 0 {
		return nil, false
	}
	var v any
	if json.Unmarshal(b, &v) != nil {
		return nil, false
	}
	return v, true
}

func (rec *Recorder) headers(h http.Header) map[string][]string {
	out := make(map[string][]string, len(h))
	for k, vs := range h {
		if containsFold(dropHeaders, k) {
			continue
		}
		masked := make([]string, len(vs))
		for i, v := range vs {
			masked[i] = rec.maskString(v)
		}
		out[k] = masked
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// body returns the redacted body: as JSON when it was JSON, else as a JSON
// string of the masked text.
func (rec *Recorder) body(v any, isJSON bool, raw []byte) json.RawMessage {
	if len(raw) == 0 {
		return nil
	}
	var out []byte
	var err error
	if isJSON {
		out, err = marshal(rec.redact("", v), false)
	} else {
		out, err = marshal(rec.maskString(string(raw)), false)
	}
	if err != nil {
		return json.RawMessage(`"<unrecordable>"`)
	}
	return out
}

var emailLike = regexp.MustCompile(`[^\s@"<>]+@[^\s@"<>]+\.[A-Za-z]{2,}`)

// redact masks tokens and emails in a decoded JSON value; key is the
// member name the value sits under.
func (rec *Recorder) redact(key string, v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, c := range t {
			out[k] = rec.redact(k, c)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, c := range t {
			out[i] = rec.redact(key, c)
		}
		return out
	case string:
		switch {
		case isTokenKey(key) && t != "" && t != "card":
			return maskToken
		case strings.Contains(strings.ToLower(key), "email") && t != "":
			return maskEmail
		}
		return rec.maskString(t)
	}
	return v
}

// maskString replaces every secret and email inside s.
func (rec *Recorder) maskString(s string) string {
	for secret := range rec.secrets {
		s = strings.ReplaceAll(s, secret, maskToken)
	}
	return emailLike.ReplaceAllString(s, maskEmail)
}

// isTokenKey says whether a member holds a token: token, pan_token, and
// supported_payment_methods, whose items are pan tokens or "card".
func isTokenKey(k string) bool {
	k = strings.ToLower(k)
	return strings.Contains(k, "token") || k == "supported_payment_methods"
}

// collectTokens adds every token value in v to set, so that the same value
// is masked where it appears under another name (a payment method's id is
// its token) or in a later exchange's path.
func collectTokens(v any, set map[string]bool) {
	walk(v, "", func(_, k string, c any) {
		if !isTokenKey(k) {
			return
		}
		switch t := c.(type) {
		case string:
			if t != "" {
				set[t] = true
			}
		case []any:
			for _, item := range t {
				if s, ok := item.(string); ok && s != "" && s != "card" {
					set[s] = true
				}
			}
		}
	})
}
