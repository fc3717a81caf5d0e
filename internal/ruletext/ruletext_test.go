package ruletext

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
)

func TestRule(t *testing.T) {
	one, hundred, three := 1.0, uint64(100), uint64(3)
	cases := []struct {
		field  string
		schema *openapi3.Schema
		want   string
	}{
		{"required", nil, "is required"},
		{"minLength", &openapi3.Schema{MinLength: 3, MaxLength: &hundred}, "length must be 3-100"},
		{"maxLength", &openapi3.Schema{MinLength: 3, MaxLength: &three}, "length must be 3"},
		{"maxLength", &openapi3.Schema{MaxLength: &hundred}, "length must be at most 100"},
		{"minLength", &openapi3.Schema{MinLength: 3}, "length must be at least 3"},
		{"minimum", &openapi3.Schema{Min: &one}, "must be at least 1"},
		{"maximum", &openapi3.Schema{}, "must be at most ?"},
		{"enum", &openapi3.Schema{Enum: []any{"EUR", "BAM", "", nil, 2.5}}, `must be one of EUR, BAM, "", null, 2.5`},
		{"pattern", &openapi3.Schema{Pattern: "^[A-Z]{3}$"}, ""},
		{"type", nil, ""},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, Rule(&openapi3.SchemaError{SchemaField: c.field, Schema: c.schema}), c.field)
	}
}

func TestKindOf(t *testing.T) {
	var n *int64
	cases := []struct {
		t    reflect.Type
		want Kind
	}{
		{reflect.TypeOf(int64(0)), Integer},
		{reflect.TypeOf(uint8(0)), Integer},
		{reflect.TypeOf(n), Integer},
		{reflect.TypeOf(&n), Integer},
		{reflect.TypeOf(0.5), Number},
		{reflect.TypeOf(""), String},
		{reflect.TypeOf(true), Boolean},
		{reflect.TypeOf([]string{}), Array},
		{reflect.TypeOf([2]int{}), Array},
		{reflect.TypeOf(map[string]any{}), Object},
		{reflect.TypeOf(json.Number("")), String},
		{reflect.TypeOf(struct{}{}), Object},
		{reflect.TypeOf(func() {}), Other},
		{nil, Other},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, KindOf(c.t), "%v", c.t)
	}
	assert.Nil(t, Deref(nil))
	assert.Equal(t, reflect.TypeOf(int64(0)), Deref(reflect.TypeOf(&n)))
}
