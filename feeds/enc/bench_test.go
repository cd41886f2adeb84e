package enc

import (
	"strconv"
	"testing"
)

func BenchmarkParseNodeForeman(b *testing.B) {
	data := readSample(b, "foreman-cache03.yaml")
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseNode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolverGetCached is the per-host, per-snapshot cost the model pays.
func BenchmarkResolverGetCached(b *testing.B) {
	nodes := make(map[string]*Node)
	hosts := make([]string, 1000)
	for i := range hosts {
		hosts[i] = "web" + strconv.Itoa(i)
		nodes[hosts[i]+".example.com"] = &Node{Environment: "production"}
	}
	opt, ch := withResults(Options{Domain: "example.com"})
	r := NewResolver(NewStaticSource(nodes), opt)
	defer r.Close()
	for _, h := range hosts {
		r.Get(h)
	}
	for range hosts {
		<-ch
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if n, _ := r.Get(hosts[i%len(hosts)]); n == nil {
			b.Fatal("not cached")
		}
		i++
	}
}

func BenchmarkNodeField(b *testing.B) {
	n, err := ParseNode(readSample(b, "cmdb-db07.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if v, ok := n.Field("replication.master"); !ok || v == "" {
			b.Fatal("missing")
		}
	}
}

// BenchmarkNodeParamStrings is what the model pays per host and publish for a CMDB node of 1,500 parameters:
// cached (ParamStrings on a parsed node) against rendering every Value again.
func BenchmarkNodeParamStrings(b *testing.B) {
	var doc []byte
	doc = append(doc, "parameters:\n"...)
	for i := range 1500 {
		doc = append(doc, "  k"+strconv.Itoa(i)+": {a: [x, y], b: "+strconv.Itoa(i)+"}\n"...)
	}
	n, err := ParseNode(doc)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(n.ParamStrings()) != 1500 {
				b.Fatal("missing")
			}
		}
	})
	b.Run("computed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(paramStrings(n.Parameters)) != 1500 {
				b.Fatal("missing")
			}
		}
	})
}
