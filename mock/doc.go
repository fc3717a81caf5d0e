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
//     offset to 0. A page costs O(limit), whatever the offset.
//   - A Pay By Link create-or-update is idempotent by order_number: the first
//     call answers status "created", later ones "updated"; only fields sent
//     change, and order_number never does. payment_url is
//     http://<Host of the creating request>/pay/<order_number>, a page the
//     mock serves. terminal_entry_status is "pending", or "expired" once
//     expires_at has passed by the server's clock.
//
// # Faults
//
// [WithErrorRate], [WithDropRate] and [WithLatency] make the mock misbehave
// like a real network service; [WithSeed] makes the choices repeatable and
// [WithFaultPhase] says whether a fault strikes before the request changes
// anything or after (a lost response). Faults and latency apply to the
// contract's nine operations only, never to /openapi.yaml, /pay/ or
// /__mock/. With a seed, decisions follow the order requests arrive in, so
// they repeat exactly for sequential clients.
//
// Answers outside the contract's documented statuses are the mock's own:
// 405 for a known path with another method, 413 for a body over 1 MiB, and
// 503 (an injected fault, or a closed Server).
//
// # Seeding
//
// Payment methods cannot be created through Monri's API, so tests seed them
// with [Server.AddPaymentMethod], or over HTTP with a signed
// POST /__mock/customers/{uuid}/payment-methods whose body is a payment
// method. Snapshot accessors such as [Server.Customers] and
// [Server.PayByLinks] return copies of the state.
package mock
