package query

import (
	"bufio"
	"context"
	"fmt"
	"io"
)

// Bounds of a script: one line, and the lines of one script (each `source`d file counts its own).
const (
	maxScriptLine  = 1 << 20
	maxScriptLines = 1_000_000
)

// ScriptError is the first failing line of a script.
type ScriptError struct {
	Line int
	Err  error
}

func (e *ScriptError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *ScriptError) Unwrap() error { return e.Err }

// RunScriptContext runs command lines from r against s, writing what each prints to out. Blank lines and lines
// starting with # are skipped; it stops at the first failing line with a *ScriptError naming it, and between
// lines once ctx is done (SIGTERM, a time limit), with a *ScriptError naming the next line and wrapping ctx's
// error, even while it waits for its next line from a pipe. Sources that fetch over the network get ctx too.
func RunScriptContext(ctx context.Context, r io.Reader, s *Session, out io.Writer) error {
	_, err := runScript(ctx, r, s, out)
	return err
}

// scriptLine is one line read, or the reader's final error.
type scriptLine struct {
	text string
	err  error
}

// readLines reads r's lines into a channel until r ends, fails or done closes. A read blocked in r when done
// closes ends with it.
func readLines(r io.Reader, done <-chan struct{}) <-chan scriptLine {
	lines := make(chan scriptLine)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 4096), maxScriptLine)
		for sc.Scan() {
			select {
			case lines <- scriptLine{text: sc.Text()}:
			case <-done:
				return
			}
		}
		if err := sc.Err(); err != nil {
			select {
			case lines <- scriptLine{err: err}:
			case <-done:
			}
		}
	}()
	return lines
}

func runScript(ctx context.Context, r io.Reader, s *Session, out io.Writer) ([]Effect, error) {
	done := make(chan struct{})
	defer close(done)
	lines := readLines(r, done)
	var effects []Effect
	for n := 1; ; n++ {
		var line scriptLine
		var more bool
		select {
		case <-ctx.Done():
			return effects, &ScriptError{Line: n, Err: fmt.Errorf("script stopped: %w", ctx.Err())}
		case line, more = <-lines:
		}
		switch {
		case !more:
			return effects, nil
		case line.err != nil:
			return effects, &ScriptError{Line: n, Err: line.err}
		case n > maxScriptLines:
			return effects, &ScriptError{Line: n, Err: fmt.Errorf("script longer than %d lines", maxScriptLines)}
		case ctx.Err() != nil: // both were ready: stop rather than run one more line
			return effects, &ScriptError{Line: n, Err: fmt.Errorf("script stopped: %w", ctx.Err())}
		}
		res, err := s.Execute(ctx, line.text)
		if err != nil {
			return effects, &ScriptError{Line: n, Err: err}
		}
		effects = append(effects, res.Effects...)
		if res.Output != "" {
			if _, err := fmt.Fprintln(out, res.Output); err != nil {
				return effects, fmt.Errorf("write output: %w", err)
			}
		}
	}
}
