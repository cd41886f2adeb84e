package query

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Command is one parsed command line.
type Command interface {
	Verb() string
}

// Effect is something a command asks of the UI or the model (grouping, filtering, theme, refresh, clearing
// the console, showing an inline graph); the Session returns effects, it does not perform them.
type Effect interface {
	effect()
}

// The commands. Window "*" in Change and Close means every window.
type (
	Create struct{ Window string }
	Draw   struct {
		Targets     []Target
		Window      string // "" draws inline, without a window
		From, Until string
		Every       time.Duration
		HasEvery    bool
	}
	Add struct {
		Target Target
		Window string
	}
	Remove struct {
		Target string
		Window string
	}
	Change struct{ Window, Param, Value string }
	Redraw struct {
		Window string
		Every  time.Duration
	}
	URL  struct{ Window string }
	Save struct{ View string }
	Load struct {
		View  string
		Above bool // keep the open windows
	}
	Views    struct{}
	RmView   struct{ View string }
	Rename   struct{ Window, NewName string }
	Close    struct{ Window string }
	SetVar   struct{ Name, Value string }
	UnsetVar struct{ Name string }
	Vars     struct{}
	Echo     struct{ Text string }
	Find     struct{ Pattern string }
	Help     struct{ Topic string }
	// Clear clears the console; it is also the effect the UI acts on.
	Clear struct{}
	// GroupBy groups the fleet by an ENC field (fleettop's own verb, also an effect).
	GroupBy struct{ Key string }
	// Filter filters the host list; Invert when the expression starts with '!'. An empty Expr clears it.
	Filter struct {
		Expr   string
		Invert bool
	}
	SetTheme   struct{ Name string }
	SetRefresh struct{ Every time.Duration }
	SourceFile struct{ Path string }
	// Inline is the effect of a draw without a window: show this ad-hoc window once.
	Inline struct{ Window Window }
)

func (Create) Verb() string     { return "create" }
func (Draw) Verb() string       { return "draw" }
func (Add) Verb() string        { return "add" }
func (Remove) Verb() string     { return "remove" }
func (Change) Verb() string     { return "change" }
func (Redraw) Verb() string     { return "redraw" }
func (URL) Verb() string        { return "url" }
func (Save) Verb() string       { return "save" }
func (Load) Verb() string       { return "load" }
func (Views) Verb() string      { return "views" }
func (RmView) Verb() string     { return "rmview" }
func (Rename) Verb() string     { return "rename" }
func (Close) Verb() string      { return "close" }
func (SetVar) Verb() string     { return "set" }
func (UnsetVar) Verb() string   { return "unset" }
func (Vars) Verb() string       { return "vars" }
func (Echo) Verb() string       { return "echo" }
func (Find) Verb() string       { return "find" }
func (Help) Verb() string       { return "help" }
func (Clear) Verb() string      { return "clear" }
func (GroupBy) Verb() string    { return "group" }
func (Filter) Verb() string     { return "filter" }
func (SetTheme) Verb() string   { return "set" }
func (SetRefresh) Verb() string { return "set" }
func (SourceFile) Verb() string { return "source" }

func (Clear) effect()      {}
func (GroupBy) effect()    {}
func (Filter) effect()     {}
func (SetTheme) effect()   {}
func (SetRefresh) effect() {}
func (Inline) effect()     {}

// verbHelp is the syntax of every verb, for `help` and completion.
var verbHelp = []struct{ verb, syntax, what string }{
	{"create", "create WINDOW", "open an empty graph window"},
	{"draw", "draw TARGET[,TARGET...] [in WINDOW] [from TIME] [until TIME] [every N] [on SOURCE]", "draw targets (in a window, or inline); options in any order; every N = redraw every N minutes (or 30s, 5min)"},
	{"add", "add TARGET to WINDOW [on SOURCE]", "add one target to a window"},
	{"remove", "remove TARGET from WINDOW", "remove a target from a window"},
	{"change", "change WINDOW|* PARAM [to] VALUE", "set a graph parameter (from, until, title, vtitle, yMin, yMax, areaMode, lineMode, ...); an empty value resets it"},
	{"redraw", "redraw WINDOW every N", "redraw a window every N minutes (0 stops)"},
	{"url", "url WINDOW", "print the window's render URL"},
	{"rename", "rename WINDOW to NEWNAME", "rename a window"},
	{"close", "close WINDOW|*", "close a window"},
	{"threshold", "threshold NAME TARGET >|>=|<|<= VALUE [for D] [clear C]", "raise an event for each series of TARGET beyond VALUE for D (30s, 5min; default 0); it clears back past C (default 10 % of VALUE short of it); prefer group targets (groups.*.http.5xx_pct)"},
	{"thresholds", "thresholds", "list the thresholds"},
	{"rmthreshold", "rmthreshold NAME", "remove a threshold"},
	{"save", "save VIEW", "save all windows and thresholds as a view"},
	{"load", "load VIEW [above]", "replace the windows and thresholds with a saved view (above: keep them)"},
	{"views", "views", "list saved views"},
	{"rmview", "rmview VIEW", "delete a saved view"},
	{"set", "set NAME VALUE | set theme NAME | set refresh DURATION", "set a $variable, the theme or the data refresh"},
	{"unset", "unset NAME", "forget a variable"},
	{"vars", "vars", "list variables"},
	{"echo", "echo TEXT", "print text"},
	{"find", "find REGEX", "list metric paths matching a case-insensitive regex"},
	{"group", "group by KEY", "group hosts by an ENC field"},
	{"filter", "filter [!]EXPR", "filter hosts (! inverts; empty clears)"},
	{"source", "source FILE", "run the commands in a file"},
	{"clear", "clear", "clear the console"},
	{"help", "help [VERB]", "this text"},
}

// Verbs lists every verb, sorted as in help.
func Verbs() []string {
	out := make([]string, len(verbHelp))
	for i, v := range verbHelp {
		out[i] = v.verb
	}
	return out
}

type cmdParser struct {
	src string
	pos int
}

func (p *cmdParser) fail(expected string) error {
	return &SyntaxError{Pos: p.pos, Expected: expected, Found: describeAt(p.src, p.pos)}
}

func (p *cmdParser) skipSpace() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

func (p *cmdParser) atEnd() bool {
	p.skipSpace()
	return p.pos >= len(p.src)
}

func (p *cmdParser) end() error {
	if !p.atEnd() {
		return p.fail("end of line")
	}
	return nil
}

// token reads a run of bytes accepted by ok, after spaces; empty if none.
func (p *cmdParser) token(ok func(byte) bool) (string, int) {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.src) && ok(p.src[p.pos]) {
		p.pos++
	}
	return p.src[start:p.pos], start
}

func isWindowChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
func isViewChar(c byte) bool   { return isWindowChar(c) || c == '.' || c == '-' }
func isWordChar(c byte) bool   { return c != ' ' && c != '\t' }
func isLetterChar(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func (p *cmdParser) window(allowAll bool) (string, error) {
	p.skipSpace()
	if allowAll && p.pos < len(p.src) && p.src[p.pos] == '*' {
		p.pos++
		return "*", nil
	}
	w, _ := p.token(isWindowChar)
	if w == "" || len(w) > 64 {
		if allowAll {
			return "", p.fail("a window name (letters, digits, _) or *")
		}
		return "", p.fail("a window name (letters, digits, _)")
	}
	return w, nil
}

func (p *cmdParser) view() (string, error) {
	start := p.pos
	v, vpos := p.token(isViewChar)
	if !ValidViewName(v) {
		p.pos = vpos
		if v == "" {
			p.pos = start
			p.skipSpace()
		}
		return "", p.fail("a view name (letters, digits, '_', '-', '.'; not starting with '.' or '-')")
	}
	return v, nil
}

// keyword consumes word if it is next (followed by a space or the end).
func (p *cmdParser) keyword(word string) bool {
	save := p.pos
	w, _ := p.token(isLetterChar)
	if w == word && (p.pos >= len(p.src) || p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		return true
	}
	p.pos = save
	return false
}

func (p *cmdParser) expectKeyword(word string) error {
	if !p.keyword(word) {
		p.skipSpace()
		return p.fail("'" + word + "'")
	}
	return nil
}

// value reads one word or one quoted string (for times and durations).
func (p *cmdParser) value(what string) (string, int, error) {
	p.skipSpace()
	start := p.pos
	if p.pos < len(p.src) && (p.src[p.pos] == '"' || p.src[p.pos] == '\'') {
		q := p.src[p.pos]
		end := strings.IndexByte(p.src[p.pos+1:], q)
		if end < 0 {
			return "", start, p.fail("a closing quote")
		}
		p.pos += end + 2
		return p.src[start+1 : p.pos-1], start, nil
	}
	v, _ := p.token(isWordChar)
	if v == "" {
		return "", start, p.fail(what)
	}
	return v, start, nil
}

// rest is the remainder of the line, trimmed.
func (p *cmdParser) rest() (string, int) {
	p.skipSpace()
	start := p.pos
	p.pos = len(p.src)
	return strings.TrimRight(p.src[start:], " \t"), start
}

// stripQuotes removes one pair of matching surrounding quotes.
func stripQuotes(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// target reads one target (syntax only) and returns its text as typed.
func (p *cmdParser) target() (string, *Expr, error) {
	p.skipSpace()
	start := p.pos
	e, end, err := ParseTargetAt(p.src, p.pos)
	if err != nil {
		return "", nil, err
	}
	p.pos = end
	return p.src[start:end], e, nil
}

func (p *cmdParser) timeValue(what string) (string, error) {
	v, pos, err := p.value("a time (-20min, now, 22:41_20261124, ...)")
	if err != nil {
		return "", err
	}
	if _, err := ParseTime(v, time.Now()); err != nil {
		return "", &SyntaxError{Pos: pos, Expected: what + " time (-20min, -1h, now, HH:MM_YYYYMMDD, YYYYMMDD, epoch)", Found: strconv.Quote(v)}
	}
	return v, nil
}

func (p *cmdParser) every() (time.Duration, error) {
	return p.duration("an interval (minutes, or 30s, 5min)", "an interval (minutes, or 30s, 5min, 1h)", ParseEvery)
}

// duration reads a word (what, when missing) and parses it; a word parse refuses is an error expecting valid.
func (p *cmdParser) duration(what, valid string, parse func(string) (time.Duration, error)) (time.Duration, error) {
	v, pos, err := p.value(what)
	if err != nil {
		return 0, err
	}
	d, err := parse(v)
	if err != nil {
		return 0, &SyntaxError{Pos: pos, Expected: valid, Found: strconv.Quote(v)}
	}
	return d, nil
}

// ParseCommand parses one command line (after $variable substitution). Errors are *SyntaxError with the
// byte position in line and what was expected there; trailing junk is an error.
func ParseCommand(line string) (Command, error) {
	p := &cmdParser{src: line}
	verb, vpos := p.token(isLetterChar)
	if verb == "" && p.pos < len(p.src) && p.src[p.pos] == '?' {
		p.pos++
		verb = "help"
	}
	if verb == "" || p.pos < len(p.src) && p.src[p.pos] != ' ' && p.src[p.pos] != '\t' {
		p.pos = vpos
		return nil, p.fail("a command (" + strings.Join(Verbs(), ", ") + ")")
	}
	var cmd Command
	var err error
	switch verb {
	case "create":
		cmd, err = parseCreate(p)
	case "draw":
		cmd, err = parseDraw(p)
	case "add":
		cmd, err = parseAdd(p)
	case "remove":
		cmd, err = parseRemove(p)
	case "change":
		cmd, err = parseChange(p)
	case "redraw":
		var c Redraw
		if c.Window, err = p.window(false); err == nil {
			if err = p.expectKeyword("every"); err == nil {
				c.Every, err = p.every()
			}
		}
		cmd = c
	case "url":
		var c URL
		c.Window, err = p.window(false)
		cmd = c
	case "close":
		var c Close
		c.Window, err = p.window(true)
		cmd = c
	case "rename":
		var c Rename
		if c.Window, err = p.window(false); err == nil {
			if err = p.expectKeyword("to"); err == nil {
				c.NewName, err = p.window(false)
			}
		}
		cmd = c
	case "save":
		var c Save
		c.View, err = p.view()
		cmd = c
	case "load":
		var c Load
		if c.View, err = p.view(); err == nil {
			c.Above = p.keyword("above")
		}
		cmd = c
	case "rmview":
		var c RmView
		c.View, err = p.view()
		cmd = c
	case "views":
		cmd = Views{}
	case "threshold":
		cmd, err = parseThreshold(p)
	case "thresholds":
		cmd = Thresholds{}
	case "rmthreshold":
		var c RmThreshold
		c.Name, err = p.thresholdName()
		cmd = c
	case "vars":
		cmd = Vars{}
	case "clear":
		cmd = Clear{}
	case "set":
		cmd, err = parseSet(p)
	case "unset":
		var c UnsetVar
		c.Name, err = p.varName()
		cmd = c
	case "echo":
		text, _ := p.rest()
		cmd = Echo{Text: text}
	case "find":
		text, pos := p.rest()
		if text == "" {
			return nil, p.fail("a regular expression")
		}
		if _, rerr := regexp.Compile("(?i)" + text); rerr != nil {
			return nil, &SyntaxError{Pos: pos, Expected: "a regular expression", Found: fmt.Sprintf("%q (%v)", text, rerr)}
		}
		cmd = Find{Pattern: text}
	case "help":
		topic, _ := p.token(isLetterChar)
		cmd = Help{Topic: topic}
	case "group":
		if err = p.expectKeyword("by"); err == nil {
			key, _ := p.token(func(c byte) bool { return isViewChar(c) || c == ':' })
			if key == "" {
				return nil, p.fail("an ENC field name")
			}
			cmd = GroupBy{Key: key}
		}
	case "filter":
		text, _ := p.rest()
		f := Filter{Expr: text}
		if strings.HasPrefix(text, "!") {
			f.Invert, f.Expr = true, strings.TrimSpace(text[1:])
		}
		cmd = f
	case "source":
		path, _ := p.rest()
		if path = stripQuotes(path); path == "" {
			return nil, p.fail("a file name")
		}
		cmd = SourceFile{Path: path}
	default:
		p.pos = vpos
		return nil, p.fail("a command (" + strings.Join(Verbs(), ", ") + ")")
	}
	if err != nil {
		return nil, err
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	return cmd, nil
}

func parseCreate(p *cmdParser) (Command, error) {
	w, err := p.window(false)
	return Create{Window: w}, err
}

func parseDraw(p *cmdParser) (Command, error) {
	var c Draw
	var exprs []*Expr
	for {
		text, e, err := p.target()
		if err != nil {
			return nil, err
		}
		c.Targets = append(c.Targets, Target{Expr: text})
		exprs = append(exprs, e)
		save := p.pos
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		p.pos = save
		break
	}
	seen := map[string]bool{}
	source := ""
	for !p.atEnd() {
		kpos := p.pos
		kw, _ := p.token(isLetterChar)
		if seen[kw] {
			p.pos = kpos
			return nil, p.fail("each option once")
		}
		var err error
		switch kw {
		case "in":
			c.Window, err = p.window(false)
		case "from":
			c.From, err = p.timeValue("a from")
		case "until":
			c.Until, err = p.timeValue("an until")
		case "every":
			c.Every, err = p.every()
			c.HasEvery = true
		case "on":
			source, err = p.window(false)
		default:
			p.pos = kpos
			return nil, p.fail("',', in, from, until, every, on or end of line")
		}
		if err != nil {
			return nil, err
		}
		seen[kw] = true
	}
	if c.HasEvery && c.Window == "" {
		return nil, &SyntaxError{Pos: len(p.src), Expected: "in WINDOW (every needs a window)", Found: "end of input"}
	}
	for i := range c.Targets {
		c.Targets[i].Source = source
		if source == "" {
			if err := Check(exprs[i]); err != nil {
				return nil, err
			}
		}
	}
	return c, nil
}

func parseAdd(p *cmdParser) (Command, error) {
	text, e, err := p.target()
	if err != nil {
		return nil, err
	}
	c := Add{Target: Target{Expr: text}}
	if err := p.expectKeyword("to"); err != nil {
		return nil, err
	}
	if c.Window, err = p.window(false); err != nil {
		return nil, err
	}
	if p.keyword("on") {
		if c.Target.Source, err = p.window(false); err != nil {
			return nil, err
		}
	}
	if c.Target.Source == "" {
		if err := Check(e); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func parseRemove(p *cmdParser) (Command, error) {
	text, _, err := p.target()
	if err != nil {
		return nil, err
	}
	c := Remove{Target: text}
	if err := p.expectKeyword("from"); err != nil {
		return nil, err
	}
	c.Window, err = p.window(false)
	return c, err
}

func parseChange(p *cmdParser) (Command, error) {
	var c Change
	var err error
	if c.Window, err = p.window(true); err != nil {
		return nil, err
	}
	param, ppos := p.token(isLetterChar)
	if _, ok := renderParams[param]; !ok {
		p.pos = ppos
		return nil, p.fail("a parameter (" + strings.Join(ParamNames(), ", ") + ")")
	}
	c.Param = param
	if p.atEnd() {
		return nil, p.fail("to VALUE")
	}
	p.keyword("to") // `change W from to -20min` (the CLI's form) and `change W from -20min` (shorthand)
	value, vpos := p.rest()
	c.Value = stripQuotes(value)
	probe := Window{Name: "probe"}
	if err := probe.setParam(c.Param, c.Value, time.Now()); err != nil {
		return nil, &SyntaxError{Pos: vpos, Expected: "a value for " + c.Param + " (" + err.Error() + ")", Found: strconv.Quote(value)}
	}
	return c, nil
}

var varNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

func (p *cmdParser) varName() (string, error) {
	name, pos := p.token(isWindowChar)
	if !varNameRE.MatchString(name) {
		p.pos = pos
		return "", p.fail("a variable name (letter or _, then letters, digits, _)")
	}
	return name, nil
}

func parseSet(p *cmdParser) (Command, error) {
	name, err := p.varName()
	if err != nil {
		return nil, err
	}
	switch name {
	case "theme":
		theme, pos := p.token(func(c byte) bool { return isWindowChar(c) || c == '-' })
		if theme == "" {
			p.pos = pos
			return nil, p.fail("a theme name")
		}
		return SetTheme{Name: theme}, nil
	case "refresh":
		d, err := p.duration("a refresh interval (1s, 500ms, 2)", "a refresh interval between 100ms and 1h (1s, 500ms, 2)", parseRefresh)
		if err != nil {
			return nil, err
		}
		return SetRefresh{Every: d}, nil
	}
	value, _ := p.rest()
	value = stripQuotes(value)
	if value == "" {
		return nil, p.fail("a value")
	}
	if len(value) > 1024 {
		return nil, p.fail("a value of at most 1024 bytes")
	}
	return SetVar{Name: name, Value: value}, nil
}

// parseRefresh: a bare number is seconds; otherwise a Go duration or a Graphite offset.
func parseRefresh(s string) (time.Duration, error) {
	var d time.Duration
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		d = time.Duration(f * float64(time.Second))
	} else if g, err := time.ParseDuration(s); err == nil {
		d = g
	} else if o, err := ParseOffset(s); err == nil && s != "" && s[0] >= '0' && s[0] <= '9' {
		d = o
	} else {
		return 0, fmt.Errorf("refresh %q: not a duration", s)
	}
	if d < 100*time.Millisecond || d > time.Hour {
		return 0, fmt.Errorf("refresh %q: want 100ms to 1h", s)
	}
	return d, nil
}
