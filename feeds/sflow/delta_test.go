package sflow

import (
	"testing"
)

func TestDeltas(t *testing.T) {
	tests32 := []struct {
		name      string
		prev, cur uint32
		delta     uint64
		ok        bool
	}{
		{"forward", 100, 250, 150, true},
		{"unchanged", 7, 7, 0, true},
		{"wrap", 0xFFFFFF00, 0x10, 0x110, true},
		{"prev unavailable", Unavailable32, 5, 0, false},
		{"cur unavailable", 5, Unavailable32, 0, false},
		{"to just below unavailable", 0, 0xFFFFFFFE, 0xFFFFFFFE, true},
	}
	for _, tt := range tests32 {
		t.Run("32/"+tt.name, func(t *testing.T) {
			if d, ok := Delta32(tt.prev, tt.cur); d != tt.delta || ok != tt.ok {
				t.Errorf("Delta32(%#x, %#x) = %d, %v; want %d, %v", tt.prev, tt.cur, d, ok, tt.delta, tt.ok)
			}
		})
	}
	tests64 := []struct {
		name      string
		prev, cur uint64
		delta     uint64
		ok        bool
	}{
		{"forward", 1 << 40, 1<<40 + 12345, 12345, true},
		{"unchanged", 9, 9, 0, true},
		{"backwards is a reset", 1 << 40, 10, 0, false},
		{"prev unavailable", Unavailable64, 5, 0, false},
		{"cur unavailable", 5, Unavailable64, 0, false},
	}
	for _, tt := range tests64 {
		t.Run("64/"+tt.name, func(t *testing.T) {
			if d, ok := Delta64(tt.prev, tt.cur); d != tt.delta || ok != tt.ok {
				t.Errorf("Delta64(%#x, %#x) = %d, %v; want %d, %v", tt.prev, tt.cur, d, ok, tt.delta, tt.ok)
			}
		})
	}
}
