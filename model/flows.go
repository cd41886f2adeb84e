package model

import (
	"math"
	"math/bits"
	"net/netip"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// vote finds the most frequent value of a weighted stream with one counter (Misra-Gries with k = 1): a value
// with more than half the weight always wins, and n never exceeds the winner's true weight.
type vote[T comparable] struct {
	val T
	n   float32 // enough to pick a value; keeps the table slots small
}

func (v *vote[T]) add(x T, w float64) {
	switch {
	case v.val == x:
		v.n += float32(w)
	case float32(w) > v.n:
		v.val, v.n = x, float32(w)-v.n
	default:
		v.n -= float32(w)
	}
}

func (v *vote[T]) merge(o *vote[T]) { v.add(o.val, float64(o.n)) }

// dominant returns the value when it carries more than a third of total (so it is at least that frequent),
// else the zero value: "mixed".
func (v *vote[T]) dominant(total float64) T {
	var zero T
	if total <= 0 || 3*float64(v.n) <= total {
		return zero
	}
	return v.val
}

// talkerAux is what a talker entry keeps besides its bytes.
type talkerAux struct {
	packets float64
	proto   vote[uint8]
	srcPort vote[uint16]
	dstPort vote[uint16]
	srcMAC  [6]byte
	dstMAC  [6]byte
	hasMAC  bool
}

func mergeTalker(dst, src *talkerAux) {
	dst.packets += src.packets
	dst.proto.merge(&src.proto)
	dst.srcPort.merge(&src.srcPort)
	dst.dstPort.merge(&src.dstPort)
	if src.hasMAC {
		dst.srcMAC, dst.dstMAC, dst.hasMAC = src.srcMAC, src.dstMAC, true
	}
}

// durBuckets is the number of duration histogram buckets: two per power of two of µs (split at 1.5×), which
// covers the whole u32 range and places p95 within ±25 % of the truth.
const durBuckets = 64

// durBucket returns the histogram bucket of a duration in µs.
func durBucket(us uint32) int {
	if us == 0 {
		return 0
	}
	e := bits.Len32(us) - 1 // 2^e ≤ us < 2^(e+1)
	half := 0
	if e > 0 && us&(1<<(e-1)) != 0 {
		half = 1
	}
	return min(2*e+half, durBuckets-1)
}

// durBucketBounds returns the µs range of bucket b.
func durBucketBounds(b int) (lo, hi float64) {
	e, half := b/2, b%2
	base := math.Ldexp(1, e)
	if half == 0 {
		return base, base * 1.5
	}
	return base * 1.5, base * 2
}

// urlAux is what a URL entry keeps besides its request count.
type urlAux struct {
	requests float64
	status   [6]float64 // by class: [0] other, [1] 1xx ... [5] 5xx
	durSum   float64    // µs × weight
	hist     [durBuckets]float32
	server   vote[sourceKey]
}

func mergeURL(dst, src *urlAux) {
	dst.requests += src.requests
	for i := range dst.status {
		dst.status[i] += src.status[i]
	}
	dst.durSum += src.durSum
	for i := range dst.hist {
		dst.hist[i] += src.hist[i]
	}
	dst.server.merge(&src.server)
}

// percentile returns the q-quantile of the histogram in µs, interpolated inside its bucket; NaN when empty.
func percentile(hist *[durBuckets]float32, q float64) float64 {
	total := 0.0
	for _, c := range hist {
		total += float64(c)
	}
	if total <= 0 {
		return math.NaN()
	}
	target := q * total
	cum := 0.0
	for b, c := range hist {
		if c == 0 {
			continue
		}
		if cum+float64(c) >= target {
			lo, hi := durBucketBounds(b)
			if b == 0 {
				lo, hi = 0, 1.5
			}
			return lo + (hi-lo)*(target-cum)/float64(c)
		}
		cum += float64(c)
	}
	lo, _ := durBucketBounds(durBuckets - 1)
	return lo
}

// keyAux is what a memcache key entry keeps besides its op count.
type keyAux struct {
	ops    float64
	cmds   [len(sflow.MemcacheCmdNames)]float32
	gets   float64 // gets that hit or missed
	hits   float64
	server vote[sourceKey]
}

func mergeKey(dst, src *keyAux) {
	dst.ops += src.ops
	for i := range dst.cmds {
		dst.cmds[i] += src.cmds[i]
	}
	dst.gets += src.gets
	dst.hits += src.hits
	dst.server.merge(&src.server)
}

// appendAddr appends a talker key for ip: a family byte then the address, so IPv4 and IPv6 never collide.
func appendAddr(b []byte, ip netip.Addr) []byte {
	ip = ip.Unmap()
	if ip.Is4() {
		a := ip.As4()
		return append(append(b, 4), a[:]...)
	}
	a := ip.As16()
	return append(append(b, 6), a[:]...)
}

// readAddr reads an address appendAddr wrote and returns it with the rest of b.
func readAddr(b []byte) (netip.Addr, []byte) {
	switch {
	case len(b) >= 5 && b[0] == 4:
		return netip.AddrFrom4([4]byte(b[1:5])), b[5:]
	case len(b) >= 17 && b[0] == 6:
		return netip.AddrFrom16([16]byte(b[1:17])), b[17:]
	}
	return netip.Addr{}, nil
}

// flowSample accounts one flow sample: drops, talkers, URLs, memcache keys and the sockets of applications.
func (sh *shard) flowSample(d *sflow.Datagram, s *sflow.Sample, now time.Time, ag *agent) {
	sh.flowLoss(d, s, now, ag)
	w := float64(max(s.SamplingRate, 1))
	key := sourceKey{addr: d.AgentAddr, class: s.SourceIDClass, index: s.SourceIDIndex}
	var talked bool
	var fallback *sflow.SampledIP
	for i := range s.Records {
		r := &s.Records[i]
		switch r.Type {
		case sflow.RecSampledHeader:
			if h := d.SampledHeader(r); h != nil && !talked && h.Packet.IPVersion != 0 {
				p := &h.Packet
				talked = sh.ops.talker(p.SrcIP, p.DstIP, p.IPProtocol, p.SrcPort, p.DstPort,
					float64(h.FrameLength)*w, w, p)
			}
		case sflow.RecSampledIPv4:
			fallback = d.SampledIPv4(r)
		case sflow.RecSampledIPv6:
			fallback = d.SampledIPv6(r)
		case sflow.RecHTTPRequest:
			if h := d.HTTPRequest(r); h != nil {
				if app := sh.appSource(key, now); app != nil {
					app.http = true
				}
				sh.ops.url(h, w, key)
			}
		case sflow.RecMemcacheOp:
			if m := d.MemcacheOp(r); m != nil {
				if app := sh.appSource(key, now); app != nil {
					app.memcache = true
				}
				sh.ops.memcacheKey(m, w, key)
			}
		case sflow.RecSocket:
			if so := d.Socket(r); so != nil {
				if app := sh.appSource(key, now); app != nil {
					app.addLocalIP(so.LocalIP)
				}
			}
		}
	}
	if !talked && fallback != nil {
		f := fallback
		sh.ops.talker(f.SrcIP, f.DstIP, uint8(f.Protocol), uint16(f.SrcPort), uint16(f.DstPort),
			float64(f.Length)*w, w, nil)
	}
}

// appSource returns the source of an application's flow samples, creating it when the bounds allow (nil when
// they do not). The one found last for the datagram being ingested is kept (shard.app): a datagram's samples
// and their records mostly name the same one.
func (sh *shard) appSource(key sourceKey, now time.Time) *source {
	if cur := sh.app; cur != nil && cur.key == key {
		return cur
	}
	cur := sh.sourceFor(key, now, false)
	if cur == nil {
		return nil
	}
	if now.After(cur.lastFlow) {
		cur.lastFlow = now
		sh.changed(cur)
	}
	sh.app = cur
	return cur
}
