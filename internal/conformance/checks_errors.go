package conformance

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
)

// Checks of the error answers: signature, unknown identifiers, lengths.

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

// newUUID returns a random version 4 UUID, one no server has handed out.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
