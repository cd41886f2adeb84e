package ui

import (
	"encoding/base64"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"
)

// y puts the text screen on the clipboard with OSC 52: the terminal receives it, base64, whole.
func TestFlowCopyScreenOSC52(t *testing.T) {
	f := startFlow(t, 100, 30)
	f.keys("y")
	f.waitFor("the copy message", has("copied the screen (30 lines) to the clipboard with OSC 52"))
	f.keys("q")
	out, err := io.ReadAll(f.tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(out), "\x1b]52;c;")
	if i < 0 {
		t.Fatalf("no OSC 52 in the terminal output")
	}
	rest := string(out[i+len("\x1b]52;c;"):])
	end := strings.IndexAny(rest, "\x07\x1b")
	if end < 0 {
		t.Fatalf("OSC 52 not terminated")
	}
	text, err := base64.StdEncoding.DecodeString(rest[:end])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "Groups") || !strings.Contains(string(text), "ENC ok") || strings.Contains(string(text), "\x1b[") {
		t.Errorf("the clipboard text is not the plain screen:\n%s", text)
	}
}

// Over ssh, ctrl+s says how to fetch the file from the server.
func TestSaveHintOverSSH(t *testing.T) {
	cases := map[string]string{
		"":                                 "",
		"10.0.0.5 52000 192.0.2.7 22":      " (over ssh: scp 192.0.2.7:/s/f.json . ; y copies the screen to your clipboard)",
		"2001:db8::5 52000 2001:db8::7 22": " (over ssh: scp [2001:db8::7]:/s/f.json . ; y copies the screen to your clipboard)",
	}
	for conn, want := range cases {
		if got := fetchHint(conn, "/s/f.json"); got != want {
			t.Errorf("SSH_CONNECTION %q: %q, want %q", conn, got, want)
		}
	}
}
