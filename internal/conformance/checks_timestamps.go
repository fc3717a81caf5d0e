package conformance

import (
	"context"
	"fmt"
	"strings"

	"github.com/monri-go/monri/wire"
)

// The timestamp check: every timestamp in an answer parses with wire's layouts.

// isTimestampKey says whether a member of Monri's answers holds a timestamp.
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
