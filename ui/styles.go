package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
	"github.com/fleettop/fleettop/themes"
)

// Colours and terminal capabilities: the lipgloss styles of the bubbles the dashboard uses.

// ColorDisabled reports whether the environment asks for no colour (NO_COLOR set, or TERM=dumb).
func ColorDisabled(getenv func(string) string) bool {
	return getenv("NO_COLOR") != "" || getenv("TERM") == "dumb"
}

func envLookup(environ []string) func(string) string {
	vars := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	return func(k string) string { return vars[k] }
}

func lgFg(t themes.Theme, c themes.Color) lipgloss.Style {
	st := lipgloss.NewStyle()
	if !t.Mono && c != "" {
		st = st.Foreground(lipgloss.Color(string(c)))
	}
	return st
}

func helpStyles(t themes.Theme) help.Styles {
	k := lgFg(t, t.Accent).Bold(true)
	d := lgFg(t, t.Text)
	s := lgFg(t, t.Muted)
	return help.Styles{Ellipsis: s, ShortKey: k, ShortDesc: d, ShortSeparator: s, FullKey: k, FullDesc: d, FullSeparator: s}
}

func inputStyles(t themes.Theme) textinput.Styles {
	st := textinput.DefaultStyles(t.Dark)
	st.Focused.Prompt = lgFg(t, t.Accent).Bold(true)
	st.Focused.Text = lgFg(t, t.Text)
	st.Blurred = st.Focused
	st.Cursor.Blink = false // a blinking cursor would redraw twice a second for nothing
	return st
}
