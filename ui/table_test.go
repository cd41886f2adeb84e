package ui

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/fleettop/fleettop/themes"
)

func testCommon(t testing.TB, theme string) *Common {
	t.Helper()
	th, ok := themes.Builtin(theme)
	if !ok {
		t.Fatalf("no theme %s", theme)
	}
	return newCommon(th, false, fixedNow)
}

// rankRows makes one row per name with the given rates (the ranking column is 1).
func rankRows(names []string, rates []float64) []row {
	rows := make([]row, len(names))
	for i, n := range names {
		r := newRow(2)
		r.id = rowID(n)
		r.key = n
		r.set(0, n, 0, toneText)
		r.set(1, si(rates[i]), rates[i], toneText)
		r.finish()
		rows[i] = r
	}
	return rows
}

var rankCols = []column{{title: "name", width: 8, flex: true, text: true, keep: 100}, {title: "rate", width: 6, right: true, keep: 90}}

func order(t *table) []string {
	var out []string
	for _, i := range t.view {
		out = append(out, t.rows[i].key)
	}
	return out
}

func TestRankedTableHoldsOrder(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	tab := newTable(testCommon(t, themes.Dark), "T", rankCols, 1, true, true)
	tab.SetRows(rankRows(names, []float64{80, 70, 60, 50, 40, 30, 20, 10}))
	if got := order(tab); !slices.Equal(got, names) {
		t.Fatalf("first order %v", got)
	}
	// b and c swap, d climbs two places: small moves, the shown order holds.
	tab.SetRows(rankRows(names, []float64{80, 60, 70, 75, 40, 30, 20, 10}))
	if got := order(tab); !slices.Equal(got, names) {
		t.Errorf("small rank changes moved rows: %v", got)
	}
	// h jumps from last to first: more than holdPlaces, it moves.
	tab.SetRows(rankRows(names, []float64{80, 60, 70, 75, 40, 30, 20, 900}))
	if got := order(tab); got[0] != "h" {
		t.Errorf("a big climber did not move up: %v", got)
	}
	// A user sort starts afresh: exact ranking.
	tab.ReverseSort()
	tab.ReverseSort()
	want := []string{"h", "a", "d", "c", "b", "e", "f", "g"}
	if got := order(tab); !slices.Equal(got, want) {
		t.Errorf("after a re-sort %v, want %v", got, want)
	}
}

func TestRankedTableFrozenOrder(t *testing.T) {
	names := []string{"a", "b", "c", "d"}
	tab := newTable(testCommon(t, themes.Dark), "T", rankCols, 1, true, true)
	tab.SetSize(40, 8)
	tab.SetRows(rankRows(names, []float64{4, 3, 2, 1}))
	tab.ToggleFrozen()
	tab.SetRows(rankRows(append(names, "new"), []float64{1, 2, 3, 100, 50}))
	want := []string{"a", "b", "c", "d", "new"}
	if got := order(tab); !slices.Equal(got, want) {
		t.Errorf("frozen order %v, want %v (newcomers last)", got, want)
	}
	if !strings.Contains(tab.View(), "order frozen") {
		t.Error("the title does not say the order is frozen")
	}
	tab.ToggleFrozen()
	if got := order(tab); got[0] != "d" {
		t.Errorf("thawed order still frozen: %v", got)
	}
}

func TestTableFilterAndSort(t *testing.T) {
	names := []string{"web-01", "web-02", "db-01", "cache-01"}
	tab := newTable(testCommon(t, themes.Dark), "T", rankCols, 1, true, false)
	tab.SetSize(40, 8)
	tab.SetRows(rankRows(names, []float64{1, math.NaN(), 3, 2}))
	if got := order(tab); !slices.Equal(got, []string{"db-01", "cache-01", "web-01", "web-02"}) {
		t.Errorf("NaN did not sort last: %v", got)
	}
	tab.SetFilter("WEB")
	if got := order(tab); !slices.Equal(got, []string{"web-01", "web-02"}) {
		t.Errorf("filter web: %v", got)
	}
	tab.SetFilter("!web")
	if got := order(tab); !slices.Equal(got, []string{"db-01", "cache-01"}) {
		t.Errorf("filter !web: %v", got)
	}
	if !strings.Contains(tab.View(), "filter !web, 2/4") {
		t.Errorf("title lacks the filter: %q", tab.View())
	}
	tab.SetFilter("")
	tab.NextSort() // by name, ascending
	if got := order(tab); !slices.Equal(got, []string{"cache-01", "db-01", "web-01", "web-02"}) {
		t.Errorf("sort by name: %v", got)
	}
	tab.ReverseSort()
	if got := order(tab); got[0] != "web-02" {
		t.Errorf("reverse sort by name: %v", got)
	}
}

func TestTableKeepsSelectionAcrossSnapshots(t *testing.T) {
	names := []string{"a", "b", "c"}
	tab := newTable(testCommon(t, themes.Dark), "T", rankCols, 1, true, false)
	tab.SetSize(30, 6)
	tab.SetFocused(true)
	tab.SetRows(rankRows(names, []float64{3, 2, 1}))
	tab.Move(1)
	if tab.Selected().key != "b" {
		t.Fatalf("selected %s", tab.Selected().key)
	}
	tab.SetRows(rankRows(names, []float64{1, 2, 3})) // b stays selected wherever it goes
	if tab.Selected().key != "b" {
		t.Errorf("selection moved to %s", tab.Selected().key)
	}
	tab.SetRows(rankRows([]string{"a"}, []float64{1}))
	if tab.Selected() == nil || tab.Selected().key != "a" {
		t.Errorf("selection not clamped when its row left")
	}
}

func TestTableDropsSparklinesThenColumns(t *testing.T) {
	c := testCommon(t, themes.Dark)
	tab := newTable(c, "Groups", groupCols, gName, false, false)
	tab.SetRows(groupRows(fixtureSnapshot(1, 0, "role")))
	widths := []int{200, 120, 80, 60, 30}
	prevSparks, prevCols := 99, 99
	for _, w := range widths {
		tab.SetSize(w, 10)
		v := tab.View()
		checkBlock(t, "groups@"+strconv.Itoa(w), v, w, 10)
		sparks, cols := 0, len(tab.layout)
		for _, cl := range tab.layout {
			if cl.spark > 0 {
				sparks++
			}
		}
		if sparks > prevSparks || cols > prevCols {
			t.Errorf("width %d: %d sparklines %d columns, more than at a wider size", w, sparks, cols)
		}
		if cols < len(groupCols) && sparks > 0 {
			t.Errorf("width %d: a column was dropped while sparklines remain", w)
		}
		prevSparks, prevCols = sparks, cols
	}
	if prevCols >= len(groupCols) {
		t.Errorf("nothing was dropped at 30 cells")
	}
}
