package query

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Node is one entry of the metric tree: a branch (it has children) or a leaf (it holds a series).
type Node struct {
	Path string
	Leaf bool
}

// Tree lists the children of a branch of a metric tree; prefix "" is the root. Children carry full paths.
type Tree interface {
	Children(ctx context.Context, prefix string) ([]Node, error)
}

// Pattern is a compiled path glob: dot-separated elements with *, ?, [a-z0-9], [!x] and {a,b} (fnmatch plus
// brace expansion, as graphite-web's finders). Wildcards never cross a dot.
type Pattern struct {
	text  string
	elems [][]globSeq // per element, its brace alternatives
}

// maxAlternatives bounds brace expansion per element ({a,b}{c,d}... multiplies).
const maxAlternatives = 1024

// maxTreeNodes bounds how many tree nodes one Find may visit.
const maxTreeNodes = 200000

type globTokKind uint8

const (
	tokChar  globTokKind = iota
	tokAny               // ?
	tokStar              // *
	tokClass             // [...]
)

type globTok struct {
	kind   globTokKind
	r      rune
	negate bool
	ranges []rune // pairs lo,hi
}

type globSeq []globTok

// CompilePattern compiles a path glob. It accepts what the target grammar accepts as a path.
func CompilePattern(pattern string) (*Pattern, error) {
	if pattern == "" {
		return nil, &SyntaxError{Pos: 0, Expected: "a metric path", Found: "end of input"}
	}
	p := &Pattern{text: pattern}
	for i, el := range splitPath(pattern) {
		if el == "" {
			return nil, fmt.Errorf("pattern %q: element %d is empty", pattern, i)
		}
		alts, err := expandBraces(el)
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %w", pattern, err)
		}
		seqs := make([]globSeq, len(alts))
		for j, a := range alts {
			seqs[j] = compileElem(a)
		}
		p.elems = append(p.elems, seqs)
	}
	return p, nil
}

// splitPath splits at dots that are not escaped with a backslash.
func splitPath(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '.':
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// expandBraces turns a{b,c}d into abd, acd (escapes kept for compileElem).
func expandBraces(el string) ([]string, error) {
	out := []string{""}
	for i := 0; i < len(el); i++ {
		c := el[i]
		if c == '\\' && i+1 < len(el) {
			for k := range out {
				out[k] += el[i : i+2]
			}
			i++
			continue
		}
		if c != '{' {
			for k := range out {
				out[k] += string(c)
			}
			continue
		}
		end := -1
		for j := i + 1; j < len(el); j++ {
			if el[j] == '\\' {
				j++
				continue
			}
			if el[j] == '}' {
				end = j
				break
			}
		}
		if end < 0 {
			return nil, fmt.Errorf("unclosed '{' in %q", el)
		}
		alts := splitUnescaped(el[i+1:end], ',')
		if len(out)*len(alts) > maxAlternatives {
			return nil, fmt.Errorf("%q expands to more than %d alternatives", el, maxAlternatives)
		}
		next := make([]string, 0, len(out)*len(alts))
		for _, o := range out {
			for _, a := range alts {
				next = append(next, o+a)
			}
		}
		out = next
		i = end
	}
	return out, nil
}

func splitUnescaped(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == sep {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func compileElem(s string) globSeq {
	var seq globSeq
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\\':
			if i+1 < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[i+1:])
				seq = append(seq, globTok{kind: tokChar, r: r2})
				i += 1 + n2
				continue
			}
			seq = append(seq, globTok{kind: tokChar, r: r})
		case '*':
			if len(seq) == 0 || seq[len(seq)-1].kind != tokStar {
				seq = append(seq, globTok{kind: tokStar})
			}
		case '?':
			seq = append(seq, globTok{kind: tokAny})
		case '[':
			if tok, used, ok := compileClass(s[i:]); ok {
				seq = append(seq, tok)
				i += used
				continue
			}
			seq = append(seq, globTok{kind: tokChar, r: r})
		default:
			seq = append(seq, globTok{kind: tokChar, r: r})
		}
		i += n
	}
	return seq
}

// compileClass reads [...] at the start of s the way Python's fnmatch does: '!' negates, a ']' right after the
// opening bracket is literal, '-' first or last is literal; no closing bracket means a literal '['.
func compileClass(s string) (globTok, int, bool) {
	i := 1
	tok := globTok{kind: tokClass}
	if i < len(s) && s[i] == '!' {
		tok.negate = true
		i++
	}
	var members []rune
	first := true
	for i < len(s) {
		if s[i] == ']' && !first {
			for k := 0; k < len(members); k++ {
				lo := members[k]
				if k+2 < len(members) && members[k+1] == '-' {
					hi := members[k+2]
					tok.ranges = append(tok.ranges, lo, hi)
					k += 2
					continue
				}
				tok.ranges = append(tok.ranges, lo, lo)
			}
			return tok, i + 1, true
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		members = append(members, r)
		i += n
		first = false
	}
	return globTok{}, 0, false
}

func (t globTok) matches(r rune) bool {
	switch t.kind {
	case tokChar:
		return t.r == r
	case tokAny:
		return true
	case tokClass:
		in := false
		for k := 0; k+1 < len(t.ranges); k += 2 {
			if r >= t.ranges[k] && r <= t.ranges[k+1] {
				in = true
				break
			}
		}
		return in != t.negate
	}
	return false
}

// match runs the classic linear-backtracking glob match (one remembered star).
func (seq globSeq) match(name string) bool {
	ti, ni := 0, 0
	starTi, starNi := -1, 0
	for ni < len(name) {
		r, n := utf8.DecodeRuneInString(name[ni:])
		if ti < len(seq) {
			t := seq[ti]
			if t.kind == tokStar {
				starTi, starNi = ti, ni
				ti++
				continue
			}
			if t.matches(r) {
				ti++
				ni += n
				continue
			}
		}
		if starTi < 0 {
			return false
		}
		_, sn := utf8.DecodeRuneInString(name[starNi:])
		starNi += sn
		ni = starNi
		ti = starTi + 1
	}
	for ti < len(seq) && seq[ti].kind == tokStar {
		ti++
	}
	return ti == len(seq)
}

// Len is the number of dot-separated elements.
func (p *Pattern) Len() int { return len(p.elems) }

// MatchElem reports whether one path element (no dots) matches element i of the pattern.
func (p *Pattern) MatchElem(i int, name string) bool {
	if i < 0 || i >= len(p.elems) {
		return false
	}
	for _, seq := range p.elems[i] {
		if seq.match(name) {
			return true
		}
	}
	return false
}

// Match reports whether a full metric path matches the pattern.
func (p *Pattern) Match(path string) bool {
	parts := strings.Split(path, ".")
	if len(parts) != len(p.elems) {
		return false
	}
	for i, part := range parts {
		if !p.MatchElem(i, part) {
			return false
		}
	}
	return true
}

func (p *Pattern) String() string { return p.text }

// MatchPath reports whether path matches the glob pattern.
func MatchPath(pattern, path string) (bool, error) {
	p, err := CompilePattern(pattern)
	if err != nil {
		return false, err
	}
	return p.Match(path), nil
}

// HasWildcard reports whether a path expression contains glob characters.
func HasWildcard(pattern string) bool {
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case '\\':
			i++
		case '*', '?', '[', '{':
			return true
		}
	}
	return false
}

// FindInTree returns the nodes of t matching pattern, sorted by path: the /metrics/find answer for a tree.
func FindInTree(ctx context.Context, t Tree, pattern string) ([]Node, error) {
	p, err := CompilePattern(pattern)
	if err != nil {
		return nil, err
	}
	frontier := []string{""}
	visited := 0
	var matched []Node
	for level := 0; level < p.Len(); level++ {
		var next []string
		matched = matched[:0]
		for _, prefix := range frontier {
			kids, err := t.Children(ctx, prefix)
			if err != nil {
				return nil, fmt.Errorf("find %q: children of %q: %w", pattern, prefix, err)
			}
			visited += len(kids)
			if visited > maxTreeNodes {
				return nil, fmt.Errorf("find %q: more than %d tree nodes visited; narrow the pattern", pattern, maxTreeNodes)
			}
			for _, k := range kids {
				name := k.Path[strings.LastIndexByte(k.Path, '.')+1:]
				if !p.MatchElem(level, name) {
					continue
				}
				if level == p.Len()-1 {
					matched = append(matched, k)
				} else if !k.Leaf {
					next = append(next, k.Path)
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		frontier = next
	}
	sort.Slice(matched, func(i, j int) bool { return matched[i].Path < matched[j].Path })
	return matched, nil
}
