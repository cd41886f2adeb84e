package enc

import (
	"crypto/sha256"
	"runtime"
	"sync"
	"weak"
)

// interner shares the Node of identical answers: 20,000 hosts given the same 1 MB answer hold one Node, and the
// answer is parsed once while any host still holds it. It keeps nodes weakly, so it holds no more entries than
// there are Nodes alive.
type interner struct {
	mu    sync.Mutex
	nodes map[[sha256.Size]byte]weak.Pointer[Node]
}

// internKey names one interned Node, for the cleanup that forgets it.
type internKey struct {
	sum [sha256.Size]byte
	ptr weak.Pointer[Node]
}

// parse returns the Node of answer data: the one already alive for the same bytes, or a new one parsed within lim.
func (t *interner) parse(data []byte, lim Limits) (*Node, error) {
	sum := sha256.Sum256(data)
	if n := t.lookup(sum); n != nil {
		return n, nil
	}
	n, err := lim.ParseNode(data)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if old := t.nodes[sum].Value(); old != nil {
		return old, nil // parsed meanwhile by another worker
	}
	if t.nodes == nil {
		t.nodes = make(map[[sha256.Size]byte]weak.Pointer[Node])
	}
	ptr := weak.Make(n)
	t.nodes[sum] = ptr
	runtime.AddCleanup(n, t.forget, internKey{sum, ptr})
	return n, nil
}

func (t *interner) lookup(sum [sha256.Size]byte) *Node {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.nodes[sum].Value()
}

// forget drops the entry of a Node the garbage collector reclaimed, unless a newer Node took its place.
func (t *interner) forget(k internKey) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.nodes[k.sum] == k.ptr {
		delete(t.nodes, k.sum)
	}
}

// size is the number of answers interned (for tests).
func (t *interner) size() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.nodes)
}
