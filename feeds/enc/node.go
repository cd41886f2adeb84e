// Package enc turns host names into Puppet External Node Classifier nodes (classes, environment, parameters),
// looked up asynchronously through a cache that is bounded in concurrency and time.
package enc

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ErrNotFound is the answer "this ENC does not know the node": a non-zero exit, empty output, a missing file.
var ErrNotFound = errors.New("node not found")

// maxAliasValues bounds what aliases may add to a node file beyond one value per input byte, so a YAML alias
// bomb costs an error, not the heap.
const maxAliasValues = 200_000

// maxDepth bounds nesting; real ENC output is a handful of levels deep.
const maxDepth = 100

// Kind says which shape a Value has.
type Kind uint8

// The shapes of a YAML value.
const (
	KindNull   Kind = iota // a key with nothing after it (`ganglia_ip:`), `~` or `null`
	KindScalar             // a string, number or boolean, kept as written
	KindList               // a sequence
	KindMap                // a mapping
)

func (k Kind) String() string {
	switch k {
	case KindNull:
		return "null"
	case KindScalar:
		return "scalar"
	case KindList:
		return "list"
	case KindMap:
		return "map"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Value is one ENC value with the text it was written as. Scalars are not converted: Puppet reads YAML 1.1
// (`yes` is true, `0755` is 493) and Go's YAML 1.2 reader disagrees, so the source text is the only
// rendering both sides would recognise.
type Value struct {
	Kind Kind
	Text string           // scalar text without quotes ("yes", "0755", "0042"); "" for null, list and map
	Tag  string           // YAML 1.2 resolved short tag ("!!str", "!!int", "!!bool", "!!null", ...); quoted → "!!str"
	List []Value          // KindList elements
	Keys []string         // KindMap keys in source order
	Map  map[string]Value // KindMap entries
}

// Node is what an ENC says about one host. Nodes handed out by sources and the Resolver are shared: treat them
// as read-only.
//
// A Node is what the ENC answered, not which host asked: hosts given the same answer share one Node.
type Node struct {
	Environment string // "" when the ENC names none (Puppet then keeps the agent's own)
	Classes     []string
	// ClassParams holds the parameters of classes given in hash form (`role::memcache: {listen_port: 11211}`);
	// classes given as a list or with a null value have no entry.
	ClassParams map[string]map[string]Value
	Parameters  map[string]Value // top-scope variables

	params map[string]string // ParamStrings, computed once by seal
}

// ParamStrings returns every parameter rendered with Value.String, for display and grouping. Nodes from the
// sources and the Resolver compute it once, when the answer is parsed; a Node built by hand computes it on each
// call. The map is shared by every host with this answer: do not modify it. nil when there are no parameters.
func (n *Node) ParamStrings() map[string]string {
	if n.params != nil || len(n.Parameters) == 0 {
		return n.params
	}
	return paramStrings(n.Parameters)
}

// Equal reports whether n and o say the same: environment, classes, class parameters and parameters (each
// value with its text and tag), whatever was computed from them.
func (n *Node) Equal(o *Node) bool {
	if n == nil || o == nil {
		return n == o
	}
	return n.Environment == o.Environment && slices.Equal(n.Classes, o.Classes) &&
		maps.EqualFunc(n.ClassParams, o.ClassParams, valuesEqual) && valuesEqual(n.Parameters, o.Parameters)
}

func valuesEqual(a, b map[string]Value) bool { return maps.EqualFunc(a, b, Value.Equal) }

// Equal reports whether v and o have the same kind, text, tag and contents (mapping keys in the same order).
func (v Value) Equal(o Value) bool {
	return v.Kind == o.Kind && v.Text == o.Text && v.Tag == o.Tag && slices.EqualFunc(v.List, o.List, Value.Equal) &&
		slices.Equal(v.Keys, o.Keys) && valuesEqual(v.Map, o.Map)
}

// seal computes what ParamStrings returns; a Node is read-only afterwards.
func (n *Node) seal() { n.params = paramStrings(n.Parameters) }

func paramStrings(params map[string]Value) map[string]string {
	if len(params) == 0 {
		return nil
	}
	out := make(map[string]string, len(params))
	for k, v := range params {
		out[k] = v.String()
	}
	return out
}

// ParseError says why ENC output is not a node, and where.
type ParseError struct {
	Line, Column int    // 1-based position of the offending value; 0 when YAML itself did not parse
	Path         string // where in the document ("classes[2]", "parameters.replication"); "" for the whole
	Err          error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("enc node")
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d column %d", e.Line, e.Column)
	}
	if e.Path != "" {
		b.WriteString(" at ")
		b.WriteString(e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// ParseNode reads one node as an ENC prints it on stdout, within the default Limits. Whitespace-only input is
// ErrNotFound, as in Puppet; anything that is not a YAML mapping is a *ParseError. Unknown top-level keys are
// ignored.
func ParseNode(data []byte) (*Node, error) { return Limits{}.ParseNode(data) }

// ParseNode is the package's ParseNode within l: an answer over l.MaxBytes or with more than l.MaxValues values
// is an error wrapping ErrLimit.
func (l Limits) ParseNode(data []byte) (*Node, error) {
	l = l.withDefaults()
	if len(data) > l.MaxBytes {
		return nil, l.tooLarge()
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrNotFound
	}
	root, err := parseDocument(data)
	if err != nil {
		return nil, err
	}
	c := newConverter(data)
	c.startNode(l.MaxValues)
	return nodeFromYAML(c, root)
}

// parseDocument returns the root of the first YAML document in data.
func parseDocument(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &ParseError{Err: fmt.Errorf("invalid YAML: %w", err)}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, &ParseError{Err: errors.New("no YAML document (only comments?)")}
	}
	return doc.Content[0], nil
}

// nodeFromYAML converts a node mapping; it is shared by ParseNode and the one-file source.
func nodeFromYAML(c *converter, root *yaml.Node) (*Node, error) {
	top, err := c.value(root, 0)
	if err != nil {
		return nil, err
	}
	if top.Kind != KindMap {
		return nil, c.fail(root, "", fmt.Errorf("want a mapping with classes, parameters or environment, got a %s", top.Kind))
	}
	n := &Node{}
	for _, rawKey := range top.Keys {
		v := top.Map[rawKey]
		switch rawKey {
		case "environment":
			switch v.Kind {
			case KindNull:
			case KindScalar:
				n.Environment = v.Text
			default:
				return nil, c.failAt(root, rawKey, "environment", fmt.Errorf("want a name, got a %s", v.Kind))
			}
		case "classes":
			if err := n.setClasses(v); err != nil {
				return nil, c.failAt(root, rawKey, "classes", err)
			}
		case "parameters":
			switch v.Kind {
			case KindNull:
			case KindMap:
				n.Parameters = v.Map
			default:
				return nil, c.failAt(root, rawKey, "parameters", fmt.Errorf("want a mapping, got a %s", v.Kind))
			}
		}
	}
	n.seal()
	return n, nil
}

// setClasses accepts the list form, the hash form (class → null or parameters) and, leniently, one bare name.
func (n *Node) setClasses(v Value) error {
	switch v.Kind {
	case KindNull:
	case KindScalar:
		n.Classes = []string{v.Text}
	case KindList:
		n.Classes = make([]string, 0, len(v.List))
		for i, c := range v.List {
			switch c.Kind {
			case KindNull: // a stray `-` line names no class
			case KindScalar:
				n.Classes = append(n.Classes, c.Text)
			default:
				return fmt.Errorf("item %d: want a class name, got a %s", i, c.Kind)
			}
		}
	case KindMap:
		n.Classes = make([]string, 0, len(v.Keys))
		for _, name := range v.Keys {
			params := v.Map[name]
			switch params.Kind {
			case KindNull:
			case KindMap:
				if len(params.Map) > 0 {
					if n.ClassParams == nil {
						n.ClassParams = make(map[string]map[string]Value)
					}
					n.ClassParams[name] = params.Map
				}
			default:
				return fmt.Errorf("class %q: want null or a mapping of class parameters, got a %s", name, params.Kind)
			}
			n.Classes = append(n.Classes, name)
		}
	}
	return nil
}

// converter turns yaml.Nodes into Values, counting what aliases expand to. Paths for error messages are built
// only when an error unwinds (withPath), so parsing a good node allocates no path strings.
type converter struct {
	budget   int // values left to produce in the whole document
	nodeLeft int // values left to produce for the node being converted
	nodeMax  int
}

// newConverter allows one value per input byte (a value takes at least one) plus what aliases may add; call
// startNode before each node.
func newConverter(data []byte) *converter {
	return &converter{budget: len(data) + maxAliasValues}
}

// startNode allows the next node at most maxValues values.
func (c *converter) startNode(maxValues int) { c.nodeLeft, c.nodeMax = maxValues, maxValues }

func (c *converter) fail(n *yaml.Node, path string, err error) error {
	return &ParseError{Line: n.Line, Column: n.Column, Path: path, Err: err}
}

// failAt reports err at the value of key in mapping m.
func (c *converter) failAt(m *yaml.Node, key, path string, err error) error {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k, kerr := c.key(m.Content[i]); kerr == nil && k == key {
			return c.fail(m.Content[i+1], path, err)
		}
	}
	return c.fail(m, path, err)
}

// withPath puts the segment of the enclosing value in front of a ParseError's path as it unwinds.
func withPath(err error, segment string) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		switch {
		case pe.Path == "":
			pe.Path = segment
		case pe.Path[0] == '[':
			pe.Path = segment + pe.Path
		default:
			pe.Path = segment + "." + pe.Path
		}
	}
	return err
}

func (c *converter) value(n *yaml.Node, depth int) (Value, error) {
	if depth > maxDepth {
		return Value{}, c.fail(n, "", fmt.Errorf("nested deeper than %d levels", maxDepth))
	}
	c.budget--
	if c.budget < 0 {
		return Value{}, c.fail(n, "", errors.New("expands to too many values (alias bomb?)"))
	}
	c.nodeLeft--
	if c.nodeLeft < 0 {
		return Value{}, c.fail(n, "", fmt.Errorf("more than %d values in one node: %w", c.nodeMax, ErrLimit))
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return Value{}, c.fail(n, "", fmt.Errorf("alias *%s has no anchor", n.Value))
		}
		return c.value(n.Alias, depth+1)
	case yaml.ScalarNode:
		tag := n.ShortTag()
		if tag == "!!null" {
			return Value{Kind: KindNull, Tag: tag}, nil
		}
		return Value{Kind: KindScalar, Text: n.Value, Tag: tag}, nil
	case yaml.SequenceNode:
		v := Value{Kind: KindList, Tag: n.ShortTag(), List: make([]Value, 0, len(n.Content))}
		for i, item := range n.Content {
			e, err := c.value(item, depth+1)
			if err != nil {
				return Value{}, withPath(err, "["+strconv.Itoa(i)+"]")
			}
			v.List = append(v.List, e)
		}
		return v, nil
	case yaml.MappingNode:
		v := Value{Kind: KindMap, Tag: n.ShortTag(), Map: make(map[string]Value, len(n.Content)/2)}
		if err := c.mapping(n, depth, &v); err != nil {
			return Value{}, err
		}
		return v, nil
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return Value{Kind: KindNull, Tag: "!!null"}, nil
		}
		return c.value(n.Content[0], depth+1)
	}
	return Value{}, c.fail(n, "", fmt.Errorf("unexpected YAML node kind %d", n.Kind))
}

// mapping fills v from a YAML mapping. Merge keys (`<<: *defaults`) add what the mapping does not set itself;
// a repeated key keeps its first position and its last value, as Ruby's loader does.
func (c *converter) mapping(n *yaml.Node, depth int, v *Value) error {
	var explicit map[string]bool // only needed when the mapping merges
	for i := 0; i+1 < len(n.Content); i += 2 {
		if isMergeKey(n.Content[i]) {
			explicit = make(map[string]bool, len(n.Content)/2)
			break
		}
	}
	if explicit != nil {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if !isMergeKey(n.Content[i]) {
				if k, err := c.key(n.Content[i]); err == nil {
					explicit[k] = true
				}
			}
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		keyNode, valNode := n.Content[i], n.Content[i+1]
		if isMergeKey(keyNode) {
			if err := c.merge(valNode, depth, explicit, v); err != nil {
				return withPath(err, "<<")
			}
			continue
		}
		k, err := c.key(keyNode)
		if err != nil {
			return err
		}
		e, err := c.value(valNode, depth+1)
		if err != nil {
			return withPath(err, k)
		}
		v.set(k, e)
	}
	return nil
}

func (v *Value) set(k string, e Value) {
	if _, seen := v.Map[k]; !seen {
		v.Keys = append(v.Keys, k)
	}
	v.Map[k] = e
}

// merge applies one `<<` value: a mapping, or a list of mappings where earlier ones win.
func (c *converter) merge(src *yaml.Node, depth int, explicit map[string]bool, v *Value) error {
	m, err := c.value(src, depth+1)
	if err != nil {
		return err
	}
	sources := []Value{m}
	if m.Kind == KindList {
		sources = m.List
	}
	for _, s := range sources {
		if s.Kind != KindMap {
			return c.fail(src, "", fmt.Errorf("merge key <<: want a mapping or a list of mappings, got a %s", s.Kind))
		}
		for _, k := range s.Keys {
			if _, seen := v.Map[k]; seen || explicit[k] {
				continue
			}
			v.set(k, s.Map[k])
		}
	}
	return nil
}

func isMergeKey(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Value == "<<" && n.ShortTag() == "!!merge"
}

// key returns the text of a mapping key; keys must be scalars (Puppet rejects anything but strings and symbols).
// A Ruby symbol written by Ruby's YAML (`:appType: web`, a plain scalar starting with ':') is the name without
// the colon, at every level, as Puppet sees it.
func (c *converter) key(n *yaml.Node) (string, error) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode {
		return "", c.fail(n, "", errors.New("mapping key is not a scalar"))
	}
	if n.ShortTag() == "!!null" {
		return "", nil
	}
	if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) == 0 && len(n.Value) > 1 && n.Value[0] == ':' {
		return n.Value[1:], nil
	}
	return n.Value, nil
}
