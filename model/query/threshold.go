package query

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Threshold is a line a target's series should stay on one side of: `threshold NAME TARGET OP VALUE [for D]
// [clear C]`. A series raises an event once its value has been beyond Value for For, and clears it once the
// value is no longer beyond the clear line (ClearLine): hysteresis, so that a value hovering at the line does
// not raise and clear on every snapshot.
type Threshold struct {
	Name   string
	Target string // the target expression as typed
	Op     string // ">", ">=", "<" or "<="
	Value  float64
	For    time.Duration // how long the value must stay beyond Value; 0 raises at once
	// Clear is the line the value must come back past; nil is Value moved back by DefaultClearMargin of |Value|.
	Clear *float64
}

// DefaultClearMargin is how far back past a threshold's value a series must come to clear its event when the
// threshold names no clear line: 10 % of |Value| (`> 5` clears at or below 4.5).
const DefaultClearMargin = 0.10

// Bounds of thresholds.
const (
	MaxThresholds   = 100            // thresholds defined at once
	MaxThresholdFor = 24 * time.Hour // the longest `for`
)

var thresholdNameRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$`)

// ValidThresholdName: letters, digits, '_', '-', '.', at most 64, not starting with '.' or '-'.
func ValidThresholdName(s string) bool { return thresholdNameRE.MatchString(s) }

// thresholdOps are the comparison operators, longest first so that ">=" is not read as ">".
var thresholdOps = []string{">=", "<=", ">", "<"}

// up reports whether the threshold is crossed upwards (">", ">=").
func (t Threshold) up() bool { return strings.HasPrefix(t.Op, ">") }

// ClearLine is the value a raised series must come back past to clear.
func (t Threshold) ClearLine() float64 {
	if t.Clear != nil {
		return *t.Clear
	}
	m := math.Abs(t.Value) * DefaultClearMargin
	if t.up() {
		return t.Value - m
	}
	return t.Value + m
}

// Beyond reports whether v is past the threshold (NaN never is).
func (t Threshold) Beyond(v float64) bool { return compare(v, t.Op, t.Value) }

// Cleared reports whether v is no longer beyond the clear line (NaN never is): for `> 5` with the default
// margin, at or below 4.5.
func (t Threshold) Cleared(v float64) bool { return !math.IsNaN(v) && !compare(v, t.Op, t.ClearLine()) }

func compare(v float64, op string, line float64) bool {
	switch op {
	case ">":
		return v > line
	case ">=":
		return v >= line
	case "<":
		return v < line
	case "<=":
		return v <= line
	}
	return false
}

// String is the threshold as the command that defines it.
func (t Threshold) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "threshold %s %s %s %s", t.Name, t.Target, t.Op, formatNumber(t.Value))
	if t.For > 0 {
		b.WriteString(" for " + t.For.String())
	}
	if t.Clear != nil {
		b.WriteString(" clear " + formatNumber(*t.Clear))
	}
	return b.String()
}

// Describe is the threshold with its clear line spelled out, for `thresholds`.
func (t Threshold) Describe() string {
	return fmt.Sprintf("%s: %s %s %s for %s, clears at %s", t.Name, t.Target, t.Op, formatNumber(t.Value), t.For,
		formatNumber(t.ClearLine()))
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// CheckThreshold validates a threshold as a view file or a command gives it: its name, target, operator, value,
// duration and a clear line on the right side of the value.
func CheckThreshold(t Threshold) error {
	if !ValidThresholdName(t.Name) {
		return fmt.Errorf("threshold name %q: want letters, digits, '_', '-', '.' (at most 64)", t.Name)
	}
	if _, err := ParseTarget(t.Target); err != nil {
		return fmt.Errorf("threshold %s: target %q: %w", t.Name, t.Target, err)
	}
	if !isThresholdOp(t.Op) {
		return fmt.Errorf("threshold %s: operator %q: want >, >=, < or <=", t.Name, t.Op)
	}
	if math.IsNaN(t.Value) || math.IsInf(t.Value, 0) {
		return fmt.Errorf("threshold %s: the value must be a finite number", t.Name)
	}
	if t.For < 0 || t.For > MaxThresholdFor {
		return fmt.Errorf("threshold %s: for %s: want 0 to %s", t.Name, t.For, MaxThresholdFor)
	}
	if t.Clear != nil {
		c := *t.Clear
		switch {
		case math.IsNaN(c) || math.IsInf(c, 0):
			return fmt.Errorf("threshold %s: the clear line must be a finite number", t.Name)
		case t.up() && c > t.Value:
			return fmt.Errorf("threshold %s: clear %s is above %s: a value must come back below the line to clear", t.Name, formatNumber(c), formatNumber(t.Value))
		case !t.up() && c < t.Value:
			return fmt.Errorf("threshold %s: clear %s is below %s: a value must come back above the line to clear", t.Name, formatNumber(c), formatNumber(t.Value))
		}
	}
	return nil
}

func isThresholdOp(op string) bool {
	for _, o := range thresholdOps {
		if o == op {
			return true
		}
	}
	return false
}

// The threshold commands.
type (
	// SetThreshold defines a threshold, or replaces the one of that name.
	SetThreshold struct{ Threshold Threshold }
	// Thresholds lists the thresholds.
	Thresholds struct{}
	// RmThreshold removes a threshold.
	RmThreshold struct{ Name string }
)

func (SetThreshold) Verb() string { return "threshold" }
func (Thresholds) Verb() string   { return "thresholds" }
func (RmThreshold) Verb() string  { return "rmthreshold" }

// thresholdName reads a threshold's name.
func (p *cmdParser) thresholdName() (string, error) {
	name, pos := p.token(isViewChar)
	if !ValidThresholdName(name) {
		p.pos = pos
		return "", p.fail("a threshold name (letters, digits, '_', '-', '.'; not starting with '.' or '-')")
	}
	return name, nil
}

// number reads a finite number.
func (p *cmdParser) number(what string) (float64, error) {
	v, pos, err := p.value(what)
	if err != nil {
		return 0, err
	}
	f, perr := strconv.ParseFloat(v, 64)
	if perr != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, &SyntaxError{Pos: pos, Expected: what, Found: strconv.Quote(v)}
	}
	return f, nil
}

// parseThreshold parses what follows `threshold`: NAME TARGET OP VALUE [for D] [clear C], options in any order.
func parseThreshold(p *cmdParser) (Command, error) {
	var t Threshold
	var err error
	if t.Name, err = p.thresholdName(); err != nil {
		return nil, err
	}
	text, e, err := p.target()
	if err != nil {
		return nil, err
	}
	if err := Check(e); err != nil {
		return nil, err
	}
	t.Target = text
	p.skipSpace()
	for _, op := range thresholdOps {
		if strings.HasPrefix(p.src[p.pos:], op) {
			t.Op = op
			p.pos += len(op)
			break
		}
	}
	if t.Op == "" {
		return nil, p.fail("an operator (>, >=, <, <=)")
	}
	if t.Value, err = p.number("a number"); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for !p.atEnd() {
		kpos := p.pos
		kw, _ := p.token(isLetterChar)
		if seen[kw] {
			p.pos = kpos
			return nil, p.fail("each option once")
		}
		switch kw {
		case "for":
			d, derr := p.duration("a duration (30s, 5min, 1h)", "a duration from 0s to 24h (30s, 5min, 1h)", parseFor)
			if derr != nil {
				return nil, derr
			}
			t.For = d
		case "clear":
			c, cerr := p.number("a number (the clear line)")
			if cerr != nil {
				return nil, cerr
			}
			t.Clear = &c
		default:
			p.pos = kpos
			return nil, p.fail("for, clear or end of line")
		}
		seen[kw] = true
	}
	if err := CheckThreshold(t); err != nil {
		return nil, &SyntaxError{Pos: len(p.src), Expected: "a consistent threshold (" + err.Error() + ")", Found: "end of input"}
	}
	return SetThreshold{Threshold: t}, nil
}

// parseFor reads a `for` duration: a Go duration (30s, 1m30s) or a Graphite offset (5min, 1h), 0 to 24 h.
func parseFor(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		if s == "" || s[0] < '0' || s[0] > '9' {
			return 0, fmt.Errorf("for %q: not a duration", s)
		}
		if d, err = ParseOffset(s); err != nil {
			return 0, err
		}
	}
	if d < 0 || d > MaxThresholdFor {
		return 0, fmt.Errorf("for %q: want 0 to 24h", s)
	}
	return d, nil
}

// thresholdIndex finds a threshold by name.
func (s *Session) thresholdIndex(name string) int {
	for i, t := range s.Thresholds {
		if t.Name == name {
			return i
		}
	}
	return -1
}

// ThresholdNames lists the thresholds' names in the order they were defined.
func (s *Session) ThresholdNames() []string {
	out := make([]string, len(s.Thresholds))
	for i, t := range s.Thresholds {
		out[i] = t.Name
	}
	return out
}

// applyThreshold runs the threshold commands. The list is replaced, never changed in place, so that a copy
// taken earlier (the evaluator's) stays as it was.
func (s *Session) applyThreshold(cmd Command) (Result, error) {
	switch c := cmd.(type) {
	case SetThreshold:
		t := c.Threshold
		if err := s.checkTarget(Target{Expr: t.Target}); err != nil {
			return Result{}, err
		}
		next := append([]Threshold(nil), s.Thresholds...)
		if i := s.thresholdIndex(t.Name); i >= 0 {
			next[i] = t
		} else {
			if len(next) >= MaxThresholds {
				return Result{}, fmt.Errorf("at most %d thresholds can be defined (rmthreshold some)", MaxThresholds)
			}
			next = append(next, t)
		}
		s.Thresholds = next
		return Result{Output: "threshold " + t.Describe()}, nil
	case Thresholds:
		if len(s.Thresholds) == 0 {
			return Result{Output: "no thresholds (threshold NAME TARGET > VALUE [for D] defines one)"}, nil
		}
		lines := make([]string, len(s.Thresholds))
		for i, t := range s.Thresholds {
			lines[i] = t.Describe()
		}
		return Result{Output: strings.Join(lines, "\n")}, nil
	case RmThreshold:
		i := s.thresholdIndex(c.Name)
		if i < 0 {
			return Result{}, fmt.Errorf("no threshold named %q (defined: %s)", c.Name, s.thresholdList())
		}
		s.Thresholds = append(s.Thresholds[:i:i], s.Thresholds[i+1:]...)
		return Result{Output: "removed threshold " + c.Name}, nil
	}
	return Result{}, fmt.Errorf("command %q is not a threshold command", cmd.Verb())
}

func (s *Session) thresholdList() string {
	if len(s.Thresholds) == 0 {
		return "none"
	}
	return strings.Join(s.ThresholdNames(), ", ")
}

// mergeThresholds puts add's thresholds into list, replacing those of the same name, within MaxThresholds.
func mergeThresholds(list, add []Threshold) ([]Threshold, error) {
	out := append([]Threshold(nil), list...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if out[i].Name == t.Name {
				out[i], replaced = t, true
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	if len(out) > MaxThresholds {
		return nil, fmt.Errorf("more than %d thresholds", MaxThresholds)
	}
	return out, nil
}

// checkThresholds validates a view's thresholds: each, their number and unique names.
func checkThresholds(list []Threshold) error {
	if len(list) > MaxThresholds {
		return fmt.Errorf("more than %d thresholds", MaxThresholds)
	}
	seen := map[string]bool{}
	for _, t := range list {
		if err := CheckThreshold(t); err != nil {
			return err
		}
		if seen[t.Name] {
			return fmt.Errorf("threshold %s appears twice", t.Name)
		}
		seen[t.Name] = true
	}
	return nil
}

// viewThresholds names a view's thresholds for save, load and views: "" when it has none.
func viewThresholds(v View) string {
	if len(v.Thresholds) == 0 {
		return ""
	}
	names := make([]string, len(v.Thresholds))
	for i, t := range v.Thresholds {
		names[i] = t.Name
	}
	return "; thresholds " + strings.Join(names, ",")
}

// completeThreshold completes `threshold NAME TARGET OP VALUE [for D] [clear C]` and `rmthreshold NAME`: names,
// then paths, operators and options. ok is false where nothing can be offered (a number, a duration).
func (s *Session) completeThreshold(ctx context.Context, verb string, words []string, idx int, prev, head string, tokenStart *int) (cands []string, spaceAfter, ok bool) {
	switch {
	case idx == 1:
		return s.ThresholdNames(), true, true
	case verb == "rmthreshold":
		return nil, true, true
	case idx == 2:
		*tokenStart = targetTokenStart(head)
		return s.completePath(ctx, head[*tokenStart:]), false, true
	case idx == 3:
		return []string{">", ">=", "<", "<="}, true, true
	case prev == "for" || prev == "clear" || idx == 4:
		return nil, true, false
	}
	var opts []string
	for _, o := range []string{"for", "clear"} {
		if !slices.Contains(words[4:idx], o) {
			opts = append(opts, o)
		}
	}
	return opts, true, true
}
