package model

import (
	"encoding/binary"
	"math"
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
//
// Both rings have their full length from the start (record seq s is at position s % maxRecs, key byte b at
// b % maxBytes) but their memory comes in chunks, allocated when a position is first written: an idle store
// costs nothing and a filling one is never copied to a bigger ring.
type flowStore struct {
	recs        [][]flowRecord // chunks of recChunk records
	first, next uint64         // seqs of the oldest record kept and of the next one
	bytes       [][]byte       // key ring, chunks of byteChunk bytes
	bhead       uint64         // bytes in use: [bhead, btail), positions modulo maxBytes
	btail       uint64
	lostUntil   int64 // unix ns; the newest time of a dropped record, math.MinInt64 when none was
	maxRecs     int   // the rings' lengths
	maxBytes    int
}

// Chunk sizes of the rings: 640 KiB of records, 512 KiB of keys.
const (
	recChunk  = 1 << 14
	byteChunk = 1 << 19
)

// newFlowStore sizes one shard's store: its share of Options.FlowRecords.
func newFlowStore(opt Options) flowStore {
	n := max(opt.FlowRecords/opt.Shards, 1)
	b := min(n*flowRecordBytes, math.MaxUint32)
	return flowStore{lostUntil: math.MinInt64, maxRecs: n, maxBytes: b,
		recs: make([][]flowRecord, (n+recChunk-1)/recChunk), bytes: make([][]byte, (b+byteChunk-1)/byteChunk)}
}

// rec returns record seq's place in the ring, allocating its chunk on first use.
func (fs *flowStore) rec(seq uint64) *flowRecord {
	i := int(seq % uint64(fs.maxRecs))
	c := fs.recs[i/recChunk]
	if c == nil {
		c = make([]flowRecord, min(recChunk, fs.maxRecs-i/recChunk*recChunk))
		fs.recs[i/recChunk] = c
	}
	return &c[i%recChunk]
}

// serverKeyMax is the longest encoding of a server data source: an IPv6 address, its class and index.
const serverKeyMax = 17 + 8

// add records the pair, URL and key updates of one datagram (queued in q, not yet applied). The shard is locked.
func (fs *flowStore) add(q *tableOps, now time.Time) {
	t := now.UnixNano()
	for i := q.first; i < len(q.ops); i++ {
		op := &q.ops[i]
		if op.table != tabPair && op.table != tabURL && op.table != tabKey {
			continue
		}
		key := q.keys[op.keyOff:op.keyEnd]
		var srv [serverKeyMax]byte
		head := srv[:0]
		if op.table != tabPair {
			server := &q.servers[op.srv]
			head = appendAddr(head, server.addr)
			head = binary.BigEndian.AppendUint32(head, server.class)
			head = binary.BigEndian.AppendUint32(head, server.index)
		}
		n := len(head) + len(key)
		if n > fs.maxBytes {
			continue // only with a ring smaller than one key: a misconfiguration the bound still holds against
		}
		for fs.next-fs.first == uint64(fs.maxRecs) || fs.btail-fs.bhead+uint64(n) > uint64(fs.maxBytes) {
			fs.drop()
		}
		off := fs.btail % uint64(fs.maxBytes)
		fs.put(head)
		fs.put(key)
		*fs.rec(fs.next) = flowRecord{t: t, w: float32(op.w), pkts: float32(op.pkts),
			dur: op.dur, status: op.status, off: uint32(off), n: uint16(n), table: op.table, proto: op.proto,
			cmd: uint8(min(op.cmd, math.MaxUint8)), sport: op.sport, dport: op.dport}
		fs.next++
	}
}

// drop forgets the oldest record.
func (fs *flowStore) drop() {
	r := fs.rec(fs.first)
	fs.lostUntil = max(fs.lostUntil, r.t)
	fs.bhead += uint64(r.n)
	fs.first++
}

// put appends b to the byte ring, which has room for it.
func (fs *flowStore) put(b []byte) {
	for len(b) > 0 {
		at := int(fs.btail % uint64(fs.maxBytes))
		c := fs.bytes[at/byteChunk]
		if c == nil {
			c = make([]byte, min(byteChunk, fs.maxBytes-at/byteChunk*byteChunk))
			fs.bytes[at/byteChunk] = c
		}
		n := copy(c[at%byteChunk:], b)
		b = b[n:]
		fs.btail += uint64(n)
	}
}

// key returns the bytes of record r, appended to buf when they cross a chunk's end or the ring's.
func (fs *flowStore) key(r *flowRecord, buf []byte) []byte {
	at, n := int(r.off), int(r.n)
	if c := fs.bytes[at/byteChunk]; at%byteChunk+n <= len(c) {
		return c[at%byteChunk : at%byteChunk+n]
	}
	buf = buf[:0]
	for n > 0 {
		c := fs.bytes[at/byteChunk][at%byteChunk:]
		c = c[:min(len(c), n)]
		buf = append(buf, c...)
		n -= len(c)
		at = (at + len(c)) % fs.maxBytes
	}
	return buf
}
