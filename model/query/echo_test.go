package query_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/fleettop/fleettop/model/query"
)

// A script says what each verb changed: `fleettop run` prints a line after change, add, remove, rename, redraw
// and close, as it does after draw and load.
func TestScriptEchoesEveryChange(t *testing.T) {
	s, _, _ := newSession(t)
	script := `create W
draw battle.ships.destroyed.laser in W
add battle.ships.built to W
change W from to -20min
change * title to "Ships"
remove battle.ships.built from W
redraw W every 30s
rename W to V
save v
close V
load v
close *
`
	var out bytes.Buffer
	if err := query.RunScriptContext(context.Background(), strings.NewReader(script), s, &out); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"added battle.ships.built to W (2 targets)",
		"W: from set to -20min",
		"W: title set to Ships",
		"removed battle.ships.built from W (1 target)",
		"W redraws every 30s",
		"renamed W to V",
		"closed V",
		"loaded view v: V",
		"closed 1 window",
	}
	got := out.String()
	at := 0
	for _, w := range want {
		i := strings.Index(got[at:], w)
		if i < 0 {
			t.Fatalf("the output lacks %q after offset %d:\n%s", w, at, got)
		}
		at += i + len(w)
	}
}
