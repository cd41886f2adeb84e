package query

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Window is one graph window: what it draws and how.
type Window struct {
	Name    string
	Targets []Target
	From    string // as typed (-20min); "" means DefaultFrom
	Until   string // as typed; "" means DefaultUntil
	Title   string
	VTitle  string
	YMin    *float64
	YMax    *float64
	Every   time.Duration // auto-redraw interval; 0 = off
	// Params holds the other render parameters set with `change` (areaMode, lineMode, ...).
	Params map[string]string
	Layout Layout
}

// Layout is a window's place on screen in cells; zero values mean "let the UI tile it".
type Layout struct {
	Top, Left, Width, Height int
}

// View is a named set of windows: the state `save` stores and `load` restores.
type View struct {
	Name       string
	Windows    []Window
	Thresholds []Threshold
}

// ViewStore keeps views; model/views implements it over YAML files.
type ViewStore interface {
	Save(v View) error
	Load(name string) (View, error)
	// List returns the views that load, sorted by name, and an error naming each file that does not.
	List() ([]View, error)
	Delete(name string) error
}

var (
	windowNameRE = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)
	viewNameRE   = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$`)
)

// ValidWindowName: letters, digits and '_' (the Graphite CLI's window token), at most 64.
func ValidWindowName(s string) bool { return windowNameRE.MatchString(s) }

// ValidViewName: letters, digits, '_', '-', '.' (the Graphite CLI's view token), at most 64, not starting
// with '.' or '-' so that it is a safe file name.
func ValidViewName(s string) bool { return viewNameRE.MatchString(s) && !strings.Contains(s, "..") }

// Clone deep-copies a window.
func (w Window) Clone() Window {
	c := w
	c.Targets = append([]Target(nil), w.Targets...)
	if w.YMin != nil {
		v := *w.YMin
		c.YMin = &v
	}
	if w.YMax != nil {
		v := *w.YMax
		c.YMax = &v
	}
	if w.Params != nil {
		c.Params = make(map[string]string, len(w.Params))
		for k, v := range w.Params {
			c.Params[k] = v
		}
	}
	return c
}

// paramKind is what a `change` parameter accepts.
type paramKind uint8

const (
	pText paramKind = iota
	pNumber
	pBool
	pEnum
	pTime
	pColor
)

type renderParam struct {
	kind    paramKind
	choices []string
}

// renderParams are the graph parameters `change` accepts (graphite-web's render API names).
var renderParams = map[string]renderParam{
	"from": {kind: pTime}, "until": {kind: pTime},
	"title": {kind: pText}, "vtitle": {kind: pText}, "vtitleRight": {kind: pText},
	"yMin": {kind: pNumber}, "yMax": {kind: pNumber}, "yStep": {kind: pNumber}, "yMinRight": {kind: pNumber},
	"yMaxRight": {kind: pNumber}, "logBase": {kind: pNumber}, "lineWidth": {kind: pNumber},
	"fontSize": {kind: pNumber}, "minorY": {kind: pNumber}, "leftWidth": {kind: pNumber},
	"rightWidth": {kind: pNumber}, "width": {kind: pNumber}, "height": {kind: pNumber},
	"areaMode":       {kind: pEnum, choices: []string{"none", "first", "all", "stacked"}},
	"lineMode":       {kind: pEnum, choices: []string{"slope", "staircase", "connected"}},
	"yUnitSystem":    {kind: pEnum, choices: []string{"si", "binary", "sec", "msec", "none"}},
	"legendPosition": {kind: pEnum, choices: []string{"bottom", "right", "none"}},
	"hideLegend":     {kind: pBool}, "hideAxes": {kind: pBool}, "hideGrid": {kind: pBool},
	"hideYAxis": {kind: pBool}, "graphOnly": {kind: pBool}, "drawNullAsZero": {kind: pBool},
	"uniqueLegend": {kind: pBool}, "stacked": {kind: pBool},
	"bgcolor": {kind: pColor}, "fgcolor": {kind: pColor}, "majorGridLineColor": {kind: pColor},
	"minorGridLineColor": {kind: pColor}, "areaAlpha": {kind: pNumber}, "colorList": {kind: pText},
	"template": {kind: pText}, "fontName": {kind: pText}, "tz": {kind: pText},
}

// ParamNames lists the parameters `change` accepts, sorted.
func ParamNames() []string {
	out := make([]string, 0, len(renderParams))
	for k := range renderParams {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var colorRE = regexp.MustCompile(`^(#?[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?|[A-Za-z]+)$`)

// setParam validates value for param and stores it in w; an empty value resets the parameter. now resolves
// times for validation only: windows keep the text as typed.
func (w *Window) setParam(param, value string, now time.Time) error {
	p, ok := renderParams[param]
	if !ok {
		return fmt.Errorf("unknown parameter %q", param)
	}
	if value != "" {
		switch p.kind {
		case pTime:
			if _, err := ParseTime(value, now); err != nil {
				return err
			}
		case pNumber:
			if _, err := strconv.ParseFloat(value, 64); err != nil {
				return fmt.Errorf("%s: %q is not a number", param, value)
			}
		case pBool:
			if _, err := strconv.ParseBool(value); err != nil {
				return fmt.Errorf("%s: %q is not true or false", param, value)
			}
		case pEnum:
			if indexOf(p.choices, value) < 0 {
				return fmt.Errorf("%s: %q is not one of %s", param, value, strings.Join(p.choices, ", "))
			}
		case pColor:
			if !colorRE.MatchString(value) {
				return fmt.Errorf("%s: %q is not a colour name or hex RGB", param, value)
			}
		}
	}
	switch param {
	case "from":
		w.From = value
	case "until":
		w.Until = value
	case "title":
		w.Title = value
	case "vtitle":
		w.VTitle = value
	case "yMin", "yMax":
		var ptr *float64
		if value != "" {
			f, _ := strconv.ParseFloat(value, 64)
			ptr = &f
		}
		if param == "yMin" {
			w.YMin = ptr
		} else {
			w.YMax = ptr
		}
	default:
		if value == "" {
			delete(w.Params, param)
			return nil
		}
		if w.Params == nil {
			w.Params = map[string]string{}
		}
		w.Params[param] = value
	}
	if w.YMin != nil && w.YMax != nil && *w.YMin > *w.YMax {
		return fmt.Errorf("yMin %g is above yMax %g", *w.YMin, *w.YMax)
	}
	return nil
}

// RenderURL is the window as a graphite-web render URL path (the `url` verb).
func (w Window) RenderURL() string {
	q := []string{}
	add := func(k, v string) {
		if v != "" {
			q = append(q, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	for _, t := range w.Targets {
		add("target", t.Expr)
	}
	add("from", w.From)
	add("until", w.Until)
	add("title", w.Title)
	add("vtitle", w.VTitle)
	if w.YMin != nil {
		add("yMin", strconv.FormatFloat(*w.YMin, 'g', -1, 64))
	}
	if w.YMax != nil {
		add("yMax", strconv.FormatFloat(*w.YMax, 'g', -1, 64))
	}
	keys := make([]string, 0, len(w.Params))
	for k := range w.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		add(k, w.Params[k])
	}
	if w.Layout.Width > 0 && w.Layout.Height > 0 {
		add("width", strconv.Itoa(w.Layout.Width))
		add("height", strconv.Itoa(w.Layout.Height))
	}
	return "/render?" + strings.Join(q, "&")
}

// CheckWindow validates a window restored from storage: names, targets, times, parameters.
func CheckWindow(w Window, now time.Time) error {
	if !ValidWindowName(w.Name) {
		return fmt.Errorf("window name %q: want letters, digits and _ (at most 64)", w.Name)
	}
	for i, t := range w.Targets {
		var err error
		if t.Source != "" {
			_, err = Parse(t.Expr) // a pinned target may go to a renderer that knows more functions
		} else {
			_, err = ParseTarget(t.Expr)
		}
		if err != nil {
			return fmt.Errorf("window %s: target %d %q: %w", w.Name, i+1, t.Expr, err)
		}
		if t.Source != "" && !windowNameRE.MatchString(t.Source) {
			return fmt.Errorf("window %s: target %d: source name %q", w.Name, i+1, t.Source)
		}
	}
	if _, _, err := TimeRange(w.From, w.Until, now); err != nil {
		return fmt.Errorf("window %s: %w", w.Name, err)
	}
	if w.Every < 0 {
		return fmt.Errorf("window %s: every %s is negative", w.Name, w.Every)
	}
	if w.YMin != nil && w.YMax != nil && *w.YMin > *w.YMax {
		return fmt.Errorf("window %s: yMin %g is above yMax %g", w.Name, *w.YMin, *w.YMax)
	}
	for k, v := range w.Params {
		if k == "from" || k == "until" || k == "title" || k == "vtitle" || k == "yMin" || k == "yMax" {
			return fmt.Errorf("window %s: parameter %s belongs in its own field", w.Name, k)
		}
		probe := Window{}
		if err := probe.setParam(k, v, now); err != nil {
			return fmt.Errorf("window %s: %w", w.Name, err)
		}
	}
	if w.Layout.Top < 0 || w.Layout.Left < 0 || w.Layout.Width < 0 || w.Layout.Height < 0 {
		return fmt.Errorf("window %s: negative layout %+v", w.Name, w.Layout)
	}
	return nil
}

// CheckView validates a view and every window in it (unique window names).
func CheckView(v View, now time.Time) error {
	if !ValidViewName(v.Name) {
		return fmt.Errorf("view name %q: want letters, digits, '_', '-', '.' (at most 64)", v.Name)
	}
	seen := map[string]bool{}
	for _, w := range v.Windows {
		if err := CheckWindow(w, now); err != nil {
			return err
		}
		if seen[w.Name] {
			return fmt.Errorf("window %s appears twice", w.Name)
		}
		seen[w.Name] = true
	}
	return checkThresholds(v.Thresholds)
}
