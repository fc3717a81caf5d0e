package monri

import (
	"fmt"
	"iter"
)

// paginate walks limit/offset pages until an empty page or an error. key
// identifies an item; an item whose key was already yielded is skipped
// (an empty key is never skipped), and a page with nothing new ends the
// walk with an error.
func paginate[T any](params *ListParams, key func(T) string, page func(*ListParams) ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		limit, offset := DefaultPageSize, 0
		if params != nil && params.Limit != nil {
			limit = *params.Limit
		}
		if params != nil && params.Offset != nil {
			offset = *params.Offset
		}
		if limit <= 0 || offset < 0 {
			yield(zero, fmt.Errorf("monri: ListAll: limit must be positive and offset non-negative, got limit %d offset %d", limit, offset))
			return
		}
		seen := map[string]struct{}{}
		for {
			items, err := page(&ListParams{Limit: &limit, Offset: &offset})
			if err != nil {
				yield(zero, err)
				return
			}
			if len(items) == 0 {
				return
			}
			fresh := 0
			for _, item := range items {
				if k := key(item); k != "" {
					if _, dup := seen[k]; dup {
						continue
					}
					seen[k] = struct{}{}
				}
				fresh++
				if !yield(item, nil) {
					return
				}
			}
			if fresh == 0 {
				yield(zero, fmt.Errorf("monri: ListAll: the page at offset %d holds only items already yielded: the list moved by a page or more during the walk, or the server ignores offset; walk again", offset))
				return
			}
			offset += len(items)
		}
	}
}
