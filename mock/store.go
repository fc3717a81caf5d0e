package mock

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"
)

// failure is an answer other than 200 that a store operation chose: a 400
// or 404 with Monri's message.
type failure struct {
	status  int
	message string
}

func (f *failure) Error() string { return f.message }

func notFound(msg string) *failure   { return &failure{status: http.StatusNotFound, message: msg} }
func badRequest(msg string) *failure { return &failure{status: http.StatusBadRequest, message: msg} }
func conflict(msg string) *failure   { return &failure{status: http.StatusConflict, message: msg} }

var (
	errNoCustomer      = notFound("uuid: no customer with this uuid")
	errCustomerDeleted = notFound("uuid: the customer is deleted")
	errNoMerchantID    = notFound("merchant_customer_id: no customer with this merchant_customer_id")
	errNoLink          = notFound("order_number: no payment link with this order number")
	errLinkPaid        = conflict("order_number: the payment link is already paid")
	errLinkInactive    = conflict("order_number: the payment link is deactivated")
	errLinkExpired     = conflict("order_number: the payment link has expired")
	errDuplicateMCID   = badRequest("merchant_customer_id: already exists")
)

func ptr[T any](v T) *T { return &v }

// store is the mock's state, guarded by one RWMutex.
type store struct {
	clock func() time.Time

	mu        sync.RWMutex
	seq       uint64
	all       []*customer // creation order
	live      []*customer // not deleted, ascending (createdAt, seq)
	byUUID    map[string]*customer
	byMerchID map[string]*customer // live customers only
	links     []*link              // id order: links[i].id == i+1
	byOrder   map[string]*link
	payments  int64 // how many links were paid
}

func newStore(clock func() time.Time) *store {
	return &store{
		clock:     clock,
		byUUID:    make(map[string]*customer),
		byMerchID: make(map[string]*customer),
		byOrder:   make(map[string]*link),
	}
}

// insertSorted inserts v into s, kept ascending by less. With a clock that
// does not go backwards, this is an append.
func insertSorted[T any](s []T, v T, less func(a, b T) bool) []T {
	n := len(s)
	if n == 0 || !less(v, s[n-1]) {
		return append(s, v)
	}
	i := sort.Search(n, func(i int) bool { return less(v, s[i]) })
	return slices.Insert(s, i, v)
}

// removeSorted removes v from s, kept ascending by less.
func removeSorted[T comparable](s []T, v T, less func(a, b T) bool) []T {
	i := sort.Search(len(s), func(i int) bool { return !less(s[i], v) })
	if i < len(s) && s[i] == v {
		return slices.Delete(s, i, i+1)
	}
	return s
}

// pageDesc calls f for the items of s, ascending by sort key, that a
// newest-first page at offset with limit items holds, newest first. It
// costs O(limit) whatever the offset.
func pageDesc[T any](s []T, offset, limit int, f func(T)) {
	n := len(s)
	if offset >= n || limit <= 0 {
		return
	}
	for i := n - 1 - offset; i >= 0 && limit > 0; i-- {
		f(s[i])
		limit--
	}
}

func pageLen(n, offset, limit int) int {
	if offset >= n || limit <= 0 {
		return 0
	}
	return min(n-offset, limit)
}

func (s *store) now() time.Time { return s.clock() }

// newToken returns 64 random hex characters, the shape of Monri's pan tokens.
func newToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func copyPtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
