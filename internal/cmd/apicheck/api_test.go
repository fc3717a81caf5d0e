package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The sample package's API, line by line: each kind of declaration, and
// nothing unexported, no parameter name, tag or doc.
func TestAPISample(t *testing.T) {
	got, err := api(filepath.Join("testdata", "sample"), "example.com/sample")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "sample.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if g := strings.Join(got, "\n") + "\n"; g != string(want) {
		t.Fatalf("api(sample) =\n%s\nwant (testdata/sample.txt)\n%s", g, want)
	}
}

// copySample makes a module root in a temp dir with the sample package in
// it, and returns the root and the package list for run.
func copySample(t *testing.T) (string, []pkg) {
	t.Helper()
	root := t.TempDir()
	src, err := os.ReadFile(filepath.Join("testdata", "sample", "sample.go"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "sample"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "sample", "sample.go"), src, 0o600); err != nil { //nolint:gosec // root is t.TempDir()
		t.Fatal(err)
	}
	return root, []pkg{{dir: "sample", file: "sample.txt"}}
}

// The check passes on fresh files and fails, naming the line and what to
// do, once a source edit changes the API; an edit that callers cannot see
// leaves it passing.
func TestRunCheck(t *testing.T) {
	tests := []struct {
		name      string
		old, new  string
		wantLines []string // in the report; none means the check passes
	}{
		{"unchanged", "", "", nil},
		{"doc and parameter names only",
			"// New is a function.\nfunc New(name string,", "// New makes one.\nfunc New(n string,", nil},
		{"exported func removed",
			"// Map is generic.\nfunc Map[T, U any](in []T, f func(T) U) []U { return nil }", "",
			[]string{"  - pkg github.com/monri-go/monri/sample, func Map[T, U any]([]T, func(T) U) []U"}},
		{"field type changed", "Retries int `json", "Retries int64 `json",
			[]string{"  - pkg github.com/monri-go/monri/sample, type Options struct, Retries int", "  + pkg github.com/monri-go/monri/sample, type Options struct, Retries int64"}},
		{"enum reordered", "KindA Kind = iota\n\tKindB", "KindB Kind = iota\n\tKindA",
			[]string{"  - pkg github.com/monri-go/monri/sample, const KindA Kind = iota [iota=0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, pkgs := copySample(t)
			if err := run(root, pkgs, true, &bytes.Buffer{}); err != nil {
				t.Fatalf("write: %v", err)
			}
			path := filepath.Join(root, "sample", "sample.go")
			src, _ := os.ReadFile(path)
			if !bytes.Contains(src, []byte(tt.old)) {
				t.Fatalf("sample.go has no %q", tt.old)
			}
			if err := os.WriteFile(path, bytes.Replace(src, []byte(tt.old), []byte(tt.new), 1), 0o600); err != nil { //nolint:gosec // path is under t.TempDir()
				t.Fatal(err)
			}
			var out bytes.Buffer
			err := run(root, pkgs, false, &out)
			if len(tt.wantLines) == 0 {
				if err != nil {
					t.Fatalf("check failed: %v\n%s", err, out.String())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "run make api and add a CHANGELOG entry") {
				t.Fatalf("check error = %v, want one saying to run make api", err)
			}
			for _, l := range tt.wantLines {
				if !strings.Contains(out.String(), l+"\n") {
					t.Errorf("report lacks %q:\n%s", l, out.String())
				}
			}
		})
	}
}

// A missing file is a difference, not a crash.
func TestRunCheckMissingFile(t *testing.T) {
	root, pkgs := copySample(t)
	var out bytes.Buffer
	if err := run(root, pkgs, false, &out); err == nil {
		t.Fatal("check passed without api/sample.txt")
	}
	if !strings.Contains(out.String(), "  + pkg github.com/monri-go/monri/sample, func New(string, ...Options) (*Options, error)") {
		t.Fatalf("report lacks the added lines:\n%s", out.String())
	}
}
