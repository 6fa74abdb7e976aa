package cli

import (
	"context"
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/verify"
)

func verifyCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "verify",
		Usage:     "re-check installed Go versions against their receipts and the checksum database",
		ArgsUsage: "[VERSION...]",
		Description: `Re-hashes every file of each installed root (all of them with no VERSION)
and compares it with the file list the install wrote, which the receipt's
tree hash vouches for: every changed, missing or extra file is named. For
Go 1.21 and later, the files the toolchain module holds are also checked
against the checksum database (GOSUMDB), unless --offline. Exits 3 when a
root is not what was installed, 0 when all are intact.`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "json", Usage: "print one object per root as a JSON array"},
			&ucli.BoolFlag{Name: "offline", Usage: "do not ask the checksum database"},
		},
		Action: func(c *ucli.Context) error {
			return runVerify(c.Context, e, c.Args().Slice(), c.Bool("json"), c.Bool("offline"))
		},
	}
}

// runVerify checks the installed roots named by versions (all with none).
func runVerify(ctx context.Context, e *env, versions []string, asJSON, offline bool) error {
	w, in, err := e.store()
	if err != nil {
		return err
	}
	list, err := in.List()
	if err != nil {
		return err
	}
	var todo []install.Installed
	for _, s := range versions {
		v, err := goversion.Parse(s)
		if err != nil {
			return usagef("%q is not a Go version such as 1.22.6", s)
		}
		found := false
		for _, i := range list {
			if goversion.Equal(i.Version, v) {
				todo, found = append(todo, i), true
			}
		}
		if !found {
			return fmt.Errorf("%s is not installed; run 'gvx list' to see what is", v.GoName())
		}
	}
	if len(versions) == 0 {
		todo = list
	}
	var sums install.SumLookup
	if !offline {
		sums = w.checker().(install.SumLookup)
	}
	checks := []install.RootCheck{}
	var bad []string
	for _, i := range todo {
		rc, err := in.Check(ctx, i.Version.String(), sums)
		if err != nil {
			return err
		}
		checks = append(checks, rc)
		if !rc.Intact() {
			bad = append(bad, i.Version.GoName())
		}
		if !asJSON {
			printRootCheck(e, i.Version.GoName(), rc)
		}
	}
	if asJSON {
		if err := printJSON(e, checks); err != nil {
			return err
		}
	} else if len(todo) == 0 {
		fmt.Fprintln(e.stderr, "no Go versions are installed")
	}
	if len(bad) > 0 {
		return &verify.MismatchError{
			What: "installed files", Subject: strings.Join(bad, ", "), URL: in.Dirs.Versions(),
			Expected: "the files their installs wrote", Got: "the differences listed above",
			Advice: "Something changed these roots after they were installed, or a crash tore them.\n" +
				"Reinstall each: gvx uninstall VERSION && gvx install VERSION",
		}
	}
	return nil
}

func printRootCheck(e *env, name string, rc install.RootCheck) {
	status := "ok"
	if !rc.Intact() {
		status = "CHANGED"
	}
	db := ""
	if rc.SumDB != "" {
		db = "; checksum database: " + rc.SumDB
	}
	fmt.Fprintf(e.stdout, "%s  %s  (%d files%s)\n", name, status, rc.Files, db)
	if rc.List != "" {
		fmt.Fprintf(e.stdout, "  %s\n", rc.List)
	}
	if rc.NoList {
		fmt.Fprintln(e.stdout, "  no file list (installed by an older gvx): only the checksum database could check it; reinstall to get one")
	}
	for _, l := range []struct {
		what  string
		names []string
	}{{"changed", rc.Changed}, {"missing", rc.Missing}, {"extra", rc.Extra}} {
		for _, n := range l.names {
			fmt.Fprintf(e.stdout, "  %s: %s\n", l.what, n)
		}
	}
	if rc.SumDB == "mismatch" {
		fmt.Fprintf(e.stdout, "  h1: %s, the checksum database has %s\n", rc.H1, rc.Expected)
	}
}
