package ui

import (
	"strings"
	"testing"

	"github.com/fleettop/fleettop/model"
)

// Kernel drops show next to the queue drops only when there are some, with the receive buffer granted; the
// plain health lines always name the buffer, and how to raise it when the kernel granted less than asked.
func TestKernelDropsInTheStatusLine(t *testing.T) {
	h := model.Health{QueueDrops: 3, RecvBuffer: 208 << 10}
	texts := func() []string {
		var out []string
		for _, it := range statusItems(statusInput{snap: &model.Snapshot{Health: h}}) {
			out = append(out, it.text)
		}
		return out
	}
	for _, text := range texts() {
		if strings.Contains(text, "kernel") {
			t.Errorf("no kernel drops, yet the status line shows %q", text)
		}
	}
	h.KernelDrops = 12345
	got := texts()
	if len(got) < 2 || got[0] != "drops 3" || got[1] != "kernel drops 12.3k (rcvbuf 208 KiB)" {
		t.Errorf("status items %q: want the kernel drops and the buffer right after the queue drops", got)
	}
	h.RecvBufferWarning = "receive buffer is 208 KiB, asked for 32768 KiB: raise it with 'sysctl -w net.core.rmem_max=33554432'"
	lines := strings.Join(healthLines(&model.Snapshot{Health: h}), "\n")
	for _, want := range []string{"kernel drops 12.3k", "receive buffer 208 KiB: receive buffer is 208 KiB", "net.core.rmem_max=33554432"} {
		if !strings.Contains(lines, want) {
			t.Errorf("health lines\n%s\nwant %q", lines, want)
		}
	}
}
