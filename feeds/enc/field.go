package enc

import (
	"slices"
	"strconv"
	"strings"
)

// Field keys that are not parameters.
const (
	FieldEnvironment = "environment"
	FieldClasses     = "classes" // all classes joined with ","
	FieldClass       = "class"   // the first class

	parametersPrefix = "parameters."
	classesPrefix    = "classes."
)

// String renders v for display and grouping: a scalar as written, null as "", a list as its items joined
// with ",", a mapping in YAML flow style ({a: 1, b: [x, y]}).
func (v Value) String() string {
	switch v.Kind {
	case KindScalar:
		return v.Text
	case KindList:
		var b strings.Builder
		for i, e := range v.List {
			if i > 0 {
				b.WriteByte(',')
			}
			if e.Kind == KindScalar {
				b.WriteString(e.Text)
			} else if e.Kind != KindNull {
				writeFlow(&b, e)
			}
		}
		return b.String()
	case KindMap:
		var b strings.Builder
		writeFlow(&b, v)
		return b.String()
	}
	return ""
}

// writeFlow writes v as YAML flow text, for display only: scalars are not re-quoted.
func writeFlow(b *strings.Builder, v Value) {
	switch v.Kind {
	case KindNull:
		b.WriteByte('~')
	case KindScalar:
		b.WriteString(v.Text)
	case KindList:
		b.WriteByte('[')
		for i, e := range v.List {
			if i > 0 {
				b.WriteString(", ")
			}
			writeFlow(b, e)
		}
		b.WriteByte(']')
	case KindMap:
		b.WriteByte('{')
		for i, k := range v.Keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k)
			b.WriteString(": ")
			writeFlow(b, v.Map[k])
		}
		b.WriteByte('}')
	}
}

// Lookup finds a nested value by a dotted path: mapping keys ("replication.master") and list indexes
// ("foreman_interfaces.0.ip"). A key that itself contains dots is found too; the longest key wins.
func (v Value) Lookup(path string) (Value, bool) {
	switch v.Kind {
	case KindMap:
		return lookupMap(v.Map, path)
	case KindList:
		head, rest, nested := strings.Cut(path, ".")
		i, err := strconv.Atoi(head)
		if err != nil || i < 0 || i >= len(v.List) {
			return Value{}, false
		}
		if !nested {
			return v.List[i], true
		}
		return v.List[i].Lookup(rest)
	}
	return Value{}, false
}

func lookupMap(m map[string]Value, path string) (Value, bool) {
	if e, ok := m[path]; ok {
		return e, true
	}
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] != '.' {
			continue
		}
		if e, ok := m[path[:i]]; ok {
			if found, ok := e.Lookup(path[i+1:]); ok {
				return found, true
			}
		}
	}
	return Value{}, false
}

// Field returns the text of one ENC field, the unit hosts are grouped by. Keys:
//
//   - "environment"; "classes" (all, joined with ","); "class" (the first)
//   - "parameters.X" or bare "X" for a parameter; "X.Y" and "X.0.Y" reach into nested mappings and lists
//   - "classes.CLASS.PARAM" for a class parameter
//
// ok is false when the node lacks the field; a parameter present with no value (`ganglia_ip:`) is "", true.
// Scalars come back as written ("yes", "0755"), lists joined with ",".
func (n *Node) Field(key string) (value string, ok bool) {
	switch key {
	case FieldEnvironment:
		return n.Environment, n.Environment != ""
	case FieldClasses:
		return strings.Join(n.Classes, ","), len(n.Classes) > 0
	case FieldClass:
		if len(n.Classes) == 0 {
			return "", false
		}
		return n.Classes[0], true
	}
	if rest, isClass := strings.CutPrefix(key, classesPrefix); isClass {
		v, ok := n.classParam(rest)
		return v.String(), ok
	}
	v, ok := lookupMap(n.Parameters, strings.TrimPrefix(key, parametersPrefix))
	return v.String(), ok
}

// classParam resolves "CLASS.PARAM[.nested]"; class names use "::", so the split is at a dot, longest class first.
func (n *Node) classParam(path string) (Value, bool) {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] != '.' {
			continue
		}
		if params, ok := n.ClassParams[path[:i]]; ok {
			if v, ok := lookupMap(params, path[i+1:]); ok {
				return v, true
			}
		}
	}
	return Value{}, false
}

// Fields lists the keys Field answers for this node, for a group-by picker: environment, class and classes
// first, then parameters (nested mappings as their leaves, "replication.master"), then class parameters, each
// part sorted. A parameter whose name would be read as another key is listed as "parameters.NAME".
func (n *Node) Fields() []string {
	var out []string
	if n.Environment != "" {
		out = append(out, FieldEnvironment)
	}
	if len(n.Classes) > 0 {
		out = append(out, FieldClass, FieldClasses)
	}
	seen := make(map[string]bool)
	add := func(key string) {
		if !seen[key] {
			seen[key] = true
			out = append(out, key)
		}
	}
	for _, name := range sortedKeys(n.Parameters) {
		key := name
		if key == FieldEnvironment || key == FieldClasses || key == FieldClass ||
			strings.HasPrefix(key, parametersPrefix) || strings.HasPrefix(key, classesPrefix) {
			key = parametersPrefix + name
		}
		addLeaves(key, n.Parameters[name], add)
	}
	for _, class := range sortedKeys(n.ClassParams) {
		params := n.ClassParams[class]
		for _, name := range sortedKeys(params) {
			addLeaves(classesPrefix+class+"."+name, params[name], add)
		}
	}
	return out
}

// addLeaves names key itself, or for a non-empty mapping each of its leaves; lists are one field.
func addLeaves(key string, v Value, add func(string)) {
	if v.Kind != KindMap || len(v.Map) == 0 {
		add(key)
		return
	}
	for _, k := range v.Keys {
		addLeaves(key+"."+k, v.Map[k], add)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
