// Package transport sends the facade's requests to Monri: it signs each
// attempt from the body bytes it holds, bounds each attempt, reads the whole
// answer, logs one line per attempt and retries what is safe to repeat. It
// knows nothing of Monri's resources: the facade builds each request and
// reads the Result that Do returns.
package transport
