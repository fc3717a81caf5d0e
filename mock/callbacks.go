package mock

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/monri-go/monri/signer"
)

// Delivery of payment callbacks: the signed POSTs to a link's
// callback_url_override, their retries, and the log of how each went.

// WaitCallbacks waits until every callback enqueued so far has been
// delivered or given up on, or until ctx ends (its error is returned).
// Tests use it instead of sleeping; [Server.Callbacks] then says what
// happened.
func (s *Server) WaitCallbacks(ctx context.Context) error { return s.callbacks.wait(ctx) }

// CallbackDelivery is one payment callback and how its delivery went.
type CallbackDelivery struct {
	// OrderNumber is the paid link's order number.
	OrderNumber string
	// URL is where the callback was POSTed: the link's callback_url_override.
	URL string
	// Body is the exact body sent, signed in the Authorization header.
	Body []byte
	// Attempts is how many POSTs were made.
	Attempts int
	// LastStatus is the HTTP status of the last answer, 0 if none came.
	LastStatus int
	// LastError describes the last failure: a connection error, a timeout,
	// a non-2xx answer, or that the mock was closed; "" once delivered.
	LastError string
	// Delivered is true once an attempt got a 2xx answer.
	Delivered bool
	// Done is true once delivery is over: delivered, given up or refused.
	Done bool
	// Refused is true when the callback was not sent because its URL's
	// host is not allowed (see [WithCallbackHosts]); LastError says why.
	Refused bool
}

// Callbacks returns a copy of the last callback deliveries, in payment
// order: as many as [WithCallbackLogSize] says, refused ones included.
func (s *Server) Callbacks() []CallbackDelivery { return s.callbacks.snapshot() }

// deliverer sends payment callbacks in the background.
type deliverer struct {
	key    string
	policy CallbackPolicy
	hosts  []string     // allowed besides loopback
	logger *slog.Logger // nil: no log lines
	client *http.Client
	tr     *http.Transport
	ctx    context.Context // cancelled by close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	pending int
	idle    []chan struct{} // closed when pending drops to 0
	// log holds the last deliveries; a delivery in flight updates its
	// entry through the pointer even once the ring has forgotten it.
	log *ring[*CallbackDelivery]
}

func newDeliverer(merchantKey string, policy CallbackPolicy, logs logConfig) *deliverer {
	d := &deliverer{key: merchantKey, policy: policy, hosts: logs.callbackHosts, logger: logs.logger,
		log: newRing[*CallbackDelivery](logs.callbackLogSize)}
	dialer := &net.Dialer{Timeout: policy.AttemptTimeout}
	loopbackOnly := &net.Dialer{Timeout: policy.AttemptTimeout, Control: requireLoopback}
	tr := &http.Transport{
		Proxy: nil, // only ever where the link says, never through a proxy
		// A host allowed by name may resolve anywhere; any other one was
		// let through as loopback, and must connect to a loopback address
		// whatever its name resolves to.
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if host, _, err := net.SplitHostPort(addr); err == nil && d.allowedByName(host) {
				return dialer.DialContext(ctx, network, addr)
			}
			return loopbackOnly.DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
		ResponseHeaderTimeout: policy.AttemptTimeout,
	}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	d.tr = tr
	d.client = &http.Client{
		Transport: tr,
		// A redirect is an answer other than 2xx, not a new target.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return d
}

// allowedByName reports whether host was allowed with WithCallbackHosts.
func (d *deliverer) allowedByName(host string) bool {
	host = strings.ToLower(host)
	for _, h := range d.hosts {
		if h == "*" || h == host {
			return true
		}
	}
	return false
}

// allowed reports whether a callback may go to host: a loopback name or
// address, or one allowed by name.
func (d *deliverer) allowed(host string) bool {
	h := strings.ToLower(host)
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() {
		return true
	}
	return d.allowedByName(h)
}

// requireLoopback refuses a connection to an address that is not loopback.
func requireLoopback(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refused: %s is not a loopback address", host)
	}
	return nil
}

// deliver starts delivering body to target, unless the deliverer is
// closed or target's host is not allowed.
func (d *deliverer) deliver(orderNumber, target string, body []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	e := &CallbackDelivery{OrderNumber: orderNumber, URL: target, Body: body}
	d.log.add(e)
	if d.closed {
		e.Done, e.LastError = true, "not sent: the mock is closed"
		return
	}
	if u, err := url.Parse(target); err != nil || !d.allowed(u.Hostname()) {
		host := ""
		if err == nil {
			host = u.Hostname()
		}
		e.Done, e.Refused = true, true
		e.LastError = "refused: host " + strconv.Quote(host) + " is not loopback nor allowed (mock.WithCallbackHosts, monri mock --allow-callback-host)"
		if d.logger != nil {
			d.logger.Warn("callback refused", "order_number", orderNumber, "url", logURL(target), "reason", e.LastError)
		}
		return
	}
	d.pending++
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		d.run(e, target, body)
	}()
}

// logURL is a callback URL without its query and fragment, which may
// carry the merchant's secrets.
func logURL(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return "(unparsable URL)"
	}
	u.RawQuery, u.Fragment, u.RawFragment, u.User = "", "", "", nil
	return u.String()
}

// run makes the attempts of delivery e.
func (d *deliverer) run(e *CallbackDelivery, target string, body []byte) {
	p := d.policy
	ctx, cancel := context.WithTimeout(d.ctx, p.TotalTimeout)
	defer cancel()
	wait := p.InitialBackoff
	for attempt := 1; ; attempt++ {
		status, err := d.post(ctx, target, body)
		delivered := err == nil && status >= 200 && status <= 299
		msg := ""
		switch {
		case err != nil && d.ctx.Err() != nil:
			msg = "stopped: the mock is closed"
		case err != nil && ctx.Err() != nil:
			msg = "gave up: total timeout " + p.TotalTimeout.String() + " passed"
		case err != nil:
			msg = err.Error()
		case !delivered:
			msg = "answered " + strconv.Itoa(status)
		}
		done := delivered || attempt >= p.Attempts || ctx.Err() != nil
		d.record(e, attempt, status, msg, delivered, done)
		if done {
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			msg := "gave up: total timeout " + p.TotalTimeout.String() + " passed"
			if d.ctx.Err() != nil {
				msg = "stopped: the mock is closed"
			}
			d.record(e, attempt, status, msg, false, true)
			return
		}
		wait = min(2*wait, p.MaxBackoff)
	}
}

// post makes one attempt and returns the answer's status.
func (d *deliverer) post(ctx context.Context, target string, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, d.policy.AttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("cannot build the request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", signer.CallbackScheme+" "+signer.CallbackDigest(d.key, body))
	req.Header.Set("User-Agent", "monri-go-mock")
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, errors.New("no answer: " + describeNetErr(err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.StatusCode, nil
}

// describeNetErr says why an attempt got no answer without repeating the
// request (net/http's *url.Error quotes the URL, which is the merchant's).
func describeNetErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return err.Error()
}

func (d *deliverer) record(e *CallbackDelivery, attempts, status int, msg string, delivered, done bool) {
	if d.logger != nil {
		d.logger.Info("callback attempt", "order_number", e.OrderNumber, "url", logURL(e.URL),
			"attempt", attempts, "status", status, "delivered", delivered, "error", msg)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	e.Attempts, e.LastStatus, e.LastError, e.Delivered, e.Done = attempts, status, msg, delivered, done
	if done {
		d.pending--
		if d.pending == 0 {
			for _, ch := range d.idle {
				close(ch)
			}
			d.idle = nil
		}
	}
}

func (d *deliverer) wait(ctx context.Context) error {
	d.mu.Lock()
	if d.pending == 0 {
		d.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	d.idle = append(d.idle, ch)
	d.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (d *deliverer) snapshot() []CallbackDelivery {
	d.mu.Lock()
	defer d.mu.Unlock()
	kept := d.log.all()
	out := make([]CallbackDelivery, len(kept))
	for i, e := range kept {
		out[i] = *e
		out[i].Body = bytes.Clone(e.Body)
	}
	return out
}

// forget clears the log. Deliveries in flight go on, unlogged.
func (d *deliverer) forget() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.log.clear()
}

// close stops every delivery, waits for them to end and closes idle
// connections. Later deliveries are recorded as not sent.
func (d *deliverer) close() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.cancel()
	d.wg.Wait()
	d.tr.CloseIdleConnections()
}
