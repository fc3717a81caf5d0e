// Package version reads this module's version and VCS revision from the
// build info the Go toolchain embeds, so that no hand-kept constant can
// drift from what was built: the CLI's `monri version` and the client's
// User-Agent both come from here.
package version

import (
	"fmt"
	"runtime/debug"
)

// ModulePath is the path of the module whose version is reported.
const ModulePath = "github.com/monri-go/monri"

// Devel is the version Go reports for a module built from a work tree
// rather than fetched at a version.
const Devel = "(devel)"

// Info is what the build info says about this module.
type Info struct {
	// Version is the module's version: a tag such as v0.2.0, a
	// pseudo-version, or [Devel].
	Version string
	// Revision and Modified are the VCS commit and whether the work tree
	// had uncommitted changes. They are known only when this module is the
	// main module of a build with VCS stamping (go build in a clone; not
	// go run, go test or -buildvcs=false), and empty or false otherwise.
	Revision string
	Modified bool
	// GoVersion is the toolchain that built the binary.
	GoVersion string
}

// Read returns this module's Info from the running binary's build info.
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Version: Devel}
	}
	return FromBuildInfo(bi)
}

// FromBuildInfo finds this module in bi: as the main module (the CLI, or
// this module's tests), or as a dependency of an application, honouring a
// replace directive.
func FromBuildInfo(bi *debug.BuildInfo) Info {
	info := Info{Version: Devel, GoVersion: bi.GoVersion}
	if bi.Main.Path == ModulePath {
		if bi.Main.Version != "" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Revision = s.Value
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
		return info
	}
	for _, m := range bi.Deps {
		if m.Path != ModulePath {
			continue
		}
		if m.Replace != nil && m.Replace.Version != "" {
			info.Version = m.Replace.Version
		} else if m.Version != "" {
			info.Version = m.Version
		}
		break
	}
	return info
}

// UserAgentVersion is Version as an HTTP product version: [Devel] becomes
// "devel", since parentheses would start a User-Agent comment.
func (i Info) UserAgentVersion() string {
	if i.Version == Devel || i.Version == "" {
		return "devel"
	}
	return i.Version
}

// String is one line for `monri version`: the version, then the revision
// (or "revision unknown"), "modified" when the tree was, and the Go version.
func (i Info) String() string {
	rev := "revision unknown"
	if i.Revision != "" {
		rev = "revision " + i.Revision
		if i.Modified {
			rev += ", modified"
		}
	}
	return fmt.Sprintf("%s (%s, %s)", i.Version, rev, i.GoVersion)
}
