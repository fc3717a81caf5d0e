package mock

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/monri-go/monri/internal/ruletext"
)

// describe turns a kin-openapi validation error into Monri-style plain
// words: one "field: rule" per problem, joined with "; ", e.g.
// "order_info: length must be 3-100; amount: must be at least 1". It never
// quotes the offending value.
func describe(err error) string {
	var msgs []string
	add := func(m string) {
		if !slices.Contains(msgs, m) {
			msgs = append(msgs, m)
		}
	}
	collect(err, "", add)
	if len(msgs) == 0 {
		return "request: does not match the contract"
	}
	return strings.Join(msgs, "; ")
}

// collect walks err and calls add with each problem it finds. prefix is
// the name of the parameter or body the errors below it are about.
func collect(err error, prefix string, add func(string)) {
	switch e := err.(type) { //nolint:errorlint // walks the tree by each node's own type; default unwraps
	case nil:
	case openapi3.MultiError:
		for _, sub := range e {
			collect(sub, prefix, add)
		}
	case *openapi3filter.RequestError:
		collectRequestError(e, add)
	case *openapi3.SchemaError:
		collectSchemaError(e, prefix, add)
	case *openapi3filter.ParseError:
		// A body that is not JSON; parameters are handled by their RequestError.
		add(field(prefix, "body") + ": is not valid JSON")
	default:
		var se *openapi3.SchemaError
		if errors.As(err, &se) {
			collectSchemaError(se, prefix, add)
			return
		}
		add(field(prefix, "request") + ": is invalid")
	}
}

func collectRequestError(e *openapi3filter.RequestError, add func(string)) {
	if p := e.Parameter; p != nil {
		var se *openapi3.SchemaError
		var me openapi3.MultiError
		switch {
		case errors.As(e.Err, &me) || errors.As(e.Err, &se):
			collect(e.Err, p.Name, add)
		case p.Schema != nil && p.Schema.Value != nil:
			// Not parsable as the parameter's type (ParseError), or empty.
			add(p.Name + ": must be " + typeWords(p.Schema.Value))
		default:
			add(p.Name + ": is invalid")
		}
		return
	}
	if e.RequestBody != nil {
		switch {
		case errors.Is(e.Err, openapi3filter.ErrInvalidRequired):
			add("body: is required")
		case e.Err == nil:
			// kin-openapi reports a Content-Type it has no schema for this way.
			add("Content-Type: must be application/json")
		default:
			collect(e.Err, "", add)
		}
		return
	}
	if e.Err != nil {
		collect(e.Err, "", add)
		return
	}
	add("request: is invalid")
}

// field joins a parameter name and a JSON pointer into a dotted field name:
// metadata.key, supported_payment_methods[0]. whole names the value itself
// when both are empty.
func field(prefix string, whole string, pointer ...string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, p := range pointer {
		if _, err := strconv.Atoi(p); err == nil && b.Len() > 0 {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	if b.Len() == 0 {
		return whole
	}
	return b.String()
}

func collectSchemaError(e *openapi3.SchemaError, prefix string, add func(string)) {
	ptr := e.JSONPointer()
	name := field(prefix, "body", ptr...)
	s := e.Schema
	if s == nil {
		s = &openapi3.Schema{}
	}
	if rule := ruletext.Rule(e); rule != "" {
		// For "required", kin-openapi puts the missing property last in the pointer.
		add(name + ": " + rule)
		return
	}
	switch e.SchemaField {
	case "properties", "additionalProperties":
		if obj, ok := e.Value.(map[string]any); ok {
			var unknown []string
			for k := range obj {
				if _, known := s.Properties[k]; !known {
					unknown = append(unknown, k)
				}
			}
			slices.Sort(unknown)
			for _, k := range unknown {
				add(field(prefix, "body", append(slices.Clone(ptr), k)...) + ": is not allowed")
			}
			if len(unknown) > 0 {
				return
			}
		}
		add(name + ": has a property that is not allowed")
	case "pattern":
		add(name + ": must match " + s.Pattern)
	case "type", "nullable":
		add(name + ": must be " + typeWords(s))
	case "format":
		add(name + ": must be a valid " + s.Format)
	case "oneOf", "anyOf":
		alts := s.OneOf
		if e.SchemaField == "anyOf" {
			alts = s.AnyOf
		}
		words := make([]string, 0, len(alts))
		for _, a := range alts {
			if a != nil && a.Value != nil {
				words = append(words, schemaWords(a.Value))
			}
		}
		if len(words) == 0 {
			add(name + ": is invalid")
			return
		}
		add(name + ": must be " + strings.Join(words, " or "))
	case "minItems", "maxItems":
		add(name + ": must have " + ruletext.Range(s.MinItems, s.MaxItems) + " items")
	case "minProperties", "maxProperties":
		add(name + ": must have " + ruletext.Range(s.MinProps, s.MaxProps) + " properties")
	case "uniqueItems":
		add(name + ": items must be unique")
	default:
		add(name + ": is invalid")
	}
}

// typeWords is the noun phrase for a schema's type, "an integer", with
// "or null" when the schema is nullable.
func typeWords(s *openapi3.Schema) string {
	w := baseTypeWords(s)
	if s.Nullable {
		w += " or null"
	}
	return w
}

func baseTypeWords(s *openapi3.Schema) string {
	if s.Type == nil || len(*s.Type) == 0 {
		return "a valid value"
	}
	words := make([]string, 0, len(*s.Type))
	for _, t := range *s.Type {
		switch t {
		case openapi3.TypeInteger:
			words = append(words, "an integer")
		case openapi3.TypeObject:
			words = append(words, "an object")
		case openapi3.TypeArray:
			words = append(words, "an array")
		default:
			words = append(words, "a "+t)
		}
	}
	return strings.Join(words, " or ")
}

// schemaWords describes a oneOf alternative: `an integer 2-12`, `""`.
// An enum with a minimum and maximum (Installments' 2..12) reads as the range.
func schemaWords(s *openapi3.Schema) string {
	if len(s.Enum) > 0 && (s.Min == nil || s.Max == nil) {
		quoted := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			quoted[i] = ruletext.JSON(v)
		}
		return strings.Join(quoted, " or ")
	}
	w := baseTypeWords(s)
	switch {
	case s.Min != nil && s.Max != nil:
		w += " " + ruletext.Bound(s.Min) + "-" + ruletext.Bound(s.Max)
	case s.Min != nil:
		w += " of at least " + ruletext.Bound(s.Min)
	case s.Max != nil:
		w += " of at most " + ruletext.Bound(s.Max)
	}
	if s.MinLength > 0 || s.MaxLength != nil {
		w += " of length " + ruletext.Length(s)
	}
	return w
}
