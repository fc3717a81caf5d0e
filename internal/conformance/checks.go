package conformance

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// check is one named semantic check. run returns "" when the server
// behaves as documented, else what differs.
type check struct {
	name  string
	write bool // creates or changes data
	run   func(ctx context.Context, r *runner) outcome
}

// checks run in this order; later ones reuse the data earlier ones made.
var checks = []check{
	{"create-returns-uuid", true, checkCreateReturnsUUID},
	{"get-by-uuid-and-merchant-id-agree", true, checkGetAgree},
	{"update-changes-only-sent-fields", true, checkUpdateOnlySent},
	{"list-newest-first", true, checkListNewestFirst},
	{"list-pages-limit-offset", true, checkListPages},
	{"list-items-carry-id", false, checkListItemsID},
	{"payment-methods-page", true, checkPaymentMethodsPage},
	{"link-create-or-update-keeps-id", true, checkLinkKeepsID},
	{"link-show-approved", true, checkLinkShow},
	{"link-deactivate-activate", true, checkLinkActive},
	{"wrong-signature-401", false, checkWrongSignature},
	{"unknown-uuid-404", false, checkUnknownUUID},
	{"length-violation-400", true, checkLengthViolation},
	{"delete-leaves-list", true, checkDelete},
	{"timestamps-parse", false, checkTimestamps},
}

// outcome is a check's verdict and what it saw.
type outcome struct {
	ok     bool
	detail string
}

// passed is a check that found the server as documented.
var passed = outcome{ok: true}

func failf(format string, args ...any) outcome {
	return outcome{detail: fmt.Sprintf(format, args...)}
}

func fail(err error) outcome { return outcome{detail: err.Error()} }

func checkCreateReturnsUUID(ctx context.Context, r *runner) outcome {
	p, err := r.customersPair(ctx)
	for _, c := range r.customers {
		if c.create == nil || c.create.Status != 200 {
			continue
		}
		m := c.create.json()
		if str(m["uuid"]) == "" {
			return failf("createCustomer answered 200 without a uuid (keys: %s)", strings.Join(keys(m), ", "))
		}
		if got := str(m["merchant_customer_id"]); got != c.mid {
			return failf("createCustomer answered merchant_customer_id %q, sent %q", got, c.mid)
		}
		if s := str(m["status"]); s != "approved" {
			return failf("createCustomer answered status %q, want approved", s)
		}
	}
	if err != nil {
		return fail(err)
	}
	if p.a.uuid == p.b.uuid {
		return failf("two creates answered the same uuid %q", p.a.uuid)
	}
	return passed
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (r *runner) snapshot() []*exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.exchanges)
}
