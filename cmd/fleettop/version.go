package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

func init() {
	register("version", "print fleettop's version, VCS revision and Go toolchain (also --version)", runVersion)
}

const versionUsage = `usage: fleettop version

Print the module version and the VCS revision fleettop was built from, one
"key value" line each:

  fleettop VERSION
  revision REVISION [(modified)]
  committed COMMIT-TIME
  go GO-VERSION OS/ARCH

VERSION is the release tag of a 'go install ...@version' or the pseudo-version
of a build from a git checkout (+dirty with uncommitted changes); "(devel)" when
the go command recorded none. The revision is the git commit of a build from a
checkout with VCS stamping on (-buildvcs, the go command's default); it reads
"unknown" when the build recorded none (GOFLAGS=-buildvcs=false, a module
download). Same as 'fleettop --version'.
`

func runVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
			fmt.Fprint(stderr, versionUsage)
			return exitOK
		}
		fmt.Fprintf(stderr, "fleettop version: unexpected argument %q\n", args[0])
		return exitUsage
	}
	fmt.Fprint(stdout, versionText(buildInfo()))
	return exitOK
}

// versionText describes the build bi (nil when the binary carries no build information).
func versionText(bi *debug.BuildInfo) string {
	version, revision, committed, modified := "(devel)", "unknown", "unknown", false
	goVersion := runtime.Version()
	if bi != nil {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		if bi.GoVersion != "" {
			goVersion = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.time":
				committed = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "fleettop %s\nrevision %s", version, revision)
	if modified {
		b.WriteString(" (modified)")
	}
	fmt.Fprintf(&b, "\ncommitted %s\ngo %s %s/%s\n", committed, goVersion, runtime.GOOS, runtime.GOARCH)
	return b.String()
}

// shortVersion is the version alone, for the man page's header.
func shortVersion() string {
	v, _, _ := strings.Cut(versionText(buildInfo()), "\n")
	return strings.TrimPrefix(v, "fleettop ")
}

func buildInfo() *debug.BuildInfo {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi
	}
	return nil
}
