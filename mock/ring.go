package mock

// ring keeps the last len(buf) values added, so that a log the mock keeps
// for its whole life stays bounded. Its caller guards it.
type ring[T any] struct {
	buf  []T
	next int  // where the next value goes
	full bool // buf has wrapped at least once
}

func newRing[T any](size int) *ring[T] { return &ring[T]{buf: make([]T, size)} }

// add keeps v, forgetting the oldest value once the ring is full.
func (r *ring[T]) add(v T) {
	if len(r.buf) == 0 {
		return
	}
	r.buf[r.next] = v
	r.next++
	if r.next == len(r.buf) {
		r.next, r.full = 0, true
	}
}

// all returns the values kept, oldest first, in a new slice.
func (r *ring[T]) all() []T {
	if !r.full {
		return append([]T(nil), r.buf[:r.next]...)
	}
	out := make([]T, 0, len(r.buf))
	out = append(out, r.buf[r.next:]...)
	return append(out, r.buf[:r.next]...)
}

// clear forgets every value.
func (r *ring[T]) clear() {
	clear(r.buf)
	r.next, r.full = 0, false
}
