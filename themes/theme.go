// Package themes holds fleettop's named colour palettes (dark, light, booth, mono) and loads and validates user
// themes from YAML files.
package themes

import (
	"fmt"
	"slices"
	"strconv"
)

// Color is a terminal colour: "" for the terminal's default, "#rrggbb", or an ANSI palette index "0".."255".
type Color string

// Valid reports whether c is one of the accepted colour spellings.
func (c Color) Valid() bool {
	s := string(c)
	switch {
	case s == "":
		return true
	case s[0] == '#':
		if len(s) != 7 {
			return false
		}
		for _, r := range s[1:] {
			if !isHex(r) {
				return false
			}
		}
		return true
	default:
		n, err := strconv.Atoi(s)
		return err == nil && n >= 0 && n <= 255 && strconv.Itoa(n) == s
	}
}

func isHex(r rune) bool {
	return (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f') || (r >= 'A' && r <= 'F')
}

// MaxSeries bounds the chart series palette of a theme.
const MaxSeries = 16

// Theme is a named palette plus the few layout hints a theme may carry. Colours left empty use the terminal's
// default; a theme whose Mono is set uses no colour at all and marks emphasis with attributes only.
type Theme struct {
	Name     string
	Dark     bool // drawn on a dark background
	Mono     bool // no colours: bold, underline and reverse only
	Bold     bool // body text in bold (readable from a distance)
	Spacious bool // a larger, sparser layout for a trade-show screen

	Text     Color // body text
	Muted    Color // secondary text: units, axes, separators
	Accent   Color // titles, focused pane, sort column
	Border   Color // pane rules
	Header   Color // table headers
	SelectFg Color // the selected row
	SelectBg Color
	Good     Color // healthy feeds, hit ratios
	Warn     Color // stale hosts, lost datagrams
	Bad      Color // errors, 5xx
	BadgeFg  Color // the PAUSED badge
	BadgeBg  Color
	Spark    Color   // sparklines
	Series   []Color // chart series, in legend order
}

// Validate reports the first field of t that is not acceptable.
func (t Theme) Validate() error {
	if !validName(t.Name) {
		return fmt.Errorf("theme name %q: want 1-32 characters of a-z, 0-9, '-' or '_'", t.Name)
	}
	for _, f := range t.colorFields() {
		if !f.c.Valid() {
			return fmt.Errorf("theme %s: colour %s = %q: want \"#rrggbb\" or 0-255", t.Name, f.name, string(f.c))
		}
	}
	if len(t.Series) == 0 {
		return fmt.Errorf("theme %s: series: want at least one colour", t.Name)
	}
	if len(t.Series) > MaxSeries {
		return fmt.Errorf("theme %s: series: %d colours, at most %d", t.Name, len(t.Series), MaxSeries)
	}
	for i, c := range t.Series {
		if !c.Valid() {
			return fmt.Errorf("theme %s: series[%d] = %q: want \"#rrggbb\" or 0-255", t.Name, i, string(c))
		}
	}
	return nil
}

type namedColor struct {
	name string
	c    Color
}

func (t Theme) colorFields() []namedColor {
	return []namedColor{
		{"text", t.Text}, {"muted", t.Muted}, {"accent", t.Accent}, {"border", t.Border}, {"header", t.Header},
		{"select_fg", t.SelectFg}, {"select_bg", t.SelectBg}, {"good", t.Good}, {"warn", t.Warn}, {"bad", t.Bad},
		{"badge_fg", t.BadgeFg}, {"badge_bg", t.BadgeBg}, {"spark", t.Spark},
	}
}

func validName(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Names of the built-in themes.
const (
	Dark  = "dark"
	Light = "light"
	Booth = "booth"
	Mono  = "mono"
)

var builtin = map[string]Theme{
	Dark: {
		Name: Dark, Dark: true,
		Text: "#d0d0d0", Muted: "#808080", Accent: "#5fafff", Border: "#444444", Header: "#afafd7",
		SelectFg: "#ffffff", SelectBg: "#303a4f", Good: "#87d787", Warn: "#ffd75f", Bad: "#ff5f5f",
		BadgeFg: "#000000", BadgeBg: "#ffaf00", Spark: "#5fd7d7",
		Series: []Color{"#5fafff", "#ffaf5f", "#87d787", "#d787d7", "#ff5f5f", "#5fd7d7", "#d7d75f", "#afafaf"},
	},
	Light: {
		Name: Light,
		Text: "#262626", Muted: "#6c6c6c", Accent: "#005fd7", Border: "#bcbcbc", Header: "#5f5f87",
		SelectFg: "#000000", SelectBg: "#d7e4ff", Good: "#008700", Warn: "#af5f00", Bad: "#d70000",
		BadgeFg: "#ffffff", BadgeBg: "#d75f00", Spark: "#00875f",
		Series: []Color{"#005fd7", "#d75f00", "#008700", "#8700af", "#d70000", "#008787", "#878700", "#585858"},
	},
	Booth: {
		Name: Booth, Dark: true, Bold: true, Spacious: true,
		Text: "#ffffff", Muted: "#c6c6c6", Accent: "#ffff00", Border: "#ffffff", Header: "#00ffff",
		SelectFg: "#000000", SelectBg: "#ffff00", Good: "#00ff00", Warn: "#ffaf00", Bad: "#ff0000",
		BadgeFg: "#000000", BadgeBg: "#ff00ff", Spark: "#00ffff",
		Series: []Color{"#00ffff", "#ffff00", "#00ff00", "#ff00ff", "#ff0000", "#ffffff"},
	},
	Mono: {
		Name: Mono, Dark: true, Mono: true,
		Series: []Color{""},
	},
}

// Builtin returns a built-in theme by name.
func Builtin(name string) (Theme, bool) {
	t, ok := builtin[name]
	if ok {
		t.Series = slices.Clone(t.Series)
	}
	return t, ok
}

// BuiltinNames lists the built-in themes, sorted.
func BuiltinNames() []string {
	return []string{Booth, Dark, Light, Mono}
}
