package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri/internal/version"
)

// versionLine is what `monri version` and `monri --version` print: the
// module version and VCS revision from the binary's build info.
func versionLine() string { return "monri " + version.Read().String() + "\n" }

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the module version, VCS revision and Go version this binary was built from",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(a.stdout, versionLine())
			return err
		},
	}
}
