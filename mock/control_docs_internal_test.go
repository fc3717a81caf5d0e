package mock

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// documentedRoute finds "METHOD /__mock/path" in a document, however it is
// aligned; a query such as [?wait=5s] is not part of the path.
var documentedRoute = regexp.MustCompile(`\b(GET|POST|PUT|PATCH|DELETE) +(/__mock/[A-Za-z0-9_{}/-]*)`)

// undocumented compares the routes a document names with the control API:
// the routes it lacks and the ones it names that the mock does not serve.
func undocumented(doc string, served []string) (missing, unknown []string) {
	var named []string
	for _, m := range documentedRoute.FindAllStringSubmatch(doc, -1) {
		named = append(named, m[1]+" "+m[2])
	}
	for _, r := range served {
		if !slices.Contains(named, r) {
			missing = append(missing, r)
		}
	}
	for _, r := range named {
		if !slices.Contains(served, r) && !slices.Contains(unknown, r) {
			unknown = append(unknown, r)
		}
	}
	return missing, unknown
}

// TestControlAPIIsDocumented: the README's table and the package
// documentation list every control endpoint the mock serves, and no other.
func TestControlAPIIsDocumented(t *testing.T) {
	s, err := New()
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	var served []string
	for _, e := range s.controlEndpoints() {
		served = append(served, e.method+" "+e.path)
	}
	require.Len(t, served, 9)

	// The check itself catches a dropped and an invented endpoint.
	all := strings.Join(served, "\n")
	missing, unknown := undocumented(strings.Replace(all, "GET /__mock/requests", "GET /__mock/request-log", 1), served)
	assert.Equal(t, []string{"GET /__mock/requests"}, missing)
	assert.Equal(t, []string{"GET /__mock/request-log"}, unknown)

	for _, path := range []string{"../README.md", "doc.go"} {
		doc, err := os.ReadFile(path)
		require.NoError(t, err)
		missing, unknown := undocumented(string(doc), served)
		assert.Empty(t, missing, "%s does not document these control endpoints", path)
		assert.Empty(t, unknown, "%s documents control endpoints the mock does not serve", path)
	}
}
