package model

import (
	"math"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

func TestDelta32(t *testing.T) {
	tests := []struct {
		name      string
		prev, cur uint32
		want      float64
		state     deltaState
	}{
		{"step", 100, 250, 150, deltaOK},
		{"no change", 7, 7, 0, deltaOK},
		{"wrap", 0xFFFFFF00, 0x100, 0x200, deltaOK},
		{"wrap from just below max", 0xFFFFFFFE, 3, 5, deltaOK},
		{"unavailable now", 5, 0xFFFFFFFF, 0, deltaUnavailable},
		{"unavailable before", 0xFFFFFFFF, 5, 0, deltaUnavailable},
		{"backwards (reset without sequence reset)", 1000, 10, 0, deltaBackwards},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, st := delta32(tc.prev, tc.cur)
			if got != tc.want || st != tc.state {
				t.Fatalf("delta32(%#x, %#x) = (%v, %v), want (%v, %v)", tc.prev, tc.cur, got, st, tc.want, tc.state)
			}
		})
	}
}

func TestDelta64(t *testing.T) {
	tests := []struct {
		name      string
		prev, cur uint64
		want      float64
		state     deltaState
	}{
		{"step", 1 << 40, 1<<40 + 12345, 12345, deltaOK},
		{"unavailable", 5, 0xFFFFFFFFFFFFFFFF, 0, deltaUnavailable},
		{"reset", 1 << 40, 10, 0, deltaBackwards},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, st := delta64(tc.prev, tc.cur)
			if got != tc.want || st != tc.state {
				t.Fatalf("delta64(%#x, %#x) = (%v, %v), want (%v, %v)", tc.prev, tc.cur, got, st, tc.want, tc.state)
			}
		})
	}
}

func TestCPUUtilisation(t *testing.T) {
	base := sflow.HostCPU{User: 1000, Nice: 100, System: 500, Idle: 10000, WIO: 50, Intr: 10, SoftIntr: 20,
		Steal: 5, Len80: true}
	// add returns base advanced by the given ms per field.
	add := func(user, nice, system, idle, wio, intr, sintr, steal uint32) sflow.HostCPU {
		c := base
		c.User += user
		c.Nice += nice
		c.System += system
		c.Idle += idle
		c.WIO += wio
		c.Intr += intr
		c.SoftIntr += sintr
		c.Steal += steal
		return c
	}
	tests := []struct {
		name string
		prev sflow.HostCPU
		cur  sflow.HostCPU
		want float64 // NaN: no figure
	}{
		{"quarter busy", base, add(150, 10, 50, 750, 10, 5, 5, 20), 25},
		{"all idle", base, add(0, 0, 0, 4000, 0, 0, 0, 0), 0},
		{"all busy", base, add(2000, 0, 0, 0, 0, 0, 0, 0), 100},
		{"no time passed", base, base, math.NaN()},
		{"user wrapped", func() sflow.HostCPU { c := base; c.User = 0xFFFFFF00; return c }(),
			func() sflow.HostCPU { c := base; c.User = 0x100; c.Idle += 512; return c }(), 50},
		{"steal not counted without it", func() sflow.HostCPU { c := base; c.Len80 = false; return c }(),
			func() sflow.HostCPU { c := add(100, 0, 0, 100, 0, 0, 0, 800); c.Len80 = false; return c }(), 50},
		{"unavailable wio ignored", func() sflow.HostCPU { c := base; c.WIO = 0xFFFFFFFF; return c }(),
			func() sflow.HostCPU { c := add(300, 0, 0, 700, 0, 0, 0, 0); c.WIO = 0xFFFFFFFF; return c }(), 30},
		{"counter went back", base, func() sflow.HostCPU { c := add(0, 0, 0, 100, 0, 0, 0, 0); c.System = 1; return c }(),
			math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := cpuUtilisation(&tc.prev, &tc.cur)
			if math.IsNaN(tc.want) {
				if ok {
					t.Fatalf("cpuUtilisation = %v, want no figure", got)
				}
				return
			}
			if !ok || math.Abs(got-tc.want) > 1e-9 {
				t.Fatalf("cpuUtilisation = (%v, %v), want %v", got, ok, tc.want)
			}
		})
	}
}

func TestSequence(t *testing.T) {
	type step struct {
		seq, uptime uint32
		lost        int64
		v           verdict
	}
	const F, N, L, D, R = seqFirst, seqNext, seqLate, seqDuplicate, seqRestart
	tests := []struct {
		name  string
		steps []step
	}{
		{"in order", []step{{1, 1000, 0, F}, {2, 1100, 0, N}, {3, 1200, 0, N}}},
		{"gap of three", []step{{10, 1000, 0, F}, {14, 1400, 3, N}}},
		{"reordered: counted lost, then taken back", []step{{1, 1000, 0, F}, {3, 1200, 1, N}, {2, 1100, -1, L}}},
		{"duplicate", []step{{5, 1000, 0, F}, {6, 1100, 0, N}, {6, 1100, 0, D}, {5, 1000, 0, D}}},
		{"late datagram from before the first one", []step{{5, 1000, 0, F}, {4, 990, 0, L}, {4, 990, 0, D}}},
		{"holes before the first one", []step{{5, 1000, 0, F}, {2, 990, 2, L}, {3, 990, -1, L}, {1, 980, 0, L},
			{6, 1010, 0, N}, {4, 995, -1, L}}},
		{"sequence wraps", []step{{0xFFFFFFFE, 1000, 0, F}, {1, 1300, 2, N}}},
		{"far back is a restart", []step{{1000, 900000, 0, F}, {1, 900100, 0, R}, {2, 900200, 0, N}}},
		{"uptime back is a restart", []step{{5, 900000, 0, F}, {6, 100, 0, R}, {8, 300, 1, N}}},
		{"uptime wraps without a restart", []step{{5, 0xFFFFFF00, 0, F}, {6, 500, 0, N}}},
		{"huge gap", []step{{1, 0, 0, F}, {201, 100, 199, N}, {150, 90, -1, L}, {130, 80, 0, R}}},
		{"largest plausible jump", []step{{1, 0, 0, F}, {1 + testMaxJump, 100, testMaxJump - 1, N}}},
		{"implausible jump is a resync", []step{{1, 0, 0, F}, {2 + testMaxJump, 100, 0, R}, {3 + testMaxJump, 200, 0, N}}},
		{"forged jump below 2^31", []step{{7, 0, 0, F}, {1<<31 - 1, 100, 0, R}, {8, 200, 0, R}, {9, 300, 0, N}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s sequence
			for i, st := range tc.steps {
				lost, v := s.observe(st.seq, st.uptime, testMaxJump)
				if lost != st.lost || v != st.v {
					t.Fatalf("step %d (seq %d uptime %d): (%d, %v), want (%d, %v)", i, st.seq, st.uptime, lost,
						v, st.lost, st.v)
				}
			}
		})
	}
}

const testMaxJump = 5000

func TestPlausibleJump(t *testing.T) {
	tests := []struct {
		perSec  float64
		elapsed time.Duration
		want    uint32
	}{
		{0, 0, minJump},
		{1, time.Second, minJump},
		{500, 2 * time.Second, 10_000},
		{500, time.Millisecond, 5_000}, // at least a second
		{1e9, time.Hour, 1<<31 - 1},
	}
	for _, tc := range tests {
		if got := plausibleJump(tc.perSec, tc.elapsed); got != tc.want {
			t.Errorf("plausibleJump(%v, %v) = %d, want %d", tc.perSec, tc.elapsed, got, tc.want)
		}
	}
}

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"user:1234", "user:1234"},
		{"caf\u00e9", "caf\u00e9"},
		{"a\x00b\n", `a\x00b\x0a`},
		{"\xff\xfe", `\xff\xfe`},
		{`back\slash`, `back\\slash`},
		{"", ""},
	}
	for _, tc := range tests {
		if got := printable([]byte(tc.in)); got != tc.want {
			t.Errorf("printable(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
