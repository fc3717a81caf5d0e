package monri_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/internal/version"
)

// TestUserAgentFromBuildInfo: the User-Agent names the version the build
// info gives, not a hand-kept constant, with WithUserAgent's suffix after it.
func TestUserAgentFromBuildInfo(t *testing.T) {
	want := "monri-go/" + version.Read().UserAgentVersion()
	require.Equal(t, want, "monri-go/"+monri.Version)
	for _, tt := range []struct {
		name string
		opts []monri.Option
		want string
	}{
		{"default", nil, want},
		{"with a suffix", []monri.Option{monri.WithUserAgent("my-shop/1.2")}, want + " my-shop/1.2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			seen := make(chan string, 1)
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select {
				case seen <- r.Header.Get("User-Agent"):
				default:
				}
				http.Error(w, `{"status":"error","message":"not here"}`, http.StatusNotFound)
			}))
			t.Cleanup(ts.Close)
			opts := append([]monri.Option{monri.WithBaseURL(ts.URL), monri.WithCredentials("k", "t")}, tt.opts...)
			c, err := monri.NewClient(opts...)
			require.NoError(t, err)
			_, err = c.Customers.Get(t.Context(), "6f0b5f46-7e4e-4a0c-9a2b-0d6f5d3c2b1a")
			require.Error(t, err, "the server answers 404")
			assert.Equal(t, tt.want, <-seen)
		})
	}
}
