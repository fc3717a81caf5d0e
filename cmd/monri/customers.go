package main

import (
	"github.com/spf13/cobra"

	"github.com/monri-go/monri"
)

// operation builds a command that calls the API and prints JSON.
func (a *app) operation(use, short string, args cobra.PositionalArgs, setup func(*cobra.Command), call func(cmd *cobra.Command, c *monri.Client, args []string) (any, error)) *cobra.Command {
	var conn connection
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  args,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := conn.client(a, cmd, nil)
			if err != nil {
				return err
			}
			out, err := call(cmd, c, args)
			if err != nil {
				return err
			}
			return a.printJSON(out)
		},
	}
	conn.register(cmd)
	if setup != nil {
		setup(cmd)
	}
	return cmd
}

// customerFields are the flags for common customer fields; each one
// overrides the same field in --data.
type customerFields struct {
	data, merchantCustomerID, name, email, phone, country, city string

	app    *app
	params monri.CustomerParams // filled by parse
}

// customerFlagNames maps a customer's JSON fields to their flags.
var customerFlagNames = map[string]string{
	"merchant_customer_id": "merchant-customer-id", "name": "name", "email": "email",
	"phone": "phone", "country": "country", "city": "city",
}

func (f *customerFields) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.data, "data", "", "the customer as JSON: '{...}', @file or - for standard input")
	fl.StringVar(&f.merchantCustomerID, "merchant-customer-id", "", "merchant_customer_id")
	fl.StringVar(&f.name, "name", "", "name")
	fl.StringVar(&f.email, "email", "", "email")
	fl.StringVar(&f.phone, "phone", "", "phone")
	fl.StringVar(&f.country, "country", "", "country, ISO 3166-1 alpha-2, e.g. BA")
	fl.StringVar(&f.city, "city", "", "city")
	cmd.Long = cmd.Short + ".\n\nGive the fields as --data JSON, as flags, or both: a flag overrides the same field in --data.\n" +
		"The request is checked against the contract before it is sent."
	cmd.PreRunE = func(cmd *cobra.Command, _ []string) error {
		var err error
		f.params, err = f.parse(cmd)
		return err
	}
}

func (f *customerFields) parse(cmd *cobra.Command) (monri.CustomerParams, error) {
	var p monri.CustomerParams
	raw, err := f.app.readData(cmd.Context(), f.data)
	if err != nil {
		return p, err
	}
	if err := decodeData(raw, &p); err != nil {
		return p, err
	}
	set := func(flag string, dst **string, v string) {
		if cmd.Flags().Changed(flag) {
			*dst = &v
		}
	}
	set("merchant-customer-id", &p.MerchantCustomerID, f.merchantCustomerID)
	set("name", &p.Name, f.name)
	set("email", &p.Email, f.email)
	set("phone", &p.Phone, f.phone)
	set("country", &p.Country, f.country)
	set("city", &p.City, f.city)
	return p, checkBody("CustomerRequest", p, flagsOf{names: customerFlagNames, changed: cmd.Flags().Changed})
}

// pageFlags are --limit, --offset and --all for list commands.
type pageFlags struct {
	limit, offset int
	all           bool
}

func (p *pageFlags) register(cmd *cobra.Command) {
	cmd.Flags().IntVar(&p.limit, "limit", monri.DefaultPageSize, "items per page")
	cmd.Flags().IntVar(&p.offset, "offset", 0, "items to skip")
	cmd.Flags().BoolVar(&p.all, "all", false, "walk every page and print one JSON array")
}

func (p *pageFlags) params() (*monri.ListParams, error) {
	if p.limit < 0 || p.offset < 0 {
		return nil, usagef("--limit and --offset must not be negative")
	}
	if p.all && p.limit == 0 {
		return nil, usagef("--all needs a positive --limit")
	}
	return &monri.ListParams{Limit: &p.limit, Offset: &p.offset}, nil
}

// collect drains an iterator into a slice, stopping at the first error.
func collect[T any](seq func(func(T, error) bool)) ([]T, error) {
	out := []T{}
	for item, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}

func (a *app) customersCommand() *cobra.Command {
	cmd := group(&cobra.Command{Use: "customers", Short: "Customers API: create, get, update, delete, list"})
	create, update := customerFields{app: a}, customerFields{app: a}
	var list, methods pageFlags
	cmd.AddCommand(
		a.operation("create", "Create a customer", exactArgs(0, "no arguments"),
			create.register,
			func(cmd *cobra.Command, c *monri.Client, _ []string) (any, error) {
				return c.Customers.Create(cmd.Context(), create.params)
			}),
		a.operation("get UUID", "Get a customer by uuid", exactArgs(1, "the customer's uuid"), nil,
			func(cmd *cobra.Command, c *monri.Client, args []string) (any, error) {
				return c.Customers.Get(cmd.Context(), args[0])
			}),
		a.operation("get-by-merchant-id ID", "Get a customer by merchant_customer_id", exactArgs(1, "the merchant_customer_id"), nil,
			func(cmd *cobra.Command, c *monri.Client, args []string) (any, error) {
				return c.Customers.GetByMerchantCustomerID(cmd.Context(), args[0])
			}),
		a.operation("update UUID", "Update the fields given and keep the rest", exactArgs(1, "the customer's uuid"),
			update.register,
			func(cmd *cobra.Command, c *monri.Client, args []string) (any, error) {
				return c.Customers.Update(cmd.Context(), args[0], update.params)
			}),
		a.operation("delete UUID", "Delete a customer", exactArgs(1, "the customer's uuid"), nil,
			func(cmd *cobra.Command, c *monri.Client, args []string) (any, error) {
				return c.Customers.Delete(cmd.Context(), args[0])
			}),
		a.operation("list", "List customers, newest first", exactArgs(0, "no arguments"),
			list.register,
			func(cmd *cobra.Command, c *monri.Client, _ []string) (any, error) {
				p, err := list.params()
				if err != nil {
					return nil, err
				}
				if list.all {
					return collect(c.Customers.ListAll(cmd.Context(), p))
				}
				return c.Customers.List(cmd.Context(), p)
			}),
		a.operation("payment-methods UUID", "List a customer's payment methods", exactArgs(1, "the customer's uuid"),
			methods.register,
			func(cmd *cobra.Command, c *monri.Client, args []string) (any, error) {
				p, err := methods.params()
				if err != nil {
					return nil, err
				}
				mp := &monri.PaymentMethodListParams{Limit: p.Limit, Offset: p.Offset}
				if methods.all {
					return collect(c.Customers.ListAllPaymentMethods(cmd.Context(), args[0], mp))
				}
				return c.Customers.ListPaymentMethods(cmd.Context(), args[0], mp)
			}),
	)
	return cmd
}
