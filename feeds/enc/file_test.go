package enc

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const nodeFile = `---
web01.example.com:
  classes: [web]
  environment: production
  parameters: {appType: web, rack: '0042'}
DB07.example.com:
  classes:
    mysql::server:
      port: 3306
broken.example.com:
  classes: {a: [1]}
empty.example.com:
`

func TestFileSourceOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nodes.yaml")
	writeFile(t, path, nodeFile)
	src, err := NewFileSource(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n, err := src.Lookup(ctx, "web01.example.com")
	if err != nil {
		t.Fatal(err)
	}
	wantField(t, n, "rack", "0042")
	wantField(t, n, "environment", "production")
	n, err = src.Lookup(ctx, "db07.example.com")
	if err != nil {
		t.Fatalf("certnames in the file are matched lower-cased: %v", err)
	}
	wantField(t, n, "classes.mysql::server.port", "3306")

	if _, err := src.Lookup(ctx, "nosuch.example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown host: %v, want ErrNotFound", err)
	}
	if _, err := src.Lookup(ctx, "empty.example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("null entry: %v, want ErrNotFound", err)
	}
	_, err = src.Lookup(ctx, "broken.example.com")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 11 || !strings.Contains(err.Error(), path) {
		t.Errorf("broken node: %v, want a ParseError at line 11 naming the file", err)
	}
}

func TestFileSourceReloadsOnChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nodes.yaml")
	writeFile(t, path, "web01: {environment: production}\n")
	src, err := NewFileSource(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n, err := src.Lookup(ctx, "web01")
	if err != nil || n.Environment != "production" {
		t.Fatalf("first read: %+v, %v", n, err)
	}

	// A different size is noticed even when the clock has not moved on.
	writeFile(t, path, "web01: {environment: staging}\nweb02: {classes: [a]}\n")
	if n, err = src.Lookup(ctx, "web01"); err != nil || n.Environment != "staging" {
		t.Fatalf("after rewrite: %+v, %v", n, err)
	}
	if _, err = src.Lookup(ctx, "web02"); err != nil {
		t.Fatalf("new node: %v", err)
	}

	writeFile(t, path, "web01: [not, a, node\n")
	if _, err = src.Lookup(ctx, "web01"); err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), path) {
		t.Fatalf("broken file: %v, want a parse error naming it", err)
	}

	writeFile(t, path, "web01: {environment: dev}\n")
	later := time.Now().Add(time.Second)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	if n, err = src.Lookup(ctx, "web01"); err != nil || n.Environment != "dev" {
		t.Fatalf("after repair: %+v, %v", n, err)
	}
}

func TestFileSourceStartErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := NewFileSource(filepath.Join(dir, "missing.yaml"), Limits{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	for name, content := range map[string]string{
		"garbage.yaml": "{{{\n",
		"list.yaml":    "- web01\n- web02\n",
	} {
		path := filepath.Join(dir, name)
		writeFile(t, path, content)
		if _, err := NewFileSource(path, Limits{}); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming the file", name, err)
		}
	}
	empty := filepath.Join(dir, "empty.yaml")
	writeFile(t, empty, "")
	src, err := NewFileSource(empty, Limits{})
	if err != nil {
		t.Fatalf("an empty node file is an empty fleet: %v", err)
	}
	if _, err := src.Lookup(context.Background(), "web01"); !errors.Is(err, ErrNotFound) {
		t.Errorf("lookup in an empty file: %v", err)
	}
}

func TestFileSourceDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "web01.example.com.yaml"), "classes: [web]\nparameters: {appType: web}\n")
	writeFile(t, filepath.Join(dir, "empty.example.com.yaml"), "\n")
	writeFile(t, filepath.Join(dir, "bad.example.com.yaml"), "classes: [\n")
	writeFile(t, filepath.Join(filepath.Dir(dir), "outside.yaml"), "classes: [secret]\n")
	src, err := NewFileSource(dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n, err := src.Lookup(ctx, "web01.example.com")
	if err != nil {
		t.Fatal(err)
	}
	wantField(t, n, "appType", "web")
	for _, name := range []string{"nosuch.example.com", "empty.example.com"} {
		if _, err := src.Lookup(ctx, name); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", name, err)
		}
	}
	if _, err := src.Lookup(ctx, "bad.example.com"); err == nil || errors.Is(err, ErrNotFound) ||
		!strings.Contains(err.Error(), "bad.example.com.yaml") {
		t.Errorf("bad file: %v", err)
	}
	for _, name := range []string{"../outside", "..", "/etc/passwd"} {
		if n, err := src.Lookup(ctx, name); err == nil {
			t.Errorf("%q escaped the directory: %+v", name, n)
		}
	}
}

func TestFileSourceSamplesDirectory(t *testing.T) {
	src, err := NewFileSource(filepath.Join(sharedDir(t), "enc-samples"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{"web-seed": "web", "foreman-cache03": "memcache", "cmdb-db07": "db"}
	for name, appType := range tests {
		n, err := src.Lookup(context.Background(), name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		wantField(t, n, "appType", appType)
	}
}

func TestStaticSource(t *testing.T) {
	caller := &Node{Environment: "production", Classes: []string{"web"}}
	src := NewStaticSource(map[string]*Node{"Web01.example.com": caller, "gone": nil})
	n, err := src.Lookup(context.Background(), "web01.example.com")
	if err != nil {
		t.Fatal(err)
	}
	if n == caller || n.Environment != "production" || n.ParamStrings() != nil {
		t.Errorf("node %+v", n)
	}
	if caller.params != nil {
		t.Error("NewStaticSource changed the caller's node")
	}
	if _, err := src.Lookup(context.Background(), "gone"); !errors.Is(err, ErrNotFound) {
		t.Errorf("nil node: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := src.Lookup(ctx, "web01.example.com"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled lookup: %v", err)
	}
}
