package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// openCommand opens the ":" command line.
func (m *Model) openCommand() tea.Cmd {
	if m.cl == nil {
		m.setMessage("the command line is not available here", toneWarn)
		return nil
	}
	m.prompt = commandPrompt
	m.input.Prompt = ":"
	m.input.Placeholder = "draw TARGET · load VIEW · group by KEY · set refresh 2s"
	m.input.SetValue("")
	if h := m.cl.History(); h != nil {
		h.Rewind()
	}
	m.hint = ""
	m.input.SetWidth(max(10, m.w-2))
	return m.input.Focus()
}

// openFilter opens the "/" prompt on the focused table, empty: ↑ brings back the previous filter.
func (m *Model) openFilter() tea.Cmd {
	t := m.activeTable()
	if t == nil {
		m.setMessage("nothing to filter here", toneWarn)
		return nil
	}
	if f := t.FilterText(); f != "" {
		m.lastFilter = f
	}
	m.prompt = filterPrompt
	m.input.Prompt = "/"
	m.input.Placeholder = "text to keep (!text hides it; " + m.c.Keys.Prompt.HistoryUp.Help().Key + " previous)"
	m.input.SetValue("")
	m.hint = ""
	m.input.SetWidth(max(10, m.w-2))
	return m.input.Focus()
}

func (m *Model) closePrompt() {
	m.prompt = noPrompt
	m.hint = ""
	m.input.Blur()
}

func (m *Model) onPromptKey(k tea.KeyPressMsg) tea.Cmd {
	p := &m.c.Keys.Prompt
	switch {
	case key.Matches(k, p.Cancel):
		if m.prompt == filterPrompt {
			if t := m.activeTable(); t != nil {
				t.SetFilter("")
			}
		}
		m.closePrompt()
		return nil
	case key.Matches(k, p.Accept):
		line := m.input.Value()
		kind := m.prompt
		m.closePrompt()
		if kind == filterPrompt {
			m.acceptFilter(line)
		}
		if kind == commandPrompt && strings.TrimSpace(line) != "" {
			m.runCommand(line)
		}
		return nil
	}
	if m.prompt == filterPrompt && key.Matches(k, p.HistoryUp) && m.lastFilter != "" {
		m.input.SetValue(m.lastFilter)
		m.input.CursorEnd()
		m.afterInput()
		return nil
	}
	if m.prompt == commandPrompt {
		switch {
		case key.Matches(k, p.Complete):
			line, cands := m.cl.Complete(m.input.Value(), m.input.Position())
			m.input.SetValue(line)
			m.input.CursorEnd()
			m.hint = ""
			if len(cands) > 1 {
				m.hint = sanitize(strings.Join(cands, "  "))
			}
			return nil
		case key.Matches(k, p.HistoryUp), key.Matches(k, p.HistoryDown):
			h := m.cl.History()
			if h == nil {
				return nil
			}
			if key.Matches(k, p.HistoryUp) {
				m.input.SetValue(h.Prev(m.input.Value()))
			} else {
				m.input.SetValue(h.Next(m.input.Value()))
			}
			m.input.CursorEnd()
			return nil
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(k)
	m.afterInput()
	return cmd
}

// afterInput applies the filter as it is typed.
func (m *Model) afterInput() {
	if m.prompt == filterPrompt {
		if t := m.activeTable(); t != nil {
			t.SetFilter(m.input.Value())
		}
	}
	m.dirty = true
}

// acceptFilter applies the filter line accepted with enter (an empty one clears the filter) and keeps it for ↑.
func (m *Model) acceptFilter(line string) {
	if t := m.activeTable(); t != nil {
		t.SetFilter(line)
	}
	if line != "" {
		m.lastFilter = line
	}
}
