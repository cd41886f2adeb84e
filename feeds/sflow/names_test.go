package sflow

import (
	"testing"
)

func TestInterface(t *testing.T) {
	tests := []struct {
		name                          string
		in                            Interface
		str                           string
		internal, discarded, multiple bool
	}{
		{"ifIndex", Interface{Value: 17}, "17", false, false, false},
		{"unknown", Interface{}, "0", false, false, false},
		{"internal", compactInterface(0x3FFFFFFF), "1073741823", true, false, false},
		{"discarded ACL (errata)", compactInterface(0x40000102), "dropCode 258", false, true, false},
		{"multiple", compactInterface(0x80000003), "multiple 3", false, false, true},
		{"multiple unknown count", compactInterface(0x80000000), "multiple 0", false, false, true},
		{"format 3", compactInterface(0xC0000005), "format==3 5", false, false, false},
		{"expanded odd format", Interface{Format: 9, Value: 1}, "format==9 1", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s := tt.in.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
			if tt.in.IsInternal() != tt.internal || tt.in.IsDiscarded() != tt.discarded || tt.in.IsMultiple() != tt.multiple {
				t.Errorf("internal %v discarded %v multiple %v", tt.in.IsInternal(), tt.in.IsDiscarded(), tt.in.IsMultiple())
			}
			b, err := tt.in.AppendText([]byte("port="))
			if err != nil || string(b) != "port="+tt.str {
				t.Errorf("AppendText = %q, %v", b, err)
			}
		})
	}
}

func TestIdentifiers(t *testing.T) {
	s := Sample{SourceIDClass: 3, SourceIDIndex: 65537}
	if got := s.SourceID(); got != "3:65537" {
		t.Errorf("SourceID = %q", got)
	}
	c, i := splitSourceID(2<<24 | 1)
	if c != 2 || i != 1 {
		t.Errorf("splitSourceID = %d:%d", c, i)
	}
	uuid := [16]byte{0x20, 0xd1, 0x1d, 0x01, 0x51, 0x50, 0x11, 0xcb, 0x95, 0x7d, 0x99, 0x05, 0x21, 0x36, 0x5b, 0xa3}
	if got := UUIDString(uuid); got != "20d11d01-5150-11cb-957d-990521365ba3" {
		t.Errorf("UUIDString = %q", got)
	}
	if got := UUIDString([16]byte{}); got != "00000000-0000-0000-0000-000000000000" {
		t.Errorf("UUIDString(zero) = %q", got)
	}
	if got := MACString([6]byte{0x3c, 0x97, 0x0e, 0x25, 0xf0, 0x56}); got != "3c970e25f056" {
		t.Errorf("MACString = %q", got)
	}
}
