package main

import (
	"fmt"
	"io"
	"strings"
)

func init() {
	register("man", "print the manual page (roff) made from the commands' help", runMan)
}

const manUsage = `usage: fleettop man

Print fleettop's manual page in roff, made from the same help text as
'fleettop help' and every 'fleettop COMMAND -h'. Read it with

  fleettop man | man -l -

or install it: fleettop man > /usr/local/share/man/man1/fleettop.1
`

func runMan(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprint(stderr, manUsage)
		if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
			return exitOK
		}
		return exitUsage
	}
	writeMan(stdout, commandDocs(), shortVersion())
	return exitOK
}

// roffEscaper makes text literal in roff: backslashes and minus signs, and a line starting with a control
// character.
var roffEscaper = strings.NewReplacer(`\`, `\e`, "-", `\-`, "\n.", "\n\\&.", "\n'", "\n\\&'")

func roff(s string) string {
	s = roffEscaper.Replace(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// writeMan writes the manual page: the top-level help as NAME, SYNOPSIS and DESCRIPTION, one line per command
// under COMMANDS, then each command's help text and flags.
func writeMan(w io.Writer, docs []cmdDoc, version string) {
	fmt.Fprintf(w, ".TH FLEETTOP 1 \"\" %q \"User Commands\"\n", "fleettop "+version)
	fmt.Fprint(w, ".SH NAME\nfleettop \\- terminal dashboard for an sFlow v5 fleet\n")
	fmt.Fprint(w, ".SH SYNOPSIS\n.B fleettop\n[\\fICOMMAND\\fR] [\\fIflags\\fR]\n")
	fmt.Fprintf(w, ".SH DESCRIPTION\n%s\n", roff(about))
	fmt.Fprint(w, ".SH COMMANDS\n")
	for _, d := range docs {
		fmt.Fprintf(w, ".TP\n.B %s\n%s\n", d.Name, roff(d.Summary))
	}
	for _, d := range docs {
		fmt.Fprintf(w, ".SH \"FLEETTOP %s\"\n.nf\n%s\n.fi\n", strings.ToUpper(d.Name), roff(d.Desc))
		for _, f := range d.Flags {
			fmt.Fprintf(w, ".TP\n\\fB\\-\\-%s\\fR", roff(f.Name))
			if f.Arg != "" {
				fmt.Fprintf(w, " \\fI%s\\fR", roff(f.Arg))
			}
			fmt.Fprintf(w, "\n%s\n", roff(f.Usage))
		}
	}
	fmt.Fprint(w, `.SH FILES
.TP
.I $XDG_CONFIG_HOME/fleettop/config.yaml
flag values (\-\-config)
.TP
.I $XDG_CONFIG_HOME/fleettop/views/
saved views
.TP
.I $XDG_CONFIG_HOME/fleettop/themes/
user themes
.TP
.I $XDG_STATE_HOME/fleettop/history
the command line's history.
.PP
An unset, empty or relative XDG_CONFIG_HOME is ~/.config, XDG_STATE_HOME ~/.local/state.
.SH "EXIT STATUS"
0 on success, 1 when a run failed, 2 for a usage error.
.SH "SEE ALSO"
.BR sflowtool (1)
`)
}
