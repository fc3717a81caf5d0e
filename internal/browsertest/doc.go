// Package browsertest holds TestPayInBrowser: a buyer pays a Pay By Link
// payment page in headless Chromium. It needs Node, the pinned
// playwright-core and Debian's chromium, so it runs only when
// MONRI_BROWSER_TEST=1, as `make pay-test` (scripts/pay-browser-test.sh)
// sets it; plain `go test ./...` skips it.
package browsertest
