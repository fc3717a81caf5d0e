package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/internal/conformance"
)

func (a *app) conformanceCommand() *cobra.Command {
	var (
		conn                   connection
		asJSON                 bool
		only, skip             []string
		record                 string
		allowProd, allowWrites bool
	)
	cmd := &cobra.Command{
		Use:   "conformance",
		Short: "Check a Monri environment against the contract, and record what it answers",
		Long: "conformance runs every operation of the contract against --base-url or --env with its own data\n" +
			"(named conformance-<random>-N), checks each exchange against openapi/monri.yaml and each documented\n" +
			"behaviour as a named check, and deletes or deactivates what it made, also after Ctrl-C.\n" +
			"Production needs --allow-production and is then read-only unless --allow-production-writes.\n" +
			"Exit 0 when everything conforms, 1 when anything differs.\n\nChecks:\n  " +
			strings.Join(conformance.Names(), "\n  "),
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if allowWrites && !allowProd {
				return usagef("--allow-production-writes needs --allow-production")
			}
			cl, err := conn.client(a, cmd, nil) // the CLI's own rules for credentials, --env and --base-url
			if err != nil {
				return err
			}
			base := cl.BaseURL()
			prod := sameHost(base, monri.Production.BaseURL())
			if prod && !allowProd {
				return usagef("%s is Monri's production: pass --allow-production to run the read-only checks there", base)
			}
			cfg := conformance.Config{
				BaseURL: base, MerchantKey: conn.secrets.merchantKey, AuthenticityToken: conn.secrets.authenticityToken,
				ReadOnly: prod && !allowWrites, Only: only, Skip: skip, RequestTimeout: conn.timeout,
			}
			if conn.debug {
				cfg.Log = a.stderr // operation, method, path template and status only
			}
			if cfg.ReadOnly {
				fmt.Fprintln(a.stderr, "monri: production, read-only: checks that create data are not run")
			}
			if record != "" {
				if cfg.Record, err = conformance.NewRecorder(record); err != nil {
					return err
				}
			}
			results, err := conformance.Run(cmd.Context(), cfg)
			if errors.Is(err, conformance.ErrUnknownCheck) {
				return usageError{err}
			}
			if results != nil {
				write := conformance.WriteTable
				if asJSON {
					write = conformance.WriteJSON
				}
				if werr := write(a.stdout, results); werr != nil {
					return werr
				}
			}
			if err != nil {
				return fmt.Errorf("conformance: stopped early, after removing what it made: %w", err)
			}
			if !conformance.Conforms(results) {
				return errReported
			}
			return nil
		},
	}
	conn.register(cmd)
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print a JSON array of {name, ok, detail} instead of the table")
	f.StringSliceVar(&only, "only", nil, "run only these checks (comma-separated names)")
	f.StringSliceVar(&skip, "skip", nil, "skip these checks (comma-separated names)")
	f.StringVar(&record, "record", "", "write each exchange to this directory as a redacted JSON fixture")
	f.BoolVar(&allowProd, "allow-production", false, "allow a run against Monri's production (read-only checks)")
	f.BoolVar(&allowWrites, "allow-production-writes", false, "with --allow-production, also run the checks that create and delete data")
	return cmd
}

// sameHost reports whether two base URLs name the same host, so that
// https://IPG.monri.com/ counts as production too.
func sameHost(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	return errA == nil && errB == nil && strings.EqualFold(ua.Hostname(), ub.Hostname())
}
