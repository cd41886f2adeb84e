package sim

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// Loop is a recording of sFlow datagrams to send over and over, faster than they were made if asked: on every
// round each agent's datagram sequence numbers, its data sources' sample sequence numbers and its uptime go on
// from where the previous round ended, so that a collector sees every agent run on without loss, restarts or
// duplicates, however often the recording repeats. (Counter values, which are not renumbered, go back at each
// round.)
type Loop struct {
	dgrams  [][]byte
	times   []time.Time // when each was made or captured
	patches [][]patch   // per datagram
	lists   [loopSockets][]int
	span    uint32 // ms the uptimes move on per round
}

// loopSockets is how many UDP sockets a loop is sent from, each agent always from the same one: a collector
// with several SO_REUSEPORT sockets gets the agents spread over them, as from a real fleet.
const loopSockets = 8

// MaxLoopDatagrams bounds a Loop's datagrams (about 1.4 GB of them at most).
const MaxLoopDatagrams = 1 << 20

// patch is one field of a datagram renumbered per round: the big-endian uint32 at off becomes orig+round*step.
type patch struct {
	off        int
	orig, step uint32
}

// errNotSFlow is wrapped by the error of newLoop (RecordLoop, ReadLoop) for a datagram it cannot renumber.
var errNotSFlow = errors.New("not an sFlow v5 datagram")

// newLoop makes a Loop of datagrams (taken over, not copied) made or captured at times (same length, in
// order). Uptimes move on by the time the datagrams cover, plus the mean gap between two of them, per round. A
// datagram that is not sFlow v5 (or is cut short) is an error.
func newLoop(datagrams [][]byte, times []time.Time) (*Loop, error) {
	if len(datagrams) == 0 || len(datagrams) != len(times) {
		return nil, fmt.Errorf("loop of %d datagrams at %d times: want at least one, each with its time", len(datagrams), len(times))
	}
	if len(datagrams) > MaxLoopDatagrams {
		return nil, fmt.Errorf("loop of %d datagrams: at most %d", len(datagrams), MaxLoopDatagrams)
	}
	lp := &Loop{times: append([]time.Time(nil), times...), patches: make([][]patch, len(datagrams))}
	covered := times[len(times)-1].Sub(times[0])
	gap := covered / time.Duration(max(len(times)-1, 1))
	lp.span = uint32(max((covered + gap).Milliseconds(), 1))

	// The sequences counting per key: the lowest and highest number of each in the recording.
	type bounds struct{ lo, hi uint32 }
	index := map[string]int{}
	var seqs []bounds
	keyOf := make([][]int, len(datagrams)) // per patch: its sequence, -1 for the uptime
	var fields []field
	var key []byte
	lp.dgrams = datagrams
	for i, b := range datagrams {
		var err error
		if fields, err = seqFields(fields[:0], b); err != nil {
			return nil, fmt.Errorf("datagram %d: %w", i, err)
		}
		agent := b[fields[0].key[0]:fields[0].key[1]]
		s := agentSocket(agent)
		lp.lists[s] = append(lp.lists[s], i)
		lp.patches[i] = make([]patch, len(fields))
		keyOf[i] = make([]int, len(fields))
		for j, f := range fields {
			v := binary.BigEndian.Uint32(b[f.off:])
			lp.patches[i][j] = patch{off: f.off, orig: v, step: lp.span}
			keyOf[i][j] = -1
			if f.kind == 0 {
				continue // the uptime
			}
			key = append(append(append(key[:0], agent...), f.kind), b[f.key[0]:f.key[1]]...)
			k, ok := index[string(key)]
			if !ok {
				k = len(seqs)
				index[string(key)] = k
				seqs = append(seqs, bounds{v, v})
			}
			seqs[k].lo, seqs[k].hi = min(seqs[k].lo, v), max(seqs[k].hi, v)
			keyOf[i][j] = k
		}
	}
	for i := range lp.patches {
		for j, k := range keyOf[i] {
			if k >= 0 {
				lp.patches[i][j].step = seqs[k].hi - seqs[k].lo + 1
			}
		}
	}
	return lp, nil
}

// Len is the number of datagrams in one round.
func (lp *Loop) Len() int { return len(lp.dgrams) }

// field is a renumbered field of a datagram: a sequence number counting per kind ('d' datagram, 'f' flow
// samples, 'c' counter samples) and per the bytes of the datagram at key (agent, data source), or the uptime
// (kind 0).
type field struct {
	off  int
	kind byte
	key  [2]int
}

// seqFields appends the renumbered fields of an sFlow v5 datagram to fields: the datagram's sequence number
// (key: the agent address and sub-agent), its uptime, and each flow or counter sample's sequence number (key:
// its data source; the agent is added by the caller). The datagram's comes first; samples of enterprise
// formats are left alone.
func seqFields(fields []field, b []byte) ([]field, error) {
	u32 := func(off int) (uint32, bool) {
		if off+4 > len(b) {
			return 0, false
		}
		return binary.BigEndian.Uint32(b[off:]), true
	}
	if v, ok := u32(0); !ok || v != 5 {
		return nil, errNotSFlow
	}
	n := 4
	if t, _ := u32(4); t == sflow.AddressIPv6 {
		n = 16
	}
	hdr := 8 + n + 4 // version, address type, address, sub-agent
	nsamples, ok := u32(hdr + 8)
	if !ok {
		return nil, fmt.Errorf("header cut short: %w", errNotSFlow)
	}
	fields = append(fields, field{off: hdr, kind: 'd', key: [2]int{4, hdr}}, field{off: hdr + 4})
	off := hdr + 12
	for i := uint32(0); i < nsamples; i++ {
		format, ok1 := u32(off)
		size, ok2 := u32(off + 4)
		if !ok1 || !ok2 || uint64(off)+8+uint64(size) > uint64(len(b)) || size < 12 {
			return nil, fmt.Errorf("sample %d cut short: %w", i, errNotSFlow)
		}
		data := off + 8
		switch format {
		case sflow.SampleFlow: // compact: source_id is type<<24 | index
			fields = append(fields, field{off: data, kind: 'f', key: [2]int{data + 4, data + 8}})
		case sflow.SampleCounters:
			fields = append(fields, field{off: data, kind: 'c', key: [2]int{data + 4, data + 8}})
		case sflow.SampleFlowExpanded:
			fields = append(fields, field{off: data, kind: 'f', key: [2]int{data + 4, data + 12}})
		case sflow.SampleCountersExpand:
			fields = append(fields, field{off: data, kind: 'c', key: [2]int{data + 4, data + 12}})
		}
		off = data + int(size)
	}
	return fields, nil
}

// agentSocket spreads agents over the loop's sockets (FNV-1a of the agent key).
func agentSocket(agent []byte) int {
	h := uint32(2166136261)
	for i := 0; i < len(agent); i++ {
		h = (h ^ uint32(agent[i])) * 16777619
	}
	return int(h % loopSockets)
}

// renumber writes round's values into datagram i.
func (lp *Loop) renumber(i int, round uint32) {
	b := lp.dgrams[i]
	for _, p := range lp.patches[i] {
		binary.BigEndian.PutUint32(b[p.off:], p.orig+round*p.step)
	}
}

// RecordLoop plays d of f's virtual time and keeps every datagram for a Loop. f should have no impairments:
// their loss, duplicates and restarts would repeat every round.
func RecordLoop(f *Fleet, d time.Duration) (*Loop, error) {
	if d <= 0 || d > MaxCatchUp {
		return nil, fmt.Errorf("loop of %v: want more than 0 and at most %v", d, MaxCatchUp)
	}
	var dgrams [][]byte
	var times []time.Time
	const step = 100 * time.Millisecond
	end := f.Now().Add(d)
	for t := f.Now().Add(step); !t.After(end); t = t.Add(step) {
		err := f.Tick(t, func(b []byte) error {
			if len(dgrams) == MaxLoopDatagrams {
				return fmt.Errorf("loop of %v: more than %d datagrams", d, MaxLoopDatagrams)
			}
			dgrams = append(dgrams, append([]byte(nil), b...))
			times = append(times, t)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return newLoop(dgrams, times)
}

// ReadLoop makes a Loop of the sFlow datagrams (to port) in a pcap or pcapng capture.
func ReadLoop(r io.Reader, port int) (*Loop, error) {
	pr, err := sflow.OpenPcap(r, port)
	if err != nil {
		return nil, err
	}
	var dgrams [][]byte
	var times []time.Time
	for {
		b, _, ts, err := pr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(dgrams) == MaxLoopDatagrams {
			return nil, fmt.Errorf("capture of more than %d datagrams", MaxLoopDatagrams)
		}
		dgrams = append(dgrams, append([]byte(nil), b...))
		times = append(times, ts)
	}
	if len(dgrams) == 0 {
		return nil, fmt.Errorf("no sFlow datagrams to port %d in the capture", port)
	}
	return newLoop(dgrams, times)
}

// WritePcap writes one round of the loop as a capture to dst (from 127.0.0.1 or ::1), at the times the
// datagrams were made.
func (lp *Loop) WritePcap(w io.Writer, dst netip.AddrPort) error {
	pw, err := sflow.NewPcapWriter(w)
	if err != nil {
		return err
	}
	src := netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 40000)
	if dst.Addr().Unmap().Is6() {
		src = netip.AddrPortFrom(netip.IPv6Loopback(), src.Port())
	}
	for i, b := range lp.dgrams {
		lp.renumber(i, 0) // as recorded, whatever was sent before
		if err := pw.WriteDatagram(b, src, dst, lp.times[i]); err != nil {
			return err
		}
	}
	return pw.Close()
}
