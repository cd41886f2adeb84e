package query

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// argKind is what a function parameter accepts.
type argKind uint8

const (
	kSeries          argKind = iota // a series list: path or call
	kNumber                         // any number
	kInt                            // an integral number
	kIntOrInf                       // an integral number or inf
	kString                         // a quoted string
	kBool                           // true/false
	kNodeOrTag                      // an integral node index or a quoted tag name
	kInterval                       // a quoted time offset such as "1h"
	kIntOrInterval                  // a point count or a quoted interval
	kAggFunc                        // a quoted aggregation name: "sum", "average", ...
	kAggOrSeriesFunc                // an aggregation name or an aggregating function name ("sumSeries")
	kTotal                          // asPercent's total: a series list, a number or none
	kConsolidation                  // consolidateBy's function
)

var kindNames = map[argKind]string{
	kSeries:          "a series list (path or function call)",
	kNumber:          "a number",
	kInt:             "an integer",
	kIntOrInf:        "an integer or inf",
	kString:          "a quoted string",
	kBool:            "true or false",
	kNodeOrTag:       "a node index or a quoted tag name",
	kInterval:        `a quoted interval such as "1h"`,
	kIntOrInterval:   `a point count or a quoted interval such as "5min"`,
	kAggFunc:         `a quoted aggregation ("sum", "average", "max", ...)`,
	kAggOrSeriesFunc: `a quoted aggregation ("sum", "average", ...) or function ("sumSeries")`,
	kTotal:           "a series list, a number or none",
	kConsolidation:   `one of "sum", "average", "avg", "avg_zero", "min", "max", "first", "last"`,
}

type param struct {
	name     string
	kind     argKind
	required bool
	multiple bool // takes every remaining positional argument
}

// function is one render function: its parameters and its evaluation.
type function struct {
	params []param
	// lazy: the first argument is not evaluated before the call, because the function evaluates it itself
	// over another time range (movingAverage's bootstrap, timeShift).
	lazy bool
	eval func(ec *evalCtx, a *callArgs) ([]Series, error)
}

// maxWindowPoints bounds a moving window given as a point count.
const maxWindowPoints = 1_000_000

// aggregatorAggs maps the aggregating functions usable as a groupByNode callback to their aggregation.
var aggregatorAggs = map[string]string{
	"sumSeries": "sum", "sum": "sum", "averageSeries": "average", "avg": "average", "maxSeries": "max",
	"minSeries": "min", "diffSeries": "diff", "multiplySeries": "multiply", "stddevSeries": "stddev",
	"rangeOfSeries": "rangeOf", "countSeries": "count",
}

var consolidations = []string{"sum", "average", "avg", "avg_zero", "min", "max", "first", "last"}

// FunctionNames lists the render functions fleettop evaluates, sorted (for completion and help).
func FunctionNames() []string {
	names := make([]string, 0, len(functions))
	for n := range functions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Check verifies that every function in e exists and gets arguments of the right kinds. Errors are
// *SyntaxError with the position of the offending name or argument.
func Check(e *Expr) error {
	return checkSeries(e, "target")
}

func checkSeries(e *Expr, what string) error {
	switch e.Kind {
	case PathExpr:
		return nil
	case CallExpr:
		_, err := bind(e)
		return err
	}
	return &SyntaxError{Pos: e.Pos, Expected: what + ": a series list (path or function call)", Found: describeExpr(e)}
}

// callArgs holds a call's arguments bound to the function's parameters.
type callArgs struct {
	call  *Expr
	fn    *function
	exprs [][]*Expr    // per parameter, the argument expressions (several for a multiple parameter)
	lists [][][]Series // per parameter and argument, the evaluated series lists
}

// bind matches a call's arguments to its function's parameters and checks their kinds.
func bind(e *Expr) (*callArgs, error) {
	fn := functions[e.Text]
	if fn == nil {
		return nil, &SyntaxError{Pos: e.Pos, Expected: "a known function (sumSeries, scale, aliasByNode, ...)", Found: fmt.Sprintf("unknown function %q", e.Text)}
	}
	a := &callArgs{call: e, fn: fn, exprs: make([][]*Expr, len(fn.params))}
	pi := 0
	for _, arg := range e.Args {
		if pi >= len(fn.params) {
			return nil, &SyntaxError{Pos: arg.Pos, Expected: fmt.Sprintf("')': %s takes at most %d arguments", e.Text, len(fn.params)), Found: describeExpr(arg)}
		}
		a.exprs[pi] = append(a.exprs[pi], arg)
		if !fn.params[pi].multiple {
			pi++
		}
	}
	for _, kw := range e.Kwargs {
		idx := -1
		for i, p := range fn.params {
			if p.name == kw.Name {
				idx = i
			}
		}
		if idx < 0 {
			return nil, &SyntaxError{Pos: kw.Pos, Expected: "a parameter of " + e.Text + " (" + paramList(fn) + ")", Found: fmt.Sprintf("%q", kw.Name)}
		}
		if len(a.exprs[idx]) > 0 {
			return nil, &SyntaxError{Pos: kw.Pos, Expected: "each parameter once", Found: fmt.Sprintf("%s given twice", kw.Name)}
		}
		a.exprs[idx] = []*Expr{kw.Value}
	}
	for i, p := range fn.params {
		if p.required && len(a.exprs[i]) == 0 {
			return nil, &SyntaxError{Pos: e.Pos + len(e.Text), Expected: fmt.Sprintf("argument %s (%s) of %s(%s)", p.name, kindNames[p.kind], e.Text, paramList(fn)), Found: "none given"}
		}
		for _, x := range a.exprs[i] {
			if err := checkKind(e.Text, p, x); err != nil {
				return nil, err
			}
		}
	}
	return a, nil
}

func paramList(fn *function) string {
	names := make([]string, len(fn.params))
	for i, p := range fn.params {
		names[i] = p.name
		if p.multiple {
			names[i] += "..."
		}
	}
	return strings.Join(names, ", ")
}

func checkKind(fname string, p param, x *Expr) error {
	bad := func() error {
		return &SyntaxError{Pos: x.Pos, Expected: fmt.Sprintf("%s for %s of %s", kindNames[p.kind], p.name, fname), Found: describeExpr(x)}
	}
	isInt := x.Kind == NumberExpr && x.Num == math.Trunc(x.Num) && !math.IsInf(x.Num, 0) && math.Abs(x.Num) < 1<<31
	if x.Kind == NoneExpr && !p.required {
		return nil
	}
	switch p.kind {
	case kSeries:
		if x.Kind != PathExpr && x.Kind != CallExpr {
			return bad()
		}
		return checkSeries(x, p.name)
	case kTotal:
		if x.Kind == NumberExpr || x.Kind == NoneExpr {
			return nil
		}
		if x.Kind != PathExpr && x.Kind != CallExpr {
			return bad()
		}
		return checkSeries(x, p.name)
	case kNumber:
		if x.Kind != NumberExpr {
			return bad()
		}
	case kInt:
		if !isInt {
			return bad()
		}
	case kIntOrInf:
		if !isInt && !(x.Kind == NumberExpr && math.IsInf(x.Num, 1)) {
			return bad()
		}
	case kString:
		if x.Kind != StringExpr {
			return bad()
		}
	case kBool:
		if x.Kind != BoolExpr {
			return bad()
		}
	case kNodeOrTag:
		if !isInt && x.Kind != StringExpr {
			return bad()
		}
	case kInterval:
		if x.Kind != StringExpr {
			return bad()
		}
		if _, err := parseInterval(x.Text); err != nil {
			return bad()
		}
	case kIntOrInterval:
		if isInt && x.Num > 0 && x.Num <= maxWindowPoints {
			return nil
		}
		if x.Kind != StringExpr {
			return bad()
		}
		if _, err := parseInterval(x.Text); err != nil {
			return bad()
		}
	case kAggFunc:
		if x.Kind != StringExpr || aggFuncs[strings.TrimSuffix(x.Text, "Series")] == nil {
			return bad()
		}
	case kAggOrSeriesFunc:
		if x.Kind != StringExpr || aggFuncs[x.Text] == nil && aggregatorAggs[x.Text] == "" {
			return bad()
		}
	case kConsolidation:
		if x.Kind != StringExpr || indexOf(consolidations, x.Text) < 0 {
			return bad()
		}
	}
	return nil
}

// Argument accessors used by the function implementations; bind has checked the kinds.

func (a *callArgs) has(i int) bool {
	return i < len(a.exprs) && len(a.exprs[i]) > 0 && a.exprs[i][0].Kind != NoneExpr
}

// series is parameter i's series, every argument of a multiple parameter concatenated.
func (a *callArgs) series(i int) []Series {
	var out []Series
	if i < len(a.lists) {
		for _, l := range a.lists[i] {
			out = append(out, l...)
		}
	}
	return out
}

func (a *callArgs) num(i int, def float64) float64 {
	if !a.has(i) {
		return def
	}
	return a.exprs[i][0].Num
}

func (a *callArgs) str(i int, def string) string {
	if !a.has(i) {
		return def
	}
	return a.exprs[i][0].Text
}

func (a *callArgs) boolean(i int, def bool) bool {
	if !a.has(i) {
		return def
	}
	return a.exprs[i][0].Bool
}

// nodes are parameter i's node indexes and tag names, as given.
func (a *callArgs) nodes(i int) []*Expr {
	if i >= len(a.exprs) {
		return nil
	}
	return a.exprs[i]
}
