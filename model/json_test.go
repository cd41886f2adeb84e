package model

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestWriteJSON(t *testing.T) {
	s := &Snapshot{
		Version: 3,
		Time:    time.Date(2024, 5, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600)),
		Window:  time.Minute,
		Step:    5 * time.Second,
		GroupBy: "appType",
		Hosts: []*HostRow{{
			ID: "10.0.0.1/2:1", Name: "web\x01\"01", Agent: netip.MustParseAddr("10.0.0.1"), State: HostStale,
			CPU: math.NaN(), Load1: math.Inf(1), MemUsedPct: 12.345678901234567, NetIn: 1e21, DiskRead: math.Copysign(0, -1),
			Params: map[string]string{"zeta": "1", "alpha": "2", "mid": "3"},
			Series: []NamedSeries{{Name: "cpu.utilisation", Unit: "%", Points: []float64{math.NaN(), 1.5}}},
		}},
		URLs: []URLRow{{Host: "example.com", Path: "/\xff", Status: [6]float64{0, 0, 1}}},
	}
	var a, b bytes.Buffer
	if err := s.WriteJSON(&a); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Fatal("two writes of one snapshot differ")
	}
	var doc map[string]any
	if err := json.Unmarshal(a.Bytes(), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, a.String())
	}
	host := doc["Hosts"].([]any)[0].(map[string]any)
	checks := []struct {
		name string
		got  any
		want any
	}{
		{"NaN", host["CPU"], nil},
		{"Inf", host["Load1"], nil},
		{"12 significant digits", host["MemUsedPct"], 12.3456789012},
		{"large", host["NetIn"], 1e21},
		{"negative zero", host["DiskRead"], 0.0},
		{"state by name", host["State"], "stale"},
		{"address as text", host["Agent"], "10.0.0.1"},
		{"control characters escaped", host["Name"], "web\x01\"01"},
		{"NaN point", host["Series"].([]any)[0].(map[string]any)["Points"].([]any)[0], nil},
		{"duration as text", doc["Window"], "1m0s"},
		{"time in UTC", doc["Time"], "2024-05-01T10:00:00Z"},
		{"invalid UTF-8 replaced", doc["URLs"].([]any)[0].(map[string]any)["Path"], "/\ufffd"},
		{"empty slice as []", doc["Groups"], []any{}},
		{"zero time as null", host["LastSeen"], nil},
	}
	for _, c := range checks {
		gotJSON, _ := json.Marshal(c.got)
		wantJSON, _ := json.Marshal(c.want)
		if string(gotJSON) != string(wantJSON) {
			t.Errorf("%s: got %s, want %s", c.name, gotJSON, wantJSON)
		}
	}
	out := a.String()
	if i, j, k := strings.Index(out, `"alpha"`), strings.Index(out, `"mid"`), strings.Index(out, `"zeta"`); !(i < j && j < k) {
		t.Errorf("map keys not sorted: alpha at %d, mid at %d, zeta at %d", i, j, k)
	}
	if strings.Index(out, `"Version"`) > strings.Index(out, `"Time"`) {
		t.Error("fields not in declaration order")
	}
}

// Host series are written ending at the snapshot's step; a cancelled write stops between rows.
func TestWriteJSONAlignsAndStops(t *testing.T) {
	at := time.Unix(1_700_000_010, 0)
	s := &Snapshot{Time: at, Step: 5 * time.Second, Hosts: []*HostRow{{ID: "a", Series: []NamedSeries{{
		Name: "cpu.utilisation", Points: []float64{1, 2, 3}, Last: at.Add(-5 * time.Second)}}}}}
	var b bytes.Buffer
	if err := s.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\"Points\": [\n            2,\n            3,\n            null\n          ]") ||
		strings.Contains(b.String(), "\"Last\"") {
		t.Fatalf("series not aligned to the snapshot's step:\n%s", b.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.WriteJSONContext(ctx, io.Discard); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled write: %v", err)
	}
}
