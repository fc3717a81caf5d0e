// Package ruletext words a contract rule that a value broke, as the mock's
// answers and the CLI's messages both say it: "length must be 3-100",
// "must be at least 1", "must be one of EUR, BAM". It holds only the words
// the two share; each keeps the words that are its own (the CLI names
// flags, the mock names parameters).
package ruletext

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Rule words the rule a kin-openapi schema error reports, without the
// field's name, for the rules worded alike everywhere: required, lengths,
// bounds and enums. It returns "" for any other rule, which the caller
// words itself.
func Rule(se *openapi3.SchemaError) string {
	s := se.Schema
	if s == nil {
		s = &openapi3.Schema{}
	}
	switch se.SchemaField {
	case "required":
		return "is required"
	case "minLength", "maxLength":
		return "length must be " + Length(s)
	case "minimum":
		return "must be at least " + Bound(s.Min)
	case "maximum":
		return "must be at most " + Bound(s.Max)
	case "enum":
		return "must be one of " + Values(s.Enum, ", ")
	}
	return ""
}

// Range words the bounds lo and hi (nil: none): "3", "3-100",
// "at most 100", "at least 3".
func Range(lo uint64, hi *uint64) string {
	switch {
	case hi != nil && lo > 0 && lo == *hi:
		return strconv.FormatUint(lo, 10)
	case hi != nil && lo > 0:
		return fmt.Sprintf("%d-%d", lo, *hi)
	case hi != nil:
		return "at most " + strconv.FormatUint(*hi, 10)
	default:
		return "at least " + strconv.FormatUint(lo, 10)
	}
}

// Length words a schema's length bounds, as Range does.
func Length(s *openapi3.Schema) string { return Range(s.MinLength, s.MaxLength) }

// Bound words a schema's numeric bound; "?" when there is none.
func Bound(p *float64) string {
	if p == nil {
		return "?"
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

// Values words enum values joined with sep: a string as it is, anything
// else as JSON ("" quoted, null).
func Values(values []any, sep string) string {
	words := make([]string, len(values))
	for i, v := range values {
		if s, ok := v.(string); ok && s != "" {
			words[i] = s
		} else {
			words[i] = JSON(v)
		}
	}
	return strings.Join(words, sep)
}

// JSON words one enum value as JSON: a quoted string, null, or the number
// or boolean itself.
func JSON(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}
