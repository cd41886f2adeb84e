package enc

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func FuzzParseNode(f *testing.F) {
	for _, seed := range []string{
		"",
		"---\n",
		"classes: [web]\nenvironment: production\nparameters:\n  ganglia_ip:\n  port: 8670\n",
		"classes:\n  profile::base:\n  role::memcache:\n    listen_port: 11211\n    max_memory: '4096'\n",
		"parameters:\n  backup: yes\n  disks: 0755\n  rack: '0042'\n  replication: {master: db01, lag: 30}\n",
		"parameters:\n  l: [{a: 1, b: [x, ~]}, 2]\n  a.b: 1\n  a: {b: 2}\n",
		"parameters: {base: &b {x: 1}, over: {<<: *b, y: 2}}\n",
		":classes: [a]\n:parameters: {environment: x, class: y, classes.z: w, parameters.q: 1}\n",
		":parameters:\n  :appType: web\n  \":quoted\": 1\n  :nested: {:a: [{:b: c}]}\n",
		"classes: {a.b: {c.d: {e: 1}}}\n",
		"- a\n",
		"{{{",
		"a: &a [*a]\n",
	} {
		f.Add([]byte(seed))
	}
	if dir := sharedSamplesIfPresent(); dir != "" {
		for _, name := range []string{"web-seed.yaml", "foreman-cache03.yaml", "cmdb-db07.yaml"} {
			if data, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseNode(data)
		if err != nil {
			var pe *ParseError
			if !errors.Is(err, ErrNotFound) && !errors.As(err, &pe) {
				t.Fatalf("error %v is neither ErrNotFound nor a *ParseError", err)
			}
			if n != nil {
				t.Fatal("a node and an error")
			}
			return
		}
		if again, err := ParseNode(data); err != nil || !n.Equal(again) {
			t.Fatalf("parsed twice: %+v, then %+v, %v", n, again, err)
		}
		if params := n.ParamStrings(); len(params) != len(n.Parameters) {
			t.Fatalf("ParamStrings has %d entries for %d parameters", len(params), len(n.Parameters))
		}
		fields := n.Fields()
		for _, key := range fields {
			if _, ok := n.Field(key); !ok {
				t.Fatalf("Fields() lists %q but Field does not answer it", key)
			}
		}
		if again := n.Fields(); !slices.Equal(fields, again) {
			t.Fatalf("Fields() not stable: %q then %q", fields, again)
		}
		for k, v := range n.Parameters {
			if got := n.ParamStrings()[k]; got != v.String() {
				t.Fatalf("ParamStrings[%q] = %q, String() %q", k, got, v.String())
			}
		}
	})
}

// sharedSamplesIfPresent finds ../shared/enc-samples for seeding without skipping: the fuzz seeds are a bonus.
func sharedSamplesIfPresent() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared", "enc-samples")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
