package model

import (
	"cmp"
	"container/heap"
	"net/netip"
	"slices"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
)

// agentHosts is what the publisher keeps of one agent address: the views of its data sources and the hosts built
// from them. It is rebuilt when a source of the address changes, or when time alone changes a host (a member
// or the host going stale: until).
type agentHosts struct {
	addr    netip.Addr
	views   []*sourceView // sorted by class and index
	hosts   []*hostEntry
	until   time.Time // zero: never
	heapIdx int       // in the publisher's due heap; -1 when not in it
}

// hostEntry is one host as the publisher keeps it between snapshots.
type hostEntry struct {
	m       *agentHosts
	build   *hostBuild
	row     *HostRow // published
	group   *groupAcc
	contrib groupContrib // what row added to group
	name    string       // the name counted in the publisher's names

	// the ENC's answer as last asked
	node      *enc.Node
	encState  enc.State
	encAsked  bool   // asked at least once (encState is meaningful)
	encErr    string // the answer's error text
	encStatus string // as shown: state, and the error
	encGroup  string
	rowNode   *enc.Node // the answer row shows

	idx       int  // in publisher.entries; -1 when not in it
	published bool // build.row has been published (it is shared from then on)
	touched   bool // to compose again this publish (in publisher.touched)
	oldRow    *HostRow
	removed   bool
}

// rebuild builds the machine's hosts again from views at now, keeping the entries of hosts that stay (by ID).
func (p *publisher) rebuild(m *agentHosts, views []*sourceView, now time.Time) {
	f := p.f
	slices.SortFunc(views, func(a, b *sourceView) int {
		if c := cmp.Compare(a.key.class, b.key.class); c != 0 {
			return c
		}
		return cmp.Compare(a.key.index, b.key.index)
	})
	m.views = views
	builds := buildHosts(m.addr, views, now, f.opt.PollInterval, f.binner)
	old := make(map[string]*hostEntry, len(m.hosts))
	for _, e := range m.hosts {
		old[e.build.row.ID] = e
		p.owners.remove(e)
	}
	hosts := make([]*hostEntry, 0, len(builds))
	var until time.Time
	for _, b := range builds {
		e := old[b.row.ID]
		if e == nil {
			e = &hostEntry{m: m, idx: -1}
		}
		delete(old, b.row.ID)
		e.build, e.published = b, false
		p.touch(e)
		p.owners.add(e)
		hosts = append(hosts, e)
		if !b.until.IsZero() && (until.IsZero() || b.until.Before(until)) {
			until = b.until
		}
	}
	for _, e := range old {
		e.removed = true
		p.touch(e)
	}
	m.hosts = hosts
	p.schedule(m, until)
	if len(views) == 0 {
		delete(p.machines, m.addr)
	}
}

// touch marks e to be composed again this publish.
func (p *publisher) touch(e *hostEntry) {
	if !e.touched {
		e.touched = true
		e.oldRow = e.row
		p.touched = append(p.touched, e)
	}
}

// schedule sets when m is to be rebuilt for time alone.
func (p *publisher) schedule(m *agentHosts, until time.Time) {
	m.until = until
	switch {
	case until.IsZero() && m.heapIdx >= 0:
		heap.Remove(&p.due, m.heapIdx)
	case until.IsZero():
	case m.heapIdx >= 0:
		heap.Fix(&p.due, m.heapIdx)
	default:
		heap.Push(&p.due, m)
	}
}

// dueHeap orders machines by when they are due.
type dueHeap []*agentHosts

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].until.Before(h[j].until) }
func (h dueHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIdx, h[j].heapIdx = i, j
}
func (h *dueHeap) Push(x any) {
	m := x.(*agentHosts)
	m.heapIdx = len(*h)
	*h = append(*h, m)
}
func (h *dueHeap) Pop() any {
	old := *h
	m := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	m.heapIdx = -1
	return m
}
