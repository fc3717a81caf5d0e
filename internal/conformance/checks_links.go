package conformance

import (
	"context"
	"reflect"
)

// Checks of the Pay By Link API.

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
