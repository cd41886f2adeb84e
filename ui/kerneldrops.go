package ui

import (
	"strconv"

	"github.com/fleettop/fleettop/model"
)

// kernelDropsItem is the status line's count of datagrams the kernel dropped (a full socket receive buffer),
// with the buffer it granted: shown next to the queue drops when there are some.
func kernelDropsItem(h *model.Health) statusItem {
	text := "kernel drops " + counter(h.KernelDrops)
	if h.RecvBuffer > 0 {
		text += " (rcvbuf " + strconv.Itoa(h.RecvBuffer>>10) + " KiB)"
	}
	return statusItem{text: text, short: "kdrop " + counter(h.KernelDrops), tone: toneBad, keep: 89}
}

// recvBufferLine is the receive buffer the kernel granted, and how to raise it when it is less than asked.
func recvBufferLine(h *model.Health) string {
	line := "receive buffer " + strconv.Itoa(h.RecvBuffer>>10) + " KiB"
	if h.RecvBufferWarning != "" {
		line += ": " + sanitize(h.RecvBufferWarning)
	}
	return line
}
