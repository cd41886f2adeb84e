// Command fleettop is a terminal dashboard for a monitoring fleet: it collects sFlow v5, joins hosts with their
// Puppet ENC data and shows top talkers, hottest URLs and memcache keys, and per-group counters live.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// Exit codes (the CLI contract).
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// subcommand runs one mode of fleettop with its own arguments and returns the exit code.
type subcommand struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// subcommands is filled by each mode's file in init, so main.go knows no mode's flags.
var subcommands = map[string]subcommand{}

func register(name, summary string, run func(args []string, stdout, stderr io.Writer) int) {
	subcommands[name] = subcommand{summary: summary, run: run}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help":
			usage(stdout)
			return exitOK
		case "-version", "--version":
			args = append([]string{"version"}, args[1:]...)
		}
	}
	name := "live"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	sc, ok := subcommands[name]
	if !ok {
		fmt.Fprintf(stderr, "fleettop: unknown command %q\n", name)
		usage(stderr)
		return exitUsage
	}
	return sc.run(args, stdout, stderr)
}

// about is the top-level help's description of fleettop, also the man page's.
const about = `fleettop is a terminal dashboard for a monitoring fleet: it collects sFlow v5,
joins hosts with their Puppet ENC data and shows top talkers, hottest URLs and
memcache keys, and per-group counters live. Without a COMMAND it runs live.`

// usage is the top-level help: every command with its one-line summary.
func usage(w io.Writer) {
	fmt.Fprint(w, "usage: fleettop [COMMAND] [flags]\n\n", about, "\n\ncommands:\n")
	for _, n := range commandNames() {
		fmt.Fprintf(w, "  %-10s %s\n", n, subcommands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'fleettop help COMMAND' (or 'fleettop COMMAND -h') for a command's flags.")
}

// commandNames are the registered commands, sorted.
func commandNames() []string {
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
