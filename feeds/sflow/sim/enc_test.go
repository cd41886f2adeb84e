package sim

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fleettop/fleettop/feeds/enc"
)

func TestENC(t *testing.T) {
	f := New(Options{Seed: 2})
	nodes := f.ENC()
	hosts := f.Hosts()
	if len(nodes) != len(hosts) {
		t.Fatalf("%d ENC nodes for %d hosts", len(nodes), len(hosts))
	}
	envs := map[string]int{}
	for _, h := range hosts {
		n := nodes[h.Name]
		if n == nil {
			t.Fatalf("no ENC node for %s", h.Name)
		}
		envs[n.Environment]++
		if n.Environment != h.Environment {
			t.Errorf("%s: environment %q, host says %q", h.Name, n.Environment, h.Environment)
		}
		if got, _ := n.Field("parameters.appType"); got != h.AppType {
			t.Errorf("%s: appType %q, want %q", h.Name, got, h.AppType)
		}
		for _, key := range []string{"ganglia_cluster_name", "cabLocation", "vendor", "cores", "cpuSpeed", "switch"} {
			if v, ok := n.Field("parameters." + key); !ok || v == "" {
				t.Errorf("%s: parameter %s missing", h.Name, key)
			}
		}
		if cores, err := strconv.Atoi(n.Parameters["cores"].Text); err != nil || cores < 1 {
			t.Errorf("%s: cores %q", h.Name, n.Parameters["cores"].Text)
		}
		if len(n.Classes) < 3 || n.Classes[0] != "base" {
			t.Errorf("%s: classes %v", h.Name, n.Classes)
		}
	}
	if envs["production"] < len(hosts)*3/4 || envs["staging"] == 0 || len(envs) != 2 {
		t.Errorf("environments %v, want mostly production and a few staging", envs)
	}

	// Callers may change what they get without touching the fleet.
	nodes[hosts[0].Name].Classes[0] = "changed"
	if f.ENC()[hosts[0].Name].Classes[0] != "base" {
		t.Error("changing a returned node changed the fleet's ENC")
	}

	static := enc.NewStaticSource(f.ENC())
	n, err := static.Lookup(context.Background(), hosts[5].Name)
	if err != nil || n.Parameters["appType"].Text != hosts[5].AppType {
		t.Fatalf("static source: %v, %v", n, err)
	}
}

func TestWriteENC(t *testing.T) {
	f := New(Options{Seed: 4, Hosts: 20})
	dir := filepath.Join(t.TempDir(), "enc")
	if err := f.WriteENC(dir); err != nil {
		t.Fatal(err)
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 20 {
		t.Fatalf("%d files for 20 hosts", len(files))
	}
	src, err := enc.NewFileSource(dir, enc.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range f.ENC() {
		got, err := src.Lookup(context.Background(), name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !got.Equal(want) {
			t.Errorf("%s read back as\n%+v\nwant\n%+v", name, got, want)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, f.Hosts()[0].Name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"---", "classes:", "  - base", "environment: production", "parameters:",
		"  appType: web", "  ganglia_ip:", "  ganglia_port: 8670"} {
		if !strings.Contains(string(data), line+"\n") {
			t.Errorf("node file lacks line %q:\n%s", line, data)
		}
	}

	// A file where the directory should be is reported.
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := f.WriteENC(blocker); err == nil {
		t.Error("WriteENC into a regular file succeeded")
	}
}
