package main

import (
	"sort"

	"github.com/monri-go/monri/wire"
)

func ptr[T any](v T) *T { return &v }

// deref prints an absent field as an empty string.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func fmtTime(ts *wire.Timestamp) string {
	if ts == nil {
		return ""
	}
	return ts.String()
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
