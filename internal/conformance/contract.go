package conformance

import (
	"fmt"
	"strings"
)

// contractPrefix starts the name of each per-operation contract check.
const contractPrefix = "contract/"

// contractOps are the contract's server operations, in the order a table shows them.
var contractOps = []string{
	"createCustomer", "getCustomer", "getCustomerByMerchantCustomerId", "updateCustomer",
	"listCustomers", "listCustomerPaymentMethods", "deleteCustomer",
	"createOrUpdatePayByLink", "getPayByLink",
}

func contractName(op string) string { return contractPrefix + op }

// maxViolations bounds one result's detail; the rest are counted.
const maxViolations = 10

// contractResults gives one result per operation the run exercised: ok when
// kin-openapi found every request and answer as the contract describes.
func (r *runner) contractResults() []Result {
	byOp := map[string][]string{}
	count := map[string]int{}
	for _, x := range r.snapshot() {
		op := x.Operation
		if op == "" {
			op = "(no operation)"
		}
		count[op]++
		for _, v := range x.Violations {
			byOp[op] = append(byOp[op], fmt.Sprintf("%s %s: %s", x.Method, x.Route, v))
		}
	}
	var out []Result
	for _, op := range contractOps {
		if count[op] == 0 {
			continue
		}
		out = append(out, contractResult(contractName(op), count[op], byOp[op]))
	}
	if n := count["(no operation)"]; n > 0 {
		out = append(out, contractResult(contractPrefix+"unknown-operation", n, byOp["(no operation)"]))
	}
	return out
}

func contractResult(name string, n int, violations []string) Result {
	if len(violations) == 0 {
		if n == 1 {
			return Result{Name: name, OK: true, Detail: "1 exchange conforms"}
		}
		return Result{Name: name, OK: true, Detail: fmt.Sprintf("%d exchanges conform", n)}
	}
	uniq := dedupe(violations)
	shown := uniq
	if len(shown) > maxViolations {
		shown = shown[:maxViolations]
	}
	detail := strings.Join(shown, "; ")
	if more := len(uniq) - len(shown); more > 0 {
		detail += fmt.Sprintf("; and %d more", more)
	}
	return Result{Name: name, OK: false, Detail: detail}
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
