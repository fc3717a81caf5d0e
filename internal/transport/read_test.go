package transport

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// readResponse reads what io.ReadAll(io.LimitReader(...)) would, whatever
// the Content-Length says.
func TestReadResponse(t *testing.T) {
	for _, tc := range []struct {
		name          string
		body          string
		contentLength int64
		want          string
		wantErr       error
	}{
		{"known length", `{"a":1}`, 7, `{"a":1}`, nil},
		{"unknown length", `{"a":1}`, -1, `{"a":1}`, nil},
		{"zero length", ``, 0, ``, nil},
		{"shorter than announced", `{"a"`, 7, `{"a"`, io.ErrUnexpectedEOF},
		{"over the limit is read up to it", strings.Repeat("x", 10), maxBodyToRead + 1, strings.Repeat("x", 10), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readResponse(bytes.NewReader([]byte(tc.body)), tc.contentLength)
			if !errors.Is(err, tc.wantErr) || string(got) != tc.want {
				t.Errorf("got %q, %v; want %q, %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}
