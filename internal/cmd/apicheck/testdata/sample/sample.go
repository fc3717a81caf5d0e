// Package sample holds one declaration of each kind apicheck lists.
package sample

import (
	"context"
	"errors"
	"net/http"
)

// Kind is an enum.
type Kind uint8

// Kinds.
const (
	KindA Kind = iota
	KindB
	kindHidden
)

// Named constants and variables.
const (
	Name        = "sample"
	Typed  Kind = 7
	hidden      = 1
)

// ErrX and Default are variables.
var (
	ErrX    = errors.New("a message that is not API")
	Default = Options{Retries: 2}
	Ptr     = &Options{}
	Fn      = func() {}
	unused  int
)

// Options is a struct with exported, unexported and embedded fields.
type Options struct {
	Retries int `json:"retries"`
	Hook    func(ctx context.Context, r *http.Request) error
	http.Header
	secret string
}

// Alias is an alias.
type Alias = Options

// Doer is an interface.
type Doer interface {
	Do(r *http.Request) (*http.Response, error)
	context.Context
}

// Set is generic.
type Set[T comparable] map[T]struct{}

// New is a function.
func New(name string, opts ...Options) (*Options, error) { return nil, nil }

// Map is generic.
func Map[T, U any](in []T, f func(T) U) []U { return nil }

// Apply is a method.
func (o *Options) Apply(a, b int) (n int, err error) { return 0, nil }

// Has is a method on a generic type.
func (s Set[T]) Has(v T) bool { return false }

func (o *Options) hidden() {}

type internal struct{}

// Exported is unreachable: its receiver is unexported.
func (internal) Exported() {}
