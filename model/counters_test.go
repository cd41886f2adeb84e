package model

import (
	"math"
	"testing"

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
		restart     bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"in order", []step{{1, 1000, 0, false}, {2, 1100, 0, false}, {3, 1200, 0, false}}},
		{"gap of three", []step{{10, 1000, 0, false}, {14, 1400, 3, false}}},
		{"reordered: counted lost, then taken back", []step{{1, 1000, 0, false}, {3, 1200, 1, false}, {2, 1100, -1, false}}},
		{"duplicate", []step{{5, 1000, 0, false}, {6, 1100, 0, false}, {6, 1100, 0, false}, {5, 1000, 0, false}}},
		{"late datagram from before the first one", []step{{5, 1000, 0, false}, {4, 990, 0, false}}},
		{"sequence wraps", []step{{0xFFFFFFFE, 1000, 0, false}, {1, 1300, 2, false}}},
		{"far back is a restart", []step{{1000, 900000, 0, false}, {1, 900100, 0, true}, {2, 900200, 0, false}}},
		{"uptime back is a restart", []step{{5, 900000, 0, false}, {6, 100, 0, true}, {8, 300, 1, false}}},
		{"uptime wraps without a restart", []step{{5, 0xFFFFFF00, 0, false}, {6, 500, 0, false}}},
		{"huge gap", []step{{1, 0, 0, false}, {201, 100, 199, false}, {150, 90, -1, false}, {130, 80, 0, true}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s sequence
			for i, st := range tc.steps {
				lost, restart := s.observe(st.seq, st.uptime)
				if lost != st.lost || restart != st.restart {
					t.Fatalf("step %d (seq %d uptime %d): (%d, %v), want (%d, %v)", i, st.seq, st.uptime, lost,
						restart, st.lost, st.restart)
				}
			}
		})
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
