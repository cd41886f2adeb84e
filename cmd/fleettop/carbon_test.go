package main

import (
	"flag"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/fleettop/fleettop/model/tree"
)

// The --carbon-* flags reach the App's config: a bad choice is a usage error, the default prefix names this host.
func TestCarbonFlags(t *testing.T) {
	parse := func(args ...string) *liveFlags {
		var lf liveFlags
		fset := flag.NewFlagSet("collect", flag.ContinueOnError)
		fset.SetOutput(io.Discard)
		lf.register(fset, "127.0.0.1:0")
		if err := fset.Parse(append([]string{"--carbon", "127.0.0.1:1"}, args...)); err != nil {
			t.Fatal(err)
		}
		return &lf
	}
	for _, bad := range [][]string{{"--carbon-prefix", "a..b"}, {"--carbon-include", "fleet.{a"},
		{"--carbon-exclude", "a..b"}, {"--carbon-ranks", "100"}} {
		if _, err := parse(bad...).appConfig(nil); err == nil || !strings.Contains(err.Error(), "--carbon-") {
			t.Errorf("%q: %v, want a --carbon-* error", bad, err)
		}
	}
	cfg, err := parse().appConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	if got, want := cfg.Carbon.Series.Prefix(), tree.CollectorPrefix(host); got != want {
		t.Errorf("default prefix %q, want %q", got, want)
	}
}
