package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/spf13/cobra"

	"github.com/monri-go/monri/internal/ruletext"
	"github.com/monri-go/monri/openapi"
)

// The embedded contract checks a request body before it is sent, so what
// the server would refuse is reported locally, once per field, with the
// flag that set it; and it lists the values that shell completion offers.

// contract loads the embedded contract once.
var contract = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.YAML())
	if err != nil {
		return nil, fmt.Errorf("load the embedded contract: %w", err)
	}
	return doc, nil
})

// schema returns the named component schema of the contract.
func schema(name string) (*openapi3.Schema, error) {
	doc, err := contract()
	if err != nil {
		return nil, err
	}
	ref := doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("the embedded contract has no schema %s", name)
	}
	return ref.Value, nil
}

// enumValues lists a schema's enum values, for completion.
func enumValues(name string) []string {
	s, err := schema(name)
	if err != nil {
		return nil
	}
	var out []string
	for _, v := range s.Enum {
		if str, ok := v.(string); ok {
			out = append(out, str)
		}
	}
	return out
}

// completeEnum registers completion of flag with the values of the
// contract's enum schema.
func completeEnum(cmd *cobra.Command, flag, schemaName string) {
	completeValues(cmd, flag, func() []string { return enumValues(schemaName) })
}

// completeValues registers completion of flag with fixed values.
func completeValues(cmd *cobra.Command, flag string, values func() []string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values(), cobra.ShellCompDirectiveNoFileComp
	})
}

// flagsOf maps a body's top-level JSON field names to the flags that set
// them, and says whether a flag was given.
type flagsOf struct {
	names   map[string]string // json field -> flag name
	changed func(string) bool
	// absent reports whether a field was given neither in --data nor by
	// its flag, so that a zero value reads as missing, not as too short.
	absent func(field string) bool
}

// checkBody validates body (a params value) against the named schema and
// returns one usage error listing each field's first problem.
func checkBody(schemaName string, body any, flags flagsOf) error {
	s, err := schema(schemaName)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encode the request: %w", err)
	}
	var value map[string]any
	if err := json.Unmarshal(raw, &value); err != nil {
		return fmt.Errorf("encode the request: %w", err)
	}
	for _, field := range s.Required {
		if flags.absent != nil && flags.absent(field) {
			delete(value, field)
		}
	}
	err = s.VisitJSON(value, openapi3.VisitAsRequest(), openapi3.MultiErrors())
	if err == nil {
		return nil
	}
	problems := map[string]string{} // field -> its first problem
	var order []string
	walkSchemaErrors(err, func(field, rule string) {
		prev, seen := problems[field]
		switch {
		case !seen:
			order = append(order, field)
		case strings.HasPrefix(prev, "length") && !strings.HasPrefix(rule, "length"):
			// A pattern's words say more than its length does: currency, country.
		default:
			return
		}
		problems[field] = rule
	})
	slices.Sort(order)
	lines := make([]string, 0, len(order))
	for _, field := range order {
		lines = append(lines, flags.word(field, problems[field]))
	}
	if len(lines) == 1 {
		return usagef("%s; nothing was sent", lines[0])
	}
	return usagef("%d problems, nothing was sent:\n  %s", len(lines), strings.Join(lines, "\n  "))
}

// word names a field by its flag when the flag set it or could have.
func (f flagsOf) word(field, rule string) string {
	top, _, _ := strings.Cut(field, ".")
	flag, hasFlag := f.names[top]
	switch {
	case rule == "is required" && hasFlag && top == field:
		return fmt.Sprintf("--%s is required (or %q in --data)", flag, field)
	case hasFlag && top == field && f.changed(flag):
		return fmt.Sprintf("--%s: %s", flag, rule)
	}
	return fmt.Sprintf("%q in --data: %s", field, rule)
}

// walkSchemaErrors calls add with each field and its rule in plain words.
func walkSchemaErrors(err error, add func(field, rule string)) {
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		for _, e := range multi {
			walkSchemaErrors(e, add)
		}
		return
	}
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		add("body", "is invalid")
		return
	}
	field := strings.Join(se.JSONPointer(), ".")
	if field == "" {
		field = "body"
	}
	if rule := ruletext.Rule(se); rule != "" {
		add(field, rule)
		return
	}
	s := se.Schema
	if s == nil {
		s = &openapi3.Schema{}
	}
	switch se.SchemaField {
	case "additionalProperties", "properties":
		add(field, "is not a field of this request")
	case "pattern":
		add(field, patternWords(field, s.Pattern))
	case "type":
		add(field, "has the wrong type")
	default:
		add(field, "does not match the contract ("+se.SchemaField+")")
	}
}

// patternWords says what a pattern means for the fields that have one.
func patternWords(field, pattern string) string {
	switch {
	case field == "currency":
		return "must be an ISO 4217 code in capitals, e.g. EUR"
	case strings.HasSuffix(field, "country"):
		return "must be an ISO 3166-1 code in capitals, e.g. BA or BIH, or its 3-digit number"
	}
	return "must match " + pattern
}
