package monri_test

import (
	"os"
	"testing"

	"github.com/monri-go/monri"
)

// TestMain keeps the developer's own MONRI_* variables out of every test of
// this binary, once, so that tests need no t.Setenv (which forbids
// t.Parallel) just to clear them. Tests that set one use t.Setenv and run
// before the parallel tests resume.
func TestMain(m *testing.M) {
	for _, k := range []string{monri.EnvMerchantKey, monri.EnvAuthenticityToken, monri.EnvEnvironment} {
		_ = os.Unsetenv(k)
	}
	os.Exit(m.Run())
}
