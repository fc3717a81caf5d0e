package conformance

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/monri-go/monri/wire"
)

// Checks of the Customers API.

func checkGetAgree(ctx context.Context, r *runner) outcome {
	p, err := r.customersPair(ctx)
	if err != nil {
		return fail(err)
	}
	byUUID, err := r.get(ctx, "/v2/customers/"+p.a.uuid)
	if err != nil {
		return fail(err)
	}
	byMID, err := r.get(ctx, "/v2/merchants/customers/"+p.a.mid)
	if err != nil {
		return fail(err)
	}
	if d := diffKeys(byUUID, byMID); len(d) > 0 {
		return failf("get by uuid and by merchant_customer_id differ in %s", strings.Join(d, ", "))
	}
	if idOf(byUUID) != p.a.uuid {
		return failf("get by uuid answered the customer %q, asked for %q", idOf(byUUID), p.a.uuid)
	}
	return passed
}

func checkUpdateOnlySent(ctx context.Context, r *runner) outcome {
	p, err := r.customersPair(ctx)
	if err != nil {
		return fail(err)
	}
	target := "/v2/customers/" + p.a.uuid
	before, err := r.get(ctx, target)
	if err != nil {
		return fail(err)
	}
	const desc = "monri-go conformance run, updated"
	x, err := r.send(ctx, "POST", target, map[string]any{"description": desc}, sendOpts{})
	if err != nil {
		return fail(err)
	}
	if x.Status != 200 {
		return failf("updateCustomer answered %d: %s", x.Status, errorMessage(x))
	}
	after, err := r.get(ctx, target)
	if err != nil {
		return fail(err)
	}
	for what, m := range map[string]map[string]any{"the update's answer": x.json(), "a later get": after} {
		if got := str(m["description"]); got != desc {
			return failf("%s has description %q, sent %q", what, got, desc)
		}
		if d := diffKeys(before, m, "description", "updated_at"); len(d) > 0 {
			return failf("%s changed fields not sent: %s", what, strings.Join(d, ", "))
		}
	}
	return passed
}

// listPage fetches one page of customers.
func (r *runner) listPage(ctx context.Context, limit, offset int) ([]map[string]any, error) {
	m, err := r.get(ctx, fmt.Sprintf("/v2/customers?limit=%d&offset=%d", limit, offset))
	if err != nil {
		return nil, err
	}
	return items(m)
}

func checkListNewestFirst(ctx context.Context, r *runner) outcome {
	p, err := r.customersPair(ctx)
	if err != nil {
		return fail(err)
	}
	page, err := r.listPage(ctx, 10, 0)
	if err != nil {
		return fail(err)
	}
	for i := 1; i < len(page); i++ {
		prev, err1 := wire.ParseTimestamp(str(page[i-1]["created_at"]))
		cur, err2 := wire.ParseTimestamp(str(page[i]["created_at"]))
		if err1 == nil && err2 == nil && cur.After(prev.Time) {
			return failf("data[%d] was created after data[%d] (%s > %s): not newest first", i, i-1, cur, prev)
		}
	}
	ia := slices.IndexFunc(page, func(m map[string]any) bool { return idOf(m) == p.a.uuid })
	ib := slices.IndexFunc(page, func(m map[string]any) bool { return idOf(m) == p.b.uuid })
	switch {
	case ia < 0 || ib < 0:
		return failf("the two customers just created are not both on the first page of 10 (positions %d, %d)", ia, ib)
	case ib > ia:
		return failf("the newer customer is at data[%d], after the older one at data[%d]: not newest first", ib, ia)
	}
	return passed
}

func checkListPages(ctx context.Context, r *runner) outcome {
	if _, err := r.customersPair(ctx); err != nil {
		return fail(err)
	}
	two, err := r.listPage(ctx, 2, 0)
	if err != nil {
		return fail(err)
	}
	if len(two) != 2 {
		return failf("limit=2 answered %d items with at least 2 customers", len(two))
	}
	for offset := range 2 {
		one, err := r.listPage(ctx, 1, offset)
		if err != nil {
			return fail(err)
		}
		if len(one) != 1 {
			return failf("limit=1&offset=%d answered %d items", offset, len(one))
		}
		if idOf(one[0]) != idOf(two[offset]) {
			return failf("limit=1&offset=%d answered %q, but item %d of limit=2&offset=0 is %q: offset not applied", offset, idOf(one[0]), offset, idOf(two[offset]))
		}
	}
	return passed
}

func checkListItemsID(ctx context.Context, r *runner) outcome {
	page, err := r.listPage(ctx, 10, 0)
	if err != nil {
		return fail(err)
	}
	for i, m := range page {
		if str(m["id"]) == "" {
			return failf("data[%d] has no id (keys: %s)", i, strings.Join(keys(m), ", "))
		}
	}
	if len(page) == 0 {
		return outcome{ok: true, detail: "nothing to check: the first page is empty"}
	}
	return passed
}

func checkPaymentMethodsPage(ctx context.Context, r *runner) outcome {
	p, err := r.customersPair(ctx)
	if err != nil {
		return fail(err)
	}
	for offset := range 2 {
		m, err := r.get(ctx, fmt.Sprintf("/v2/customers/%s/payment-methods?limit=1&offset=%d", p.a.uuid, offset))
		if err != nil {
			return fail(err)
		}
		page, err := items(m)
		if err != nil {
			return fail(err)
		}
		if len(page) > 1 {
			return failf("limit=1 answered %d payment methods", len(page))
		}
		for i, pm := range page {
			if str(pm["id"]) == "" {
				return failf("data[%d] has no id", i)
			}
		}
	}
	return passed
}

func checkDelete(ctx context.Context, r *runner) outcome {
	p, err := r.customersPair(ctx)
	if err != nil {
		return fail(err)
	}
	x, err := r.send(ctx, "DELETE", "/v2/customers/"+p.a.uuid, nil, sendOpts{})
	if err != nil {
		return fail(err)
	}
	if x.Status != 200 {
		return failf("deleteCustomer answered %d: %s", x.Status, errorMessage(x))
	}
	p.a.deleted = true
	m := x.json()
	switch {
	case m["deleted"] != true:
		return failf("deleteCustomer answered deleted %v, want true", m["deleted"])
	case str(m["status"]) != "approved":
		return failf("deleteCustomer answered status %q, want approved", str(m["status"]))
	case idOf(m) != p.a.uuid:
		return failf("deleteCustomer answered id %q, deleted %q", idOf(m), p.a.uuid)
	}
	page, err := r.listPage(ctx, 50, 0)
	if err != nil {
		return fail(err)
	}
	if i := slices.IndexFunc(page, func(m map[string]any) bool { return idOf(m) == p.a.uuid }); i >= 0 {
		return failf("the deleted customer is still listed at data[%d]", i)
	}
	return passed
}
