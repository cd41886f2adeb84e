package query

import (
	"bufio"
	"context"
	"fmt"
	"io"
)

// maxScriptLine bounds one script line.
const maxScriptLine = 1 << 20

// ScriptError is the first failing line of a script.
type ScriptError struct {
	Line int
	Err  error
}

func (e *ScriptError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *ScriptError) Unwrap() error { return e.Err }

// RunScript runs command lines from r against s, writing what each prints to out. Blank lines and lines
// starting with # are skipped; it stops at the first failing line with a *ScriptError naming it.
func RunScript(r io.Reader, s *Session, out io.Writer) error {
	_, err := runScript(context.Background(), r, s, out)
	return err
}

// RunScriptContext is RunScript with a context for sources that fetch over the network.
func RunScriptContext(ctx context.Context, r io.Reader, s *Session, out io.Writer) error {
	_, err := runScript(ctx, r, s, out)
	return err
}

func runScript(ctx context.Context, r io.Reader, s *Session, out io.Writer) ([]Effect, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxScriptLine)
	var effects []Effect
	n := 0
	for sc.Scan() {
		n++
		res, err := s.Execute(ctx, sc.Text())
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
	if err := sc.Err(); err != nil {
		return effects, &ScriptError{Line: n + 1, Err: err}
	}
	return effects, nil
}
