package enc

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func mustParse(t *testing.T, doc string) *Node {
	t.Helper()
	n, err := ParseNode([]byte(doc))
	if err != nil {
		t.Fatalf("ParseNode: %v", err)
	}
	return n
}

// wantField checks Field(key) against want; want "<absent>" means ok must be false.
func wantField(t *testing.T, n *Node, key, want string) {
	t.Helper()
	got, ok := n.Field(key)
	if want == "<absent>" {
		if ok {
			t.Errorf("Field(%q) = %q, true; want absent", key, got)
		}
		return
	}
	if !ok || got != want {
		t.Errorf("Field(%q) = %q, %v; want %q, true", key, got, ok, want)
	}
}

func TestSampleWebSeed(t *testing.T) {
	n, err := ParseNode(readSample(t, "web-seed.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if n.Environment != "production" || !slices.Equal(n.Classes, []string{"web"}) {
		t.Errorf("environment %q classes %q", n.Environment, n.Classes)
	}
	if len(n.Parameters) != 14 {
		t.Errorf("%d parameters, want 14", len(n.Parameters))
	}
	for key, want := range map[string]string{
		"environment": "production", "classes": "web", "class": "web",
		"SpecId": "6", "parameters.SpecId": "6", "appType": "web", "cabLocation": "98b", "cpuSpeed": "2.53GHz",
		"ganglia_ip": "", "ganglia_ip2": "", "ganglia_port": "8670", "vendor": "Dell",
		"nosuch": "<absent>", "classes.web.x": "<absent>",
	} {
		wantField(t, n, key, want)
	}
	if v := n.Parameters["ganglia_ip"]; v.Kind != KindNull {
		t.Errorf("ganglia_ip kind %v, want null", v.Kind)
	}
	if v := n.Parameters["ganglia_port"]; v.Kind != KindScalar || v.Tag != "!!int" {
		t.Errorf("ganglia_port = %+v, want an !!int scalar", v)
	}
	fields := n.Fields()
	if !slices.Equal(fields[:3], []string{"environment", "class", "classes"}) || len(fields) != 3+14 {
		t.Errorf("Fields() = %q", fields)
	}
}

func TestSampleForeman(t *testing.T) {
	n, err := ParseNode(readSample(t, "foreman-cache03.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"profile::base", "role::memcache", "ganglia::gmond"}; !slices.Equal(n.Classes, want) {
		t.Errorf("classes %q, want %q (source order)", n.Classes, want)
	}
	if _, ok := n.ClassParams["profile::base"]; ok {
		t.Error("profile::base (null) has class parameters")
	}
	mem := n.ClassParams["role::memcache"]
	if mem["max_memory"].Text != "4096" || mem["max_memory"].Tag != "!!str" || mem["listen_port"].Tag != "!!int" {
		t.Errorf("role::memcache params %+v", mem)
	}
	for key, want := range map[string]string{
		"environment": "production",
		"classes":     "profile::base,role::memcache,ganglia::gmond",
		"class":       "profile::base",
		"hostgroup":   "Production/Cache", "appType": "memcache", "ganglia_cluster_name": "Cache",
		"owner_email":                       "ops@example.com,oncall@example.com",
		"foreman_interfaces.0.mac":          "52:54:00:12:34:56",
		"foreman_interfaces.0.subnet.name":  "prod-vlan41",
		"foreman_interfaces.0.attrs":        "{}",
		"foreman_interfaces.0.ip6":          "",
		"foreman_interfaces.1.ip":           "<absent>",
		"foreman_subnets.0.vlanid":          "41",
		"classes.role::memcache.max_memory": "4096",
		"classes.ganglia::gmond.udp_port":   "8671",
		"classes.profile::base.x":           "<absent>",
	} {
		wantField(t, n, key, want)
	}
	subnets, _ := n.Field("foreman_subnets")
	if !strings.HasPrefix(subnets, "{name: prod-vlan41, network: 10.41.0.0,") || !strings.Contains(subnets, "dns_secondary: ~") {
		t.Errorf("foreman_subnets rendered as %q", subnets)
	}
	fields := n.Fields()
	for _, want := range []string{"hostgroup", "owner_email", "foreman_interfaces", "classes.role::memcache.listen_port"} {
		if !slices.Contains(fields, want) {
			t.Errorf("Fields() lacks %q: %q", want, fields)
		}
	}
}

func TestSampleCMDB(t *testing.T) {
	n, err := ParseNode(readSample(t, "cmdb-db07.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"environment": "<absent>", "classes": "base,mysql::server,ganglia::gmond", "class": "base",
		"ganglia_ip2": "", "ganglia_port": "8672", "rack": "0042",
		"backup": "yes", "monitored": "on", "decommissioned": "no", "disks": "0755", "cabLocation": "12a",
		"replication.master": "db01.example.com", "parameters.replication.lag_alert_seconds": "30",
		"replication": "{master: db01.example.com, lag_alert_seconds: 30}",
	} {
		wantField(t, n, key, want)
	}
	if v := n.Parameters["ganglia_ip2"]; v.Kind != KindScalar || v.Tag != "!!str" {
		t.Errorf("ganglia_ip2 = %+v, want an empty string, not null", v)
	}
	if v := n.Parameters["disks"]; v.Tag != "!!int" {
		t.Errorf("disks tag %q, want !!int (text kept as 0755)", v.Tag)
	}
	fields := n.Fields()
	if slices.Contains(fields, "environment") || slices.Contains(fields, "replication") ||
		!slices.Contains(fields, "replication.master") || !slices.Contains(fields, "backup") {
		t.Errorf("Fields() = %q", fields)
	}
}

func TestParseNodeShapes(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		env     string
		classes []string
		fields  map[string]string
	}{
		{name: "classes list only", doc: "classes: [a, b]\n", classes: []string{"a", "b"},
			fields: map[string]string{"classes": "a,b", "environment": "<absent>"}},
		{name: "classes hash with null and params",
			doc:     "classes:\n  ntp:\n  apache:\n    port: 80\n    vhosts: [a, b]\n",
			classes: []string{"ntp", "apache"},
			fields:  map[string]string{"classes.apache.port": "80", "classes.apache.vhosts": "a,b"}},
		{name: "one bare class", doc: "classes: base\n", classes: []string{"base"}},
		{name: "null list items skipped", doc: "classes:\n  - a\n  -\n  - b\n", classes: []string{"a", "b"}},
		{name: "environment only", doc: "environment: staging\n", env: "staging",
			fields: map[string]string{"environment": "staging", "class": "<absent>"}},
		{name: "null sections", doc: "classes:\nparameters:\nenvironment:\n",
			fields: map[string]string{"classes": "<absent>"}},
		{name: "unknown keys tolerated", doc: "classes: [a]\nfoo: {bar: 1}\n42: x\n", classes: []string{"a"}},
		{name: "ruby symbol keys", doc: ":classes: [a]\n:environment: dev\n:parameters:\n  x: 1\n",
			env: "dev", classes: []string{"a"}, fields: map[string]string{"x": "1"}},
		{name: "yaml 1.1 scalars kept as written",
			doc: "parameters:\n  a: yes\n  b: 0755\n  c: On\n  d: 1_000\n  e: 0x1F\n  f: 1e3\n  g: '0042'\n  h: !!str 7\n  i: |\n    two\n    lines\n",
			fields: map[string]string{"a": "yes", "b": "0755", "c": "On", "d": "1_000", "e": "0x1F",
				"f": "1e3", "g": "0042", "h": "7", "i": "two\nlines\n"}},
		{name: "reserved parameter names",
			doc: "environment: prod\nparameters:\n  environment: dev\n  class: x\n  classes.a: y\n",
			env: "prod",
			fields: map[string]string{"environment": "prod", "parameters.environment": "dev",
				"parameters.class": "x", "parameters.classes.a": "y"}},
		{name: "keys with dots",
			doc:    "parameters:\n  a.b: top\n  a: {b: nested, c: {d.e: deep}}\n",
			fields: map[string]string{"a.b": "top", "a.c.d.e": "deep"}},
		{name: "anchors, aliases and merge keys",
			doc: "parameters:\n  base: &b {dc: dc1, rack: r1}\n  copy: *b\n  over:\n    <<: *b\n    rack: r9\n" +
				"  many:\n    <<: [{x: 1}, {x: 2, y: 3}]\n",
			fields: map[string]string{"copy.dc": "dc1", "over.dc": "dc1", "over.rack": "r9",
				"many.x": "1", "many.y": "3"}},
		{name: "duplicate keys: last wins", doc: "parameters:\n  a: 1\n  a: 2\n", fields: map[string]string{"a": "2"}},
		{name: "custom tags tolerated",
			doc:     "--- !ruby/hash:ActiveSupport::HashWithIndifferentAccess\nclasses: [a]\nparameters: !ruby/hash:X\n  k: v\n",
			classes: []string{"a"}, fields: map[string]string{"k": "v"}},
		{name: "second document ignored", doc: "classes: [a]\n---\nclasses: [b]\n", classes: []string{"a"}},
		{name: "list index out of range", doc: "parameters:\n  l: [a, b]\n",
			fields: map[string]string{"l": "a,b", "l.1": "b", "l.2": "<absent>", "l.x": "<absent>", "l.-1": "<absent>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := mustParse(t, tt.doc)
			if n.Environment != tt.env {
				t.Errorf("environment %q, want %q", n.Environment, tt.env)
			}
			if tt.classes != nil && !slices.Equal(n.Classes, tt.classes) {
				t.Errorf("classes %q, want %q", n.Classes, tt.classes)
			}
			for key, want := range tt.fields {
				wantField(t, n, key, want)
			}
			for _, key := range n.Fields() {
				if _, ok := n.Field(key); !ok {
					t.Errorf("Fields() lists %q but Field does not answer it", key)
				}
			}
		})
	}
}

func TestParseNodeRejects(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 'b', 'a'; i <= 'i'; i, prev = i+1, i {
		bomb += string(i) + ": &" + string(i) + " [" + strings.Repeat("*"+string(prev)+", ", 9) + "*" + string(prev) + "]\n"
	}
	tests := []struct {
		name, doc string
		want      string // substring of the error
		line      int    // expected ParseError.Line, 0 to skip
	}{
		{name: "not yaml", doc: "classes: [a, b\n", want: "invalid YAML"},
		{name: "tab indentation", doc: "classes:\n\t- a\n", want: "invalid YAML"},
		{name: "top-level list", doc: "- a\n- b\n", want: "want a mapping", line: 1},
		{name: "top-level scalar", doc: "hello\n", want: "want a mapping"},
		{name: "null document", doc: "---\n", want: "want a mapping"},
		{name: "comments only", doc: "# nothing here\n", want: "no YAML document"},
		{name: "html error page", doc: "<html><body>502 Bad Gateway</body></html>\n", want: "want a mapping"},
		{name: "parameters as list", doc: "classes: [a]\nparameters:\n  - x\n", want: "parameters: want a mapping", line: 3},
		{name: "environment as map", doc: "environment: {a: b}\n", want: "environment: want a name", line: 1},
		{name: "class item is a map", doc: "classes:\n  - a\n  - {b: c}\n", want: "item 1: want a class name"},
		{name: "class params a list", doc: "classes:\n  a: [1, 2]\n", want: `class "a": want null or a mapping`},
		{name: "complex key", doc: "parameters:\n  ? [a, b]\n  : c\n", want: "at parameters: mapping key is not a scalar"},
		{name: "bad nested merge", doc: "parameters:\n  x:\n    y:\n      <<: [1]\n", want: "at parameters.x.y.<<: merge key"},
		{name: "alias bomb", doc: bomb + "parameters: {p: *i}\n", want: "more than 10000 values in one node"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseNode([]byte(tt.doc))
			if err == nil {
				t.Fatalf("ParseNode accepted it: %+v", n)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if tt.line != 0 && pe.Line != tt.line {
				t.Errorf("error at line %d, want %d: %v", pe.Line, tt.line, err)
			}
			if errors.Is(err, ErrNotFound) {
				t.Errorf("garbage reported as not found: %v", err)
			}
		})
	}
}

func TestParseNodeEmptyIsNotFound(t *testing.T) {
	for _, doc := range []string{"", "   \n\t\n"} {
		if _, err := ParseNode([]byte(doc)); !errors.Is(err, ErrNotFound) {
			t.Errorf("ParseNode(%q) error %v, want ErrNotFound", doc, err)
		}
	}
}

func TestDeepNestingRejected(t *testing.T) {
	doc := "parameters: " + strings.Repeat("[", 500) + strings.Repeat("]", 500) + "\n"
	if _, err := ParseNode([]byte(doc)); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("error %v, want nesting limit", err)
	}
}
