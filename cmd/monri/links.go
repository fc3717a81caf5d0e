package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri"
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
	given  map[string]bool       // the fields --data gave
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

// build makes the link from --data and the flags.
func (f *linkFields) build(cmd *cobra.Command) (monri.PayByLinkParams, error) {
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
		p.TransactionType = monri.TransactionType(f.transactionType)
	}
	str("callback-url", &p.CallbackURLOverride, f.callbackURL)
	str("success-url", &p.SuccessURLOverride, f.successURL)
	str("cancel-url", &p.CancelURLOverride, f.cancelURL)
	if changed("language") {
		p.Language = monri.Ptr(monri.Language(f.language))
	}
	if changed("expires-at") {
		var ts wire.Timestamp
		if err := json.Unmarshal([]byte(strconv.Quote(f.expiresAt)), &ts); err != nil {
			return p, usagef("--expires-at: %q is not a timestamp; write e.g. 2026-12-31T23:59:59+01:00", f.expiresAt)
		}
		p.ExpiresAt = &ts
	}
	f.given = dataKeys(raw)
	return p, nil
}

// check validates p, built by build, against the contract.
func (f *linkFields) check(cmd *cobra.Command, p monri.PayByLinkParams) error {
	changed := cmd.Flags().Changed
	missing := func(field string) bool { return !f.given[field] && !changed(linkFlagNames[field]) }
	return checkBody("PayByLinkRequest", p, flagsOf{names: linkFlagNames, changed: changed, absent: missing})
}

// parse builds the link and checks it.
func (f *linkFields) parse(cmd *cobra.Command) (monri.PayByLinkParams, error) {
	p, err := f.build(cmd)
	if err != nil {
		return p, err
	}
	return p, f.check(cmd, p)
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
		a.setActiveCommand("activate", "Make a payment link payable again", (*monri.PayByLinkService).Activate),
		a.setActiveCommand("deactivate", "Make a payment link unpayable", (*monri.PayByLinkService).Deactivate),
		a.linksPayCommand(),
	)
	return cmd
}

// setActiveCommand is `links activate` or `links deactivate`. Like the
// facade, it sends the link's whole body with only active changed and never
// reads the link to fill the rest in: the caller gives the body, with the
// same --data and flags as create-or-update.
func (a *app) setActiveCommand(name, short string, set func(*monri.PayByLinkService, context.Context, monri.PayByLinkParams, ...monri.RequestOption) (*monri.PayByLink, error)) *cobra.Command {
	fields := linkFields{app: a}
	args := func(cmd *cobra.Command, args []string) error {
		if len(args) > 1 {
			return usagef("expected at most the order number, got %d arguments", len(args))
		}
		if len(args) == 1 {
			if cmd.Flags().Changed("order-number") && fields.orderNumber != args[0] {
				return usagef("the argument %q and --order-number %q differ", args[0], fields.orderNumber)
			}
			if err := cmd.Flags().Set("order-number", args[0]); err != nil {
				return err
			}
		}
		return nil
	}
	cmd := a.operation(name+" [ORDER_NUMBER]", short+": sends the link's params, as create-or-update takes them, with active set", args,
		fields.register,
		func(cmd *cobra.Command, c *monri.Client, _ []string) (any, error) {
			return set(c.PayByLink, cmd.Context(), fields.params)
		})
	// Say why the whole body is needed before the contract's own words.
	cmd.PreRunE = func(cmd *cobra.Command, _ []string) error {
		p, err := fields.build(cmd)
		if err != nil {
			return err
		}
		if missing := missingLinkFields(p); len(missing) > 0 {
			return usagef("%s sends the link's whole body with only active changed, so that nothing is lost if Monri replaces the link: "+
				"give the params create-or-update sent (--data, or --amount, --currency, --order-info and --transaction-type); missing: %s",
				name, strings.Join(missing, ", "))
		}
		fields.params = p
		return fields.check(cmd, p)
	}
	cmd.Long = short + ".\n\n" +
		"Monri's page for this call lost its body; it is a create-or-update of the same order number with\n" +
		"active set, and Monri may replace the link with what is sent. So " + name + " sends the link's\n" +
		"whole body, given as for create-or-update (--data and flags, a flag overriding its field), and\n" +
		"reads nothing back to fill it in."
	return cmd
}

// missingLinkFields names the required fields p lacks.
func missingLinkFields(p monri.PayByLinkParams) []string {
	var missing []string
	for _, f := range []struct {
		name  string
		unset bool
	}{
		{"amount", p.Amount == 0},
		{"currency", p.Currency == ""},
		{"order_info", p.OrderInfo == ""},
		{"transaction_type", p.TransactionType == ""},
	} {
		if f.unset {
			missing = append(missing, f.name)
		}
	}
	return missing
}
