package ui

import "charm.land/bubbles/v2/key"

// GlobalKeys work everywhere outside the command line and the filter prompt.
type GlobalKeys struct {
	Quit, Help, Command, Filter, NextPane, PrevPane, GroupBy, Pause, Views, Snapshot, Redraw, Back, Agents key.Binding
	Events, JVMs, Devices, Zoom                                                                            key.Binding // the Events, JVM and Devices panes; zoom the focused table

	// Copy puts the screen as text on the clipboard (OSC 52); ClearGone forgets the hosts that went silent.
	Copy, ClearGone key.Binding
}

// TableKeys move and order the focused table.
type TableKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom, Drill, Sort, SortReverse, FreezeOrder, TalkerMode key.Binding
}

// PromptKeys drive the command line, the filter prompt and the group-by picker.
type PromptKeys struct {
	Accept, Cancel, Complete, HistoryUp, HistoryDown key.Binding
}

// KeyMap is every binding of the dashboard; the help screen is generated from the active part of it.
type KeyMap struct {
	Global GlobalKeys
	Table  TableKeys
	Prompt PromptKeys
	Rewind RewindKeys
}

// DefaultKeyMap is the vocabulary of htop, k9s and btop (DESIGN.md, Keys).
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Global: GlobalKeys{
			Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
			Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
			Command:  key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command line")),
			Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter (!x inverts)")),
			NextPane: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
			PrevPane: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
			GroupBy:  key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "group by…")),
			Pause:    key.NewBinding(key.WithKeys("p", "space"), key.WithHelp("p/space", "pause")),
			Views: key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"),
				key.WithHelp("1-9", "load view")),
			Snapshot: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save snapshot")),
			Redraw:   key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "redraw")),
			Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back / clear filter")),
			Agents:   key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "agents: loss per sFlow agent")),
			Events:   key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "events: thresholds crossed")),
			JVMs:     key.NewBinding(key.WithKeys("J"), key.WithHelp("J", "JVMs: GC time and heap by group")),
			Devices:  key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "devices: switch interfaces")),
			Zoom:     key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "zoom the table (all columns)")),

			Copy:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy the screen (OSC 52)")),
			ClearGone: key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "clear the hosts gone silent")),
		},
		Table: TableKeys{
			Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
			Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
			PageUp:      key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
			PageDown:    key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
			Top:         key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "first row")),
			Bottom:      key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "last row")),
			Drill:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "drill down")),
			Sort:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort by next column")),
			SortReverse: key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
			FreezeOrder: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "freeze order")),
			TalkerMode:  key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "talkers: src/dst/pair")),
		},
		Prompt: PromptKeys{
			Accept:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run / apply")),
			Cancel:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
			Complete:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
			HistoryUp:   key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "older")),
			HistoryDown: key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "newer")),
		},
		Rewind: defaultRewindKeys(),
	}
}

// bindingHelp is a help.KeyMap assembled from the bindings active right now.
type bindingHelp struct {
	short  []key.Binding
	full   [][]key.Binding
	titles []string // one per full group
}

func (h bindingHelp) ShortHelp() []key.Binding  { return h.short }
func (h bindingHelp) FullHelp() [][]key.Binding { return h.full }
