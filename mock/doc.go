// Package mock is a stateful, in-memory Monri server built from the same
// OpenAPI contract as the client (openapi/monri.yaml). Its job is to let code
// that talks to Monri's Customers and Pay By Link APIs run without Monri: in
// tests ([Start]), behind the `monri mock` command and in-process for
// `monri demo` ([New] returns an http.Handler).
//
// Every API request goes through the steps a careful real server takes, in
// this order:
//
//  1. Routing. An unknown path is 404, a known path with another method is
//     405 (with an Allow header).
//  2. A 1 MiB body limit: 413.
//  3. The WP3-v2.1 signature, verified with package signer against the
//     configured credentials: 401 naming the problem (missing, malformed,
//     unknown token, stale, mismatch) and never a secret.
//  4. Validation against the contract with kin-openapi: 400 naming each
//     offending field and the rule it breaks, e.g.
//     "order_info: length must be 3-100; amount: must be at least 1".
//  5. The operation, run through oapi-codegen's strict server interface
//     (package mock/internal/api) with package gen's models. An unknown uuid,
//     merchant_customer_id or order_number is 404.
//
// All errors use Monri's shape, {"status":"invalid-request","message":...}
// for 4xx and {"status":"error","message":...} for 5xx. The contract itself is
// served at GET /openapi.yaml, and as JSON converted from the same bytes at
// GET /openapi.json, without authentication.
//
// # Behaviour the docs leave open
//
//   - Customers get a random version 4 uuid and RFC 3339 UTC timestamps with
//     one-second resolution. An update changes only the fields sent and
//     bumps updated_at.
//   - merchant_customer_id is unique among customers that are not deleted:
//     creating (or updating to) one that another live customer holds is 400
//     "merchant_customer_id: already exists". Deleting a customer frees its
//     merchant_customer_id.
//   - Delete is soft: the customer keeps its data and gets deleted: true and
//     deleted_at. Deleting again answers the same 200 (a retried delete is
//     safe). A deleted customer can still be read by uuid, but it is left
//     out of lists and of lookups by merchant_customer_id, and updating it or
//     listing its payment methods is 404.
//   - Lists are sorted by created_at, newest first; customers created in the
//     same second are ordered newest first too. limit defaults to 50 and
//     offset to 0; [WithMaxPageSize] caps it, as servers that cap pages do.
//     A page costs O(limit), whatever the offset.
//   - A Pay By Link create-or-update is idempotent by order_number: the first
//     call answers status "created", later ones "updated"; only fields sent
//     change ([WithLinkUpdates] with [Replace] makes the body the whole entry
//     instead), and order_number never does. payment_url is
//     http://<Host of the creating request>/pay/<order_number>, a page the
//     mock serves (see Buyer simulation). active is false once the link
//     is deactivated or its expires_at has passed by the server's clock;
//     terminal_entry_status is "approved" once the link is paid, for good,
//     otherwise "expired" while active is false and "pending" while it is.
//     Every required field of an answer is sent, null when it has no value.
//
// # Buyer simulation
//
// GET on a link's payment_url serves a small HTML page (no JavaScript) with
// the order number, order_info and the amount in major units with its
// currency ("10.24 EUR"), and, while the link can be paid, a Pay and a
// Cancel button: forms that POST to /pay/{order_number}/pay and
// /pay/{order_number}/cancel. When the link cannot be paid the page says
// why instead.
//
// Pay, also [Server.Pay] from Go and `monri links pay` from the shell:
//
//   - marks the link paid: terminal_entry_status approved, updated_at now;
//   - when callback_url_override is set, POSTs the payment callback there,
//     and nowhere else: a [gen.Callback] body (status approved,
//     response_code 0000, a random approval_code, masked_pan
//     411111******1111, a pan_token when tokenize_pan was set, created_at
//     by the server's clock) with "Authorization: WP3-callback <digest>"
//     made with the server's merchant key. Delivery is asynchronous,
//     through no proxy, without following redirects, and retried on a
//     connection error, a timeout or any answer other than 2xx, within the
//     bounds of [WithCallbackPolicy] (by default 8 attempts, 100 ms
//     doubling to 2 s between them, 5 s per attempt, 30 s in all).
//     [Server.WaitCallbacks] waits for deliveries to end,
//     [Server.Callbacks] reports them, and [Server.Close] stops them and
//     waits for their goroutines;
//   - answers 303 to success_url_override, or to the mock's own page
//     /pay/{order_number}/success, with order_number, approval_code and
//     response_code appended and then, last, the digest of
//     signer.SignSuccessURL (a fragment of the override is dropped: no
//     digest can cover what browsers do not send). The mock's success page
//     checks that digest as a merchant would.
//
// A link that is already paid, deactivated or expired (by the server's
// clock) is not paid: 409 in Monri's error shape, "order_number: the
// payment link is already paid" (or "is deactivated", "has expired"), and
// nothing changes, so paying twice sends one callback. A success or callback
// URL override that is not an absolute http(s) URL is 400, with nothing
// changed; an unknown order number is 404. Cancel changes nothing: it
// answers 303 to cancel_url_override or the mock's page
// /pay/{order_number}/cancelled.
//
// # Faults
//
// [WithErrorRate], [WithDropRate] and [WithLatency] make the mock misbehave
// like a real network service; [WithSeed] makes the choices repeatable and
// [WithFaultPhase] says whether a fault strikes before the request changes
// anything or after (a lost response). Faults and latency apply to the
// contract's nine operations only, never to /openapi.yaml, /pay/ (nor to
// callbacks) or /__mock/. With a seed, decisions follow the order requests arrive in, so
// they repeat exactly for sequential clients. [WithCreateCommitGate] holds
// a customer create until the test lets it commit, after its client gave up.
//
// Answers outside the contract's documented statuses are the mock's own:
// 405 for a known path with another method, 413 for a body over 1 MiB, and
// 503 (an injected fault, or a closed Server); and, on the buyer's pages,
// 303 and 409.
//
// # Seeding
//
// Payment methods cannot be created through Monri's API, so tests seed them
// with [Server.AddPaymentMethod], or over HTTP with a signed
// POST /__mock/customers/{uuid}/payment-methods whose body is a payment
// method. Snapshot accessors such as [Server.Customers] and
// [Server.PayByLinks] return copies of the state.
//
// # Control API
//
// Tests in any language drive the mock over HTTP under /__mock/. Each
// request is signed with WP3-v2.1 and the mock's credentials like an API
// call (an empty body where none is taken), and the answer is JSON, errors
// in Monri's shape:
//
//	POST /__mock/reset                              forget all state and logs ([Server.Reset])
//	POST /__mock/customers/{uuid}/payment-methods   seed a saved card ([Server.AddPaymentMethod])
//	POST /__mock/links/{order_number}/pay           pay as the page's Pay button ([Server.Pay]; 404, 409, 400)
//	POST /__mock/links/{order_number}/cancel        where the page's Cancel button goes (changes nothing; 404)
//	POST /__mock/links/{order_number}/expire        expire the link now ([Server.Expire]; 404, 409 when paid)
//	GET  /__mock/callbacks[?wait=5s]                the callback log, after waiting for deliveries in flight ([Server.Callbacks])
//	GET  /__mock/requests                           the request log ([Server.Requests])
//	GET  /__mock/faults                             error_rate, drop_rate, latency_ms, seed ([Server.Faults])
//	PUT  /__mock/faults                             replace them: all of error_rate, drop_rate, latency_ms; seed optional
//
// # Safety and logs
//
// Callbacks go only to loopback hosts unless [WithCallbackHosts] allows
// more, so that a mock reachable from a network is no relay into it; a
// refused callback is kept in the callback log with Refused set. The
// callback log and the request log are rings of the last
// [DefaultLogSize] entries ([WithCallbackLogSize], [WithRequestLogSize]).
// [WithRequestLog] writes one line per request and callback attempt;
// no line holds an Authorization header, a key, a digest or a card token.
package mock
