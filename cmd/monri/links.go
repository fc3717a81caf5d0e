package main

import (
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
