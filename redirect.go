package monri

import (
	"errors"
	"net/http"
	"strings"

	"github.com/monri-go/monri/signer"
)

// VerifySuccessRedirect checks the digest of the success redirect that
// brought the buyer's browser to r, with signer.VerifySuccessURL. See that
// function for the rules and the errors (signer.ErrMissing, ErrMalformed,
// ErrMismatch, for errors.Is).
//
// Monri signs the absolute URL it sent the browser to, so the URL must be
// rebuilt exactly. VerifySuccessRedirect assumes the request reached this
// server as the browser sent it:
//
//   - the scheme is https when r.TLS is set, http otherwise;
//   - the host is r.Host, the Host header as received (with its port, if
//     the browser sent one);
//   - the path and query are r.RequestURI, the request target as received,
//     not re-encoded (r.URL.RequestURI() when RequestURI is empty, as in a
//     request built for a test). A target in absolute form, as sent to a
//     proxy, is the whole URL.
//
// It ignores X-Forwarded-Proto, X-Forwarded-Host and Forwarded, which any
// client can set. Behind a proxy or load balancer that terminates TLS,
// changes the host or rewrites the path, the URL rebuilt this way is not
// the one Monri signed and the check fails with signer.ErrMismatch; rebuild
// the public URL from what you know of your deployment and call
// signer.VerifySuccessURL with it instead.
func VerifySuccessRedirect(merchantKey string, r *http.Request) error {
	if r == nil || r.URL == nil {
		return errors.New("monri: VerifySuccessRedirect: nil request")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	target := r.RequestURI
	if target == "" {
		target = r.URL.RequestURI()
	}
	if !strings.HasPrefix(target, "/") {
		// The absolute form ("GET http://host/path HTTP/1.1"), as sent to
		// a proxy: the browser's URL is the target itself.
		return signer.VerifySuccessURL(merchantKey, target)
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	return signer.VerifySuccessURL(merchantKey, scheme+"://"+host+target)
}
