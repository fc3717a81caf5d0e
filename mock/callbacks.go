package mock

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
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
	// Done is true once delivery is over: delivered or given up.
	Done bool
}

// Callbacks returns a copy of every callback delivery so far, in payment
// order.
func (s *Server) Callbacks() []CallbackDelivery { return s.callbacks.snapshot() }

// deliverer sends payment callbacks in the background.
type deliverer struct {
	key    string
	policy CallbackPolicy
	client *http.Client
	tr     *http.Transport
	ctx    context.Context // cancelled by close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	pending int
	idle    []chan struct{} // closed when pending drops to 0
	log     []CallbackDelivery
}

func newDeliverer(merchantKey string, policy CallbackPolicy) *deliverer {
	tr := &http.Transport{
		Proxy:                 nil, // only ever where the link says, never through a proxy
		DialContext:           (&net.Dialer{Timeout: policy.AttemptTimeout}).DialContext,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
		ResponseHeaderTimeout: policy.AttemptTimeout,
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &deliverer{
		key:    merchantKey,
		policy: policy,
		tr:     tr,
		client: &http.Client{
			Transport: tr,
			// A redirect is an answer other than 2xx, not a new target.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		ctx:    ctx,
		cancel: cancel,
	}
}

// deliver starts delivering body to target, unless the deliverer is closed.
func (d *deliverer) deliver(orderNumber, target string, body []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	i := len(d.log)
	d.log = append(d.log, CallbackDelivery{OrderNumber: orderNumber, URL: target, Body: body})
	if d.closed {
		d.log[i].Done, d.log[i].LastError = true, "not sent: the mock is closed"
		return
	}
	d.pending++
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		d.run(i, target, body)
	}()
}

// run makes the attempts of delivery i.
func (d *deliverer) run(i int, target string, body []byte) {
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
		d.record(i, attempt, status, msg, delivered, done)
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
			d.record(i, attempt, status, msg, false, true)
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

func (d *deliverer) record(i, attempts, status int, msg string, delivered, done bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	e := &d.log[i]
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
	out := make([]CallbackDelivery, len(d.log))
	for i, e := range d.log {
		e.Body = bytes.Clone(e.Body)
		out[i] = e
	}
	return out
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
