package monri_test

import (
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUserProgramNeedsOnlyMonriAndMock builds, vets and runs
// testdata/flow, a separate module that does the whole Customers and Pay By
// Link flow with no import but monri, mock and the standard library, and
// no pointer helper of its own.
func TestUserProgramNeedsOnlyMonriAndMock(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := filepath.Join("testdata", "flow")

	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(dir, "main.go"), nil, parser.ImportsOnly)
	require.NoError(t, err)
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if strings.Contains(path, ".") {
			assert.Contains(t, []string{"github.com/monri-go/monri", "github.com/monri-go/monri/mock"}, path, "the program imports only monri and mock")
		}
	}
	src, err := os.ReadFile(filepath.Join(dir, "main.go"))
	require.NoError(t, err)
	assert.NotRegexp(t, `func \w*\[T any\]|return &\w+\s*$`, string(src), "no pointer helper of its own")

	env := append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly -buildvcs=false", "GOPROXY=off")
	for _, args := range [][]string{{"vet", "."}, {"run", "."}} {
		cmd := exec.Command(goTool, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s: %s", strings.Join(args, " "), out)
		if args[0] == "run" {
			assert.Equal(t, strings.Join([]string{
				"created approved Ada Lovelace",
				"found true Sarajevo",
				"listed true",
				"payment methods 0",
				"link created true 1024 true pending",
				"deactivated false expired",
				"shown approved false",
				"deleted true true",
				"gone true",
				"unknown order true true",
				"",
			}, "\n"), string(out))
		}
	}
}
