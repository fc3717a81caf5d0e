package ruletext

import "reflect"

// Kind is the kind of JSON value a Go type decodes from, for a message
// that says what a field must be without naming a Go type.
type Kind int

// The kinds of JSON value.
const (
	Other Kind = iota
	Integer
	Number
	String
	Boolean
	Array
	Object
)

// KindOf is the kind of JSON value t (or what t points to) decodes from;
// Other for nil and for types JSON has no plain kind for.
func KindOf(t reflect.Type) Kind {
	t = Deref(t)
	if t == nil {
		return Other
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return Integer
	case reflect.Float32, reflect.Float64:
		return Number
	case reflect.String:
		return String
	case reflect.Bool:
		return Boolean
	case reflect.Slice, reflect.Array:
		return Array
	case reflect.Map, reflect.Struct:
		return Object
	}
	return Other
}

// Deref is t without its pointers; nil stays nil.
func Deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}
