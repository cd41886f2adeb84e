package sim

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/fleettop/fleettop/feeds/enc"
)

// ENC returns what the fleet's Puppet ENC says about each host, by certname (the host's Name): classes,
// environment and the parameters of a large website's CMDB (appType, ganglia_cluster_name, cabLocation, vendor,
// cores, ...), consistent with what the hosts report over sFlow. Serve it with enc.NewStaticSource. Each call
// returns new Nodes.
func (f *Fleet) ENC() map[string]*enc.Node {
	out := make(map[string]*enc.Node, len(f.hosts))
	for _, h := range f.hosts {
		out[h.Name] = h.encNode()
	}
	return out
}

func (h *host) encNode() *enc.Node {
	null := enc.Value{Kind: enc.KindNull, Tag: "!!null"}
	return &enc.Node{
		Environment: h.Environment,
		Classes:     slices.Clone(h.prof.classes),
		Parameters: map[string]enc.Value{
			"SpecId":               intValue(h.specID),
			"appType":              strValue(h.AppType),
			"cabLocation":          strValue(h.cab),
			"cageLocation":         intValue(h.cage),
			"consolePort":          intValue(h.console),
			"cores":                intValue(h.cores),
			"cpuSpeed":             strValue(fmt.Sprintf("%.2fGHz", float64(h.cpuMHz)/1000)),
			"ganglia_cluster_name": strValue(h.prof.cluster),
			"ganglia_ip":           null,
			"ganglia_ip2":          null,
			"ganglia_port":         intValue(h.prof.gangliaPort),
			"gen":                  intValue(h.gen),
			"memoryGB":             intValue(h.memGB),
			"portNumber":           intValue(int(h.Port)),
			"switch":               strValue(h.Switch),
			"vendor":               strValue(h.vendor),
		},
	}
}

func strValue(s string) enc.Value { return enc.Value{Kind: enc.KindScalar, Text: s, Tag: "!!str"} }
func intValue(i int) enc.Value {
	return enc.Value{Kind: enc.KindScalar, Text: strconv.Itoa(i), Tag: "!!int"}
}

// WriteENC writes the fleet's ENC into dir (created if missing) as one CERTNAME.yaml per host, in the form an
// ENC prints and enc.NewFileSource reads as a directory: `fleettop demo --print-enc DIR`.
func (f *Fleet) WriteENC(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write enc: %w", err)
	}
	for _, h := range f.hosts {
		data, err := marshalNode(h.encNode())
		if err != nil {
			return fmt.Errorf("write enc node %s: %w", h.Name, err)
		}
		name := filepath.Join(dir, h.Name+".yaml")
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return fmt.Errorf("write enc: %w", err)
		}
	}
	return nil
}

// marshalNode prints n as an ENC does: classes, environment, parameters (sorted), each value with its tag so
// that reading it back gives the same Value.
func marshalNode(n *enc.Node) ([]byte, error) {
	classes := &yaml.Node{Kind: yaml.SequenceNode}
	for _, c := range n.Classes {
		classes.Content = append(classes.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: c})
	}
	params := &yaml.Node{Kind: yaml.MappingNode}
	keys := make([]string, 0, len(n.Parameters))
	for k := range n.Parameters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v, err := yamlValue(n.Parameters[k])
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", k, err)
		}
		params.Content = append(params.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, v)
	}
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Value: "classes"}, classes,
		{Kind: yaml.ScalarNode, Value: "environment"}, {Kind: yaml.ScalarNode, Tag: "!!str", Value: n.Environment},
		{Kind: yaml.ScalarNode, Value: "parameters"}, params,
	}}
	var b bytes.Buffer
	b.WriteString("---\n")
	e := yaml.NewEncoder(&b)
	e.SetIndent(2)
	if err := e.Encode(doc); err != nil {
		return nil, err
	}
	if err := e.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// yamlValue is the YAML node of an ENC value; the demo's values are scalars and nulls.
func yamlValue(v enc.Value) (*yaml.Node, error) {
	switch v.Kind {
	case enc.KindNull:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: ""}, nil
	case enc.KindScalar:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: v.Tag, Value: v.Text}, nil
	}
	return nil, fmt.Errorf("a %s value is not written by the demo ENC", v.Kind)
}
