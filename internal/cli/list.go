package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/gvx-dev/gvx/pkg/install"
	"github.com/gvx-dev/gvx/pkg/registry"
	"github.com/gvx-dev/gvx/pkg/shim"
)

func listCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:    "list",
		Aliases: []string{"ls"},
		Usage:   "list installed Go versions, oldest first",
		Description: `Marks the version that runs in the working directory with * and what
selected it, and the version the global default ($GVX_HOME/version) selects.
--projects lists the known projects (directories where 'gvx use' wrote a pin)
and what each selects.`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "json", Usage: "print JSON"},
			&ucli.BoolFlag{Name: "projects", Usage: "list the known projects and what each selects"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usagef("list takes no arguments; to see available versions run 'gvx list-remote %s'", c.Args().First())
			}
			if c.Bool("projects") {
				return runListProjects(e, c.Bool("json"))
			}
			return runList(e, c.Bool("json"))
		},
	}
}

func runList(e *env, asJSON bool) error {
	w, _, list, err := e.storeList()
	if err != nil {
		return err
	}
	sels := e.selected(w.dirs)
	if asJSON {
		type item struct {
			Version     string    `json:"version"`
			GOROOT      string    `json:"goroot"`
			OS          string    `json:"os"`
			Arch        string    `json:"arch"`
			Source      string    `json:"source"`
			InstalledAt time.Time `json:"installed_at"`
			// Current is set on the version that runs in the working
			// directory; Origin says what selected it.
			Current bool   `json:"current"`
			Origin  string `json:"origin,omitempty"`
			// Global is set on the version the global default selects.
			Global bool `json:"global"`
		}
		out := []item{}
		for _, i := range list {
			it := item{Version: i.Version.String(), GOROOT: i.Root, OS: i.Receipt.OS, Arch: i.Receipt.Arch,
				Source: i.Receipt.Source, InstalledAt: i.Receipt.InstalledAt}
			if runs(sels.here, i.Version) {
				it.Current, it.Origin = true, sels.here.Origin.String()
			}
			it.Global = runs(sels.global, i.Version)
			out = append(out, it)
		}
		return printJSON(e, out)
	}
	// A version built for another platform than this machine's (an amd64
	// Go on Apple Silicon runs under Rosetta) says so.
	host, _, hostErr := registry.Host(registry.NativeProbe())
	canRun := e.canRun() // nil but on macOS
	for _, i := range list {
		line := []string{i.Version.String()}
		plat := registry.Platform{OS: i.Receipt.OS, Arch: i.Receipt.Arch}
		if hostErr == nil && plat.OS != "" && plat != host {
			line = append(line, fmt.Sprintf("(%s, not native)", plat))
		}
		if note := cannotRunNote(canRun, i.Root); note != "" {
			line = append(line, note)
		}
		if runs(sels.here, i.Version) {
			line = append(line, fmt.Sprintf("* (selected by %s)", sels.here.Origin))
		}
		if runs(sels.global, i.Version) {
			line = append(line, "(global default)")
		}
		fmt.Fprintln(e.stdout, strings.Join(line, " "))
	}
	// A selection that cannot run is worth a word where versions are
	// listed: it is the next go call's error.
	var nie *shim.NotInstalledError
	if errors.As(sels.hereErr, &nie) {
		e.notef("%v", nie)
	} else if errors.As(sels.globalErr, &nie) {
		e.notef("the global default: %v", nie)
	}
	return nil
}

func printJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// cannotRunNote is list's mark of a root this Mac cannot start ("(needs
// macOS 13.0; this Mac runs 12.7)"), "" for one it can, or off macOS.
func cannotRunNote(canRun func(root string) error, root string) string {
	if canRun == nil {
		return ""
	}
	var me *install.MacOSError
	if err := canRun(root); errors.As(err, &me) {
		return fmt.Sprintf("(needs macOS %s; this Mac runs %s)", me.Needs, me.Host)
	}
	return ""
}
