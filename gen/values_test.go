package gen_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/openapi"
)

// properties merges a schema's own required fields and properties with its
// allOf parts'.
func properties(s *openapi3.Schema, required map[string]bool, props map[string]*openapi3.Schema) {
	for _, part := range s.AllOf {
		properties(part.Value, required, props)
	}
	for _, r := range s.Required {
		required[r] = true
	}
	for name, p := range s.Properties {
		props[name] = p.Value
	}
}

// TestAlwaysPresentResponseFieldsAreValues: a response field the contract
// requires and does not allow to be null is a plain Go value, not a
// pointer, so a caller reads cust.UUID as a string. A nullable or optional
// one is a pointer (or a slice or map, where nil means absent).
func TestAlwaysPresentResponseFieldsAreValues(t *testing.T) {
	doc, err := openapi.Load()
	require.NoError(t, err)
	for schema, typ := range map[string]reflect.Type{
		"Customer":          reflect.TypeOf(gen.Customer{}),
		"CustomerListItem":  reflect.TypeOf(gen.CustomerListItem{}),
		"CustomerList":      reflect.TypeOf(gen.CustomerList{}),
		"DeletedCustomer":   reflect.TypeOf(gen.DeletedCustomer{}),
		"PayByLink":         reflect.TypeOf(gen.PayByLink{}),
		"PaymentMethod":     reflect.TypeOf(gen.PaymentMethod{}),
		"PaymentMethodList": reflect.TypeOf(gen.PaymentMethodList{}),
		"MonriError":        reflect.TypeOf(gen.MonriError{}),
		"Callback":          reflect.TypeOf(gen.Callback{}),
	} {
		ref, ok := doc.Components.Schemas[schema]
		require.True(t, ok, schema)
		required, props := map[string]bool{}, map[string]*openapi3.Schema{}
		properties(ref.Value, required, props)
		fields := map[string]reflect.StructField{}
		for i := range typ.NumField() {
			f := typ.Field(i)
			key, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			fields[key] = f
		}
		for name, p := range props {
			f, ok := fields[name]
			if !ok {
				t.Errorf("%s.%s has no Go field", schema, name)
				continue
			}
			pointer := f.Type.Kind() == reflect.Pointer
			always := required[name] && !p.Nullable
			if always && pointer {
				t.Errorf("%s.%s is always present but %s.%s is %s: skip the optional pointer", schema, name, typ.Name(), f.Name, f.Type)
			}
			if !always && !pointer && f.Type.Kind() != reflect.Slice && f.Type.Kind() != reflect.Map {
				t.Errorf("%s.%s may be absent or null but %s.%s is %s: absence would read as a zero value", schema, name, typ.Name(), f.Name, f.Type)
			}
		}
	}
}
