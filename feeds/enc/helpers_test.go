package enc

import (
	"github.com/fleettop/fleettop/internal/sharedtest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// sharedDir returns ../shared beside the repository root, skipping the test when it is absent (failing under
// CI=true, where it must be there).
func sharedDir(t testing.TB) string {
	t.Helper()
	return filepath.Dir(sharedtest.Dir(t, "enc-samples"))
}

// readSample reads one of ../shared/enc-samples in place.
func readSample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedDir(t), "enc-samples", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// writeScript writes an executable /bin/sh script into dir.
func writeScript(t testing.TB, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

type result struct {
	certname string
	node     *Node
	status   Status
}

// withResults makes opt deliver every stored answer on the returned channel.
func withResults(opt Options) (Options, <-chan result) {
	ch := make(chan result, 100)
	opt.OnResult = func(certname string, node *Node, st Status) { ch <- result{certname, node, st} }
	return opt, ch
}

func next(t *testing.T, ch <-chan result) result {
	t.Helper()
	select {
	case res := <-ch:
		return res
	case <-time.After(10 * time.Second):
		t.Fatal("no lookup result within 10 s")
		return result{}
	}
}
