package conformance

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// cleanup deletes every customer and deactivates every link the run made,
// on a fresh context bounded by CleanupTimeout, so that it also runs after
// the run's own context was cancelled. It returns what it could not undo.
func (r *runner) cleanup() string {
	ctx, cancel := context.WithTimeout(context.Background(), r.cfg.CleanupTimeout)
	defer cancel()
	var errs []error
	for _, c := range r.customers {
		if c.deleted {
			continue
		}
		if err := r.removeCustomer(ctx, c); err != nil {
			errs = append(errs, fmt.Errorf("customer %s: %w", c.mid, err))
		}
	}
	for _, l := range r.links {
		if err := r.deactivate(ctx, l); err != nil {
			errs = append(errs, fmt.Errorf("link %s: %w", l.orderNumber, err))
		}
	}
	if len(errs) == 0 {
		return ""
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return "left behind: " + strings.Join(msgs, "; ")
}

var errStillThere = errors.New("still there after cleanup")

func (r *runner) removeCustomer(ctx context.Context, c *madeCustomer) error {
	if c.uuid == "" {
		// An uncertain create: find out whether it happened before deleting.
		x, err := r.send(ctx, "GET", "/v2/merchants/customers/"+url.PathEscape(c.mid), nil, sendOpts{})
		if err != nil {
			return err
		}
		if x.Status == 404 {
			return nil
		}
		if c.uuid = idOf(x.json()); c.uuid == "" {
			return fmt.Errorf("lookup by merchant_customer_id answered %d without a uuid", x.Status)
		}
	}
	x, err := r.send(ctx, "DELETE", "/v2/customers/"+url.PathEscape(c.uuid), nil, sendOpts{})
	if err != nil {
		return err
	}
	if x.Status != 200 && x.Status != 404 {
		return fmt.Errorf("delete answered %d: %s", x.Status, errorMessage(x))
	}
	c.deleted = true
	return nil
}

func (r *runner) deactivate(ctx context.Context, l *madeLink) error {
	target := "/v2/terminal-entry/" + url.PathEscape(l.orderNumber) + "/show"
	x, err := r.send(ctx, "GET", target, nil, sendOpts{})
	if err != nil {
		return err
	}
	if x.Status == 404 {
		return nil // never made
	}
	if x.Status == 200 && x.json()["active"] == false {
		return nil
	}
	_, m, err := r.upsertLink(ctx, l, map[string]any{"active": false})
	if err != nil {
		return err
	}
	if m["active"] != false {
		return errStillThere
	}
	return nil
}
