package query

import (
	"context"
	"sort"
	"strings"
)

// maxCandidates bounds what completion returns.
const maxCandidates = 500

// Complete completes the word before cursor the way the Graphite CLI's Tab does: verbs, window and view names,
// parameters, and target paths from the metric tree (s.Eval), replacing the word by the longest common prefix
// of the candidates. It returns the new line (the cursor moves by its growth) and the candidates, sorted.
// A line starting with '!' completes from s.History.
func (s *Session) Complete(ctx context.Context, line string, cursor int) (string, []string) {
	cursor = max(0, min(cursor, len(line)))
	head, tail := line[:cursor], line[cursor:]
	if strings.HasPrefix(head, "!") {
		if s.History == nil {
			return line, nil
		}
		cands := s.History.Recall(head[1:])
		if len(cands) == 1 {
			return cands[0] + tail, cands
		}
		return line, cands
	}
	words := strings.Fields(head)
	idx := len(words) // index of the word being completed
	if len(words) > 0 && !strings.HasSuffix(head, " ") && !strings.HasSuffix(head, "\t") {
		idx--
	}
	tokenStart := cursor
	if idx < len(words) {
		tokenStart = cursor - len(words[idx])
	}
	prev := ""
	if idx > 0 {
		prev = words[idx-1]
	}
	verb := ""
	if len(words) > 0 && idx > 0 {
		verb = words[0]
	}
	var cands []string
	spaceAfter := true // a completed word gets a space, a path does not (a '.', ',' or '|' may follow)
	switch {
	case idx == 0:
		cands = Verbs()
	case verb == "draw" && (prev == "in") || verb == "add" && prev == "to" || verb == "remove" && prev == "from":
		cands = s.windowNames()
	case (verb == "draw" || verb == "add") && prev == "on":
		cands = s.originNames()
	case verb == "draw" && (prev == "from" || prev == "until" || prev == "every"):
		return line, nil
	case verb == "threshold" || verb == "rmthreshold":
		var ok bool
		if cands, spaceAfter, ok = s.completeThreshold(ctx, verb, words, idx, prev, head, &tokenStart); !ok {
			return line, nil
		}
	case verb == "draw" || verb == "add" || verb == "remove":
		tokenStart = targetTokenStart(head)
		cands = s.completePath(ctx, head[tokenStart:])
		spaceAfter = false
	case verb == "change" && idx == 1:
		cands = append(s.windowNames(), "*")
	case verb == "change" && idx == 2:
		cands = ParamNames()
	case verb == "change" && idx == 3:
		cands = []string{"to"}
	case verb == "change" && idx == 4 && prev == "to":
		cands = renderParams[words[2]].choices
	case (verb == "redraw" || verb == "url" || verb == "close" || verb == "rename") && idx == 1:
		cands = s.windowNames()
	case verb == "rename" && idx == 2:
		cands = []string{"to"}
	case verb == "redraw" && idx == 2:
		cands = []string{"every"}
	case (verb == "load" || verb == "rmview" || verb == "save") && idx == 1:
		cands = s.viewNames()
	case verb == "load" && idx == 2:
		cands = []string{"above"}
	case verb == "set" && idx == 1:
		cands = append(s.varNames(), "theme", "refresh")
	case verb == "unset" && idx == 1:
		cands = s.varNames()
	case verb == "group" && idx == 1:
		cands = []string{"by"}
	case verb == "help" && idx == 1:
		cands = Verbs()
	}
	token := head[tokenStart:]
	var match []string
	seen := map[string]bool{}
	for _, c := range cands {
		if strings.HasPrefix(c, token) && !seen[c] {
			seen[c] = true
			match = append(match, c)
		}
	}
	sort.Strings(match)
	if len(match) > maxCandidates {
		match = match[:maxCandidates]
	}
	if len(match) == 0 {
		return line, nil
	}
	lcp := match[0]
	for _, m := range match[1:] {
		lcp = commonPrefix(lcp, m)
	}
	if len(match) == 1 && spaceAfter && !strings.HasPrefix(tail, " ") {
		lcp += " "
	}
	if len(lcp) <= len(token) {
		return line, match
	}
	return head[:tokenStart] + lcp + tail, match
}

func commonPrefix(a, b string) string {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	return a[:i]
}

// targetTokenStart finds where the path being typed starts: after the last space, comma, '(' or '|' (the
// Graphite completer strips `draw `, `name(` and `)` the same way).
func targetTokenStart(head string) int {
	return strings.LastIndexAny(head, " \t,(|") + 1
}

// completePath lists tree nodes under the typed prefix, keeping the typed (possibly wildcarded) prefix as
// graphite's treejson ids do; branches end with '.'. Bare words also complete function names.
func (s *Session) completePath(ctx context.Context, token string) []string {
	var out []string
	if !strings.Contains(token, ".") {
		for _, f := range FunctionNames() {
			if strings.HasPrefix(f, token) {
				out = append(out, f+"(")
			}
		}
	}
	if s.Eval == nil {
		return out
	}
	nodes, err := s.Eval.Find(ctx, token+"*")
	if err != nil {
		return out
	}
	prefix := token[:strings.LastIndexByte(token, '.')+1]
	for _, n := range nodes {
		name := n.Path[strings.LastIndexByte(n.Path, '.')+1:]
		c := prefix + name
		if !n.Leaf {
			c += "."
		}
		out = append(out, c)
	}
	return out
}

func (s *Session) windowNames() []string {
	out := make([]string, len(s.Windows))
	for i, w := range s.Windows {
		out[i] = w.Name
	}
	return out
}

func (s *Session) viewNames() []string {
	if s.Views == nil {
		return nil
	}
	list, _ := s.Views.List()
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = v.Name
	}
	return out
}

func (s *Session) varNames() []string {
	out := make([]string, 0, len(s.Vars))
	for k := range s.Vars {
		out = append(out, k)
	}
	return out
}

func (s *Session) originNames() []string {
	if s.Eval == nil {
		return nil
	}
	out := make([]string, len(s.Eval.Origins))
	for i, o := range s.Eval.Origins {
		out[i] = o.Name
	}
	return out
}
