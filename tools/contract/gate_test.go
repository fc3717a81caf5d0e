package main

import (
	"os"
	"strings"
	"testing"
)

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// edit replaces old with repl; old must occur exactly once, so that a change to the
// contract cannot silently turn an edit into a no-op.
func edit(t *testing.T, s, old, repl string) string {
	t.Helper()
	if n := strings.Count(s, old); n != 1 {
		t.Fatalf("edit: %q occurs %d times, want 1", old, n)
	}
	return strings.Replace(s, old, repl, 1)
}

const version = "version: 2.0.0+customers.2022-03-22.pbl.2020-09-17"

// removeResponseField drops payment_url from every payment link answer.
func removeResponseField(t *testing.T, s string) string {
	s = edit(t, s, "payment_url, terminal_entry_status,", "terminal_entry_status,")
	return edit(t, s, `        payment_url:
          type: string
          description: The link to send to the buyer.
`, "")
}

// tightenRequestLength lowers the create-or-update body's order_number maxLength.
func tightenRequestLength(t *testing.T, s string) string {
	return edit(t, s, `          description: The merchant's unique order identifier and the link's idempotency key. It never changes.
          minLength: 2
          maxLength: 40`, `          description: The merchant's unique order identifier and the link's idempotency key. It never changes.
          minLength: 2
          maxLength: 30`)
}

func bumpMajor(t *testing.T, s string) string {
	return edit(t, s, version, "version: 3.0.0+customers.2022-03-22.pbl.2020-09-17")
}

func TestGate(t *testing.T) {
	released := read(t, "../../openapi/released/monri.yaml")
	current := read(t, "../../openapi/monri.yaml")
	changelog := read(t, "../../openapi/CHANGELOG.md")
	withEntry := "## 3.0.0+customers.2022-03-22.pbl.2020-09-17 (2027-01-01)\n\n### Breaking\n- payment_url removed.\n\n" + changelog
	withoutBreaking := "## 3.0.0+customers.2022-03-22.pbl.2020-09-17 (2027-01-01)\n\n### Added\n- nothing.\n\n" + changelog

	tests := []struct {
		name      string
		base      string
		revision  string
		changelog string
		pass      bool
		breaking  bool
		reason    string
	}{
		{"the contract against the last release", released, current, changelog, true, true, "major version bumped"},
		{"no change", current, current, changelog, true, false, "no breaking change"},
		{"a description change", current, edit(t, current, "The link to send to the buyer.", "The link for the buyer."), changelog, true, false, "no breaking change"},
		{"response field removed", current, removeResponseField(t, current), changelog, false, true, "need a new major version"},
		{"request length tightened", current, tightenRequestLength(t, current), changelog, false, true, "need a new major version"},
		{"field removed, major bumped, no CHANGELOG entry", current, bumpMajor(t, removeResponseField(t, current)), changelog, false, true, "no \"### Breaking\" section"},
		{"field removed, major bumped, entry without Breaking", current, bumpMajor(t, removeResponseField(t, current)), withoutBreaking, false, true, "no \"### Breaking\" section"},
		{"field removed, major bumped, CHANGELOG says so", current, bumpMajor(t, removeResponseField(t, current)), withEntry, true, true, "major version bumped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Check([]byte(tt.base), []byte(tt.revision), []byte(tt.changelog))
			if err != nil {
				t.Fatal(err)
			}
			if v.Pass != tt.pass || (len(v.Breaking) > 0) != tt.breaking || !strings.Contains(v.Reason, tt.reason) {
				t.Errorf("pass %v, %d breaking, reason %q; want pass %v, breaking %v, reason containing %q\n%s",
					v.Pass, len(v.Breaking), v.Reason, tt.pass, tt.breaking, tt.reason, v.Report())
			}
		})
	}
}

func TestGateNamesTheBreakingChange(t *testing.T) {
	current := read(t, "../../openapi/monri.yaml")
	for name, revision := range map[string]string{
		"payment_url": removeResponseField(t, current),
		"maxLength":   tightenRequestLength(t, current),
	} {
		v, err := Check([]byte(current), []byte(revision), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(v.Breaking, "\n"), name) {
			t.Errorf("%s: not named in the breaking changes:\n%s", name, v.Report())
		}
	}
}

func TestMajor(t *testing.T) {
	for in, want := range map[string]string{"2.0.0+x": "2", "10.1.3": "10", "v2": "", "": ""} {
		if got := major(in); got != want {
			t.Errorf("major(%q) = %q, want %q", in, got, want)
		}
	}
}
