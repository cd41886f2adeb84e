package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

func init() {
	register("help", "show this list, or a command's help and flags", runHelp)
}

// runHelp prints the top-level help, or with a COMMAND that command's -h text, on stdout.
func runHelp(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0 || len(args) == 1 && (args[0] == "-h" || args[0] == "--help"):
		usage(stdout)
		return exitOK
	case len(args) > 1:
		fmt.Fprintln(stderr, "usage: fleettop help [COMMAND]")
		return exitUsage
	}
	if _, ok := subcommands[args[0]]; !ok {
		fmt.Fprintf(stderr, "fleettop help: unknown command %q\n", args[0])
		usage(stderr)
		return exitUsage
	}
	fmt.Fprint(stdout, commandHelp(args[0]))
	return exitOK
}

// commandHelp is what `fleettop NAME -h` prints: the command's usage text and its flags. The completions and
// the man page are made from it, so they list what the commands accept.
func commandHelp(name string) string {
	var b bytes.Buffer
	subcommands[name].run([]string{"-h"}, &b, &b)
	return b.String()
}

// flagDoc is one flag as the flag package's PrintDefaults lists it.
type flagDoc struct {
	Name  string // without dashes
	Arg   string // the value's placeholder ("string", "duration", a back-quoted name), "" for a bool
	Usage string // its text, lines joined with "\n", with " (default ...)" when it has one
}

// parseHelp splits a command's help into its description (everything before the "flags:" line) and the flags
// PrintDefaults listed after it: each "  -name [arg]" line, its usage on the same line after a tab or on the
// following lines indented with "    \t".
func parseHelp(text string) (desc string, flags []flagDoc) {
	before, after, found := strings.Cut(text, "\nflags:\n")
	if !found {
		return strings.TrimRight(text, "\n"), nil
	}
	for _, line := range strings.Split(after, "\n") {
		switch {
		case strings.HasPrefix(line, "  -"):
			head, usage, _ := strings.Cut(line[3:], "\t")
			name, arg, _ := strings.Cut(head, " ")
			flags = append(flags, flagDoc{Name: name, Arg: arg, Usage: usage})
		case strings.HasPrefix(line, "    \t") && len(flags) > 0:
			f := &flags[len(flags)-1]
			if f.Usage != "" {
				f.Usage += "\n"
			}
			f.Usage += line[len("    \t"):]
		}
	}
	return before, flags
}
