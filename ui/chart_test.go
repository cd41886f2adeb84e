package ui

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/fleettop/fleettop/themes"
)

var yLabel = regexp.MustCompile(`^ *-?[0-9][0-9.]*[a-zA-Zµ]* *[┤┼]`)

// A chart labels a handful of rows of its y axis, not every one, whatever its height; the top and bottom rows
// keep theirs.
func TestChartYLabels(t *testing.T) {
	c := testCommon(t, themes.Mono)
	pts := make([]float64, 60)
	for i := range pts {
		pts[i] = float64(i * i)
	}
	spec := chartSpec{title: "t", series: []ChartSeries{{Name: "a", Points: pts}}, start: fixtureTime.Add(-59e9 * 60), end: fixtureTime}
	for _, h := range []int{6, 10, 20, 48} {
		lines := strings.Split(stripANSI(renderChart(c, spec, 100, h)), "\n")
		var labelled []int
		axisRows := 0
		for i, l := range lines {
			if strings.ContainsAny(l, "┤┼") {
				axisRows++
				if yLabel.MatchString(l) {
					labelled = append(labelled, i)
				}
			}
		}
		if n := len(labelled); n < min(axisRows, 3) || n > maxYLabels+1 {
			t.Errorf("height %d: %d of %d rows labelled, want a handful:\n%s", h, n, axisRows, strings.Join(lines, "\n"))
		}
		if len(labelled) > 0 && (!strings.Contains(lines[labelled[0]], "3.5k") || !strings.Contains(lines[labelled[len(labelled)-1]], " 0")) {
			t.Errorf("height %d: the top or bottom label is missing:\n%s", h, strings.Join(lines, "\n"))
		}
	}
}

// A window says what keeps it empty: a render in flight, a target matching nothing, an empty range, or the
// whole error text, wrapped.
func TestChartEmptyStates(t *testing.T) {
	c := testCommon(t, themes.Mono)
	long := "graphite: render fleet.web.cpu: Get \"http://graphite.example.com:8080/render?target=fleet.web.cpu\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
	cases := []struct {
		name string
		spec chartSpec
		want []string
	}{
		{"loading", chartSpec{title: "w", loading: true}, []string{"loading…"}},
		{"no series", chartSpec{title: "w"}, []string{"no such series"}},
		{"no data", chartSpec{title: "w", series: []ChartSeries{{Name: "a", Points: []float64{math.NaN(), math.NaN()}}}}, []string{"no data in this range"}},
		{"error", chartSpec{title: "w", err: long}, []string{"error: graphite: render", "context deadline exceeded", "awaiting headers)"}},
	}
	for _, cs := range cases {
		t.Run(cs.name, func(t *testing.T) {
			out := renderChart(c, cs.spec, 60, 8)
			checkBlock(t, cs.name, out, 60, 8)
			plain := stripANSI(out)
			for _, w := range cs.want {
				if !strings.Contains(plain, w) {
					t.Errorf("%q missing:\n%s", w, plain)
				}
			}
			golden(t, "chart-"+strings.ReplaceAll(cs.name, " ", "-"), plain)
		})
	}
}

// A value column's header runs a rule over its sparkline, so the sparkline reads as the value's, not as the
// next column's.
func TestSparklineUnderItsHeader(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 160, 48)
	head := strings.Split(stripANSI(m.pane(paneGroups, 160, 12)), "\n")[1]
	for _, col := range []string{"cpu ─", "in B/s ─", "http/s ─"} {
		if !strings.Contains(head, col) {
			t.Errorf("header %q lacks %q", head, col)
		}
	}
}

// The host page shows a long ENC failure whole, wrapped, at any width.
func TestHostReasonWrapped(t *testing.T) {
	reason := "failed: timed out after 5s waiting for /etc/puppetlabs/enc/classify.sh web-01.example.com (killed)"
	for _, w := range []int{60, 80, 120} {
		m, _, _ := newModelEnv(t, Options{Environ: []string{}}, w, 40)
		s := *m.snap
		hosts := slices.Clone(s.Hosts)
		h := *hosts[0]
		h.ENCStatus = reason
		hosts[0] = &h
		s.Hosts = hosts
		m.host.SetHost(&s, h.ID, m.names, "→")
		m.host.SetSize(w, 38)
		view := m.host.View()
		checkBlock(t, "host", view, w, 38)
		flat := strings.Join(strings.Fields(stripANSI(view)), "") // wrapped at spaces and hyphens
		if !strings.Contains(flat, strings.ReplaceAll(reason, " ", "")) {
			t.Errorf("%d cells: the reason is not whole:\n%s", w, stripANSI(view))
		}
	}
}
