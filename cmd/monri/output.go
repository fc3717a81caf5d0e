package main

import (
	"fmt"
	"io"
	"sync"
)

// stream is one of the CLI's output streams. It remembers its first write
// error and writes nothing after it, so that a command prints line by line
// without checking each write, and the error is checked once: process.run
// fails a command whose stdout could not be written. Stderr's error is
// kept too but never reported, since stderr is where it would go.
type stream struct {
	mu  sync.Mutex // the signal watcher and slog handlers write concurrently
	w   io.Writer
	err error
}

func newStream(w io.Writer) *stream { return &stream{w: w} }

// Write writes p, or returns the stream's first write error.
func (s *stream) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		s.err = err
	}
	return n, err
}

// printf and println print to the stream; a failed write is kept in the
// stream (see failed), so it is not returned here.
func (s *stream) printf(format string, args ...any) { _, _ = fmt.Fprintf(s, format, args...) }

func (s *stream) println(args ...any) { _, _ = fmt.Fprintln(s, args...) }

// failed returns the first write error, or nil when every write succeeded.
func (s *stream) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}
