package mock

import (
	"bytes"
	"strings"
	"testing"
)

// readAll reads to EOF whatever Content-Length announced.
func TestReadAllIgnoresTheAnnouncedLength(t *testing.T) {
	body := strings.Repeat("0123456789", 100)
	for _, cl := range []int64{-1, 0, 1, 10, 999, 1000, 1001, 5000, MaxBodyBytes + 1} {
		got, err := readAll(bytes.NewReader([]byte(body)), cl)
		if err != nil || string(got) != body {
			t.Errorf("Content-Length %d: got %d bytes, %v", cl, len(got), err)
		}
	}
	if got, err := readAll(bytes.NewReader(nil), 0); err != nil || len(got) != 0 {
		t.Errorf("empty: got %q, %v", got, err)
	}
}
