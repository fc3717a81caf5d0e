package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxData bounds --data input; Monri's bodies are far smaller.
const maxData = 1 << 20

// readData reads --data: inline JSON, @file, or - for standard input.
func readData(stdin io.Reader, data string) ([]byte, error) {
	var (
		raw []byte
		err error
	)
	switch {
	case data == "-":
		raw, err = io.ReadAll(io.LimitReader(stdin, maxData+1))
	case strings.HasPrefix(data, "@"):
		var f *os.File
		if f, err = os.Open(data[1:]); err == nil {
			raw, err = io.ReadAll(io.LimitReader(f, maxData+1))
			f.Close()
		}
	default:
		raw = []byte(data)
	}
	if err != nil {
		return nil, usagef("--data: %v", err)
	}
	if len(raw) > maxData {
		return nil, usagef("--data: more than %d bytes", maxData)
	}
	return raw, nil
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
			return usagef("--data: invalid JSON at byte %d: %v", syntax.Offset, err)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return usagef("--data: invalid JSON: it ends before the object does")
		case errors.As(err, &typeErr):
			return usagef("--data: field %q: want %s, got JSON %s", typeErr.Field, typeErr.Type, typeErr.Value)
		}
		return usagef("--data: %v", err)
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

// printJSON writes v as indented JSON, for people and for jq.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}
