package version

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFromBuildInfo(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0efc2851a"}, {Key: "vcs.modified", Value: "true"}}
	tests := []struct {
		name string
		bi   debug.BuildInfo
		want Info
	}{
		{"installed at a tag", debug.BuildInfo{GoVersion: "go1.25.0", Main: debug.Module{Path: ModulePath, Version: "v0.2.0"}},
			Info{Version: "v0.2.0", GoVersion: "go1.25.0"}},
		{"built in a clone", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: ModulePath, Version: Devel}, Settings: vcs},
			Info{Version: Devel, Revision: "0efc2851a", Modified: true, GoVersion: "go1.26.8"}},
		{"main module without a version", debug.BuildInfo{Main: debug.Module{Path: ModulePath}},
			Info{Version: Devel}},
		{"a dependency: the application's revision is not ours", debug.BuildInfo{
			Main:     debug.Module{Path: "example.com/shop", Version: Devel},
			Settings: vcs,
			Deps:     []*debug.Module{{Path: "github.com/google/uuid", Version: "v1.6.0"}, {Path: ModulePath, Version: "v0.3.1"}},
		}, Info{Version: "v0.3.1"}},
		{"a replaced dependency", debug.BuildInfo{
			Main: debug.Module{Path: "example.com/shop"},
			Deps: []*debug.Module{{Path: ModulePath, Version: "v0.3.1", Replace: &debug.Module{Path: "example.com/fork", Version: "v0.3.2-fix"}}},
		}, Info{Version: "v0.3.2-fix"}},
		{"replaced by a directory", debug.BuildInfo{
			Main: debug.Module{Path: "example.com/shop"},
			Deps: []*debug.Module{{Path: ModulePath, Version: "v0.0.0-00010101000000-000000000000", Replace: &debug.Module{Path: "../monri"}}},
		}, Info{Version: "v0.0.0-00010101000000-000000000000"}},
		{"not in the build", debug.BuildInfo{Main: debug.Module{Path: "example.com/other"}}, Info{Version: Devel}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, FromBuildInfo(&tt.bi))
		})
	}
}

func TestInfoStrings(t *testing.T) {
	tests := []struct {
		info     Info
		line, ua string
	}{
		{Info{Version: "v0.2.0", GoVersion: "go1.25.0"}, "v0.2.0 (revision unknown, go1.25.0)", "v0.2.0"},
		{Info{Version: Devel, Revision: "abc", Modified: true, GoVersion: "go1.26.8"}, "(devel) (revision abc, modified, go1.26.8)", "devel"},
		{Info{Version: Devel, Revision: "abc", GoVersion: "go1.26.8"}, "(devel) (revision abc, go1.26.8)", "devel"},
		{Info{}, " (revision unknown, )", "devel"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.line, tt.info.String())
		assert.Equal(t, tt.ua, tt.info.UserAgentVersion())
	}
}

// TestReadInThisBinary: a test binary's main module is this module.
func TestReadInThisBinary(t *testing.T) {
	info := Read()
	assert.NotEmpty(t, info.Version)
	assert.NotEmpty(t, info.GoVersion)
}
