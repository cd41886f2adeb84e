package app

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/fleettop/fleettop/ui"
)

// A line that changes the windows says so (ShowWindows), other lines do not; every drawing is published with a
// new Version, and a published set is never changed afterwards.
func TestConsoleRunAndWindowVersions(t *testing.T) {
	a, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	con, err := a.NewConsole(ConsoleOptions{ViewsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	shows := func(rep ui.Reply) bool { return slices.Contains(rep.Actions, ui.Action(ui.ShowWindows{})) }

	first := con.Windows()
	for _, c := range []struct {
		line string
		show bool
	}{
		{"create W", true},
		{"draw fleet.*.*.cpu.utilisation in W", true},
		{"views", false},
		{"change W from -20min", true},
		{"set refresh 2s", false},
	} {
		rep, err := con.Run(c.line)
		if err != nil {
			t.Fatalf("%s: %v", c.line, err)
		}
		if shows(rep) != c.show {
			t.Errorf("%s: ShowWindows %v, want %v (reply %+v)", c.line, shows(rep), c.show, rep)
		}
		if c.line == "set refresh 2s" && !slices.Contains(rep.Actions, ui.Action(ui.SetRefresh{Every: 2 * time.Second})) {
			t.Errorf("set refresh: actions %+v, want SetRefresh 2s", rep.Actions)
		}
	}
	before := con.Windows()
	con.Redraw(ctx)
	after := con.Windows()
	if after.Version <= before.Version || len(after.List) != 1 || after.List[0].Name != "W" || after.List[0].From != "-20min" {
		t.Errorf("drawing %d → %d: %+v", before.Version, after.Version, after.List)
	}
	if first.Version != 0 || len(first.List) != 0 {
		t.Errorf("the first drawing changed after it was handed out: %+v", first)
	}
}
