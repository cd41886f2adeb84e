package tree

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/fleettop/fleettop/model/query"
)

// maxFindVisits bounds the tree nodes one Find may look at, as query.FindInTree does.
const maxFindVisits = 200000

// index holds the listed records by path, and the branches above them for Children and Find.
type index struct {
	byPath map[string]*record
	root   *branch
}

// branch is one node of the path trie: a record when a series ends here, children when paths go on.
type branch struct {
	kids  map[string]*branch
	names []string // kids' names, sorted (kept up to date so readers never write)
	rec   *record
}

func newIndex() index {
	return index{byPath: make(map[string]*record), root: &branch{}}
}

func (x *index) len() int { return len(x.byPath) }

func (x *index) get(path string) *record { return x.byPath[path] }

func (x *index) put(path string, rec *record) {
	x.byPath[path] = rec
	b := x.root
	for el := range strings.SplitSeq(path, ".") {
		k := b.kids[el]
		if k == nil {
			if b.kids == nil {
				b.kids = make(map[string]*branch)
			}
			k = &branch{}
			b.kids[el] = k
			i, _ := slices.BinarySearch(b.names, el)
			b.names = slices.Insert(b.names, i, el)
		}
		b = k
	}
	b.rec = rec
}

// remove takes path out if rec holds it, and prunes the branches left empty.
func (x *index) remove(path string, rec *record) {
	if x.byPath[path] != rec {
		return
	}
	delete(x.byPath, path)
	var trail [16]*branch
	stack := append(trail[:0], x.root)
	elems := strings.Split(path, ".")
	b := x.root
	for _, el := range elems {
		b = b.kids[el]
		if b == nil {
			return
		}
		stack = append(stack, b)
	}
	b.rec = nil
	for i := len(elems) - 1; i >= 0; i-- {
		n := stack[i+1]
		if n.rec != nil || len(n.kids) > 0 {
			break
		}
		parent := stack[i]
		delete(parent.kids, elems[i])
		if j, ok := slices.BinarySearch(parent.names, elems[i]); ok {
			parent.names = slices.Delete(parent.names, j, j+1)
		}
	}
}

// at returns the branch at prefix ("" is the root), or nil.
func (x *index) at(prefix string) *branch {
	b := x.root
	if prefix == "" {
		return b
	}
	for el := range strings.SplitSeq(prefix, ".") {
		if b = b.kids[el]; b == nil {
			return nil
		}
	}
	return b
}

// appendNodes appends the node of kid named name below path. An element that is both a series and a branch
// appears twice, as graphite-web lists a whisper file next to a directory of the same name.
func appendNodes(out []query.Node, path string, kid *branch) []query.Node {
	if len(kid.kids) > 0 {
		out = append(out, query.Node{Path: path})
	}
	if kid.rec != nil {
		out = append(out, query.Node{Path: path, Leaf: true})
	}
	return out
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// Children lists the branches and series right below prefix ("" is the root), sorted; query.Tree.
func (t *Tree) Children(ctx context.Context, prefix string) ([]query.Node, error) {
	t.Refresh()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	b := t.index.at(prefix)
	if b == nil {
		return nil, nil
	}
	var out []query.Node
	for _, name := range b.names {
		out = appendNodes(out, join(prefix, name), b.kids[name])
	}
	return out, nil
}

// Find returns the branches and series whose path matches a Graphite glob (* ? [..] {a,b}, within one
// element), sorted by path; query.Finder.
func (t *Tree) Find(ctx context.Context, pattern string) ([]query.Node, error) {
	p, err := query.CompilePattern(pattern)
	if err != nil {
		return nil, fmt.Errorf("find %q: %w", pattern, err)
	}
	t.Refresh()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	f := finder{p: p}
	f.walk(t.index.root, "", 0)
	if f.visits > maxFindVisits {
		return nil, fmt.Errorf("find %q: more than %d tree nodes visited; narrow the pattern", pattern, maxFindVisits)
	}
	slices.SortFunc(f.out, func(a, b query.Node) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if a.Leaf == b.Leaf {
			return 0
		}
		if a.Leaf {
			return 1
		}
		return -1
	})
	return f.out, nil
}

type finder struct {
	p      *query.Pattern
	out    []query.Node
	visits int
}

func (f *finder) walk(b *branch, path string, level int) {
	last := level == f.p.Len()-1
	for _, name := range b.names {
		if f.visits++; f.visits > maxFindVisits {
			return
		}
		if !f.p.MatchElem(level, name) {
			continue
		}
		kid := b.kids[name]
		full := join(path, name)
		if last {
			f.out = appendNodes(f.out, full, kid)
		} else if len(kid.kids) > 0 {
			f.walk(kid, full, level+1)
		}
	}
}
