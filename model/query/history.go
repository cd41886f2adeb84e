package query

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/fleettop/fleettop/internal/atomicfile"
	"github.com/fleettop/fleettop/internal/xdg"
)

// DefaultHistoryMax is how many commands History keeps.
const DefaultHistoryMax = 500

// History is the command-line history: ↑/↓ navigation (Prev, Next) that gives back the half-typed line after
// the newest command, `!prefix` recall, persisted to a file (one command a line, oldest first, the newest max
// kept) rewritten atomically after every Add. It is safe for concurrent use: the dashboard browses it while
// the console adds to it.
type History struct {
	mu      sync.Mutex
	path    string
	max     int
	entries []string // oldest first
	pos     int      // navigation index; len(entries) means "at the line being typed"
	draft   string   // the line being typed when navigation started
}

// DefaultHistoryPath is $XDG_STATE_HOME/fleettop/history, or ~/.local/state/fleettop/history (see
// internal/xdg).
func DefaultHistoryPath() (string, error) {
	path, err := xdg.Env(os.Getenv).State("history")
	if err != nil {
		return "", fmt.Errorf("history path: %w", err)
	}
	return path, nil
}

// OpenHistory loads the history file at path (a missing file is an empty history). path "" keeps the history
// in memory only; max <= 0 means DefaultHistoryMax.
func OpenHistory(path string, max int) (*History, error) {
	if max <= 0 {
		max = DefaultHistoryMax
	}
	h := &History{path: path, max: max}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("history: %w", err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				h.entries = append(h.entries, line)
			}
		}
		if len(h.entries) > max {
			h.entries = h.entries[len(h.entries)-max:]
		}
	}
	h.pos = len(h.entries)
	return h, nil
}

// Entries returns the commands, oldest first.
func (h *History) Entries() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.entries...)
}

// Add records a command (not a blank one, nor a repeat of the last), resets navigation and saves the file.
func (h *History) Add(line string) error {
	line = strings.TrimSpace(strings.ReplaceAll(line, "\n", " "))
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pos, h.draft = len(h.entries), ""
	if line == "" || len(h.entries) > 0 && h.entries[len(h.entries)-1] == line {
		return nil
	}
	h.entries = append(h.entries, line)
	if len(h.entries) > h.max {
		h.entries = append([]string(nil), h.entries[len(h.entries)-h.max:]...)
	}
	h.pos = len(h.entries)
	if h.path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	if err := atomicfile.Write(h.path, []byte(strings.Join(h.entries, "\n")+"\n"), 0o600); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return nil
}

// Rewind ends a navigation: the next Prev starts from the newest command again (a prompt just opened).
func (h *History) Rewind() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pos, h.draft = len(h.entries), ""
}

// Prev is ↑: the previous command, remembering current as the line being typed when navigation starts. At the
// oldest command it stays there.
func (h *History) Prev(current string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.entries) == 0 {
		return current
	}
	if h.pos >= len(h.entries) {
		h.draft = current
		h.pos = len(h.entries)
	}
	if h.pos > 0 {
		h.pos--
	}
	return h.entries[h.pos]
}

// Next is ↓: the next command, and after the newest the line that was being typed. current is the line on the
// prompt; when no navigation is under way it stays as it is.
func (h *History) Next(current string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.pos >= len(h.entries) {
		return current
	}
	h.pos++
	if h.pos == len(h.entries) {
		return h.draft
	}
	return h.entries[h.pos]
}

// Recall lists the distinct commands starting with prefix, newest first (the CLI's `!prefix`).
func (h *History) Recall(prefix string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	seen := map[string]bool{}
	for i := len(h.entries) - 1; i >= 0; i-- {
		e := h.entries[i]
		if strings.HasPrefix(e, prefix) && !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// Expand turns a line "!prefix" into the newest command starting with prefix; other lines are returned as
// they are.
func (h *History) Expand(line string) (string, error) {
	if !strings.HasPrefix(line, "!") {
		return line, nil
	}
	m := h.Recall(line[1:])
	if len(m) == 0 {
		return "", fmt.Errorf("history: no command starts with %q", line[1:])
	}
	return m[0], nil
}
