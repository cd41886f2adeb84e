//go:build unix

package enc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// bigAnswerScript writes a classifier printing a valid node of about mb MiB: a CMDB exporting every column.
func bigAnswerScript(t *testing.T, dir string, mb int) string {
	t.Helper()
	// mb MiB of "  kNNNNNNN: vvvv...\n" lines, 64 bytes each, produced by awk at run time.
	lines := mb << 20 / 64
	return writeScript(t, dir, "big-enc", fmt.Sprintf(`echo "classes: [web]"
echo "parameters:"
awk 'BEGIN { for (i = 0; i < %d; i++) printf "  k%%07d: %%051d\n", i, i }'
`, lines))
}

// A valid 4 MiB answer is refused with a clear error at the 1 MiB default, without reading it all into memory.
func TestExecSourceRefusesLargeAnswer(t *testing.T) {
	script := bigAnswerScript(t, t.TempDir(), 4)
	_, err := NewExecSource(script).Lookup(context.Background(), "web01.example.com")
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "answer larger than 1048576 bytes") {
		t.Fatalf("error %v, want the size limit", err)
	}
	if errors.Is(err, ErrNotFound) {
		t.Errorf("a large answer reported as not found: %v", err)
	}

	// With the byte limit raised, the node-count limit holds: 32,768 parameters are more than 10,000 values.
	script = bigAnswerScript(t, t.TempDir(), 2)
	src := NewExecSource(script)
	src.Limits = Limits{MaxBytes: 8 << 20}
	_, err = src.Lookup(context.Background(), "web01.example.com")
	var pe *ParseError
	if !errors.Is(err, ErrLimit) || !errors.As(err, &pe) || !strings.Contains(err.Error(), "more than 10000 values") {
		t.Fatalf("error %v, want the value limit", err)
	}
	if pe.Line == 0 || !strings.HasPrefix(pe.Path, "parameters.k") {
		t.Errorf("error does not say where: line %d path %q", pe.Line, pe.Path)
	}

	// Both raised, it is a node.
	src = NewExecSource(script)
	src.Limits = Limits{MaxBytes: 8 << 20, MaxValues: 100_000}
	n, err := src.Lookup(context.Background(), "web01.example.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Parameters) != 2<<20/64 {
		t.Errorf("%d parameters", len(n.Parameters))
	}
	wantField(t, n, "k0000042", fmt.Sprintf("%051d", 42))
}

// Hosts given the same answer share one Node, parsed once, with its parameter strings computed once; the
// interned entry goes when no host holds the Node any more.
func TestExecSourceSharesIdenticalAnswers(t *testing.T) {
	dir := t.TempDir()
	script := writeScript(t, dir, "same", "case $1 in odd*) echo 'classes: [odd]';; *) printf 'classes: [web]\\nparameters: {appType: web, rack: [a, b]}\\n';; esac\n")
	src := NewExecSource(script)
	var first *Node
	for i := range 10 {
		n, err := src.Lookup(context.Background(), fmt.Sprintf("web%02d.example.com", i))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = n
		} else if n != first {
			t.Fatalf("host %d got a Node of its own", i)
		}
	}
	odd, err := src.Lookup(context.Background(), "odd.example.com")
	if err != nil {
		t.Fatal(err)
	}
	if odd == first || odd.Classes[0] != "odd" {
		t.Fatalf("a different answer shares the node: %+v", odd)
	}
	ps := first.ParamStrings()
	if ps["appType"] != "web" || ps["rack"] != "a,b" {
		t.Errorf("ParamStrings %v", ps)
	}
	ps2 := first.ParamStrings()
	if fmt.Sprintf("%p", ps) != fmt.Sprintf("%p", ps2) {
		t.Error("ParamStrings computed again")
	}
	if got := src.interned.size(); got != 2 {
		t.Errorf("%d answers interned, want 2", got)
	}
	first, odd, ps, ps2 = nil, nil, nil, nil
	for range 10 {
		runtime.GC()
		if src.interned.size() == 0 {
			return
		}
	}
	t.Errorf("%d answers still interned with no Node alive", src.interned.size())
}

// Puppet splits external_nodes at white space: fixed arguments come before the certname.
func TestParseExecCommandSplitsLikePuppet(t *testing.T) {
	dir := t.TempDir()
	script := writeScript(t, dir, "site-enc", `[ "$1" = --site ] && [ "$2" = dc1 ] && [ $# -eq 3 ] || { echo "args: $*" >&2; exit 2; }
printf 'environment: production\nparameters:\n  site: %s\n  host: %s\n' "$2" "$3"
`)
	src, err := ParseExecCommand("  " + script + "   --site\tdc1 ")
	if err != nil {
		t.Fatal(err)
	}
	n, err := src.Lookup(context.Background(), "web01.example.com")
	if err != nil {
		t.Fatal(err)
	}
	wantField(t, n, "site", "dc1")
	wantField(t, n, "host", "web01.example.com")
	if _, err := ParseExecCommand(" \t"); err == nil {
		t.Error("an empty command accepted")
	}
}

// Ruby symbol keys (`:appType:`), as a Ruby CMDB script dumping a hash of symbols writes them, are names
// without the colon at every level; quoted keys keep their colon.
func TestExecSourceSymbolKeys(t *testing.T) {
	script := writeScript(t, t.TempDir(), "ruby-enc", `cat <<'YAML'
---
:classes:
- web
:environment: production
:parameters:
  :appType: web
  :replication:
    :master: db01
  ":quoted": kept
  ':': colon
YAML
`)
	src, err := ParseExecCommand(script)
	if err != nil {
		t.Fatal(err)
	}
	n, err := src.Lookup(context.Background(), "web01.example.com")
	if err != nil {
		t.Fatal(err)
	}
	wantField(t, n, "environment", "production")
	wantField(t, n, "class", "web")
	wantField(t, n, "appType", "web")
	wantField(t, n, "replication.master", "db01")
	wantField(t, n, ":quoted", "kept")
	wantField(t, n, ":", "colon")
	if _, ok := n.Parameters[":appType"]; ok {
		t.Error("the symbol key kept its colon")
	}
}

// In a node file each node has its own value limit.
func TestFileSourceValueLimitPerNode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nodes.yaml")
	var b strings.Builder
	b.WriteString("big.example.com:\n  parameters:\n")
	for i := range 20 {
		fmt.Fprintf(&b, "    k%d: %d\n", i, i)
	}
	b.WriteString("small.example.com:\n  parameters: {a: 1}\n")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := NewFileSource(path, Limits{MaxValues: 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Lookup(context.Background(), "big.example.com"); !errors.Is(err, ErrLimit) {
		t.Errorf("big node: %v, want the value limit", err)
	}
	if n, err := src.Lookup(context.Background(), "small.example.com"); err != nil {
		t.Errorf("small node: %v", err)
	} else {
		wantField(t, n, "a", "1")
	}
}
