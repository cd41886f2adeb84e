package model

import (
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/model/topk"
)

// tableShard is one independently locked part of the top-N tables: the keys whose topk.Hash falls to it.
// A key lives in exactly one table shard whichever agents report it, so the shards' tables merge by adding
// exact counts, and each shard's capacity serves distinct keys. The number of table shards is fixed
// (Options.TableShards), not taken from the CPU count, so the tables are the same on every machine.
type tableShard struct {
	mu     sync.Mutex
	bySrc  *topk.Window[talkerAux]
	byDst  *topk.Window[talkerAux]
	byPair *topk.Window[talkerAux]
	urls   *topk.Window[urlAux]
	keys   *topk.Window[keyAux]

	_ [64]byte // keep shards' locks on separate cache lines
}

// newTableShard sizes the tables: the pair table has Options.Capacity counters per bucket, the others half of
// it. Pairs are the flattest table by far (a 600-host fleet sends about 3,300 distinct pairs a second, against
// 900 sources, 1,100 destinations, 260 URLs and 420 memcache keys), and with 4 table shards these capacities
// keep every key of such a fleet exact.
func newTableShard(opt Options) *tableShard {
	half := max(opt.Capacity/2, 1)
	return &tableShard{
		bySrc:  topk.NewWindow[talkerAux](opt.Window, opt.Buckets, half),
		byDst:  topk.NewWindow[talkerAux](opt.Window, opt.Buckets, half),
		byPair: topk.NewWindow[talkerAux](opt.Window, opt.Buckets, opt.Capacity),
		urls:   topk.NewWindow[urlAux](opt.Window, opt.Buckets, half),
		keys:   topk.NewWindow[keyAux](opt.Window, opt.Buckets, half),
	}
}

// tableID names a top-N table.
type tableID uint8

const (
	tabSrc tableID = iota
	tabDst
	tabPair
	tabURL
	tabKey
)

// tableOp is one update of a table, queued while its datagram is read (under the agent shard's lock) and
// applied after it, one lock per table shard and datagram.
type tableOp struct {
	table          tableID
	shard          uint8
	hasMAC         bool
	proto          uint8
	sport, dport   uint16
	keyOff, keyEnd uint32 // the key in tableOps.keys
	hash           uint64
	w              float64 // bytes for talkers, requests or operations otherwise
	pkts           float64
	status         uint32 // HTTP status or memcache status
	cmd            uint32 // memcache command
	dur            uint32 // HTTP duration, µs
	srcMAC, dstMAC [6]byte
	at             int64  // the datagram's ingest time, unix ns
	srv            uint32 // the data source that reported a URL or key: tableOps.servers[srv]
}

// tableOps queues the table updates of an agent shard's datagrams until about tableBatch of them are there (or
// a publish reads the tables): each table shard's lock is then taken once for all of them, not once per
// datagram. Its memory is reused from batch to batch.
type tableOps struct {
	keys    []byte
	ops     []tableOp
	servers []sourceKey // the data sources of the URL and key updates (no pointers in ops: cheaper to queue)
	order   []uint32    // apply's scratch: the ops by table shard
	n       int         // table shards
	at      int64       // the ingest time of the datagram being read, unix ns
	first   int         // the first op of the datagram being read
}

// Bounds on a batch of table updates: it is applied once it holds this many updates or key bytes.
const (
	tableBatch      = 128
	tableBatchBytes = 8 << 10
)

// begin starts queueing the updates of a datagram ingested at now.
func (q *tableOps) begin(now time.Time) { q.at, q.first = now.UnixNano(), len(q.ops) }

// full says whether the batch is due.
func (q *tableOps) full() bool { return len(q.ops) >= tableBatch || len(q.keys) >= tableBatchBytes }

// add queues an update of table for the key appended to q.keys since off, returning it for the caller to fill.
func (q *tableOps) add(table tableID, off int, w float64) *tableOp {
	key := q.keys[off:]
	h := topk.Hash(key)
	q.ops = append(q.ops, tableOp{table: table, shard: uint8((h >> 32) * uint64(q.n) >> 32), keyOff: uint32(off),
		keyEnd: uint32(len(q.keys)), hash: h, w: w, at: q.at})
	return &q.ops[len(q.ops)-1]
}

// apply runs the queued updates against the table shards and empties the queue.
func (q *tableOps) apply(shards []*tableShard) {
	if len(q.ops) == 0 {
		return
	}
	// The ops in order of their table shard (a counting sort: no branch per op and shard to mispredict).
	var start [65]int
	for i := range q.ops {
		start[q.ops[i].shard+1]++
	}
	for t := range shards {
		start[t+1] += start[t]
	}
	at := start
	q.order = slices.Grow(q.order[:0], len(q.ops))[:len(q.ops)]
	for i := range q.ops {
		t := q.ops[i].shard
		q.order[at[t]] = uint32(i)
		at[t]++
	}
	for t, ts := range shards {
		if start[t] == start[t+1] {
			continue
		}
		ts.mu.Lock()
		for _, i := range q.order[start[t]:start[t+1]] {
			op := &q.ops[i]
			ts.apply(op, q.keys[op.keyOff:op.keyEnd], q.servers)
		}
		ts.mu.Unlock()
	}
	q.ops, q.keys, q.servers, q.first = q.ops[:0], q.keys[:0], q.servers[:0], 0
}

// apply counts one update; the shard is locked.
func (ts *tableShard) apply(op *tableOp, key []byte, servers []sourceKey) {
	now := op.at
	switch op.table {
	case tabSrc, tabDst, tabPair:
		tab := ts.bySrc
		if op.table == tabDst {
			tab = ts.byDst
		} else if op.table == tabPair {
			tab = ts.byPair
		}
		if a := tab.AddAt(now, key, op.hash, op.w); a != nil { // nil: counted, but too light to be monitored
			a.add(op)
		}
	case tabURL:
		if a := ts.urls.AddAt(now, key, op.hash, op.w); a != nil {
			a.add(op, servers[op.srv])
		}
	case tabKey:
		if a := ts.keys.AddAt(now, key, op.hash, op.w); a != nil {
			a.add(op, servers[op.srv])
		}
	}
}

// add describes one talker update.
func (a *talkerAux) add(op *tableOp) {
	a.packets += op.pkts
	a.proto.add(op.proto, op.pkts)
	a.srcPort.add(op.sport, op.pkts)
	a.dstPort.add(op.dport, op.pkts)
	if op.hasMAC {
		a.srcMAC, a.dstMAC, a.hasMAC = op.srcMAC, op.dstMAC, true
	}
}

// add describes one URL update.
func (a *urlAux) add(op *tableOp, server sourceKey) {
	a.requests += op.w
	class := 0
	if op.status >= 100 && op.status < 600 {
		class = int(op.status / 100)
	}
	a.status[class] += op.w
	a.durSum += float64(op.dur) * op.w
	a.hist[durBucket(op.dur)] += float32(op.w)
	a.server.add(server, op.w)
}

// add describes one memcache key update.
func (a *keyAux) add(op *tableOp, server sourceKey) {
	a.ops += op.w
	if int(op.cmd) < len(a.cmds) {
		a.cmds[op.cmd] += float32(op.w)
	}
	if op.cmd == sflow.MemcacheCmdGet || op.cmd == sflow.MemcacheCmdGets {
		switch op.status {
		case sflow.MemcacheStatusOK:
			a.gets += op.w
			a.hits += op.w
		case sflow.MemcacheStatusNotFound:
			a.gets += op.w
		}
	}
	a.server.add(server, op.w)
}

// talker queues one sampled packet for the three talker tables. It returns false when the addresses are
// unusable.
func (q *tableOps) talker(src, dst netip.Addr, proto uint8, sport, dport uint16, bytes, pkts float64,
	p *sflow.PacketSummary) bool {
	if !src.IsValid() || !dst.IsValid() {
		return false
	}
	if bytes <= 0 {
		bytes = pkts // a zero frame length still counts as traffic
	}
	fill := func(op *tableOp) {
		op.pkts, op.proto, op.sport, op.dport = pkts, proto, sport, dport
		if p != nil && p.HasMAC {
			op.srcMAC, op.dstMAC, op.hasMAC = p.SrcMAC, p.DstMAC, true
		}
	}
	off := len(q.keys)
	q.keys = appendAddr(q.keys, src)
	fill(q.add(tabSrc, off, bytes))
	off = len(q.keys)
	q.keys = appendAddr(q.keys, dst)
	fill(q.add(tabDst, off, bytes))
	off = len(q.keys)
	q.keys = appendAddr(appendAddr(q.keys, src), dst)
	fill(q.add(tabPair, off, bytes))
	return true
}

// server returns the index of key in q.servers, adding it unless it is the last one there.
func (q *tableOps) server(key sourceKey) uint32 {
	if n := len(q.servers); n == 0 || q.servers[n-1] != key {
		q.servers = append(q.servers, key)
	}
	return uint32(len(q.servers) - 1)
}

// Bounds on the parts of a URL key, as sflowtool cuts them.
const (
	maxURLHost = 64
	maxURLPath = 255
	maxMemKey  = 255
)

// url queues one sampled HTTP request under host + path (the query string and fragment cut off).
func (q *tableOps) url(h *sflow.HTTPRequest, w float64, server sourceKey) {
	off := len(q.keys)
	for _, c := range h.Host[:min(len(h.Host), maxURLHost)] {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		q.keys = append(q.keys, c)
	}
	q.keys = append(q.keys, 0)
	path := h.URI
	for i, c := range path {
		if c == '?' || c == '#' {
			path = path[:i]
			break
		}
	}
	q.keys = append(q.keys, path[:min(len(path), maxURLPath)]...)
	op := q.add(tabURL, off, w)
	op.status, op.dur, op.srv = uint32(h.Status), h.DurationUS, q.server(server)
}

// memcacheKey queues one sampled memcache operation under its key.
func (q *tableOps) memcacheKey(m *sflow.MemcacheOp, w float64, server sourceKey) {
	off := len(q.keys)
	q.keys = append(q.keys, m.Key[:min(len(m.Key), maxMemKey)]...)
	op := q.add(tabKey, off, w)
	op.status, op.cmd, op.srv = m.Status, m.Cmd, q.server(server)
}
