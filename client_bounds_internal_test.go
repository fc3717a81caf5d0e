package monri

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDefaultClientBoundsEveryAttempt checks the configured bounds rather
// than waiting 30 s for them: a per-attempt timeout, and a transport that
// gives up on a server that never sends its headers.
func TestDefaultClientBoundsEveryAttempt(t *testing.T) {
	t.Setenv(EnvMerchantKey, "")
	t.Setenv(EnvAuthenticityToken, "")
	t.Setenv(EnvEnvironment, "")
	c, err := NewClient(WithCredentials("key", "token"))
	require.NoError(t, err)
	d := c.Customers.api
	assert.Equal(t, DefaultTimeout, d.cfg.timeout)
	assert.GreaterOrEqual(t, DefaultTimeout, 10*time.Second, "tens of seconds: a slow Monri is not a dead one")
	tr, ok := d.cfg.httpClient.Transport.(*http.Transport)
	require.True(t, ok, "the default client has its own transport")
	assert.Equal(t, DefaultResponseHeaderTimeout, tr.ResponseHeaderTimeout)
	assert.NotSame(t, http.DefaultTransport, tr, "a clone: the process-wide transport is not changed")
	assert.NotNil(t, tr.Proxy, "the clone keeps the environment's proxy")

	off, err := NewClient(WithCredentials("key", "token"), WithTimeout(0))
	require.NoError(t, err)
	assert.Zero(t, off.Customers.api.cfg.timeout, "WithTimeout(0) turns the per-attempt bound off")
}
