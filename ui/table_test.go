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

// A ranked table is sorted by its sort column at every snapshot: each row is above every row with a smaller
// value, and each shows the figure of now.
func TestRankedTableIsSorted(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	tab := newTable(testCommon(t, themes.Dark), "T", rankCols, 1, true, true)
	steps := [][]float64{
		{80, 70, 60, 50, 40, 30, 20, 10},
		{80, 60, 70, 75, 40, 30, 20, 10}, // b and c swap, d climbs two places
		{80, 60, 70, 75, 40, 30, 20, 900},
		{80.5, 80.4, 70, 75, 40, 30, 20, 900}, // a and b almost equal: still in order
	}
	for k, rates := range steps {
		tab.SetRows(rankRows(names, rates))
		prev := math.Inf(1)
		for _, i := range tab.view {
			r := &tab.rows[i]
			if r.nums[1] > prev {
				t.Errorf("step %d: %s (%v) below a smaller value %v: %v", k, r.key, r.nums[1], prev, order(tab))
			}
			prev = r.nums[1]
			if want := si(r.nums[1]); r.cells[1] != want {
				t.Errorf("step %d: %s shows %q, want the figure of now %q", k, r.key, r.cells[1], want)
			}
		}
	}
	if got := order(tab); got[0] != "h" || got[1] != "a" || got[2] != "b" {
		t.Errorf("final order %v, want h, a, b first", got)
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

func TestWideTableSpreadsExtraCells(t *testing.T) {
	c := testCommon(t, themes.Dark)
	tab := newTable(c, "Hosts", hostCols, hName, false, false)
	tab.SetSize(300, 10)
	tab.View()
	for _, cl := range tab.layout {
		col := hostCols[cl.idx]
		if col.grow > 0 && !col.flex && cl.width != col.width+col.grow {
			t.Errorf("at 300 cells %s is %d wide, want %d", col.title, cl.width, col.width+col.grow)
		}
	}
	g := newTable(c, "Groups", groupCols, gName, false, false)
	g.SetSize(400, 10)
	g.View()
	for _, cl := range g.layout {
		if groupCols[cl.idx].spark && cl.spark != g.sparkMax {
			t.Errorf("at 400 cells the %s sparkline is %d wide, want %d", groupCols[cl.idx].title, cl.spark, g.sparkMax)
		}
	}
	total := len(g.layout) - 1
	for _, cl := range g.layout {
		total += cl.width
		if cl.spark > 0 {
			total += cl.spark + 1
		}
	}
	if g.layout[0].width != groupCols[gName].most {
		t.Errorf("at 400 cells the group names take %d cells, want their most, %d", g.layout[0].width, groupCols[gName].most)
	}
	if total > 400 {
		t.Errorf("the columns take %d cells of 400", total)
	}
	checkBlock(t, "groups@400", g.View(), 400, 10)
}

func TestNaturalCompare(t *testing.T) {
	names := []string{"if.10.bytes_in", "if.2.bytes_in", "cpu", "if.1.errors", "if.02.x", "if.1.bytes_in", ""}
	slices.SortFunc(names, naturalCompare)
	want := []string{"", "cpu", "if.1.bytes_in", "if.1.errors", "if.2.bytes_in", "if.02.x", "if.10.bytes_in"}
	if !slices.Equal(names, want) {
		t.Errorf("natural order %q\nwant %q", names, want)
	}
}

// TestRowPaintRuns: neighbouring cells of one tone are one styled run, separators included, so that the terminal
// renderer writes no escape between them.
func TestRowPaintRuns(t *testing.T) {
	c := testCommon(t, themes.Dark)
	cols := []column{{title: "a", width: 4, text: true, keep: 100}, {title: "b", width: 4, right: true, keep: 90}, {title: "c", width: 4, right: true, keep: 80}}
	tab := newTable(c, "T", cols, 1, true, false)
	tab.SetSize(20, 3)
	r := newRow(3)
	r.id, r.key = 1, "x"
	r.set(0, "x", 0, toneText)
	r.set(1, "1", 1, toneText)
	r.set(2, "2", 2, toneBad)
	r.finish()
	tab.SetRows([]row{r})
	line := strings.Split(tab.View(), "\n")[2]
	if n := strings.Count(line, c.St.text.on); n != 1 {
		t.Errorf("two text cells in a row open %d text runs, want 1: %q", n, line)
	}
	if !strings.Contains(line, c.St.text.on+"x       1 "+c.St.text.off+c.St.bad.on) {
		t.Errorf("the run does not span the cells and the separator: %q", line)
	}
}
