package graphite

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// sameValues compares value slices treating NaN as equal to NaN.
func sameValues(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

func TestParseRender(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		body string
		want []Series
	}{
		{"graphite-web 1.1 answer", `[{"target": "battle.ships.destroyed.laser",
  "tags": {"name": "battle.ships.destroyed.laser"},
  "datapoints": [[null, 1795559590], [0.0, 1795559600], [2.0, 1795559610]]}]`,
			[]Series{{Name: "battle.ships.destroyed.laser", Tags: map[string]string{"name": "battle.ships.destroyed.laser"},
				Start: 1795559590, Step: 10, Values: []float64{nan, 0, 2}}}},
		{"no series", `[]`, []Series{}},
		{"empty datapoints", `[{"target":"a","datapoints":[]}]`, []Series{{Name: "a", Values: []float64{}}}},
		{"null datapoints", `[{"target":"a","datapoints":null}]`, []Series{{Name: "a", Values: []float64{}}}},
		{"one point has no step", `[{"target":"a","datapoints":[[5,100]]}]`,
			[]Series{{Name: "a", Start: 100, Values: []float64{5}}}},
		{"infinity as 1e9999", `[{"target":"a","datapoints":[[1e9999,60],[-1e9999,120],[1e-9999,180]]}]`,
			[]Series{{Name: "a", Start: 60, Step: 60, Values: []float64{math.Inf(1), math.Inf(-1), 0}}}},
		{"pre-1.1 without tags, two series", `[{"target":"sumSeries(a.*)","datapoints":[[1.5,10],[null,20]]},
			{"target":"b","datapoints":[[null,10],[null,20]]}]`,
			[]Series{{Name: "sumSeries(a.*)", Start: 10, Step: 10, Values: []float64{1.5, nan}},
				{Name: "b", Start: 10, Step: 10, Values: []float64{nan, nan}}}},
		{"whitespace and float timestamps", "[ {\"datapoints\" : [ [ 1 , 1.7e9 ] ,\n[2,1700000060.0] ] , \"target\":\"x\"} ]",
			[]Series{{Name: "x", Start: 1_700_000_000, Step: 60, Values: []float64{1, 2}}}},
		{"numeric and null tags", `[{"target":"a","tags":{"n":3,"b":true,"z":null,"s":"v"},"datapoints":[]}]`,
			[]Series{{Name: "a", Tags: map[string]string{"n": "3", "b": "true", "z": "", "s": "v"}, Values: []float64{}}}},
		{"unknown fields ignored", `[{"target":"a","step":60,"datapoints":[[1,0],[2,60]],"extra":{"x":[1]}}]`,
			[]Series{{Name: "a", Start: 0, Step: 60, Values: []float64{1, 2}}}},
		{"escaped target", `[{"target":"alias(a,\"x\u00e9\")","datapoints":[]}]`,
			[]Series{{Name: `alias(a,"xé")`, Values: []float64{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRender([]byte(tt.body))
			if err != nil {
				t.Fatalf("ParseRender: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d series, want %d", len(got), len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Name != w.Name || g.Start != w.Start || g.Step != w.Step || !sameValues(g.Values, w.Values) {
					t.Errorf("series %d = %+v, want %+v", i, g, w)
				}
				if len(g.Tags) != len(w.Tags) {
					t.Errorf("series %d tags %v, want %v", i, g.Tags, w.Tags)
				}
				for k, v := range w.Tags {
					if g.Tags[k] != v {
						t.Errorf("series %d tag %s = %q, want %q", i, k, g.Tags[k], v)
					}
				}
				if g.Values == nil {
					t.Errorf("series %d: nil Values, want empty", i)
				}
			}
		})
	}
}

func TestParseRenderErrors(t *testing.T) {
	tests := []struct {
		name, body, want string
		offset           bool // the error knows where in the body
	}{
		{"empty body", ``, "empty body", true},
		{"blank body", " \n", "empty body", true},
		{"html error page", `<html><body>Server Error</body></html>`, "invalid character", true},
		{"truncated", `[{"target":"a","datapoints":[[1,10],[2,`, "series 0: unexpected EOF", true},
		{"truncated after a series", `[{"target":"a","datapoints":[]}`, "EOF", true},
		{"second series bad", `[{"target":"a","datapoints":[]},{"target":"b","datapoints":[[1,1],[1,1]]}]`, "series 1: datapoint 1", true},
		{"trailing data", `[] []`, "data after the array", true},
		{"object not array", `{"target":"a"}`, "want a JSON array", true},
		{"target not string", `[{"target":5,"datapoints":[]}]`, "cannot unmarshal", true},
		{"string value", `[{"target":"a","datapoints":[["1",10]]}]`, "neither a number nor null", false},
		{"triple", `[{"target":"a","datapoints":[[1,10,3]]}]`, "closing the pair", false},
		{"single", `[{"target":"a","datapoints":[[1]]}]`, "after the value", false},
		{"null timestamp", `[{"target":"a","datapoints":[[1,null]]}]`, "timestamp is not a number", false},
		{"fractional timestamp", `[{"target":"a","datapoints":[[1,10.5]]}]`, "not whole seconds", false},
		{"huge timestamp", `[{"target":"a","datapoints":[[1,1e300]]}]`, "not whole seconds", false},
		{"uneven steps", `[{"target":"a","datapoints":[[1,10],[2,20],[3,40]]}]`, "want 30", false},
		{"decreasing", `[{"target":"a","datapoints":[[1,20],[2,10]]}]`, "not after", false},
		{"repeated", `[{"target":"a","datapoints":[[1,20],[2,20]]}]`, "not after", false},
		{"datapoints object", `[{"target":"a","datapoints":{"a":1}}]`, "not an array", false},
		{"tag object", `[{"target":"a","tags":{"x":{}},"datapoints":[]}]`, "not a scalar", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRender([]byte(tt.body))
			if err == nil {
				t.Fatalf("ParseRender succeeded with %+v, want an error containing %q", got, tt.want)
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T %v is not a *FormatError", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if tt.offset && fe.Offset < 0 {
				t.Errorf("error %q has no offset", err)
			}
		})
	}
}

func TestParseFind(t *testing.T) {
	nodes, err := ParseFindJSON([]byte(`[{"path": "probe.a", "is_leaf": false},
		{"path": "probe.x", "is_leaf": true, "intervals": [{"start": 1794958587.33, "end": 1795563386.69}]},
		{"path": "top", "is_leaf": true}]`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Node{{"probe.a", "a", false}, {"probe.x", "x", true}, {"top", "top", true}}
	if len(nodes) != len(want) {
		t.Fatalf("got %+v, want %+v", nodes, want)
	}
	for i := range want {
		if nodes[i] != want[i] {
			t.Errorf("node %d = %+v, want %+v", i, nodes[i], want[i])
		}
	}

	nodes, err = ParseFindTreeJSON([]byte(`[{"text":"*","id":"battle.ships.destroyed.*","allowChildren":0,"expandable":0,"leaf":1},
		{"text": "a", "id": "probe.a", "allowChildren": 1, "expandable": 1, "leaf": 0},
		{"text": "x", "id": "probe.x", "allowChildren": 0, "expandable": 0, "leaf": 1}]`))
	if err != nil {
		t.Fatal(err)
	}
	want = []Node{{"probe.a", "a", false}, {"probe.x", "x", true}}
	if len(nodes) != len(want) || nodes[0] != want[0] || nodes[1] != want[1] {
		t.Errorf("treejson: got %+v, want %+v", nodes, want)
	}

	for _, bad := range []string{`{}`, `[{"is_leaf":true}]`, `[{"path":""}]`, `[{"path":"a."}]`, `[{"path":1}]`, `nope`} {
		if n, err := ParseFindJSON([]byte(bad)); err == nil {
			t.Errorf("ParseFindJSON(%s) = %+v, want an error", bad, n)
		}
	}
	for _, bad := range []string{`{}`, `[{"text":"a"}]`, `[{"id":"a.b","leaf":1}]`, `[{"text":"a","id":"a","leaf":"1"}]`} {
		if n, err := ParseFindTreeJSON([]byte(bad)); err == nil {
			t.Errorf("ParseFindTreeJSON(%s) = %+v, want an error", bad, n)
		}
	}
}
