package main

import (
	"fmt"
	"io"
)

// notYet stands for a mode whose issue has not landed; it says so and exits with a usage error.
func notYet(name string) func([]string, io.Writer, io.Writer) int {
	return func(_ []string, _, stderr io.Writer) int {
		fmt.Fprintf(stderr, "fleettop %s: not available in this build yet\n", name)
		return exitUsage
	}
}

func init() {
	for name, summary := range map[string]string{
		"live":    "live dashboard on UDP :6343 (the default)",
		"demo":    "the dashboard on a built-in simulated fleet",
		"replay":  "replay a pcap capture through the dashboard",
		"sim":     "send a simulated fleet's sFlow to HOST:PORT",
		"collect": "headless ingest, health lines, carbon push",
		"run":     "run command-line verbs from a script",
	} {
		if _, done := subcommands[name]; !done {
			register(name, summary, notYet(name))
		}
	}
}
