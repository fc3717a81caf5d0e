package transport

import "io"

// readResponse reads a whole answer of at most maxBodyToRead bytes, as
// io.ReadAll(io.LimitReader(body, maxBodyToRead)) does, but with one
// exact-size allocation when the Content-Length is known: net/http's body
// then ends at that length, with io.ErrUnexpectedEOF if the connection
// closes sooner.
func readResponse(body io.Reader, contentLength int64) ([]byte, error) {
	if contentLength <= 0 || contentLength > maxBodyToRead {
		return io.ReadAll(io.LimitReader(body, maxBodyToRead))
	}
	buf := make([]byte, contentLength)
	n, err := io.ReadFull(body, buf)
	if err != nil {
		return buf[:n], err
	}
	return buf, nil
}
