package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/doctor"
	"github.com/gvx-dev/gvx/pkg/goversion"
	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/layout"
	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/verify"
)

func doctorCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "doctor",
		Usage: "find what keeps the right Go from running, and say how to fix it",
		Description: `Checks PATH order (gvx's shims before any other go), shell integration,
Apple Silicon and Rosetta 2, the CPU type of every go, a stale GOROOT, GOBIN
on PATH, what GOTOOLCHAIN does here, cgo's C compiler, GOPROXY/GOSUMDB and
whether they answer, and the health of the gvx home; with --deep, every
installed root is re-hashed as gvx verify does. Exits 1 when a check fails.

--fix applies the safe fixes: removes what interrupted installs left,
recreates the shims, and reinstalls a toolchain that is not native after
asking (--yes answers yes).`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "json", Usage: "print [{id, status, message, fix}] as JSON"},
			&ucli.BoolFlag{Name: "offline", Usage: "skip the network checks"},
			&ucli.BoolFlag{Name: "fix", Usage: "apply the safe fixes, then check again"},
			&ucli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Usage: "with --fix: reinstall without asking"},
			&ucli.BoolFlag{Name: "deep", Usage: "also re-hash every installed root, as gvx verify does"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usagef("gvx doctor takes no arguments, got %q", c.Args().First())
			}
			if c.Bool("yes") && !c.Bool("fix") {
				return usagef("--yes only goes with --fix")
			}
			trust := doctor.Trust{CacheDir: e.cacheDir(), Deep: c.Bool("deep")}
			if trust.Deep {
				w, err := e.world(false)
				if err != nil {
					return err
				}
				trust.Sums = w.checker().(install.SumLookup)
			}
			ctx := doctor.WithTrust(c.Context, trust)
			return runDoctor(ctx, e, c.Bool("json"), c.Bool("offline"), c.Bool("fix"), c.Bool("yes"))
		},
	}
}

func runDoctor(ctx context.Context, e *env, asJSON, offline, fix, yes bool) error {
	dirs, err := e.dirs()
	if err != nil {
		return err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	denv := &doctor.Env{Dirs: dirs, Cwd: cwd, Getenv: e.getenv, Offline: offline}
	results := doctor.Check(ctx, denv)
	if fix {
		fixed, err := applyFixes(ctx, e, dirs, results, yes)
		if err != nil {
			return err
		}
		if fixed {
			results = doctor.Check(ctx, denv)
		}
	}
	if asJSON {
		if results == nil {
			results = []doctor.Result{}
		}
		if err := printJSON(e, results); err != nil {
			return err
		}
	} else {
		for _, r := range results {
			fmt.Fprintf(e.stdout, "%-4s  %s\n", r.Status, r.Message)
			if r.Fix != "" {
				for _, line := range strings.Split(r.Fix, "\n") {
					fmt.Fprintf(e.stdout, "      %s\n", line)
				}
			}
		}
	}
	if doctor.Failed(results) {
		return ucli.Exit("", exitFailure)
	}
	return nil
}

// applyFixes applies the results' safe fixes and reports whether it changed
// anything. Reinstalls are asked about on stdin unless yes is set.
func applyFixes(ctx context.Context, e *env, dirs layout.Dirs, results []doctor.Result, yes bool) (bool, error) {
	fixed := false
	shimsDone := false
	in := bufio.NewReader(e.stdin)
	for _, r := range results {
		a := r.Action
		if a == nil {
			continue
		}
		switch a.Kind {
		case doctor.RemoveStaging:
			if err := install.RemoveStaging(dirs, a.Paths); err != nil {
				return fixed, fmt.Errorf("clean staging: %w", err)
			}
			fmt.Fprintf(e.stderr, "removed %d leftovers of interrupted installs from %s\n", len(a.Paths), dirs.Staging())
			fixed = true
		case doctor.SyncShims:
			if shimsDone {
				continue
			}
			w, inst, err := e.store()
			if err != nil {
				return fixed, err
			}
			if err := w.refreshShims(inst); err != nil {
				return fixed, err
			}
			fmt.Fprintf(e.stderr, "recreated the shims in %s\n", dirs.Shims())
			shimsDone, fixed = true, true
		case doctor.Reinstall:
			v := a.Version.String()
			if !yes {
				fmt.Fprintf(e.stderr, "%s\nreinstall %s for this machine (the native build replaces it once downloaded and checked)? [y/N] ", r.Message, a.Version.GoName())
				answer, _ := in.ReadString('\n')
				if ans := strings.ToLower(strings.TrimSpace(answer)); ans != "y" && ans != "yes" {
					fmt.Fprintf(e.stderr, "kept %s\n", a.Version.GoName())
					continue
				}
			}
			if err := reinstallNative(ctx, e, a.Version); err != nil {
				return fixed, fmt.Errorf("reinstall %s: %w; %s is left as it was (try 'gvx install %s' later)", a.Version.GoName(), err, a.Version.GoName(), v)
			}
			fixed = true
		}
	}
	return fixed, nil
}

// reinstallNative replaces the installed version v with the build for this
// machine: fetched, checked and staged completely, then swapped in for the
// old root (install.Installer.Replace), so that a failure, offline say,
// leaves the old one in place.
func reinstallNative(ctx context.Context, e *env, v goversion.Version) error {
	w, err := e.world(false)
	if err != nil {
		return err
	}
	in, err := w.installer()
	if err != nil {
		return err
	}
	plat, err := e.platform("")
	if err != nil {
		return err
	}
	src, err := w.source()
	if err != nil {
		return err
	}
	a, err := registry.Resolve(ctx, src, goversion.MustParseSpec(v.String()), plat)
	if err != nil {
		return err
	}
	if _, err := in.Replace(ctx, src, a); err != nil {
		if verify.IsSecurity(err) {
			w.cache().Forget()
		}
		return err
	}
	return w.refreshShims(in)
}
