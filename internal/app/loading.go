package app

import (
	"reflect"

	"github.com/fleettop/fleettop/model/query"
	"github.com/fleettop/fleettop/ui"
)

// publishLoading publishes, at once, the windows a command left: those it did not change as last drawn, the
// others marked Loading (keeping what they showed, if anything) until the background drawing replaces them, so
// a window waiting on graphite-web says "loading…" rather than "no data in this range". The caller holds
// sessMu.
func (c *Console) publishLoading(before []query.Window) {
	old := map[string]query.Window{}
	for _, w := range before {
		old[w.Name] = w
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	drawn := map[string]ui.WindowData{}
	prev := c.windows.Load()
	for _, wd := range prev.List {
		drawn[wd.Name] = wd
	}
	list := make([]ui.WindowData, 0, len(c.session.Windows))
	for _, w := range c.session.Windows {
		wd, ok := drawn[w.Name]
		if was, same := old[w.Name]; !ok || !same || !reflect.DeepEqual(was, w) {
			wd = ui.WindowData{Name: w.Name, Title: w.Title, From: w.From, Until: w.Until, Start: wd.Start,
				End: wd.End, Series: wd.Series, Loading: true}
			if wd.Title == "" {
				wd.Title = w.Name
			}
		}
		list = append(list, wd)
	}
	c.windows.Store(&ui.Windows{Version: prev.Version + 1, List: list})
}
