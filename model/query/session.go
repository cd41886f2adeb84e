package query

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Session is the state the command line edits: the open windows and the variables, plus where views are
// kept and where series come from.
type Session struct {
	Windows []Window
	Vars    map[string]string
	// Thresholds raise events (model/events evaluates them); the slice is replaced, never changed in place.
	Thresholds []Threshold
	// Views keeps saved views; nil makes save/load/views/rmview fail with a clear message.
	Views ViewStore
	// Eval evaluates targets and serves the metric tree (completion, find); nil draws no data.
	Eval *Evaluator
	// Now is the clock for from/until; nil means time.Now.
	Now func() time.Time
	// Dir resolves relative `source` paths; "" means the working directory.
	Dir string
	// History serves `!prefix` completion; optional.
	History *History

	sourceDepth int
	undo        []undoWindow // windows the running command changed in place, as they were before
}

// undoWindow is a window as it was before the running command changed it.
type undoWindow struct {
	at  *Window
	was Window
}

// Result is what a command printed and what it asks of the UI.
type Result struct {
	Output  string
	Effects []Effect
}

// Bounds of the command line, so that a script or a pasted line cannot exhaust memory or time.
const (
	maxSourceDepth  = 8        // `source` files that source each other
	maxExpandedLine = 64 << 10 // bytes of a line after $variable substitution
	maxVars         = 1000     // variables set at once (each value at most 1024 bytes)
	maxWindows      = 256      // windows open at once
)

// maxFindResults is how many paths `find` prints, as the Graphite CLI.
const maxFindResults = 100

// ErrNoViewStore is returned by view commands when the Session has no ViewStore.
var ErrNoViewStore = errors.New("no view store configured")

func (s *Session) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Window returns the open window with that name.
func (s *Session) Window(name string) (Window, bool) {
	if i := s.windowIndex(name); i >= 0 {
		return s.Windows[i], true
	}
	return Window{}, false
}

func (s *Session) windowIndex(name string) int {
	for i, w := range s.Windows {
		if w.Name == name {
			return i
		}
	}
	return -1
}

// edit returns window i for the running command to change: a deep copy put in its place, so that copies of
// the window taken earlier (a background redraw's) never change, with the window as it was kept to restore if
// the command fails. Only the windows a command changes are copied; new and removed windows need no copy, as
// appends never touch the part of the slice the previous state sees and removals build a new slice.
func (s *Session) edit(i int) *Window {
	w := &s.Windows[i]
	s.undo = append(s.undo, undoWindow{at: w, was: *w})
	*w = w.Clone()
	return w
}

// clone copies the editable state so that a failing `source` can be dropped whole.
func (s *Session) clone() *Session {
	c := *s
	c.Windows = make([]Window, len(s.Windows))
	for i, w := range s.Windows {
		c.Windows[i] = w.Clone()
	}
	c.Vars = make(map[string]string, len(s.Vars))
	for k, v := range s.Vars {
		c.Vars[k] = v
	}
	return &c
}

// Expand substitutes $name with the variable's value everywhere in the line, as the Graphite CLI did. A $
// not followed by a letter or _ stays as it is; an undefined variable is an error, and so is a line longer than
// 64 KiB after substitution. Values are not expanded again, so substitution does not nest.
func (s *Session) Expand(line string) (string, error) {
	if !strings.Contains(line, "$") {
		return line, nil
	}
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		if line[i] != '$' {
			b.WriteByte(line[i])
			continue
		}
		n := identLen(line[i+1:])
		if n == 0 {
			b.WriteByte('$')
			continue
		}
		name := line[i+1 : i+1+n]
		v, ok := s.Vars[name]
		if !ok {
			return "", &SyntaxError{Pos: i, Expected: "a defined $variable (see vars)", Found: "$" + name}
		}
		if b.Len()+len(v)+len(line)-(i+1+n) > maxExpandedLine {
			return "", fmt.Errorf("line longer than %d bytes after $variable substitution (at $%s)", maxExpandedLine, name)
		}
		b.WriteString(v)
		i += n
	}
	return b.String(), nil
}

// Execute runs one command line. Either the whole command applies or, on error, the session is unchanged.
func (s *Session) Execute(ctx context.Context, line string) (Result, error) {
	trimmed := strings.TrimSpace(line)
	if trimmed == "" || strings.HasPrefix(trimmed, "#") {
		return Result{}, nil
	}
	expanded, err := s.Expand(line)
	if err != nil {
		return Result{}, err
	}
	cmd, err := ParseCommand(expanded)
	if err != nil {
		if expanded != line {
			return Result{}, fmt.Errorf("%w (in %q after $variable substitution)", err, expanded)
		}
		return Result{}, err
	}
	if _, isSource := cmd.(SourceFile); isSource {
		next := s.clone()
		res, err := next.apply(ctx, cmd)
		if err != nil {
			return Result{}, err
		}
		s.Windows, s.Vars, s.Thresholds = next.Windows, next.Vars, next.Thresholds
		return res, nil
	}
	// Other commands change the session in place; on error the windows they changed are put back. Only `set` and
	// `unset` change variables, and they cannot fail once they have.
	windows, thresholds := s.Windows, s.Thresholds
	s.undo = s.undo[:0]
	res, err := s.apply(ctx, cmd)
	if err != nil {
		s.Thresholds = thresholds
		for i := len(s.undo) - 1; i >= 0; i-- {
			*s.undo[i].at = s.undo[i].was
		}
		s.Windows = windows
	}
	clear(s.undo)
	s.undo = s.undo[:0]
	return res, err
}

// roomForWindows fails when n more windows would exceed the bound.
func (s *Session) roomForWindows(n int) error {
	if len(s.Windows)+n > maxWindows {
		return fmt.Errorf("at most %d windows can be open (close some)", maxWindows)
	}
	return nil
}

func (s *Session) mustWindow(name string) (int, error) {
	i := s.windowIndex(name)
	if i < 0 {
		return -1, fmt.Errorf("no window named %q (create it first; open: %s)", name, s.windowList())
	}
	return i, nil
}

func (s *Session) windowList() string {
	if len(s.Windows) == 0 {
		return "none"
	}
	names := make([]string, len(s.Windows))
	for i, w := range s.Windows {
		names[i] = w.Name
	}
	return strings.Join(names, ", ")
}

// checkTarget checks a target against the sources: pinned targets need a known source, unpinned ones known
// functions.
func (s *Session) checkTarget(t Target) error {
	if t.Source != "" && s.Eval == nil {
		return fmt.Errorf("target %q: no sources configured for `on %s`", t.Expr, t.Source)
	}
	if err := s.Eval.CheckTarget(t); err != nil {
		return fmt.Errorf("target %q: %w", t.Expr, err)
	}
	return nil
}

func (s *Session) apply(ctx context.Context, cmd Command) (Result, error) {
	switch c := cmd.(type) {
	case Create:
		if s.windowIndex(c.Window) >= 0 {
			return Result{}, fmt.Errorf("window %q already exists", c.Window)
		}
		if err := s.roomForWindows(1); err != nil {
			return Result{}, err
		}
		s.Windows = append(s.Windows, Window{Name: c.Window})
		return Result{}, nil
	case Draw:
		return s.draw(ctx, c)
	case Add:
		i, err := s.mustWindow(c.Window)
		if err != nil {
			return Result{}, err
		}
		if err := s.checkTarget(c.Target); err != nil {
			return Result{}, err
		}
		if j := findTarget(s.Windows[i].Targets, c.Target.Expr); j >= 0 && s.Windows[i].Targets[j].Source == c.Target.Source {
			return Result{}, fmt.Errorf("target %q is already in window %s", c.Target.Expr, c.Window)
		}
		w := s.edit(i)
		w.Targets = append(w.Targets, c.Target)
		return Result{Output: fmt.Sprintf("added %s to %s (%s)", c.Target.Expr, w.Name, plural(len(w.Targets), "target"))}, nil
	case Remove:
		i, err := s.mustWindow(c.Window)
		if err != nil {
			return Result{}, err
		}
		j := findTarget(s.Windows[i].Targets, c.Target)
		if j < 0 {
			return Result{}, fmt.Errorf("target %q is not in window %s", c.Target, c.Window)
		}
		w := s.edit(i)
		w.Targets = append(w.Targets[:j:j], w.Targets[j+1:]...)
		return Result{Output: fmt.Sprintf("removed %s from %s (%s)", c.Target, w.Name, plural(len(w.Targets), "target"))}, nil
	case Change:
		idx := []int{}
		if c.Window == "*" {
			for i := range s.Windows {
				idx = append(idx, i)
			}
		} else {
			i, err := s.mustWindow(c.Window)
			if err != nil {
				return Result{}, err
			}
			idx = append(idx, i)
		}
		names := make([]string, 0, len(idx))
		for _, i := range idx {
			names = append(names, s.Windows[i].Name)
			if err := s.edit(i).setParam(c.Param, c.Value, s.now()); err != nil {
				return Result{}, fmt.Errorf("window %s: %w", s.Windows[i].Name, err)
			}
			if c.Param == "from" || c.Param == "until" {
				w := s.Windows[i]
				if _, _, err := TimeRange(w.From, w.Until, s.now()); err != nil {
					return Result{}, fmt.Errorf("window %s: %w", w.Name, err)
				}
			}
		}
		if len(names) == 0 {
			return Result{Output: "no window to change"}, nil
		}
		return Result{Output: fmt.Sprintf("%s: %s set to %s", strings.Join(names, ", "), c.Param, c.Value)}, nil
	case Redraw:
		i, err := s.mustWindow(c.Window)
		if err != nil {
			return Result{}, err
		}
		s.edit(i).Every = c.Every
		if c.Every <= 0 {
			return Result{Output: s.Windows[i].Name + " no longer redraws by itself"}, nil
		}
		return Result{Output: s.Windows[i].Name + " redraws every " + c.Every.String()}, nil
	case URL:
		i, err := s.mustWindow(c.Window)
		if err != nil {
			return Result{}, err
		}
		return Result{Output: s.Windows[i].RenderURL()}, nil
	case Rename:
		i, err := s.mustWindow(c.Window)
		if err != nil {
			return Result{}, err
		}
		if s.windowIndex(c.NewName) >= 0 {
			return Result{}, fmt.Errorf("window %q already exists", c.NewName)
		}
		old := s.Windows[i].Name
		s.edit(i).Name = c.NewName
		return Result{Output: "renamed " + old + " to " + c.NewName}, nil
	case Close:
		if c.Window == "*" {
			n := len(s.Windows)
			s.Windows = nil
			return Result{Output: "closed " + plural(n, "window")}, nil
		}
		i, err := s.mustWindow(c.Window)
		if err != nil {
			return Result{}, err
		}
		s.Windows = append(s.Windows[:i:i], s.Windows[i+1:]...)
		return Result{Output: "closed " + c.Window}, nil
	case SetThreshold, Thresholds, RmThreshold:
		return s.applyThreshold(c)
	case Save:
		return s.save(c)
	case Load:
		return s.load(c)
	case Views:
		return s.listViews()
	case RmView:
		if s.Views == nil {
			return Result{}, ErrNoViewStore
		}
		if err := s.Views.Delete(c.View); err != nil {
			return Result{}, err
		}
		return Result{Output: "removed view " + c.View}, nil
	case SetVar:
		if _, exists := s.Vars[c.Name]; !exists && len(s.Vars) >= maxVars {
			return Result{}, fmt.Errorf("set %s: already %d variables (unset some)", c.Name, maxVars)
		}
		if s.Vars == nil {
			s.Vars = map[string]string{}
		}
		s.Vars[c.Name] = c.Value
		return Result{}, nil
	case UnsetVar:
		if _, ok := s.Vars[c.Name]; !ok {
			return Result{}, fmt.Errorf("no variable named %q", c.Name)
		}
		delete(s.Vars, c.Name)
		return Result{}, nil
	case Vars:
		names := make([]string, 0, len(s.Vars))
		for k := range s.Vars {
			names = append(names, k)
		}
		sort.Strings(names)
		var b strings.Builder
		for _, k := range names {
			fmt.Fprintf(&b, "%s = %s\n", k, s.Vars[k])
		}
		return Result{Output: strings.TrimSuffix(b.String(), "\n")}, nil
	case Echo:
		return Result{Output: c.Text}, nil
	case Find:
		return s.find(ctx, c)
	case Help:
		return help(c.Topic)
	case SourceFile:
		return s.source(ctx, c)
	case Clear:
		return Result{Effects: []Effect{c}}, nil
	case GroupBy:
		return Result{Effects: []Effect{c}}, nil
	case Filter:
		return Result{Effects: []Effect{c}}, nil
	case SetTheme:
		return Result{Effects: []Effect{c}}, nil
	case SetRefresh:
		return Result{Effects: []Effect{c}}, nil
	}
	return Result{}, fmt.Errorf("command %q is not implemented", cmd.Verb())
}

// findTarget finds a target by canonical form, so `remove sum(a.b, c)` matches `sum(a.b,c)`.
func findTarget(ts []Target, text string) int {
	want := text
	if e, err := Parse(text); err == nil {
		want = e.String()
	}
	for i, t := range ts {
		have := t.Expr
		if e, err := Parse(t.Expr); err == nil {
			have = e.String()
		}
		if have == want {
			return i
		}
	}
	return -1
}

func (s *Session) draw(ctx context.Context, c Draw) (Result, error) {
	for _, t := range c.Targets {
		if err := s.checkTarget(t); err != nil {
			return Result{}, err
		}
	}
	var w Window
	inline := c.Window == ""
	if inline {
		w = Window{Targets: c.Targets, From: c.From, Until: c.Until}
	} else {
		i := s.windowIndex(c.Window)
		if i < 0 {
			if err := s.roomForWindows(1); err != nil {
				return Result{}, err
			}
			s.Windows = append(s.Windows, Window{Name: c.Window})
			i = len(s.Windows) - 1
		}
		p := s.edit(i)
		p.Targets = append([]Target(nil), c.Targets...)
		if c.From != "" {
			p.From = c.From
		}
		if c.Until != "" {
			p.Until = c.Until
		}
		if c.HasEvery {
			p.Every = c.Every
		}
		w = *p
	}
	if _, _, err := TimeRange(w.From, w.Until, s.now()); err != nil {
		return Result{}, err
	}
	res := Result{Output: Describe(w, s.Render(ctx, w))}
	if inline {
		res.Effects = []Effect{Inline{Window: w}}
	}
	return res, nil
}

// Drawn is one target of a window, evaluated.
type Drawn struct {
	Target Target
	Series []Series
	Err    error
}

// Render evaluates every target of a window over its time range. Errors are per target (a source being down
// does not hide the others).
func (s *Session) Render(ctx context.Context, w Window) []Drawn {
	out := make([]Drawn, len(w.Targets))
	from, until, err := TimeRange(w.From, w.Until, s.now())
	for i, t := range w.Targets {
		out[i].Target = t
		switch {
		case err != nil:
			out[i].Err = err
		case s.Eval == nil:
			out[i].Err = errors.New("no sources configured")
		default:
			out[i].Series, out[i].Err = s.Eval.Eval(ctx, t, from, until)
		}
	}
	return out
}

func (s *Session) save(c Save) (Result, error) {
	if s.Views == nil {
		return Result{}, ErrNoViewStore
	}
	v := View{Name: c.View, Windows: make([]Window, len(s.Windows)), Thresholds: s.Thresholds}
	for i, w := range s.Windows {
		v.Windows[i] = w.Clone()
	}
	if err := s.Views.Save(v); err != nil {
		return Result{}, err
	}
	return Result{Output: fmt.Sprintf("saved view %s: %s%s", c.View, s.windowList(), viewThresholds(v))}, nil
}

func (s *Session) load(c Load) (Result, error) {
	if s.Views == nil {
		return Result{}, ErrNoViewStore
	}
	v, err := s.Views.Load(c.View)
	if err != nil {
		return Result{}, err
	}
	thresholds := v.Thresholds
	if c.Above {
		if thresholds, err = mergeThresholds(s.Thresholds, v.Thresholds); err != nil {
			return Result{}, fmt.Errorf("load %s above: %w", c.View, err)
		}
	} else {
		s.Windows = nil
	}
	if err := s.roomForWindows(len(v.Windows)); err != nil {
		return Result{}, fmt.Errorf("load %s: %w", c.View, err)
	}
	for _, w := range v.Windows {
		if s.windowIndex(w.Name) >= 0 {
			return Result{}, fmt.Errorf("load %s above: window %q is already open", c.View, w.Name)
		}
		s.Windows = append(s.Windows, w.Clone())
	}
	s.Thresholds = thresholds
	return Result{Output: fmt.Sprintf("loaded view %s: %s%s", v.Name, viewWindows(v), viewThresholds(v))}, nil
}

func viewWindows(v View) string {
	names := make([]string, len(v.Windows))
	for i, w := range v.Windows {
		names[i] = w.Name
	}
	return strings.Join(names, ",")
}

func (s *Session) listViews() (Result, error) {
	if s.Views == nil {
		return Result{}, ErrNoViewStore
	}
	list, err := s.Views.List()
	var b strings.Builder
	for _, v := range list {
		fmt.Fprintf(&b, "%s: %s%s\n", v.Name, viewWindows(v), viewThresholds(v))
	}
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(&b, "warning: %s\n", line)
		}
	}
	return Result{Output: strings.TrimSuffix(b.String(), "\n")}, nil
}

// find walks the metric tree breadth-first and lists leaves whose path matches the regex.
func (s *Session) find(ctx context.Context, c Find) (Result, error) {
	re, err := regexp.Compile("(?i)" + c.Pattern)
	if err != nil {
		return Result{}, fmt.Errorf("find: %w", err)
	}
	if s.Eval == nil {
		return Result{}, errors.New("find: no sources configured")
	}
	var found []string
	more := 0
	queue := []string{"*"}
	visited := 0
	for len(queue) > 0 && visited < maxTreeNodes {
		pattern := queue[0]
		queue = queue[1:]
		nodes, err := s.Eval.Find(ctx, pattern)
		if err != nil {
			return Result{}, fmt.Errorf("find: %w", err)
		}
		visited += len(nodes)
		for _, n := range nodes {
			if !n.Leaf {
				if strings.Count(n.Path, ".") < 32 {
					queue = append(queue, escapeGlob(n.Path)+".*")
				}
				continue
			}
			if re.MatchString(n.Path) {
				if len(found) < maxFindResults {
					found = append(found, n.Path)
				} else {
					more++
				}
			}
		}
	}
	sort.Strings(found)
	out := strings.Join(found, "\n")
	if more > 0 {
		out += fmt.Sprintf("\n(%d more not shown)", more)
	}
	if len(found) == 0 {
		out = "no metrics match " + c.Pattern
	}
	return Result{Output: out}, nil
}

// escapeGlob makes a path found in the tree safe to use as a pattern prefix.
func escapeGlob(path string) string {
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		switch path[i] {
		case '*', '?', '[', ']', '{', '}', '\\', ',', '(', ')', '\'', '"', '|':
			b.WriteByte('\\')
		}
		b.WriteByte(path[i])
	}
	return b.String()
}

func help(topic string) (Result, error) {
	var b strings.Builder
	for _, v := range verbHelp {
		if topic != "" && v.verb != topic {
			continue
		}
		fmt.Fprintf(&b, "%s\n    %s\n", v.syntax, v.what)
	}
	if b.Len() == 0 {
		return Result{}, fmt.Errorf("help: no command %q (commands: %s)", topic, strings.Join(Verbs(), ", "))
	}
	if topic == "" {
		b.WriteString("Targets use the render API: paths with * ? [a-z] {a,b}, functions such as sumSeries(a.*), " +
			"aliasByNode(a.*.b,1), movingAverage(x,'5min'), pipes a.b|scale(2). $name substitutes a variable.")
	}
	return Result{Output: strings.TrimSuffix(b.String(), "\n")}, nil
}

func (s *Session) source(ctx context.Context, c SourceFile) (Result, error) {
	if s.sourceDepth >= maxSourceDepth {
		return Result{}, fmt.Errorf("source %s: nested more than %d deep", c.Path, maxSourceDepth)
	}
	path := c.Path
	if !filepath.IsAbs(path) && s.Dir != "" {
		path = filepath.Join(s.Dir, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return Result{}, fmt.Errorf("source: %w", err)
	}
	defer f.Close()
	var out strings.Builder
	s.sourceDepth++
	effects, err := runScript(ctx, f, s, &out)
	s.sourceDepth--
	if err != nil {
		return Result{}, fmt.Errorf("source %s: %w", c.Path, err)
	}
	return Result{Output: strings.TrimSuffix(out.String(), "\n"), Effects: effects}, nil
}

// plural is "1 target", "2 targets".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
