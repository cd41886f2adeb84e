package model

import (
	"bytes"
	"net/netip"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
)

// simFleet ingests secs virtual seconds of the simulated fleet of hosts servers and publishes.
func simFleet(t testing.TB, opt Options, hosts int, secs int) (*Fleet, *Snapshot) {
	fl := sim.New(sim.Options{Seed: 7, Hosts: hosts, Start: t0})
	f := NewFleet(opt)
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	var now time.Time
	for at := 100 * time.Millisecond; at <= time.Duration(secs)*time.Second; at += 100 * time.Millisecond {
		now = t0.Add(at)
		err := fl.Tick(now, func(buf []byte) error {
			if err := dec.Decode(buf, &d); err != nil {
				return err
			}
			f.Ingest(&d, netip.AddrPortFrom(d.AgentAddr, 6343), now)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return f, f.Publish(now)
}

func TestFlowRecordSize(t *testing.T) {
	if got := unsafe.Sizeof(flowRecord{}); got != flowRecordSize {
		t.Fatalf("flowRecord is %d bytes, flowRecordSize says %d", got, flowRecordSize)
	}
}

// fillFlowStores fills every shard's store to its bound with pair updates of hosts distinct hosts, one a
// millisecond from t0, and publishes at the end.
func fillFlowStores(f *Fleet, hosts int) {
	var q tableOps
	q.n = f.opt.TableShards
	for i := 0; i < 2*f.opt.FlowRecords; i++ {
		sh := f.shards[i%len(f.shards)]
		a := netip.AddrFrom4([4]byte{10, byte(i % hosts >> 8), byte(i % hosts), 1})
		b := netip.AddrFrom4([4]byte{192, 0, 2, byte(i)})
		q.talker(a, b, 6, 80, 40000, 1500, 1, nil)
		now := t0.Add(time.Duration(i) * time.Millisecond / 64)
		sh.flows.add(&q, now)
		q.ops, q.keys = q.ops[:0], q.keys[:0]
	}
}

// BenchmarkHostFlows measures one host query over full stores (Options.FlowRecords at its default), and reports
// the heap the stores take.
func BenchmarkHostFlows(b *testing.B) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f, s := simFleet(b, Options{}, 600, 5)
	fillFlowStores(f, 20000)
	runtime.GC()
	runtime.ReadMemStats(&after)
	recs := 0
	for _, sh := range f.shards {
		recs += int(sh.flows.next - sh.flows.first)
	}
	id := s.Hosts[len(s.Hosts)-1].ID
	// the filled records are newer than the window: move the window over them.
	idx := *f.flowIdx.Load()
	idx.start, idx.end = t0, t0.Add(time.Hour)
	f.flowIdx.Store(&idx)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.HostFlows(id, 50)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "heapMB")
	b.ReportMetric(float64(recs), "records")
}

// The rings keep every record's key intact where it crosses a chunk's end or the ring's, and drop the oldest
// records, in order, once either ring is full.
func TestFlowStoreChunksAndWrap(t *testing.T) {
	// 3.5 chunks of keys for records of 5 to 60 bytes: keys cross chunk ends and the ring's end many times.
	fs := newFlowStore(Options{FlowRecords: byteChunk * 7 / 2 / flowRecordBytes, Shards: 1})
	var q tableOps
	q.n = 1
	keyOf := func(i int) []byte {
		k := make([]byte, 5+i%56)
		for j := range k {
			k[j] = byte(i*31 + j)
		}
		return k
	}
	const total = 400_000
	for i := range total {
		off := len(q.keys)
		q.keys = append(q.keys, keyOf(i)...)
		q.add(tabPair, off, float64(i))
		fs.add(&q, t0.Add(time.Duration(i)*time.Millisecond))
		q.ops, q.keys = q.ops[:0], q.keys[:0]
	}
	if fs.next != total || fs.first == 0 {
		t.Fatalf("records [%d, %d) kept of %d: want the oldest dropped", fs.first, fs.next, total)
	}
	if want := t0.Add(time.Duration(fs.first-1) * time.Millisecond).UnixNano(); fs.lostUntil != want {
		t.Fatalf("lostUntil %d, want the newest dropped record's time %d", fs.lostUntil, want)
	}
	if used := fs.btail - fs.bhead; used > uint64(fs.maxBytes) {
		t.Fatalf("%d key bytes in a ring of %d", used, fs.maxBytes)
	}
	var buf []byte
	crossed := 0
	for seq := fs.first; seq < fs.next; seq++ {
		r := fs.rec(seq)
		if int(r.w) != int(seq) {
			t.Fatalf("record %d has weight %v", seq, r.w)
		}
		if int(r.off)%byteChunk+int(r.n) > byteChunk || int(r.off)+int(r.n) > fs.maxBytes {
			crossed++
		}
		if got, want := fs.key(r, buf), keyOf(int(seq)); !bytes.Equal(got, want) {
			t.Fatalf("record %d: key %x, want %x", seq, got, want)
		}
	}
	if crossed == 0 {
		t.Fatal("no kept key crosses a chunk's end: the test does not test it")
	}
}
