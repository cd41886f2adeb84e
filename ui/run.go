package ui

import (
	"context"
	"errors"
	"fmt"
	"io"

	tea "charm.land/bubbletea/v2"
)

// defaultFPS caps redraws: the data changes once a second, keys need to feel immediate, nothing needs more.
const defaultFPS = 15

// Run shows the dashboard on the terminal until the user quits or ctx ends (which is not an error). in and out
// are the terminal; nil means stdin and stdout.
func Run(ctx context.Context, src Fleet, cl Console, opt Options, in io.Reader, out io.Writer) error {
	m, err := New(src, cl, opt)
	if err != nil {
		return err
	}
	p := tea.NewProgram(m, programOptions(ctx, opt, in, out)...)
	_, err = p.Run()
	if err != nil && ctx.Err() != nil && (errors.Is(err, tea.ErrProgramKilled) || errors.Is(err, context.Canceled)) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("ui: %w", err)
	}
	return nil
}

func programOptions(ctx context.Context, opt Options, in io.Reader, out io.Writer) []tea.ProgramOption {
	fps := opt.FPS
	if fps <= 0 {
		fps = defaultFPS
	}
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithFPS(fps)}
	if opt.Environ != nil {
		opts = append(opts, tea.WithEnvironment(opt.Environ))
	}
	if in != nil {
		opts = append(opts, tea.WithInput(in))
	}
	if out != nil {
		opts = append(opts, tea.WithOutput(out))
	}
	return opts
}
