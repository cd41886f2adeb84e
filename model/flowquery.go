package model

import (
	"bytes"
	"encoding/binary"
	"math"
	"net/netip"
	"time"

	"github.com/fleettop/fleettop/model/topk"
)

// Flows is the traffic of one host or group: its top talkers, the URLs and memcache keys it served. Unlike the
// Snapshot's tables, which rank the whole fleet, these are counted exactly from the recent table updates the
// model keeps (Options.FlowRecords), so a host that is in no global top-N table still shows its own.
type Flows struct {
	// Talkers are the address pairs with the host (or a host of the group) at either end, by bytes. Share is of
	// the bytes of all the listed pairs' kind that involve the host or group.
	Talkers []TalkerRow
	// URLs and Keys are those whose reporting data source belongs to the host or group. Share is of its own
	// requests or operations.
	URLs []URLRow
	Keys []KeyRow
	// Start and End are the span counted: the top-N window of the latest Snapshot, or less of it when the store
	// was full and had dropped updates of its start (Partial).
	Start, End time.Time
	Partial    bool
	// Records is how many updates were counted.
	Records int
}

// flowIndex is the window of the latest publish's tables, which the queries count over.
type flowIndex struct {
	start, end time.Time
}

// publishFlowIndex keeps the window of a publish for HostFlows and GroupFlows.
func (f *Fleet) publishFlowIndex(start, end time.Time) {
	f.flowIdx.Store(&flowIndex{start: start, end: end})
}

// HostFlows returns the talkers, URLs and keys of the host with ID id (HostRow.ID) in the latest Snapshot, at
// most n rows each (n ≤ 0: Options.TopN). An unknown host has none.
func (f *Fleet) HostFlows(id string, n int) Flows {
	return f.flowsOf(n, func(r *HostRow) bool { return r.ID == id }, nil)
}

// GroupFlows returns the talkers, URLs and keys of the hosts of group in the latest Snapshot; see HostFlows.
func (f *Fleet) GroupFlows(group string, n int) Flows {
	return f.flowsOf(n, func(r *HostRow) bool { return r.Group == group }, nil)
}

// flowScanChunk is how many records a query reads per hold of a shard's lock: about 0.1 ms of ingest held up.
const flowScanChunk = 8192

// flowQuery selects the records of a set of hosts. What it needs of the publisher's owner index, which the next
// publish changes, is copied out under the publisher's lock.
type flowQuery struct {
	ips     map[netip.Addr]bool // the hosts' addresses
	sources map[sourceKey]bool  // the hosts' data sources (true), and other hosts' at the hosts' addresses (false)
	addrs   [][]byte            // the hosts' addresses as appendAddr writes them, when few
	addrSet map[string]struct{} // the same, when many
	start   int64
	end     int64
	recs    []flowRecord
	keyOffs []int
	keys    []byte
	scratch []byte
}

// flowsOf counts the flows of the hosts want selects over the window of idx, nil for the latest publish's.
func (f *Fleet) flowsOf(n int, want func(*HostRow) bool, idx *flowIndex) Flows {
	if n <= 0 {
		n = f.opt.TopN
	}
	p := &f.pub
	p.mu.Lock()
	if idx == nil {
		idx = f.flowIdx.Load()
	}
	if idx == nil {
		p.mu.Unlock()
		return Flows{}
	}
	q := newFlowQuery(&p.owners, p.entries, want, idx)
	p.mu.Unlock()
	if q == nil || !idx.end.After(idx.start) {
		return Flows{Start: idx.start, End: idx.end}
	}
	lost := int64(math.MinInt64)
	for _, sh := range f.shards {
		lost = max(lost, q.scan(sh))
	}
	out := Flows{Start: idx.start, End: idx.end}
	if lost >= q.start {
		out.Start, out.Partial = time.Unix(0, min(lost+1, q.end)), true
	}
	p.mu.Lock() // the rows name hosts by the owner index
	out.Talkers, out.URLs, out.Keys, out.Records = q.rows(&p.owners, lost, out.End.Sub(out.Start).Seconds(), n)
	p.mu.Unlock()
	return out
}

// newFlowQuery copies what the query needs of owners about the published hosts want selects among entries;
// nil when it selects none.
func newFlowQuery(owners *ownerIndex, entries []*hostEntry, want func(*HostRow) bool, idx *flowIndex) *flowQuery {
	hosts := make(map[*hostEntry]bool)
	for _, e := range entries {
		if e.row != nil && want(e.row) {
			hosts[e] = true
		}
	}
	if len(hosts) == 0 {
		return nil
	}
	q := &flowQuery{ips: make(map[netip.Addr]bool), sources: make(map[sourceKey]bool), start: idx.start.UnixNano(),
		end: idx.end.UnixNano()}
	for ip, e := range owners.byIP {
		if hosts[e] {
			q.ips[ip] = true
			q.addrs = append(q.addrs, appendAddr(nil, ip))
		}
	}
	for k, e := range owners.bySource {
		if hosts[e] || q.ips[k.addr] { // ownerIndex.server falls back to the address only for unknown sources
			q.sources[k] = hosts[e]
		}
	}
	if len(q.addrs) > 8 {
		q.addrSet = make(map[string]struct{}, len(q.addrs))
		for _, a := range q.addrs {
			q.addrSet[string(a)] = struct{}{}
		}
	}
	return q
}

// scan copies the shard's records of the query's hosts in the window out, a chunk per hold of its lock, and
// returns the newest time the store has dropped a record of (read last, so that it covers the scan).
func (q *flowQuery) scan(sh *shard) int64 {
	var seq uint64
	for {
		sh.mu.Lock()
		fs := &sh.flows
		seq = max(seq, fs.first)
		end := min(fs.next, seq+flowScanChunk)
		for ; seq < end; seq++ {
			r := fs.rec(seq)
			if r.t < q.start || r.t >= q.end {
				continue
			}
			key := fs.key(r, q.scratch)
			if q.match(r.table, key) {
				q.recs = append(q.recs, *r)
				q.keyOffs = append(q.keyOffs, len(q.keys))
				q.keys = append(q.keys, key...)
			}
		}
		done, lost := seq == fs.next, fs.lostUntil
		sh.mu.Unlock()
		if done {
			return lost
		}
	}
}

// match says whether a record concerns the query's hosts.
func (q *flowQuery) match(table tableID, key []byte) bool {
	if table == tabPair {
		src, rest := cutAddr(key)
		return q.isHostAddr(src) || q.isHostAddr(rest)
	}
	srv, _ := readServer(key)
	if own, ok := q.sources[srv]; ok {
		return own
	}
	return q.ips[srv.addr]
}

// isHostAddr says whether an address as appendAddr writes it is one of the query's hosts'.
func (q *flowQuery) isHostAddr(a []byte) bool {
	if q.addrSet != nil {
		_, ok := q.addrSet[string(a)]
		return ok
	}
	for _, h := range q.addrs {
		if bytes.Equal(h, a) {
			return true
		}
	}
	return false
}

// cutAddr splits the first address appendAddr wrote off b.
func cutAddr(b []byte) (addr, rest []byte) {
	n := 5
	if len(b) > 0 && b[0] == 6 {
		n = 17
	}
	n = min(n, len(b))
	return b[:n], b[n:]
}

// readServer reads the server data source at the start of a URL or key record and returns the table's key.
func readServer(b []byte) (sourceKey, []byte) {
	addr, rest := readAddr(b)
	if len(rest) < 8 {
		return sourceKey{}, nil
	}
	k := sourceKey{addr: addr, class: binary.BigEndian.Uint32(rest), index: binary.BigEndian.Uint32(rest[4:])}
	return k, rest[8:]
}

// rows counts the copied records after lost exactly, as the top-N tables would, and ranks the top n of each.
func (q *flowQuery) rows(owners *ownerIndex, lost int64, span float64, n int) ([]TalkerRow, []URLRow, []KeyRow, int) {
	var pairs table[talkerAux]
	var urls table[urlAux]
	var keys table[keyAux]
	pairIdx := make(map[string]int)
	urlIdx := make(map[string]int)
	keyIdx := make(map[string]int)
	counted := 0
	for i := range q.recs {
		r := &q.recs[i]
		if r.t <= lost {
			continue
		}
		counted++
		key := q.keys[q.keyOffs[i] : q.keyOffs[i]+int(r.n)]
		op := tableOp{table: r.table, proto: r.proto, sport: r.sport, dport: r.dport, w: float64(r.w),
			pkts: float64(r.pkts), status: r.status, cmd: uint32(r.cmd), dur: r.dur}
		switch r.table {
		case tabPair:
			entry(&pairs, pairIdx, key, op.w).add(&op)
		case tabURL:
			var srv sourceKey
			srv, key = readServer(key)
			entry(&urls, urlIdx, key, op.w).add(&op, srv)
		case tabKey:
			var srv sourceKey
			srv, key = readServer(key)
			entry(&keys, keyIdx, key, op.w).add(&op, srv)
		}
	}
	pairs.top, urls.top, keys.top = topk.Rank(pairs.top, n), topk.Rank(urls.top, n), topk.Rank(keys.top, n)
	if span <= 0 {
		return nil, nil, nil, counted
	}
	return talkerRows(&pairs, span, owners, true, true), urlRows(&urls, span, owners), keyRows(&keys, span, owners),
		counted
}

// entry adds w to key's entry of t (made on first use, indexed by idx) and returns its aux to describe it.
func entry[A any](t *table[A], idx map[string]int, key []byte, w float64) *A {
	i, ok := idx[string(key)]
	if !ok {
		i = len(t.top)
		idx[string(key)] = i
		t.top = append(t.top, topk.Entry[A]{Key: string(key)})
	}
	t.top[i].Count += w
	t.total += w
	return &t.top[i].Aux
}
