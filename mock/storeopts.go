package mock

import (
	"context"
	"fmt"
)

// Options for store behaviour the docs leave open, so that a client can be
// tested against each behaviour Monri might have.

// LinkUpdates says what a Pay By Link create-or-update of an existing
// order_number does to the stored entry.
type LinkUpdates uint8

const (
	// Merge changes only the fields sent; the others keep their values.
	// This is the default.
	Merge LinkUpdates = iota
	// Replace makes the body sent the whole entry: a field not sent is gone
	// (active, not sent, is true again). The link keeps its id, payment_url,
	// created_at and payment.
	Replace
)

// String returns the mode's name as `monri mock --link-updates` takes it.
func (u LinkUpdates) String() string {
	switch u {
	case Merge:
		return "merge"
	case Replace:
		return "replace"
	}
	return fmt.Sprintf("LinkUpdates(%d)", uint8(u))
}

// ParseLinkUpdates reads "merge" or "replace".
func ParseLinkUpdates(s string) (LinkUpdates, error) {
	switch s {
	case "merge":
		return Merge, nil
	case "replace":
		return Replace, nil
	}
	return 0, fmt.Errorf("mock: link updates %q is not merge or replace", s)
}

// WithLinkUpdates sets what a create-or-update of an existing link does:
// [Merge] (the default) or [Replace]. Any other value makes New fail.
func WithLinkUpdates(u LinkUpdates) Option {
	return func(c *config) {
		if u != Merge && u != Replace {
			c.fail("WithLinkUpdates: unknown mode %v", u)
			return
		}
		c.linkUpdates = u
	}
}

// WithCreateCommitGate calls gate in every customer create that passed
// verification and validation, before the customer is stored, and stores it
// (or refuses it, as usual) only when gate returns, whether or not the
// client is still waiting. ctx is the request's: it is done once the client
// has gone. A test holds gate to make a create commit after the client's
// attempt ended, the outcome a client cannot tell from a lost request.
// gate runs on the request's goroutine, so a gate that never returns hangs
// that request. A nil gate makes New fail.
func WithCreateCommitGate(gate func(ctx context.Context)) Option {
	return func(c *config) {
		if gate == nil {
			c.fail("WithCreateCommitGate: nil gate")
			return
		}
		c.createGate = gate
	}
}

// WithMaxPageSize caps the page size of the list operations at n, whatever
// limit the request asks for, as servers that cap pages do. n must be at
// least 1; without the option there is no cap.
func WithMaxPageSize(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("WithMaxPageSize: %d is below 1", n)
			return
		}
		c.maxPageSize = n
	}
}
