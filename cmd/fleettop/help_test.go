package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"
)

func runCLI(args ...string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return o.String(), e.String(), code
}

// The top-level help lists every command on one line with its summary: on stdout for --help, -h and help,
// on stderr after an unknown command.
func TestTopLevelHelpListsEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"-help"}, {"help"}} {
		out, errOut, code := runCLI(args...)
		if code != exitOK || errOut != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
		checkCommandList(t, fmt.Sprint(args), out)
	}
	out, errOut, code := runCLI("no-such-command")
	if code != exitUsage || out != "" || !strings.Contains(errOut, `unknown command "no-such-command"`) {
		t.Errorf("unknown command: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	checkCommandList(t, "unknown command", errOut)
}

func checkCommandList(t *testing.T, what, help string) {
	t.Helper()
	lines := strings.Split(help, "\n")
	for name, sc := range subcommands {
		n := 0
		for _, l := range lines {
			if f := strings.Fields(l); len(f) > 0 && f[0] == name {
				n++
				if !strings.HasSuffix(l, " "+sc.summary) {
					t.Errorf("%s: line %q lacks the summary %q", what, l, sc.summary)
				}
			}
		}
		if n != 1 {
			t.Errorf("%s: command %s listed %d times in\n%s", what, name, n, help)
		}
	}
}

// Every command answers -h with its usage and exit 0, and `help COMMAND` prints the same on stdout.
func TestHelpCommand(t *testing.T) {
	for _, name := range commandNames() {
		text := commandHelp(name)
		if !strings.HasPrefix(text, "usage: fleettop") {
			t.Errorf("%s -h: %q does not start with its usage", name, text)
		}
		out, errOut, code := runCLI("help", name)
		if code != exitOK || errOut != "" || out != text {
			t.Errorf("help %s: exit %d, stderr %q, stdout differs from -h: %v", name, code, errOut, out != text)
		}
	}
	if _, errOut, code := runCLI("help", "nope"); code != exitUsage || !strings.Contains(errOut, `"nope"`) {
		t.Errorf("help nope: exit %d, stderr %q", code, errOut)
	}
}

// parseHelp reads back exactly the flags the flag package printed: names, value placeholders and usage.
func TestParseHelpReadsPrintDefaults(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Bool("v", false, "short bool")
	fs.Bool("verbose", true, "long bool")
	fs.String("to", "", "send to `HOST:PORT`")
	fs.Duration("every", 3*time.Second, "two lines:\nthe second")
	fs.Int("n", 7, "a number")
	var b bytes.Buffer
	fs.SetOutput(&b)
	b.WriteString("usage: x\n\nSome text.\n\nflags:\n")
	fs.PrintDefaults()

	desc, got := parseHelp(b.String())
	if desc != "usage: x\n\nSome text.\n" {
		t.Errorf("description %q", desc)
	}
	var want []flagDoc
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		var d bytes.Buffer
		probe := flag.NewFlagSet("", flag.ContinueOnError)
		probe.SetOutput(&d)
		probe.Var(f.Value, f.Name, f.Usage)
		probe.PrintDefaults()
		if i := strings.Index(d.String(), " (default "); i >= 0 {
			usage += strings.TrimRight(d.String()[i:], "\n")
		}
		want = append(want, flagDoc{Name: f.Name, Arg: arg, Usage: usage})
	})
	if !slices.Equal(got, want) {
		t.Errorf("parsed\n%+v\nwant\n%+v\nfrom\n%s", got, want, b.String())
	}
}

func TestVersionText(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.99", Main: debug.Module{Path: "github.com/fleettop/fleettop", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
			{Key: "vcs.modified", Value: "true"}}}
	got := versionText(bi)
	for _, want := range []string{"fleettop v1.2.3\n", "revision abc123 (modified)\n", "committed 2026-01-02T03:04:05Z\n", "go go1.99 "} {
		if !strings.Contains(got, want) {
			t.Errorf("versionText: %q lacks %q", got, want)
		}
	}
	// what `go build` gives with -buildvcs=false: no version, no VCS settings
	for _, bi := range []*debug.BuildInfo{nil, {Main: debug.Module{Version: "(devel)"}}} {
		got := versionText(bi)
		if !strings.HasPrefix(got, "fleettop (devel)\nrevision unknown\ncommitted unknown\n") {
			t.Errorf("versionText(%v) = %q", bi, got)
		}
	}
	out, _, code := runCLI("--version")
	if code != exitOK || out != versionText(buildInfo()) {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	if _, _, code := runCLI("version", "extra"); code != exitUsage {
		t.Errorf("version extra: exit %d, want %d", code, exitUsage)
	}
}

// Built from a git checkout as `go install ./cmd/fleettop` builds, fleettop version names the commit. The
// checkout is a clone of the repository's HEAD: what is not committed yet is not in it.
func TestVersionOfABuildFromAGitCheckout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds fleettop from a fresh clone")
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	clone := filepath.Join(t.TempDir(), "clone")
	if out, err := exec.Command("git", "clone", "-q", strings.TrimSpace(string(top)), clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	head, err := exec.Command("git", "-C", clone, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "fleettop")
	// -buildvcs=true overrides a GOFLAGS=-buildvcs=false of the machine; it is the go command's default
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/fleettop")
	build.Dir = clone
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, arg := range []string{"version", "--version"} {
		out, err := exec.Command(bin, arg).Output()
		if err != nil {
			t.Fatalf("fleettop %s: %v", arg, err)
		}
		lines := strings.Split(string(out), "\n")
		if want := "revision " + strings.TrimSpace(string(head)); lines[1] != want {
			t.Errorf("fleettop %s: %q, want the line %q", arg, out, want)
		}
		if v := strings.TrimPrefix(lines[0], "fleettop "); v == "(devel)" || !strings.HasPrefix(v, "v") {
			t.Errorf("fleettop %s: version %q, want the module's (pseudo-)version", arg, v)
		}
	}
}

func writeCompletion(t *testing.T, shell string) string {
	t.Helper()
	out, errOut, code := runCLI("completion", shell)
	if code != exitOK || errOut != "" {
		t.Fatalf("completion %s: exit %d, %s", shell, code, errOut)
	}
	path := filepath.Join(t.TempDir(), "fleettop."+shell)
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// completionCases are command lines (completing their last word) and what must be offered.
var completionCases = []struct {
	line string
	want []string
}{
	{"fleettop dec", []string{"decode"}},
	{"fleettop co", []string{"collect", "completion"}},
	{"fleettop --lis", []string{"--listen"}},
	{"fleettop decode --fo", []string{"--format"}},
	{"fleettop sim --to 127.0.0.1:6343 --ra", []string{"--rate"}},
	{"fleettop completion ", []string{"bash", "fish", "zsh"}},
	{"fleettop help re", []string{"relay", "replay"}},
}

// The bash script, run by bash, completes commands, each command's flags and the words completion and help
// take.
func TestCompletionBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script := writeCompletion(t, "bash")
	complete := func(line string) []string {
		t.Helper()
		words := strings.Split(line, " ")
		cmd := exec.Command(bash, "--norc", "-c", `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _fleettop; printf '%s\n' "${COMPREPLY[@]}"`, "bash", script)
		cmd.Args = append(cmd.Args, words...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", line, err, out)
		}
		return strings.Fields(string(out))
	}
	for _, c := range completionCases {
		if got := complete(c.line); !slices.Equal(slices.Sorted(slices.Values(got)), c.want) {
			t.Errorf("%q completes to %v, want %v", c.line, got, c.want)
		}
	}
	for _, d := range commandDocs() {
		got := complete("fleettop " + d.Name + " --")
		want := flagWords(d)
		slices.Sort(want)
		if slices.Sort(got); !slices.Equal(got, want) {
			t.Errorf("fleettop %s --: %v, want %v", d.Name, got, want)
		}
	}
}

// fish completes the same lines with its own script (complete -C), when fish is installed.
func TestCompletionFish(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("fish is not installed")
	}
	script := writeCompletion(t, "fish")
	for _, c := range completionCases {
		out, err := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, c.line).CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", c.line, err, out)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			word, _, _ := strings.Cut(l, "\t")
			got = append(got, word)
		}
		if slices.Sort(got); !slices.Equal(got, c.want) {
			t.Errorf("%q completes to %v, want %v", c.line, got, c.want)
		}
	}
}

// The zsh script parses (zsh -n), when zsh is installed.
func TestCompletionZsh(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("zsh is not installed")
	}
	script := writeCompletion(t, "zsh")
	if out, err := exec.Command(zsh, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
	body, _ := os.ReadFile(script)
	for _, d := range commandDocs() {
		if !strings.Contains(string(body), "    "+d.Name+")\n") {
			t.Errorf("no case for %s", d.Name)
		}
	}
	if _, _, code := runCLI("completion", "tcsh"); code != exitUsage {
		t.Errorf("completion tcsh: exit %d, want %d", code, exitUsage)
	}
}

func TestRoffEscapes(t *testing.T) {
	for in, want := range map[string]string{
		`a\b`:          `a\eb`,
		"--flag":       `\-\-flag`,
		".starts":      `\&.starts`,
		"x\n'quote":    "x\n\\&'quote",
		"x\n.TH bogus": "x\n\\&.TH bogus",
	} {
		if got := roff(in); got != want {
			t.Errorf("roff(%q) = %q, want %q", in, got, want)
		}
	}
}

// The man page has every command and every flag of each, and groff formats it without a warning.
func TestManPage(t *testing.T) {
	page, errOut, code := runCLI("man")
	if code != exitOK || errOut != "" {
		t.Fatalf("man: exit %d, %s", code, errOut)
	}
	for _, d := range commandDocs() {
		if !strings.Contains(page, ".TP\n.B "+d.Name+"\n"+roff(d.Summary)+"\n") {
			t.Errorf("COMMANDS lacks %s", d.Name)
		}
		sec := page[strings.Index(page, ".SH \"FLEETTOP "+strings.ToUpper(d.Name)+"\""):]
		for _, f := range d.Flags {
			if !strings.Contains(sec, `.TP`+"\n"+`\fB\-\-`+roff(f.Name)+`\fR`) {
				t.Errorf("%s: flag --%s missing", d.Name, f.Name)
			}
		}
	}
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Skip("groff is not installed")
	}
	cmd := exec.Command(groff, "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = strings.NewReader(page)
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("groff: %v\n%s", err, out)
	}
}

// The config file follows the XDG spec like every other fleettop path: a relative XDG_CONFIG_HOME is ignored.
func TestDefaultConfigPath(t *testing.T) {
	t.Setenv("HOME", "/home/u")
	for xdgHome, want := range map[string]string{"/cfg": "/cfg/fleettop/config.yaml", "": "/home/u/.config/fleettop/config.yaml",
		"rel": "/home/u/.config/fleettop/config.yaml"} {
		t.Setenv("XDG_CONFIG_HOME", xdgHome)
		if got := defaultConfigPath(); got != want {
			t.Errorf("XDG_CONFIG_HOME=%q: %s, want %s", xdgHome, got, want)
		}
	}
}

// THIRD_PARTY_NOTICES (scripts/third-party-notices.sh) has the license of every module the binary links, on
// every system CI builds for.
func TestThirdPartyNoticesListEveryLinkedModule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list -deps for four systems, seconds: run without -short")
	}
	notices, err := os.ReadFile("../../THIRD_PARTY_NOTICES")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	lines := strings.Split(string(notices), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "=====") && i+1 < len(lines) {
			listed[lines[i+1]] = true
		}
	}
	for _, goos := range []string{"linux", "darwin", "freebsd", "windows"} {
		cmd := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}}{{end}}{{end}}", ".")
		cmd.Env = append(os.Environ(), "GOOS="+goos)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("GOOS=%s go list: %v", goos, err)
		}
		for _, mod := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if mod != "" && !listed[mod] {
				t.Errorf("GOOS=%s: %s is linked but not in THIRD_PARTY_NOTICES: run scripts/third-party-notices.sh", goos, mod)
			}
		}
	}
	if !bytes.Contains(notices, []byte("\ngithub.com/gopacket/gopacket v")) || !bytes.Contains(notices, []byte("Andreas Krennmair")) {
		t.Error("gopacket's BSD notice is missing")
	}
}
