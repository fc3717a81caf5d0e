package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/wire"
)

// linkFields are the flags for a link's fields; each one overrides the same
// field in --data.
type linkFields struct {
	data, orderNumber, currency, orderInfo, transactionType string
	callbackURL, successURL, cancelURL, expiresAt, language string
	amount                                                  int64

	app    *app
	params monri.PayByLinkParams // filled by parse
}

// linkFlagNames maps a link's JSON fields to their flags.
var linkFlagNames = map[string]string{
	"order_number": "order-number", "amount": "amount", "currency": "currency", "order_info": "order-info",
	"transaction_type": "transaction-type", "callback_url_override": "callback-url",
	"success_url_override": "success-url", "cancel_url_override": "cancel-url",
	"expires_at": "expires-at", "language": "language",
}

const linkFieldsHelp = `Give the link as --data JSON, as flags, or both: a flag overrides the same field in --data.
The flags marked [required] are required unless --data has their field. The request is
checked against the contract before it is sent; nothing is sent while a problem remains.`

func (f *linkFields) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.data, "data", "", "the link as JSON: '{...}', @file or - for standard input")
	fl.StringVar(&f.orderNumber, "order-number", "", "[required] order_number, the link's idempotency key (2-40 characters)")
	fl.Int64Var(&f.amount, "amount", 0, "[required] amount in minor units, e.g. 1024 for 10.24")
	fl.StringVar(&f.currency, "currency", "", "[required] currency, ISO 4217, e.g. EUR")
	fl.StringVar(&f.orderInfo, "order-info", "", "[required] order_info, a short description (3-100 characters)")
	fl.StringVar(&f.transactionType, "transaction-type", "", "[required] "+strings.Join(enumValues("TransactionType"), " or "))
	fl.StringVar(&f.callbackURL, "callback-url", "", "callback_url_override: where the payment callback is POSTed")
	fl.StringVar(&f.successURL, "success-url", "", "success_url_override: where the buyer goes after paying")
	fl.StringVar(&f.cancelURL, "cancel-url", "", "cancel_url_override: where the buyer goes after cancelling")
	fl.StringVar(&f.expiresAt, "expires-at", "", "expires_at, e.g. 2026-12-31T23:59:59+01:00")
	fl.StringVar(&f.language, "language", "", "language of the payment page: "+strings.Join(enumValues("Language"), ", "))
	completeEnum(cmd, "transaction-type", "TransactionType")
	completeEnum(cmd, "language", "Language")
	cmd.Long = cmd.Short + ".\n\n" + linkFieldsHelp
	cmd.PreRunE = func(cmd *cobra.Command, _ []string) error {
		var err error
		f.params, err = f.parse(cmd)
		return err
	}
}

// parse builds the link from --data and the flags, and checks it against
// the contract.
func (f *linkFields) parse(cmd *cobra.Command) (monri.PayByLinkParams, error) {
	var p monri.PayByLinkParams
	raw, err := f.app.readData(cmd.Context(), f.data)
	if err != nil {
		return p, err
	}
	if err := decodeData(raw, &p); err != nil {
		return p, err
	}
	changed := cmd.Flags().Changed
	str := func(flag string, dst **string, v string) {
		if changed(flag) {
			*dst = &v
		}
	}
	if changed("order-number") {
		p.OrderNumber = f.orderNumber
	}
	if changed("amount") {
		p.Amount = f.amount
	}
	if changed("currency") {
		p.Currency = f.currency
	}
	if changed("order-info") {
		p.OrderInfo = f.orderInfo
	}
	if changed("transaction-type") {
		p.TransactionType = gen.TransactionType(f.transactionType)
	}
	str("callback-url", &p.CallbackURLOverride, f.callbackURL)
	str("success-url", &p.SuccessURLOverride, f.successURL)
	str("cancel-url", &p.CancelURLOverride, f.cancelURL)
	if changed("language") {
		p.Language = ptr(gen.Language(f.language))
	}
	if changed("expires-at") {
		var ts wire.Timestamp
		if err := json.Unmarshal([]byte(strconv.Quote(f.expiresAt)), &ts); err != nil {
			return p, usagef("--expires-at: %q is not a timestamp; write e.g. 2026-12-31T23:59:59+01:00", f.expiresAt)
		}
		p.ExpiresAt = &ts
	}
	given := dataKeys(raw)
	missing := func(field string) bool { return !given[field] && !changed(linkFlagNames[field]) }
	return p, checkBody("PayByLinkRequest", p, flagsOf{names: linkFlagNames, changed: changed, absent: missing})
}

// dataKeys lists the top-level fields --data gave.
func dataKeys(raw []byte) map[string]bool {
	var m map[string]json.RawMessage
	if len(bytes.TrimSpace(raw)) > 0 {
		_ = json.Unmarshal(raw, &m)
	}
	keys := make(map[string]bool, len(m))
	for k := range m {
		keys[k] = true
	}
	return keys
}

func (a *app) linksCommand() *cobra.Command {
	cmd := group(&cobra.Command{Use: "links", Short: "Pay By Link API: create or update, show, activate, deactivate; pay on the mock"})
	fields := linkFields{app: a}
	cmd.AddCommand(
		a.operation("create-or-update", "Create a payment link, or update the one with the same order number", exactArgs(0, "no arguments"),
			fields.register,
			func(cmd *cobra.Command, c *monri.Client, _ []string) (any, error) {
				return c.PayByLink.CreateOrUpdate(cmd.Context(), fields.params)
			}),
		a.operation("show ORDER_NUMBER", "Show a payment link", exactArgs(1, "the order number"), nil,
			func(cmd *cobra.Command, c *monri.Client, args []string) (any, error) {
				return c.PayByLink.Get(cmd.Context(), args[0])
			}),
		a.operation("activate ORDER_NUMBER", "Make a payment link payable again", exactArgs(1, "the order number"), nil,
			func(cmd *cobra.Command, c *monri.Client, args []string) (any, error) {
				return c.PayByLink.Activate(cmd.Context(), args[0])
			}),
		a.operation("deactivate ORDER_NUMBER", "Make a payment link unpayable", exactArgs(1, "the order number"), nil,
			func(cmd *cobra.Command, c *monri.Client, args []string) (any, error) {
				return c.PayByLink.Deactivate(cmd.Context(), args[0])
			}),
		a.linksPayCommand(),
	)
	return cmd
}
