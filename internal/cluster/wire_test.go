package cluster

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
)

var updateCDDL = flag.Bool("update-cddl", false, "rewrite wire.cddl from the Go types")

const cddlHeader = `; fleettop wire format, version 2: CDDL (RFC 8610) of the CBOR (RFC 8949) messages on the NATS subjects
;   fleettop.v2.<collector>.state            a State, every second
;   fleettop.v2.<collector>.info.<hostkey>   an Info, when what describes the host changed
;   fleettop.v2.<collector>.series.<hostkey> a Series (keyframe), when the host's series changed and no Delta is due
;   fleettop.v2.<collector>.delta.<hostkey>  a Delta, the points that differ from the keyframe Base
; <collector> is 1 to 64 of A-Z a-z 0-9 - _; <hostkey> is FNV-1a 64 of the host ID in 16 lowercase hex digits.
; Maps have unsigned integer keys; a reader ignores keys it does not know, so fields can be added without a
; new version. Times are Unix nanoseconds (0: none), durations nanoseconds, rates per second. Floats are sent
; in their shortest exact form; NaN (a missing value or point) as the half-precision NaN. Addresses are 4 or 16
; bytes (empty: none). The Go types in wire.go are the reference; wire_test.go checks this file against them.
; Version 2 moved Host keys 2 and 8 to 14 (what describes a host) to Info and added Delta.
; State key 21 (Devices) and Host key 32 (Device) came later within version 2: network devices and their
; interfaces, for the Devices pane of a merged view; a reader that predates them ignores them.
; Distinct counts: no pane shows one (every count shown is exact: hosts, agents, groups, rows), so no
; HyperLogLog sketch is sent; one would go in the state as a mergeable register array when a pane needs it.

`

// cddl writes the rules of the wire types.
func cddl() string {
	var b strings.Builder
	b.WriteString(cddlHeader)
	seen := map[reflect.Type]bool{}
	var rule func(t reflect.Type)
	rule = func(t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		var nested []reflect.Type
		fmt.Fprintf(&b, "%s = {\n", t.Name())
		for i := range t.NumField() {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("cbor"), ",")
			opt := ""
			if len(tag) > 2 && tag[2] == "omitempty" {
				opt = "? "
			}
			typ, inner := cddlType(f.Type)
			if inner != nil {
				nested = append(nested, inner)
			}
			fmt.Fprintf(&b, "  %s%s => %s, ; %s\n", opt, tag[0], typ, f.Name)
		}
		b.WriteString("}\n\n")
		for _, n := range nested {
			rule(n)
		}
	}
	rule(reflect.TypeFor[State]())
	rule(reflect.TypeFor[Info]())
	rule(reflect.TypeFor[Series]())
	rule(reflect.TypeFor[Delta]())
	return b.String()
}

// cddlType names t in CDDL, returning the struct type it refers to, if any.
func cddlType(t reflect.Type) (string, reflect.Type) {
	switch t.Kind() {
	case reflect.String:
		return "tstr", nil
	case reflect.Bool:
		return "bool", nil
	case reflect.Int, reflect.Int64:
		return "int", nil
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "uint", nil
	case reflect.Float64:
		return "float", nil
	case reflect.Struct:
		return t.Name(), t
	case reflect.Pointer: // omitempty: absent when nil
		return cddlType(t.Elem())
	case reflect.Map:
		return "{ * tstr => tstr }", nil
	case reflect.Array:
		s, inner := cddlType(t.Elem())
		return fmt.Sprintf("[%d*%d %s]", t.Len(), t.Len(), s), inner
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "bstr", nil
		}
		s, inner := cddlType(t.Elem())
		return "[* " + s + "]", inner
	}
	panic("no CDDL for " + t.String())
}

// wire.cddl is the documented format of the Go types, key by key.
func TestWireCDDL(t *testing.T) {
	want := cddl()
	if *updateCDDL {
		if err := os.WriteFile("wire.cddl", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("wire.cddl")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("wire.cddl does not describe wire.go (go test -run TestWireCDDL -update-cddl rewrites it)")
	}
}

// A state and a series go through the wire and back unchanged, NaN included; bad messages get an error.
func TestWireRoundTripAndChecks(t *testing.T) {
	st := &State{V: Version, Collector: "c-1", Seq: 3, Step: 5e9, Window: 6e10, Points: 2, WindowStart: 1, WindowEnd: 2,
		Hosts: []Host{{ID: "10.0.0.1/2:1", Agent: []byte{10, 0, 0, 1}, CPU: math.NaN(), NetIn: 1.5}},
		Devices: []Host{{ID: "10.255.0.1", Agent: []byte{10, 255, 0, 1}, Device: &Device{In: 2e6, MaxUtilPct: 1.6,
			Interfaces: []Iface{{Index: 3, Name: "eth3", Speed: 1e9, In: 2e6, InPct: 1.6, OutPct: math.NaN()}}}}}}
	b, err := Encode(st)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeState(b)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(got.Hosts[0].CPU) || got.Hosts[0].NetIn != 1.5 || got.Hosts[0].ID != st.Hosts[0].ID {
		t.Errorf("round trip: %+v", got.Hosts[0])
	}
	if d := got.Devices; len(d) != 1 || d[0].Device == nil || len(d[0].Device.Interfaces) != 1 ||
		d[0].Device.Interfaces[0].Name != "eth3" || d[0].Device.In != 2e6 || !math.IsNaN(d[0].Device.Interfaces[0].OutPct) {
		t.Errorf("round trip of the devices: %+v", got.Devices)
	}
	if b2, _ := Encode(got); !bytes.Equal(b, b2) {
		t.Error("encoding is not deterministic")
	}
	for name, mod := range map[string]func(*State){
		"version": func(s *State) { s.V = 1 },
		"id":      func(s *State) { s.Collector = "a.b" },
		"step":    func(s *State) { s.Step = 0 },
		"window":  func(s *State) { s.WindowEnd = 0 },
		"points":  func(s *State) { s.Points = MaxPoints + 1 },
		"device":  func(s *State) { s.Devices = []Host{{ID: "10.255.0.2"}} },
		"ifaces": func(s *State) {
			s.Devices = []Host{{ID: "10.255.0.2", Device: &Device{Interfaces: make([]Iface, MaxIfaces+1)}}}
		},
		"hosts": func(s *State) { // one host and MaxHosts devices, each valid on its own
			s.Devices = make([]Host, MaxHosts)
			for i := range s.Devices {
				s.Devices[i].Device = &Device{}
			}
		},
	} {
		bad := *st
		mod(&bad)
		b, _ := Encode(&bad)
		if _, err := DecodeState(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := DecodeState([]byte{0xff, 0x00}); err == nil {
		t.Error("garbage: no error")
	}
	ser := &Series{V: Version, Collector: "c-1", Host: "h", Step: 5e9, Series: []Named{{Name: "cpu", Points: []float64{1, math.Inf(1)}}}}
	b, _ = Encode(ser)
	if _, err := DecodeSeries(b); err == nil {
		t.Error("infinite point: no error")
	}
}

func FuzzDecode(f *testing.F) {
	st, _ := Encode(&State{V: Version, Collector: "c", Step: 1, Window: 1, Hosts: []Host{{ID: "x"}},
		Devices: []Host{{ID: "d", Device: &Device{Interfaces: []Iface{{Index: 1}}}}}})
	ser, _ := Encode(&Series{V: Version, Collector: "c", Host: "x", Step: 1, Series: []Named{{Name: "n", Points: []float64{1, 2}}}})
	d, _ := Encode(&Delta{V: Version, Collector: "c", Host: "x", Step: 1, FirstBin: 0, LastBin: 1, Points: [][]float64{{3, 4}}})
	in, _ := Encode(&Info{V: Version, Collector: "c", Host: "x", Classes: []string{"web"}})
	for _, b := range [][]byte{st, ser, d, in} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c := NewCollector("c")
		c.AddSeries(&Series{V: Version, Collector: "c", Host: "x", Step: 1, Series: []Named{{Name: "n", Points: []float64{1, 2}}}}, t0)
		if s, err := DecodeState(b); err == nil {
			if s.V != Version || s.Step <= 0 || len(s.Hosts)+len(s.Devices) > MaxHosts {
				t.Fatalf("accepted %+v", s)
			}
			c.AddState(s, t0)
		}
		if s, err := DecodeSeries(b); err == nil {
			if s.Step <= 0 {
				t.Fatalf("accepted %+v", s)
			}
			c.AddSeries(s, t0)
		}
		if d, err := DecodeDelta(b); err == nil {
			for _, pts := range d.Points {
				if int64(len(pts)) != d.LastBin-d.FirstBin+1 {
					t.Fatalf("accepted %+v", d)
				}
			}
			c.AddDelta(d, t0) // applied to the keyframe when it is its base: must not panic
		}
		if in, err := DecodeInfo(b); err == nil {
			c.AddInfo(in, t0)
		}
		Merge([]*Collector{c}, t0, 1, MergeOptions{}) // must not panic
	})
}
