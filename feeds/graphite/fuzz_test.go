package graphite

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

// formatRender writes series the way graphite-web's format=json does, for round trips.
func formatRender(series []Series) []byte {
	var b []byte
	b = append(b, '[')
	for i, s := range series {
		if i > 0 {
			b = append(b, ", "...)
		}
		name, _ := json.Marshal(s.Name)
		b = append(b, `{"target": `...)
		b = append(b, name...)
		if s.Tags != nil {
			tags, _ := json.Marshal(s.Tags)
			b = append(b, `, "tags": `...)
			b = append(b, tags...)
		}
		b = append(b, `, "datapoints": [`...)
		for j, v := range s.Values {
			if j > 0 {
				b = append(b, ", "...)
			}
			b = append(b, '[')
			switch {
			case math.IsNaN(v):
				b = append(b, "null"...)
			case math.IsInf(v, 1):
				b = append(b, "1e9999"...)
			case math.IsInf(v, -1):
				b = append(b, "-1e9999"...)
			default:
				b = strconv.AppendFloat(b, v, 'g', -1, 64)
			}
			b = append(b, ", "...)
			b = strconv.AppendInt(b, s.Start+int64(j)*s.Step, 10)
			b = append(b, ']')
		}
		b = append(b, "]}"...)
	}
	return append(b, ']')
}

func FuzzParseRender(f *testing.F) {
	for _, seed := range []string{
		`[{"target": "battle.ships.destroyed.laser", "tags": {"name": "battle.ships.destroyed.laser"}, "datapoints": [[null, 1795559590], [0.0, 1795559600], [2.0, 1795559610]]}]`,
		`[]`,
		`[{"target":"a","datapoints":[[1e9999,60],[-1e9999,120],[1e-9999,180]]}]`,
		`[{"target":"a","datapoints":[[5,100]]},{"target":"b","datapoints":null}]`,
		`[{"target":"a","tags":{"n":3,"b":true,"z":null},"datapoints":[[1,1.7e9],[2,1700000060.0]]}]`,
		`[{"target":"a","datapoints":[[1,10],[2,20],[3,40]]}]`,
		`[{"target":"a","datapoints":[["1",10]]}]`,
		`<html>500</html>`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		series, err := ParseRender(body)
		if err != nil {
			if _, ok := err.(*FormatError); !ok {
				t.Fatalf("error %T is not a *FormatError: %v", err, err)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
		for i, s := range series {
			if (len(s.Values) >= 2) != (s.Step > 0) || s.Values == nil {
				t.Fatalf("series %d: %d values with step %d", i, len(s.Values), s.Step)
			}
		}
		again, err := ParseRender(formatRender(series))
		if err != nil {
			t.Fatalf("re-parse of our own rendering: %v\n%s", err, formatRender(series))
		}
		if len(again) != len(series) {
			t.Fatalf("round trip: %d series, want %d", len(again), len(series))
		}
		for i := range series {
			a, b := series[i], again[i]
			if a.Name != b.Name || a.Start != b.Start || a.Step != b.Step || !sameValues(a.Values, b.Values) || len(a.Tags) != len(b.Tags) {
				t.Fatalf("round trip series %d: %+v became %+v", i, a, b)
			}
		}
	})
}

func FuzzParseFind(f *testing.F) {
	for _, seed := range []string{
		`[{"path": "probe.a", "is_leaf": false}, {"path": "probe.x", "is_leaf": true, "intervals": [{"start": 1.5, "end": 2}]}]`,
		`[{"text":"*","id":"battle.*","allowChildren":0,"expandable":0,"leaf":1},{"text": "a", "id": "probe.a", "leaf": 0}]`,
		`[]`,
		`[{"path":""}]`,
		`{"metrics":[]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		check := func(format string, nodes []Node, err error) {
			if err != nil {
				if _, ok := err.(*FormatError); !ok {
					t.Fatalf("%s: error %T is not a *FormatError: %v", format, err, err)
				}
				return
			}
			if !json.Valid(body) {
				t.Fatalf("%s accepted invalid JSON %q", format, body)
			}
			for i, n := range nodes {
				if n.Path == "" || n.Name == "" {
					t.Fatalf("%s node %d has an empty path or name: %+v", format, i, n)
				}
			}
		}
		nodes, err := ParseFindJSON(body)
		check("json", nodes, err)
		for _, n := range nodes {
			if !strings.HasSuffix(n.Path, n.Name) || strings.Contains(n.Name, ".") {
				t.Fatalf("json node %+v: name is not the last element of the path", n)
			}
		}
		nodes, err = ParseFindTreeJSON(body)
		check("treejson", nodes, err)
	})
}
