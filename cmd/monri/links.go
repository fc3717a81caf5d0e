package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/gen"
)

// linkFields are the flags for a link's required fields; they override --data.
type linkFields struct {
	data, orderNumber, currency, orderInfo, transactionType string
	amount                                                  int64
}

func (f *linkFields) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.data, "data", "", "JSON body: '{...}', @file or - for standard input")
	fl.StringVar(&f.orderNumber, "order-number", "", "order_number, the link's idempotency key")
	fl.Int64Var(&f.amount, "amount", 0, "amount in minor units, e.g. 1024 for 10.24")
	fl.StringVar(&f.currency, "currency", "", "currency, e.g. EUR")
	fl.StringVar(&f.orderInfo, "order-info", "", "order_info, a short description")
	fl.StringVar(&f.transactionType, "transaction-type", "", "purchase or authorize")
}

func (f *linkFields) params(a *app, cmd *cobra.Command) (monri.PayByLinkParams, error) {
	var p monri.PayByLinkParams
	raw, err := readData(a.stdin, f.data)
	if err != nil {
		return p, err
	}
	if err := decodeData(raw, &p); err != nil {
		return p, err
	}
	changed := cmd.Flags().Changed
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
	if p.OrderNumber == "" {
		return p, usagef("order_number is required: --order-number or in --data")
	}
	return p, nil
}

func (a *app) linksCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "links", Short: "Pay By Link API: create or update, show, activate, deactivate; pay on the mock"}
	var fields linkFields
	cmd.AddCommand(
		a.operation("create-or-update", "Create a payment link, or update the one with the same order number", exactArgs(0, "no arguments"),
			fields.register,
			func(cmd *cobra.Command, c *monri.Client, _ []string) (any, error) {
				p, err := fields.params(a, cmd)
				if err != nil {
					return nil, err
				}
				return c.PayByLink.CreateOrUpdate(cmd.Context(), p)
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
func (a *app) setActiveCommand(name, short string, set func(*monri.PayByLinkService, context.Context, monri.PayByLinkParams) (*monri.PayByLink, error)) *cobra.Command {
	var fields linkFields
	args := func(_ *cobra.Command, args []string) error {
		if len(args) > 1 {
			return usagef("expected at most the order number, got %d arguments", len(args))
		}
		return nil
	}
	cmd := a.operation(name+" [ORDER_NUMBER]", short+": sends the link's params, as create-or-update takes them, with active set", args,
		fields.register,
		func(cmd *cobra.Command, c *monri.Client, args []string) (any, error) {
			if len(args) == 1 {
				if cmd.Flags().Changed("order-number") && fields.orderNumber != args[0] {
					return nil, usagef("the argument %q and --order-number %q differ", args[0], fields.orderNumber)
				}
				if err := cmd.Flags().Set("order-number", args[0]); err != nil {
					return nil, err
				}
			}
			p, err := fields.params(a, cmd)
			if err != nil {
				return nil, err
			}
			if missing := missingLinkFields(p); len(missing) > 0 {
				return nil, usagef("%s sends the link's whole body with only active changed, so that nothing is lost if Monri replaces the link: "+
					"give the params create-or-update sent (--data, or --amount, --currency, --order-info and --transaction-type); missing: %s",
					name, strings.Join(missing, ", "))
			}
			return set(c.PayByLink, cmd.Context(), p)
		})
	cmd.Long = short + ".\n\n" +
		"Monri's page for this call lost its body; it is a create-or-update of the same order number with\n" +
		"active set, and Monri may replace the link with what is sent. So " + name + " sends the link's\n" +
		"whole body, given as for create-or-update (--data and flags), and reads nothing back to fill it in."
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
