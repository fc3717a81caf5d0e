package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readmeControlRow is one row of the README's control API table, whose
// rows the mock's TestControlAPIIsDocumented holds to the endpoints served.
var readmeControlRow = regexp.MustCompile("(?m)^\\| `(GET|POST|PUT|PATCH|DELETE) (/__mock/[^`\\[ ]*)")

// helpControlRoute is "METHOD /__mock/path" in help text, however aligned;
// a query such as [?wait=5s] is not part of the path.
var helpControlRoute = regexp.MustCompile(`\b(GET|POST|PUT|PATCH|DELETE) +(/__mock/[A-Za-z0-9_{}/-]*)`)

// routesIn lists the "METHOD /path" pairs re finds in text.
func routesIn(re *regexp.Regexp, text string) []string {
	var routes []string
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		routes = append(routes, m[1]+" "+m[2])
	}
	return routes
}

// helpMismatch compares the routes help names with the documented ones:
// those it lacks and those it names that are not documented.
func helpMismatch(help string, documented []string) (missing, unknown []string) {
	named := routesIn(helpControlRoute, help)
	for _, r := range documented {
		if !slices.Contains(named, r) {
			missing = append(missing, r)
		}
	}
	for _, r := range named {
		if !slices.Contains(documented, r) {
			unknown = append(unknown, r)
		}
	}
	return missing, unknown
}

// `monri mock --help` lists every control endpoint of the README's table,
// and no other.
func TestMockHelpListsControlEndpoints(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	documented := routesIn(readmeControlRow, string(readme))
	require.Len(t, documented, 9, "the README's control table, as mock's TestControlAPIIsDocumented counts it")

	r := cli(t, nil, "", "mock", "--help")
	require.Equal(t, 0, r.code, r.stderr)
	missing, unknown := helpMismatch(r.stdout, documented)
	assert.Empty(t, missing, "monri mock --help does not list these control endpoints")
	assert.Empty(t, unknown, "monri mock --help lists endpoints the README does not")

	// The check itself catches a dropped and a misspelt endpoint.
	missing, unknown = helpMismatch(strings.Replace(r.stdout, "GET  /__mock/requests", "GET  /__mock/request-log", 1), documented)
	assert.Equal(t, []string{"GET /__mock/requests"}, missing)
	assert.Equal(t, []string{"GET /__mock/request-log"}, unknown)
}
