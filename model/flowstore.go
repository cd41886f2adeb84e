package model

import (
	"encoding/binary"
	"math"
	"slices"
	"time"
)

// DefaultFlowRecords is the default of Options.FlowRecords: about 2,000,000 × (flowRecordSize + flowRecordBytes)
// = 144 MB (BenchmarkHostFlows measures 138 MB of heap at the bound). The simulated 600-host fleet makes about
// 5,000 records a second, so the store holds its whole top-N window; at 20,000 hosts (about 170,000 a second)
// it holds only the last 12 s or so of the window, and the per-host views say so (Flows.Partial, Start).
const DefaultFlowRecords = 2_000_000

// flowRecordBytes is the room in the key ring per record: a pair of IPv4 addresses takes 10 bytes, a URL with
// its server 30 to 80. When keys are longer on average, the ring, not the record count, bounds the store.
const flowRecordBytes = 32

// flowRecordSize is the size of a flowRecord in memory.
const flowRecordSize = 40

// flowRecord is one update of the pair, URL or memcache key table, kept for the per-host and per-group views.
// Its key is in the store's byte ring: for a pair the two addresses as appendAddr writes them; for a URL or a
// key, the server data source (appendAddr, class, index) and then the table's key.
type flowRecord struct {
	t      int64 // ingest time, unix ns
	w      float32
	pkts   float32
	dur    uint32
	status uint32
	off    uint32 // where the key starts in the byte ring
	n      uint16 // key length
	table  tableID
	proto  uint8
	cmd    uint8
	sport  uint16
	dport  uint16
}

// flowStore is a bounded FIFO of recent table updates of one agent shard, guarded by the shard's lock. When it
// is full the oldest records go, and lostUntil remembers the newest time among them: the store is complete
// after it.
type flowStore struct {
	recs        []flowRecord // ring; record seq s is at recs[s%len]
	first, next uint64       // seqs of the oldest record kept and of the next one
	bytes       []byte       // key ring
	bhead       uint64       // bytes in use: [bhead, btail), positions modulo len(bytes)
	btail       uint64
	lostUntil   int64 // unix ns; the newest time of a dropped record, math.MinInt64 when none was
	maxRecs     int   // the bounds the rings grow to
	maxBytes    int
}

// newFlowStore sizes one shard's store: its share of Options.FlowRecords. The rings start small and grow to
// their bounds until the first record is dropped.
func newFlowStore(opt Options) flowStore {
	n := max(opt.FlowRecords/opt.Shards, 1)
	return flowStore{lostUntil: math.MinInt64, maxRecs: n, maxBytes: min(n*flowRecordBytes, math.MaxUint32)}
}

// serverKeyMax is the longest encoding of a server data source: an IPv6 address, its class and index.
const serverKeyMax = 17 + 8

// add records the pair, URL and key updates of one datagram (queued in q, not yet applied). The shard is locked.
func (fs *flowStore) add(q *tableOps, now time.Time) {
	t := now.UnixNano()
	for i := range q.ops {
		op := &q.ops[i]
		if op.table != tabPair && op.table != tabURL && op.table != tabKey {
			continue
		}
		key := q.keys[op.keyOff:op.keyEnd]
		var srv [serverKeyMax]byte
		head := srv[:0]
		if op.table != tabPair {
			head = appendAddr(head, op.server.addr)
			head = binary.BigEndian.AppendUint32(head, op.server.class)
			head = binary.BigEndian.AppendUint32(head, op.server.index)
		}
		n := len(head) + len(key)
		if n > fs.maxBytes {
			continue // only with a ring smaller than one key: a misconfiguration the bound still holds against
		}
		for fs.next-fs.first == uint64(len(fs.recs)) || fs.btail-fs.bhead+uint64(n) > uint64(len(fs.bytes)) {
			if fs.first == 0 && fs.grow(n) {
				continue
			}
			fs.drop()
		}
		off := fs.btail % uint64(len(fs.bytes))
		fs.put(head)
		fs.put(key)
		fs.recs[fs.next%uint64(len(fs.recs))] = flowRecord{t: t, w: float32(op.w), pkts: float32(op.pkts),
			dur: op.dur, status: op.status, off: uint32(off), n: uint16(n), table: op.table, proto: op.proto,
			cmd: uint8(min(op.cmd, math.MaxUint8)), sport: op.sport, dport: op.dport}
		fs.next++
	}
}

// grow makes room for a record of n key bytes by growing the rings towards their bounds, and says whether it
// could. It is called only before any record was dropped: the rings have not wrapped, and positions are seqs.
func (fs *flowStore) grow(n int) bool {
	grown := false
	if fs.next == uint64(len(fs.recs)) && len(fs.recs) < fs.maxRecs {
		fs.recs = slices.Grow(fs.recs, min(max(len(fs.recs), 1024), fs.maxRecs-len(fs.recs)))
		fs.recs = fs.recs[:min(cap(fs.recs), fs.maxRecs)]
		grown = true
	}
	if need := int(fs.btail) + n; need > len(fs.bytes) && len(fs.bytes) < fs.maxBytes {
		fs.bytes = slices.Grow(fs.bytes, min(max(len(fs.bytes), need, 1<<15), fs.maxBytes-len(fs.bytes)))
		fs.bytes = fs.bytes[:min(cap(fs.bytes), fs.maxBytes)]
		grown = true
	}
	return grown
}

// drop forgets the oldest record.
func (fs *flowStore) drop() {
	r := &fs.recs[fs.first%uint64(len(fs.recs))]
	fs.lostUntil = max(fs.lostUntil, r.t)
	fs.bhead += uint64(r.n)
	fs.first++
}

// put appends b to the byte ring, which has room for it.
func (fs *flowStore) put(b []byte) {
	off := int(fs.btail % uint64(len(fs.bytes)))
	c := copy(fs.bytes[off:], b)
	copy(fs.bytes, b[c:])
	fs.btail += uint64(len(b))
}

// key returns the bytes of record r, appended to buf when they wrap around the ring.
func (fs *flowStore) key(r *flowRecord, buf []byte) []byte {
	end := int(r.off) + int(r.n)
	if end <= len(fs.bytes) {
		return fs.bytes[r.off:end]
	}
	buf = append(buf[:0], fs.bytes[r.off:]...)
	return append(buf, fs.bytes[:end-len(fs.bytes)]...)
}
