package spectest_test

import (
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
)

// walkSchema calls fn for s and every schema reachable from it, once each.
func walkSchema(s *openapi3.SchemaRef, seen map[*openapi3.Schema]bool, fn func(*openapi3.Schema)) {
	if s == nil || s.Value == nil || seen[s.Value] {
		return
	}
	seen[s.Value] = true
	fn(s.Value)
	for _, p := range s.Value.Properties {
		walkSchema(p, seen, fn)
	}
	for _, group := range [][]*openapi3.SchemaRef{s.Value.AllOf, s.Value.OneOf, s.Value.AnyOf} {
		for _, part := range group {
			walkSchema(part, seen, fn)
		}
	}
	walkSchema(s.Value.Items, seen, fn)
	if s.Value.AdditionalProperties.Schema != nil {
		walkSchema(s.Value.AdditionalProperties.Schema, seen, fn)
	}
}

// nullableOptional lists "schema.property" for every nullable property an
// object schema does not require.
func nullableOptional(s *openapi3.Schema) []string {
	var out []string
	for name, p := range s.Properties {
		if p.Value != nil && p.Value.Nullable && !contains(s.Required, name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestAnswersHaveOneNullabilityRule: in every schema an operation answers
// with, a nullable field is required (always sent, null when it has no
// value) and an optional one is not nullable (left out, never null), the
// rule README's "For other teams" promises. Examples and the mock's answers
// follow it because they validate against these schemas.
func TestAnswersHaveOneNullabilityRule(t *testing.T) {
	doc := load(t)
	seen := map[*openapi3.Schema]bool{}
	checked := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for status, resp := range op.Responses.Map() {
				for _, media := range resp.Value.Content {
					walkSchema(media.Schema, seen, func(s *openapi3.Schema) {
						checked++
						if bad := nullableOptional(s); len(bad) > 0 {
							t.Errorf("%s %s %s: %v nullable but optional (title %q): require them or drop nullable", method, path, status, bad, s.Title)
						}
					})
				}
			}
		}
	}
	assert.Greater(t, checked, 10, "the walk reached too few schemas to prove anything")

	// The rule itself catches a nullable optional field.
	bad := &openapi3.Schema{Properties: openapi3.Schemas{
		"a": {Value: &openapi3.Schema{Nullable: true}},
		"b": {Value: &openapi3.Schema{Nullable: true}},
		"c": {Value: &openapi3.Schema{}},
	}, Required: []string{"a"}}
	assert.Equal(t, []string{"b"}, nullableOptional(bad))
}
