package conformance

import (
	"context"
	"crypto/rand"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/monri-go/monri/wire"
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

func checkLinkKeepsID(ctx context.Context, r *runner) outcome {
	l, err := r.payByLink(ctx)
	if err != nil {
		return fail(err)
	}
	first := l.create.json()
	if s := str(first["status"]); s != "created" {
		return failf("the first create-or-update answered status %q, want created", s)
	}
	if l.id == nil {
		return failf("the first create-or-update answered no id")
	}
	const info = "monri-go conformance run, updated"
	_, m, err := r.upsertLink(ctx, l, map[string]any{"order_info": info})
	if err != nil {
		return fail(err)
	}
	switch {
	case str(m["status"]) != "updated":
		return failf("the second create-or-update answered status %q, want updated", str(m["status"]))
	case !reflect.DeepEqual(m["id"], l.id):
		return failf("the second create-or-update answered id %v, the first %v", m["id"], l.id)
	case str(m["order_info"]) != info:
		return failf("the second create-or-update answered order_info %q, sent %q", str(m["order_info"]), info)
	}
	return passed
}

func checkLinkShow(ctx context.Context, r *runner) outcome {
	l, err := r.payByLink(ctx)
	if err != nil {
		return fail(err)
	}
	m, err := r.get(ctx, "/v2/terminal-entry/"+l.orderNumber+"/show")
	if err != nil {
		return fail(err)
	}
	switch {
	case str(m["status"]) != "approved":
		return failf("show answered status %q, want approved", str(m["status"]))
	case str(m["order_number"]) != l.orderNumber:
		return failf("show answered order_number %q, asked for %q", str(m["order_number"]), l.orderNumber)
	case !reflect.DeepEqual(m["id"], l.id):
		return failf("show answered id %v, create-or-update %v", m["id"], l.id)
	}
	return passed
}

func checkLinkActive(ctx context.Context, r *runner) outcome {
	l, err := r.payByLink(ctx)
	if err != nil {
		return fail(err)
	}
	for _, want := range []bool{false, true} {
		_, m, err := r.upsertLink(ctx, l, map[string]any{"active": want})
		if err != nil {
			return fail(err)
		}
		if got, ok := m["active"].(bool); !ok || got != want {
			return failf("create-or-update with active:%v answered active %v", want, m["active"])
		}
		shown, err := r.get(ctx, "/v2/terminal-entry/"+l.orderNumber+"/show")
		if err != nil {
			return fail(err)
		}
		if got, ok := shown["active"].(bool); !ok || got != want {
			return failf("after active:%v, show answered active %v", want, shown["active"])
		}
	}
	return passed
}

func checkWrongSignature(ctx context.Context, r *runner) outcome {
	x, err := r.send(ctx, "GET", "/v2/customers?limit=1&offset=0", nil, sendOpts{badSignature: true})
	if err != nil {
		return fail(err)
	}
	if x.Status != 401 {
		return failf("a request signed with a wrong merchant key answered %d, want 401", x.Status)
	}
	if s := errorShape(x); s != "" {
		return failf("%s%s", "the 401 is not in Monri's error shape: ", s)
	}
	return passed
}

func checkUnknownUUID(ctx context.Context, r *runner) outcome {
	x, err := r.send(ctx, "GET", "/v2/customers/"+newUUID(), nil, sendOpts{})
	if err != nil {
		return fail(err)
	}
	if x.Status != 404 {
		return failf("get of an unknown uuid answered %d, want 404", x.Status)
	}
	if s := errorShape(x); s != "" {
		return failf("%s%s", "the 404 is not in Monri's error shape: ", s)
	}
	return passed
}

func checkLengthViolation(ctx context.Context, r *runner) outcome {
	mid := r.name()
	body := map[string]any{"merchant_customer_id": mid, "name": strings.Repeat("x", 51)}
	x, err := r.send(ctx, "POST", "/v2/customers", body, sendOpts{invalidOnPurpose: true})
	if err != nil {
		r.customers = append(r.customers, &madeCustomer{mid: mid}) // it may exist: cleanup looks
		return fail(err)
	}
	if x.Status == 200 || x.Status >= 500 {
		r.customers = append(r.customers, &madeCustomer{mid: mid, uuid: idOf(x.json()), create: x})
	}
	if x.Status != 400 {
		return failf("create with a 51-character name (maxLength 50) answered %d, want 400", x.Status)
	}
	if s := errorShape(x); s != "" {
		return failf("%s%s", "the 400 is not in Monri's error shape: ", s)
	}
	if !strings.Contains(strings.ToLower(str(x.json()["message"])), "name") {
		return failf("the 400's message does not name the field name: %q", errorMessage(x))
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

// timestampKeys are the fields holding timestamps in Monri's answers.
func isTimestampKey(k string) bool { return strings.HasSuffix(k, "_at") || k == "keep_until" }

func checkTimestamps(ctx context.Context, r *runner) outcome {
	if _, err := r.listPage(ctx, 10, 0); err != nil {
		return fail(err)
	}
	var bad []string
	seen := 0
	for _, x := range r.snapshot() {
		if x.Status != 200 {
			continue
		}
		walk(x.json(), "", func(ptr, k string, v any) {
			s, ok := v.(string)
			if !ok || !isTimestampKey(k) {
				return
			}
			seen++
			if _, err := wire.ParseTimestamp(s); err != nil && len(bad) < 5 {
				bad = append(bad, fmt.Sprintf("%s %s %q", x.Operation, ptr, s))
			}
		})
	}
	if len(bad) > 0 {
		return failf("not in any of wire's layouts: %s", strings.Join(bad, "; "))
	}
	if seen == 0 {
		return outcome{ok: true, detail: "nothing to check: no answer held a timestamp"}
	}
	return passed
}

// walk calls f for every object member under v, with its JSON pointer.
func walk(v any, ptr string, f func(ptr, key string, v any)) {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			p := ptr + "/" + k
			f(p, k, c)
			walk(c, p, f)
		}
	case []any:
		for i, c := range t {
			walk(c, fmt.Sprintf("%s/%d", ptr, i), f)
		}
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// newUUID returns a random version 4 UUID, one no server has handed out.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func (r *runner) snapshot() []*exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.exchanges)
}
