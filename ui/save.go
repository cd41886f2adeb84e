package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"

	"github.com/fleettop/fleettop/internal/atomicfile"
	"github.com/fleettop/fleettop/internal/xdg"
	"github.com/fleettop/fleettop/model"
)

func stripANSI(s string) string { return ansi.Strip(s) }

// snapDir is where ctrl+s writes: Options.SnapDir, or $XDG_STATE_HOME/fleettop (~/.local/state/fleettop), which
// it creates.
func (m *Model) snapDir() (string, error) {
	if m.opt.SnapDir != "" {
		return filepath.Abs(m.opt.SnapDir)
	}
	dir, err := xdg.Env(m.getenv).State()
	if err != nil {
		return "", fmt.Errorf("save: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("save: %w", err)
	}
	return dir, nil
}

// saveSnapshot writes the screen as text and the shown Snapshot as JSON next to it, and says where.
func (m *Model) saveSnapshot() {
	if m.snap == nil {
		m.setMessage("nothing to save: no snapshot yet", toneWarn)
		return
	}
	dir, err := m.snapDir()
	if err != nil {
		m.setMessage(err.Error(), toneBad)
		return
	}
	stamp := m.c.Now().Format("20060102-150405")
	txt, js, err := writeSnapshotFiles(dir, "fleettop-"+stamp, m.Screen(), m.snap)
	if err != nil {
		m.setMessage(err.Error(), toneBad)
		return
	}
	m.setMessage("saved the screen to "+txt+" and the snapshot to "+js+fetchHint(m.getenv("SSH_CONNECTION"), js),
		toneGood)
}

// fetchHint tells a user on ssh (SSH_CONNECTION's "client port server port") how to get a saved file, and that
// y copies the screen to their own clipboard.
func fetchHint(sshConn, path string) string {
	f := strings.Fields(sshConn)
	if len(f) < 3 {
		return ""
	}
	host := f[2]
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return " (over ssh: scp " + host + ":" + path + " . ; y copies the screen to your clipboard)"
}

// copyScreen puts the screen as text on the terminal's clipboard with OSC 52, which reaches the clipboard of
// the machine the terminal runs on, over ssh too, if the terminal allows it (tmux: set -g set-clipboard on).
func (m *Model) copyScreen() tea.Cmd {
	scr := m.Screen()
	m.setMessage("copied the screen ("+strconv.Itoa(strings.Count(scr, "\n")+1)+
		" lines) to the clipboard with OSC 52 (if the terminal allows it)", toneGood)
	return tea.SetClipboard(scr)
}

// writeSnapshotFiles writes base.txt (the screen) and base.json (the snapshot, as --snapshot-json writes it) in
// dir, each atomically, and returns their paths.
func writeSnapshotFiles(dir, base, screen string, s *model.Snapshot) (txtPath, jsonPath string, err error) {
	txtPath = filepath.Join(dir, base+".txt")
	jsonPath = filepath.Join(dir, base+".json")
	if err := atomicfile.Write(txtPath, []byte(screen+"\n"), 0o644); err != nil {
		return "", "", fmt.Errorf("save screen: %w", err)
	}
	if err := s.WriteJSONFile(jsonPath); err != nil {
		return "", "", fmt.Errorf("save %s: %w", jsonPath, err)
	}
	return txtPath, jsonPath, nil
}
