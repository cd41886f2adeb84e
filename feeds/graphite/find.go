package graphite

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Node is one match of a /metrics/find query: a leaf is a series, a branch has children.
type Node struct {
	Path string // the full dotted path
	Name string // the last element of Path
	Leaf bool
}

// findJSONNode is one element of /metrics/find?format=json (graphite-web 1.1+): real paths, even for a query
// with wildcards before the last element.
type findJSONNode struct {
	Path   *string `json:"path"`
	IsLeaf bool    `json:"is_leaf"`
}

// ParseFindJSON decodes a /metrics/find?format=json body. Errors are *FormatError.
func ParseFindJSON(body []byte) ([]Node, error) {
	var raw []findJSONNode
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, jsonFormatError(err)
	}
	out := make([]Node, 0, len(raw))
	for i, r := range raw {
		if r.Path == nil || *r.Path == "" {
			return nil, &FormatError{Offset: -1, Err: fmt.Errorf("node %d has no path", i)}
		}
		p := *r.Path
		name := p[strings.LastIndexByte(p, '.')+1:]
		if name == "" {
			return nil, &FormatError{Offset: -1, Err: fmt.Errorf("node %d path %.80q ends with '.'", i, p)}
		}
		out = append(out, Node{Path: p, Name: name, Leaf: r.IsLeaf})
	}
	return out, nil
}

// treeJSONNode is one element of /metrics/find?format=treejson, graphite-web's default and its only format
// before 1.1.
type treeJSONNode struct {
	Text *string `json:"text"`
	ID   *string `json:"id"`
	Leaf int     `json:"leaf"`
}

// ParseFindTreeJSON decodes a /metrics/find?format=treejson body. graphite-web builds "id" from the query's
// prefix, so Path is a real path only when the query has no wildcard before its last element. The "*" entry
// that wildcards=1 adds is left out. Errors are *FormatError.
func ParseFindTreeJSON(body []byte) ([]Node, error) {
	var raw []treeJSONNode
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, jsonFormatError(err)
	}
	out := make([]Node, 0, len(raw))
	for i, r := range raw {
		if r.Text == nil || r.ID == nil || *r.Text == "" || *r.ID == "" {
			return nil, &FormatError{Offset: -1, Err: fmt.Errorf("node %d lacks text or id", i)}
		}
		if *r.Text == "*" {
			continue
		}
		out = append(out, Node{Path: *r.ID, Name: *r.Text, Leaf: r.Leaf == 1})
	}
	return out, nil
}
