package query

import (
	"fmt"
	"regexp"
	"strings"
)

// TagExpr is one seriesByTag condition.
type TagExpr struct {
	Tag    string
	Op     string // "=", "!=", "=~", "!=~"
	Value  string
	regexp *regexp.Regexp
}

// ParseTagExprs parses seriesByTag conditions. As in graphite-web, at least one must require a non-empty
// value, and regular expressions are anchored at the start of the value.
func ParseTagExprs(exprs []string) ([]TagExpr, error) {
	if len(exprs) == 0 {
		return nil, fmt.Errorf("seriesByTag: no tag expressions")
	}
	out := make([]TagExpr, 0, len(exprs))
	nonEmpty := false
	for _, s := range exprs {
		var te TagExpr
		i := strings.IndexAny(s, "!=")
		if i <= 0 {
			return nil, fmt.Errorf("seriesByTag: %q is not tag=value, tag!=value, tag=~regex or tag!=~regex", s)
		}
		te.Tag = strings.TrimSpace(s[:i])
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "!=~"):
			te.Op, te.Value = "!=~", rest[3:]
		case strings.HasPrefix(rest, "=~"):
			te.Op, te.Value = "=~", rest[2:]
		case strings.HasPrefix(rest, "!="):
			te.Op, te.Value = "!=", rest[2:]
		case strings.HasPrefix(rest, "="):
			te.Op, te.Value = "=", rest[1:]
		default:
			return nil, fmt.Errorf("seriesByTag: %q has no operator", s)
		}
		if te.Op == "=~" || te.Op == "!=~" {
			re, err := regexp.Compile("^(?:" + te.Value + ")")
			if err != nil {
				return nil, fmt.Errorf("seriesByTag: %q: %w", s, err)
			}
			te.regexp = re
		}
		if !te.match("") {
			nonEmpty = true
		}
		out = append(out, te)
	}
	if !nonEmpty {
		return nil, fmt.Errorf("seriesByTag: at least one tag expression must require a non-empty value")
	}
	return out, nil
}

func (te TagExpr) match(v string) bool {
	switch te.Op {
	case "=":
		return v == te.Value
	case "!=":
		return v != te.Value
	case "=~":
		return te.regexp.MatchString(v)
	default:
		return !te.regexp.MatchString(v)
	}
}

// MatchTags reports whether a series with these tags satisfies every condition; a missing tag has the
// empty value.
func MatchTags(tags map[string]string, exprs []TagExpr) bool {
	for _, te := range exprs {
		if !te.match(tags[te.Tag]) {
			return false
		}
	}
	return true
}
