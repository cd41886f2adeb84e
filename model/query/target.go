package query

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ExprKind says what an Expr node is.
type ExprKind uint8

// The kinds of target expression nodes.
const (
	PathExpr   ExprKind = iota + 1 // a dotted metric path, possibly with wildcards
	CallExpr                       // a function call (piped calls are rewritten into ordinary calls)
	StringExpr                     // a quoted string argument
	NumberExpr                     // a numeric argument (int, float, 1e3, inf)
	BoolExpr                       // true or false
	NoneExpr                       // none
)

// Expr is one node of a parsed render target.
type Expr struct {
	Kind ExprKind
	// Pos is the byte offset of the node's first character in the parsed text (the command line when the
	// target was parsed inside a command).
	Pos int
	// Text is the path as typed (escapes kept) for PathExpr, the function name for CallExpr, the unquoted
	// value for StringExpr and the literal as typed for NumberExpr.
	Text   string
	Num    float64
	Bool   bool
	Args   []*Expr
	Kwargs []Kwarg
}

// Kwarg is a key=value argument of a call.
type Kwarg struct {
	Name  string
	Pos   int
	Value *Expr
}

// SyntaxError is a target or command that does not parse, or names an unknown function or verb.
type SyntaxError struct {
	Pos      int    // byte offset in the parsed text
	Expected string // what the grammar wanted there
	Found    string // what it got instead, already quoted or described
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("at byte %d: expected %s, found %s", e.Pos, e.Expected, e.Found)
}

// maxDepth bounds call nesting so hostile input cannot exhaust the stack.
const maxDepth = 64

// pathSymbols are the characters that end a path element unless escaped (render grammar, §2.1).
const pathSymbols = "(){},.'\"\\|"

// Parse parses a render target (syntax only: function names and arguments are checked by Check).
func Parse(s string) (*Expr, error) {
	p := &parser{src: s}
	e, err := p.expression(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return nil, p.errorf("end of target")
	}
	return e, nil
}

// ParseTarget parses a render target and checks its functions and their arguments.
func ParseTarget(s string) (*Expr, error) {
	e, err := Parse(s)
	if err != nil {
		return nil, err
	}
	if err := Check(e); err != nil {
		return nil, err
	}
	return e, nil
}

// ParseTargetAt parses one target that starts at byte offset start of line and returns it with the offset just
// past it. Positions in the result and in errors are offsets into line. It stops at the first character that
// cannot continue the target (a space followed by a word, a comma between targets), leaving it to the caller.
func ParseTargetAt(line string, start int) (*Expr, int, error) {
	p := &parser{src: line, pos: start}
	e, err := p.expression(0)
	if err != nil {
		return nil, p.pos, err
	}
	return e, p.pos, nil
}

type parser struct {
	src string
	pos int
}

func (p *parser) errorf(expected string) error {
	return &SyntaxError{Pos: p.pos, Expected: expected, Found: describeAt(p.src, p.pos)}
}

// describeAt quotes a short piece of src at pos for an error message.
func describeAt(src string, pos int) string {
	if pos >= len(src) {
		return "end of input"
	}
	rest := src[pos:]
	if len(rest) > 24 {
		cut := 24
		for cut > 0 && !utf8.RuneStart(rest[cut]) {
			cut--
		}
		rest = rest[:cut] + "…"
	}
	return strconv.Quote(rest)
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

func (p *parser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// expression = (call | path) { '|' call }
func (p *parser) expression(depth int) (*Expr, error) {
	if depth > maxDepth {
		return nil, p.errorf(fmt.Sprintf("at most %d nested calls", maxDepth))
	}
	p.skipSpace()
	var e *Expr
	var err error
	if n := identLen(p.src[p.pos:]); n > 0 && p.pos+n < len(p.src) && p.src[p.pos+n] == '(' {
		e, err = p.call(depth, nil)
	} else {
		e, err = p.path()
	}
	if err != nil {
		return nil, err
	}
	for {
		save := p.pos
		p.skipSpace()
		if p.peek() != '|' {
			p.pos = save
			return e, nil
		}
		p.pos++
		p.skipSpace()
		n := identLen(p.src[p.pos:])
		if n == 0 || p.pos+n >= len(p.src) || p.src[p.pos+n] != '(' {
			return nil, p.errorf("a function call after '|'")
		}
		if e, err = p.call(depth, e); err != nil {
			return nil, err
		}
	}
}

// identLen is the length of the identifier ([A-Za-z_][A-Za-z0-9_]*) at the start of s, or 0.
func identLen(s string) int {
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			i++
			continue
		}
		break
	}
	return i
}

// call = name '(' [arg {',' arg}] ')'; piped is the series piped into it, which becomes the first argument.
func (p *parser) call(depth int, piped *Expr) (*Expr, error) {
	n := identLen(p.src[p.pos:])
	e := &Expr{Kind: CallExpr, Pos: p.pos, Text: p.src[p.pos : p.pos+n]}
	p.pos += n + 1 // name and '('
	if piped != nil {
		e.Args = append(e.Args, piped)
	}
	p.skipSpace()
	if p.peek() == ')' {
		p.pos++
		return e, nil
	}
	for {
		kw, isKw, err := p.kwarg(depth)
		if err != nil {
			return nil, err
		}
		if isKw {
			e.Kwargs = append(e.Kwargs, kw)
		} else {
			if len(e.Kwargs) > 0 {
				return nil, p.errorf("a keyword argument (name=value) after keyword arguments")
			}
			v, err := p.argument(depth)
			if err != nil {
				return nil, err
			}
			e.Args = append(e.Args, v)
		}
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.pos++
		case ')':
			p.pos++
			return e, nil
		default:
			return nil, p.errorf("',' or ')'")
		}
	}
}

// kwarg reads name=value if the next argument has that form.
func (p *parser) kwarg(depth int) (Kwarg, bool, error) {
	p.skipSpace()
	k := identLen(p.src[p.pos:])
	if k == 0 {
		return Kwarg{}, false, nil
	}
	q := p.pos + k
	for q < len(p.src) && (p.src[q] == ' ' || p.src[q] == '\t') {
		q++
	}
	if q >= len(p.src) || p.src[q] != '=' {
		return Kwarg{}, false, nil
	}
	kw := Kwarg{Name: p.src[p.pos : p.pos+k], Pos: p.pos}
	p.pos = q + 1
	v, err := p.argument(depth)
	if err != nil {
		return Kwarg{}, false, err
	}
	kw.Value = v
	return kw, true, nil
}

// argument = number | string | boolean | none | expression
func (p *parser) argument(depth int) (*Expr, error) {
	p.skipSpace()
	start := p.pos
	c := p.peek()
	switch {
	case c == '\'' || c == '"':
		return p.quoted()
	case c == '-' || c >= '0' && c <= '9':
		if n := numberLen(p.src[p.pos:]); n > 0 && p.endsArgument(p.pos+n) {
			text := p.src[p.pos : p.pos+n]
			v, err := strconv.ParseFloat(text, 64)
			if err != nil && !isRangeErr(err) {
				return nil, p.errorf("a number")
			}
			p.pos += n
			return &Expr{Kind: NumberExpr, Pos: start, Text: text, Num: v}, nil
		}
	default:
		if n := identLen(p.src[p.pos:]); n > 0 && p.endsArgument(p.pos+n) {
			word := p.src[p.pos : p.pos+n]
			switch strings.ToLower(word) {
			case "true", "false":
				p.pos += n
				return &Expr{Kind: BoolExpr, Pos: start, Text: strings.ToLower(word), Bool: strings.EqualFold(word, "true")}, nil
			case "none":
				p.pos += n
				return &Expr{Kind: NoneExpr, Pos: start, Text: "none"}, nil
			case "inf":
				p.pos += n
				return &Expr{Kind: NumberExpr, Pos: start, Text: "inf", Num: math.Inf(1)}, nil
			}
		}
	}
	return p.expression(depth + 1)
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// endsArgument reports whether only spaces stand between i and a ',' or ')' or the end of input, the
// lookahead the render grammar uses to tell a number from a path such as 1min.foo.
func (p *parser) endsArgument(i int) bool {
	for i < len(p.src) && (p.src[i] == ' ' || p.src[i] == '\t') {
		i++
	}
	return i >= len(p.src) || p.src[i] == ',' || p.src[i] == ')'
}

// numberLen is the length of -?digits[.digits][e-?digits] at the start of s, or 0.
func numberLen(s string) int {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	d := digits(s[i:])
	if d == 0 {
		return 0
	}
	i += d
	if i+1 < len(s) && s[i] == '.' {
		if f := digits(s[i+1:]); f > 0 {
			i += 1 + f
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && s[j] == '-' {
			j++
		}
		if x := digits(s[j:]); x > 0 {
			i = j + x
		}
	}
	return i
}

func digits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// quoted reads a quoted string. As in graphite-web the value is the raw text between the quotes: a backslash
// keeps the next character from closing the string and stays in the value (regexes keep their escapes).
func (p *parser) quoted() (*Expr, error) {
	start := p.pos
	q := p.src[p.pos]
	p.pos++
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case q:
			p.pos++
			return &Expr{Kind: StringExpr, Pos: start, Text: p.src[start+1 : p.pos-1]}, nil
		case '\\':
			p.pos += 2
		default:
			p.pos++
		}
	}
	p.pos = len(p.src)
	return nil, &SyntaxError{Pos: len(p.src), Expected: fmt.Sprintf("closing %c for the string opened at byte %d", q, start), Found: "end of input"}
}

// hasUnescaped reports whether raw string text contains c outside a backslash escape.
func hasUnescaped(raw string, c byte) bool {
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '\\':
			i++
		case c:
			return true
		}
	}
	return false
}

// path = element {'.' element}; element = {char | '\' symbol | '{' alt {',' alt} '}'}
func (p *parser) path() (*Expr, error) {
	start := p.pos
	for {
		if err := p.element(); err != nil {
			return nil, err
		}
		if p.peek() != '.' {
			break
		}
		p.pos++
	}
	return &Expr{Kind: PathExpr, Pos: start, Text: p.src[start:p.pos]}, nil
}

func (p *parser) element() error {
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '\\':
			if p.pos+1 >= len(p.src) || strings.IndexByte(pathSymbols+"=", p.src[p.pos+1]) < 0 {
				return p.errorf("one of (){},.'\"\\|= after '\\'")
			}
			p.pos += 2
		case c == '{':
			if err := p.braces(); err != nil {
				return err
			}
		case isPathChar(c):
			p.pos++
		default:
			if p.pos == start {
				return p.errorf("a metric path or function call")
			}
			return nil
		}
	}
	if p.pos == start {
		return p.errorf("a metric path or function call")
	}
	return nil
}

// braces reads {alt,alt,...}; alternatives hold path characters only (no dots, no nesting).
func (p *parser) braces() error {
	open := p.pos
	p.pos++
	for {
		altStart := p.pos
		for p.pos < len(p.src) {
			c := p.src[p.pos]
			if c == '\\' && p.pos+1 < len(p.src) && strings.IndexByte(pathSymbols+"=", p.src[p.pos+1]) >= 0 {
				p.pos += 2
				continue
			}
			if !isPathChar(c) {
				break
			}
			p.pos++
		}
		if p.pos == altStart {
			return p.errorf(fmt.Sprintf("an alternative inside the '{' at byte %d", open))
		}
		switch p.peek() {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return nil
		default:
			return p.errorf(fmt.Sprintf("',' or '}' closing the '{' at byte %d", open))
		}
	}
}

// isPathChar: printable, not a space, not a grammar symbol. Bytes of multi-byte UTF-8 characters are allowed so
// that names such as uni.café work.
func isPathChar(c byte) bool {
	if c >= 0x80 {
		return true
	}
	return c > ' ' && c < 0x7f && strings.IndexByte(pathSymbols, c) < 0
}

// writePathArg writes a metric path that is a call's argument: a bare '=' is a path character ("a;tag=v"), but
// in an argument "A=" would read as a keyword argument, so there it is escaped (\= is the same path).
func writePathArg(b *strings.Builder, path string) {
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '\\' && i+1 < len(path):
			b.WriteString(path[i : i+2])
			i++
		case c == '=':
			b.WriteString(`\=`)
		default:
			b.WriteByte(c)
		}
	}
}

// String prints the expression in canonical form: calls as name(arg,arg,key=value), strings double-quoted.
func (e *Expr) String() string {
	var b strings.Builder
	e.write(&b)
	return b.String()
}

func (e *Expr) write(b *strings.Builder) {
	switch e.Kind {
	case PathExpr, NumberExpr, BoolExpr, NoneExpr:
		b.WriteString(e.Text)
	case StringExpr:
		q := byte('"')
		if hasUnescaped(e.Text, '"') {
			q = '\''
		}
		b.WriteByte(q)
		b.WriteString(e.Text)
		b.WriteByte(q)
	case CallExpr:
		b.WriteString(e.Text)
		b.WriteByte('(')
		for i, a := range e.Args {
			if i > 0 {
				b.WriteByte(',')
			}
			if a.Kind == PathExpr {
				writePathArg(b, a.Text)
				continue
			}
			a.write(b)
		}
		for i, kw := range e.Kwargs {
			if i > 0 || len(e.Args) > 0 {
				b.WriteByte(',')
			}
			b.WriteString(kw.Name)
			b.WriteByte('=')
			kw.Value.write(b)
		}
		b.WriteByte(')')
	}
}

// Paths returns every path expression in e, in order of appearance.
func (e *Expr) Paths() []string {
	var out []string
	var walk func(*Expr)
	walk = func(x *Expr) {
		switch x.Kind {
		case PathExpr:
			out = append(out, x.Text)
		case CallExpr:
			for _, a := range x.Args {
				walk(a)
			}
			for _, kw := range x.Kwargs {
				walk(kw.Value)
			}
		}
	}
	walk(e)
	return out
}

// describeExpr names an argument for an error message.
func describeExpr(e *Expr) string {
	switch e.Kind {
	case PathExpr:
		return "path " + strconv.Quote(e.Text)
	case CallExpr:
		return "call " + e.Text + "(…)"
	case StringExpr:
		return "string " + strconv.Quote(e.Text)
	case NumberExpr:
		return "number " + e.Text
	case BoolExpr:
		return "boolean " + e.Text
	default:
		return "none"
	}
}
