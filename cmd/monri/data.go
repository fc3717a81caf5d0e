package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxData bounds --data input; Monri's bodies are far smaller.
const maxData = 1 << 20

// readStdin reads all of standard input, up to limit bytes, and gives up
// at once when ctx ends: a read from a terminal cannot be cancelled, so
// it runs in a goroutine that the process's exit ends. On a terminal it
// first says on stderr what it waits for.
func (a *app) readStdin(ctx context.Context, what string, limit int64) ([]byte, error) {
	if a.isTerminal(a.stdin) {
		a.stderr.printf("monri: reading %s from stdin; end with Ctrl-D\n", what)
	}
	type read struct {
		b   []byte
		err error
	}
	got := make(chan read, 1)
	go func() {
		b, err := io.ReadAll(io.LimitReader(a.stdin, limit))
		got <- read{b, err}
	}()
	select {
	case r := <-got:
		return r.b, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// readData reads --data: inline JSON, @file, or - for standard input.
func (a *app) readData(ctx context.Context, data string) ([]byte, error) {
	var (
		raw []byte
		err error
	)
	switch {
	case data == "-":
		raw, err = a.readStdin(ctx, "the --data body", maxData+1)
		if err != nil {
			return nil, fmt.Errorf("--data -: %w", err)
		}
	case strings.HasPrefix(data, "@"):
		if raw, err = readFileUpTo(data[1:], maxData+1); err != nil {
			return nil, usagef("--data %s: %v", data, fileProblem(err))
		}
	default:
		raw = []byte(data)
		if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] != '{' && t[0] != '[' && !json.Valid(t) {
			return nil, usagef("--data: %q is not JSON; to read a file, write --data @%s", data, data)
		}
	}
	if len(raw) > maxData {
		return nil, usagef("--data: more than %d bytes", maxData)
	}
	return raw, nil
}

// readFileUpTo reads at most limit bytes of the file the user named, so a
// wrong path (a log, a device that never ends) cannot exhaust memory; the
// caller refuses a result that long with the flag and its own limit.
func readFileUpTo(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path) //nolint:gosec // G304: reading the file the user named is the flag's purpose
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // only read: closing it cannot lose data
	return io.ReadAll(io.LimitReader(f, limit))
}

// fileProblem words an error opening or reading a file without the path
// the caller already knows.
func fileProblem(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "no such file"
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// decodeData parses raw into v: one JSON object, no field v does not know.
func decodeData(raw []byte, v any) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syntax *json.SyntaxError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			return usagef("--data: invalid JSON at byte %d: %s", syntax.Offset, strings.TrimPrefix(err.Error(), "json: "))
		case errors.Is(err, io.ErrUnexpectedEOF):
			return usagef("--data: invalid JSON: it ends before the object does")
		case errors.As(err, &typeErr):
			if typeErr.Field == "" {
				return usagef("--data must be a JSON object {...}, not %s", jsonValueWord(typeErr.Value))
			}
			return usagef("--data: %q must be %s%s, not %s", typeErr.Field, jsonKind(typeErr.Type), fieldHint(typeErr.Field), jsonValueWord(typeErr.Value))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return usagef("--data: unknown field %s; see the fields in the command's --help or the contract", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return usagef("--data: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return usagef("--data: more than one JSON value")
	}
	var trailing json.RawMessage
	if err := dec.Decode(&trailing); err != io.EOF {
		return usagef("--data: unexpected data after the JSON object")
	}
	return nil
}

// jsonValueWord names the kind of JSON value encoding/json saw.
func jsonValueWord(v string) string {
	switch v {
	case "string":
		return "a string"
	case "number":
		return "a number"
	case "array":
		return "an array"
	case "object":
		return "an object"
	case "bool":
		return "true or false"
	}
	if strings.HasPrefix(v, "number ") {
		return "the number " + strings.TrimPrefix(v, "number ")
	}
	return v
}

// printJSON writes v to stdout as JSON that jq reads: & < > as they are,
// indented on a terminal, one line when piped or with --compact.
func (a *app) printJSON(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if !a.compact && a.isTerminal(a.stdout.w) {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if _, err := a.stdout.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}
