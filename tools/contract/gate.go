package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
)

// Verdict is the gate's answer for one pair of contracts.
type Verdict struct {
	BaseVersion, RevisionVersion string
	// Breaking holds oasdiff's breaking changes (level ERR), one line each.
	Breaking []string
	// Allowed is true when the breaking changes come with a major version
	// bump and a CHANGELOG "Breaking" section for the new version.
	Allowed bool
	Pass    bool
	Reason  string
}

// Report is the verdict for a person to read.
func (v Verdict) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "check-contract: %s -> %s: %d breaking changes\n", v.BaseVersion, v.RevisionVersion, len(v.Breaking))
	for _, c := range v.Breaking {
		fmt.Fprintf(&b, "  %s\n", c)
	}
	verdict := "PASS"
	if !v.Pass {
		verdict = "FAIL"
	}
	fmt.Fprintf(&b, "check-contract: %s: %s\n", verdict, v.Reason)
	return b.String()
}

// Check compares base (the last released contract) with revision and
// applies the gate's rule, reading changelog for the revision's entry.
func Check(base, revision, changelog []byte) (Verdict, error) {
	loader := openapi3.NewLoader()
	s1, err := load.NewSpecInfoFromData(loader, base, "base", load.WithFlattenAllOf())
	if err != nil {
		return Verdict{}, fmt.Errorf("base: %w", err)
	}
	s2, err := load.NewSpecInfoFromData(loader, revision, "revision", load.WithFlattenAllOf())
	if err != nil {
		return Verdict{}, fmt.Errorf("revision: %w", err)
	}
	v := Verdict{BaseVersion: s1.Spec.Info.Version, RevisionVersion: s2.Spec.Info.Version}
	d, sources, err := diff.GetPathsDiff(diff.NewConfig(), []*load.SpecInfo{s1}, []*load.SpecInfo{s2})
	if err != nil {
		return Verdict{}, fmt.Errorf("diff: %w", err)
	}
	changes := checker.CheckBackwardCompatibilityUntilLevel(checker.NewConfig(checker.GetAllChecks()), d, sources, checker.ERR)
	l := checker.NewDefaultLocalizer()
	for _, c := range changes {
		v.Breaking = append(v.Breaking, fmt.Sprintf("%s %s: %s", c.GetOperation(), c.GetPath(), c.GetUncolorizedText(l)))
	}
	if len(v.Breaking) == 0 {
		v.Pass, v.Reason = true, "no breaking change"
		return v, nil
	}
	bm, rm := major(v.BaseVersion), major(v.RevisionVersion)
	switch {
	case bm == "" || rm == "":
		v.Reason = "info.version is not a semantic version"
	case rm == bm:
		v.Reason = fmt.Sprintf("breaking changes need a new major version (still %s.x)", rm)
	case !hasBreakingEntry(string(changelog), v.RevisionVersion):
		v.Reason = fmt.Sprintf("openapi/CHANGELOG.md has no \"### Breaking\" section under \"## %s\"", v.RevisionVersion)
	default:
		v.Allowed, v.Pass = true, true
		v.Reason = fmt.Sprintf("major version bumped (%s -> %s) and the CHANGELOG lists the breaking changes", bm, rm)
	}
	return v, nil
}

var semver = regexp.MustCompile(`^(\d+)\.\d+\.\d+`)

func major(version string) string {
	m := semver.FindStringSubmatch(version)
	if m == nil {
		return ""
	}
	return m[1]
}

// hasBreakingEntry reports whether changelog has a "## <version>" section
// holding a "### Breaking" subsection.
func hasBreakingEntry(changelog, version string) bool {
	sections := strings.Split("\n"+changelog, "\n## ")
	for _, s := range sections[1:] {
		heading, body, _ := strings.Cut(s, "\n")
		if strings.HasPrefix(heading, version+" ") || heading == version {
			return strings.Contains("\n"+body, "\n### Breaking")
		}
	}
	return false
}
