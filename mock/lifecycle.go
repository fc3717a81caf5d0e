package mock

import (
	"context"
	"time"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/wire"
)

// Transitions of the mock's whole state and of a link that no API
// operation makes: forgetting everything, and expiring a link now. The
// control API (control.go) and the Go API share them.

// Reset forgets every customer, payment method, payment link, callback
// delivery and logged request, as a new Server would start. Callbacks in
// flight go on, and are no longer logged. Faults and options stay.
func (s *Server) Reset() {
	s.store.reset()
	s.callbacks.forget()
	s.requests.forget()
}

// Expire makes the link for orderNumber expire now by the server's clock:
// expires_at becomes a millisecond before now and terminal_entry_status
// expired, so the link can no longer be paid. It returns the link as
// expired. A link that is paid cannot be expired (ErrLinkPaid); one that
// has expired already stays as it is.
func (s *Server) Expire(ctx context.Context, orderNumber string) (gen.PayByLink, error) {
	if err := ctx.Err(); err != nil {
		return gen.PayByLink{}, err
	}
	if s.closed.Load() {
		return gen.PayByLink{}, ErrClosed
	}
	l, f := s.store.expire(orderNumber)
	if f != nil {
		return gen.PayByLink{}, &payError{f: f, kind: kindOf(f)}
	}
	return l, nil
}

func (s *store) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	fresh := newStore(s.clock)
	s.seq, s.payments = 0, 0
	s.all, s.live, s.links = nil, nil, nil
	s.byUUID, s.byMerchID, s.byOrder = fresh.byUUID, fresh.byMerchID, fresh.byOrder
}

func (s *store) expire(orderNumber string) (gen.PayByLink, *failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.byOrder[orderNumber]
	if l == nil {
		return gen.PayByLink{}, errNoLink
	}
	if l.paid != nil {
		return gen.PayByLink{}, errLinkPaid
	}
	now := s.now()
	if !l.expired(now) {
		layout := wire.CompactOffset
		if l.req.ExpiresAt != nil {
			layout = l.req.ExpiresAt.Layout
		}
		// Fields are replaced, never changed in place (see link.req).
		l.req.ExpiresAt = ptr(wire.NewTimestamp(now.Truncate(time.Millisecond).Add(-time.Millisecond), layout))
		l.updatedAt = now.Unix()
	}
	return l.toGen(string(gen.ApprovedStatusApproved), now), nil
}
