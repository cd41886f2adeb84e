package sim

import (
	"math"
	"math/rand/v2"
)

// The shapes of the load: a compressed day, smooth per-host noise, and what incidents add. Everything here is a
// pure function of the fleet's seed, the host and the virtual time, so an agent and the switch that sees its
// traffic agree without sharing state.

// mix is SplitMix64's finaliser over the words given: a cheap, well-spread hash for deterministic choices.
func mix(words ...uint64) uint64 {
	var h uint64 = 0x9e3779b97f4a7c15
	for _, w := range words {
		h ^= w
		h += 0x9e3779b97f4a7c15
		h = (h ^ h>>30) * 0xbf58476d1ce4e5b9
		h = (h ^ h>>27) * 0x94d049bb133111eb
		h ^= h >> 31
	}
	return h
}

// unit maps a hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// noiseKnotMs is the spacing of the knots of the load noise.
const noiseKnotMs = 10_000

// noise is smooth value noise in [-1, 1] for key at ms: random knots every 10 s, cosine-interpolated.
func noise(key uint64, ms int64) float64 {
	k := floorDiv(ms, noiseKnotMs)
	t := float64(ms-k*noiseKnotMs) / noiseKnotMs
	a := 2*unit(mix(key, uint64(k))) - 1
	b := 2*unit(mix(key, uint64(k+1))) - 1
	w := (1 - math.Cos(math.Pi*t)) / 2
	return a + (b-a)*w
}

// diurnal is the load of the compressed day at ms, between 0.35 (night) and 1 (peak); the fleet starts in the
// morning with the load rising.
func (f *Fleet) diurnal(ms int64) float64 {
	const morning = 1.18 // radians into the day: load ≈ 0.55 and rising
	x := 2*math.Pi*float64(ms)/float64(f.dayMs) + morning
	return 0.35 + 0.65*(1-math.Cos(x))/2
}

// load is host h's share of its type's peak load at ms.
func (f *Fleet) load(h *host, ms int64) float64 {
	return f.diurnal(ms) * h.weight * (1 + 0.08*noise(h.noise, ms))
}

// Rates at the peak of a traffic burst between two groups, per sending host.
const (
	burstMbps   = 600
	burstPacket = 1500
)

// baseSendBps and baseRecvBps are host h's own traffic at ms in bytes per second, without an incident's burst.
func (f *Fleet) baseSendBps(h *host, ms int64) float64 {
	return h.prof.sendMbps * 1e6 / 8 * f.load(h, ms)
}
func (f *Fleet) baseRecvBps(h *host, ms int64) float64 {
	return h.prof.recvMbps * 1e6 / 8 * f.load(h, ms)
}

// sendBps and recvBps are host h's network rates at ms, in bytes per second.
func (f *Fleet) sendBps(h *host, ms int64, inc *plan) float64 {
	v := f.baseSendBps(h, ms)
	if inc.kind == TrafficBurst && h.app == inc.from {
		v += burstMbps * 1e6 / 8
	}
	return v
}

func (f *Fleet) recvBps(h *host, ms int64, inc *plan) float64 {
	v := f.baseRecvBps(h, ms)
	if inc.kind == TrafficBurst && h.app == inc.to {
		v += burstMbps * 1e6 / 8 * float64(len(f.byApp[inc.from])) / float64(len(f.byApp[inc.to]))
	}
	return v
}

// cpuBusy is host h's CPU utilisation at ms.
func (f *Fleet) cpuBusy(h *host, ms int64, inc *plan) float64 {
	v := h.prof.cpuBusy * f.load(h, ms)
	switch {
	case inc.kind == ErrorSurge && h.app == inc.app:
		v += 0.35
	case inc.kind == HotKey && h.idx == inc.host:
		v += 0.3
	case inc.kind == TrafficBurst && (h.app == inc.from || h.app == inc.to):
		v += 0.1
	}
	return min(max(v, 0.02), 0.97)
}

// opRate is the application operations per second of host h at ms (HTTP requests or memcache operations).
func (f *Fleet) opRate(h *host, ms int64, inc *plan) float64 {
	v := h.prof.rate * f.load(h, ms)
	switch {
	case inc.kind == ErrorSurge && h.app == inc.app:
		v *= 1.15 // clients retry
	case inc.kind == HotKey && h.idx == inc.host:
		v /= 1 - hotKeyShare
	}
	return v
}

// poisson draws a Poisson variate of mean lambda (normal approximation above 30).
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda < 30 {
		limit, p, k := math.Exp(-lambda), r.Float64(), 0
		for p > limit {
			p *= r.Float64()
			k++
		}
		return k
	}
	return max(0, int(math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
}

// cum is a cumulative counter fed with fractional amounts: the fraction carries over, so sums stay exact.
type cum struct {
	v    uint64
	frac float64
}

func (c *cum) add(x float64) {
	if x <= 0 || math.IsNaN(x) {
		return
	}
	x += c.frac
	w := math.Floor(x)
	c.v += uint64(w)
	c.frac = x - w
}

func (c *cum) u32() uint32 { return uint32(c.v) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
