package conformance

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Conforms reports whether every result is ok.
func Conforms(results []Result) bool {
	for _, r := range results {
		if !r.OK {
			return false
		}
	}
	return true
}

// WriteTable writes one line per result: check, result, detail.
func WriteTable(w io.Writer, results []Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	// A tabwriter keeps the lines until Flush, which reports any write error.
	_, _ = fmt.Fprintln(tw, "CHECK\tRESULT\tDETAIL")
	for _, r := range results {
		verdict := "ok"
		if !r.OK {
			verdict = "DIFFERS"
		}
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, verdict, oneLine(r.Detail))
	}
	return tw.Flush()
}

// WriteJSON writes the results as a JSON array of {name, ok, detail}.
func WriteJSON(w io.Writer, results []Result) error {
	if results == nil {
		results = []Result{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(results)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
