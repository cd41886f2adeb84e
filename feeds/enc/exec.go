package enc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/fleettop/fleettop/internal/procgroup"
)

// execWaitDelay bounds how long a finished or killed classifier may keep its output pipe open through a child
// it left behind.
const execWaitDelay = 500 * time.Millisecond

// maxStderr is how much of a classifier's stderr is quoted in an error.
const maxStderr = 512

// ExecSource runs an external node classifier under Puppet's contract: `Command Args... CERTNAME`, a YAML node on
// stdout; a non-zero exit or whitespace-only output means not found; stderr is not parsed (it is quoted in
// errors). When ctx is done the classifier's whole process group is killed. Identical answers share one Node.
type ExecSource struct {
	Command string
	Args    []string // fixed arguments before the certname (Puppet's external_nodes may carry some)
	Limits  Limits   // per answer; stdout beyond Limits.MaxBytes is not kept

	interned interner
}

// NewExecSource returns a source running command with args and the certname appended.
func NewExecSource(command string, args ...string) *ExecSource {
	return &ExecSource{Command: command, Args: args}
}

// ParseExecCommand reads a classifier command line as Puppet reads its external_nodes setting: split at white
// space into the command and fixed arguments (`/etc/puppet/node.rb --no-environment`), without quotes or
// escapes. Puppet requires an absolute command path; fleettop also looks a bare name up in PATH.
func ParseExecCommand(line string) (*ExecSource, error) {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return nil, errors.New("enc exec: empty command")
	}
	return NewExecSource(fields[0], fields[1:]...), nil
}

// Lookup runs the classifier for certname.
func (s *ExecSource) Lookup(ctx context.Context, certname string) (*Node, error) {
	where := "enc exec " + s.Command + " " + certname
	if err := checkCertname(certname); err != nil {
		return nil, fmt.Errorf("enc exec %s: %w", s.Command, err)
	}
	argv := append(s.Args[:len(s.Args):len(s.Args)], certname)
	cmd := exec.CommandContext(ctx, s.Command, argv...)
	lim := s.Limits.withDefaults()
	stdout := &cappedBuffer{max: lim.MaxBytes}
	stderr := &cappedBuffer{max: maxStderr}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = execWaitDelay
	procgroup.KillOnCancel(cmd)

	err := cmd.Run()
	if err != nil && ctx.Err() != nil {
		return nil, fmt.Errorf("%s: %w", where, ctx.Err())
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && exitErr.Exited():
		return nil, fmt.Errorf("%s: exit status %d%s: %w", where, exitErr.ExitCode(), stderr.quote(), ErrNotFound)
	case errors.Is(err, exec.ErrWaitDelay):
		// It exited 0 but something it started still holds stdout: the answer it printed is complete.
	default:
		return nil, fmt.Errorf("%s: %w%s", where, err, stderr.quote())
	}
	if stdout.overflow {
		return nil, fmt.Errorf("%s: %w", where, lim.tooLarge())
	}
	n, err := s.interned.parse(stdout.Bytes(), lim)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("%s: empty output%s: %w", where, stderr.quote(), ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return n, nil
}

// cappedBuffer keeps the first max bytes written and swallows the rest, so a chatty classifier neither grows
// memory nor blocks on a full pipe. The buffer is a field, not embedded: an embedded bytes.Buffer's ReadFrom
// would let io.Copy bypass the cap.
type cappedBuffer struct {
	buf      bytes.Buffer
	max      int
	overflow bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); len(p) > room {
		b.overflow = true
		b.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *cappedBuffer) Bytes() []byte { return b.buf.Bytes() }

// quote renders captured stderr for an error message, or "" when there was none.
func (b *cappedBuffer) quote() string {
	text := strings.TrimSpace(b.buf.String())
	if text == "" {
		return ""
	}
	if b.overflow {
		text += "..."
	}
	return fmt.Sprintf(" (stderr: %q)", text)
}
