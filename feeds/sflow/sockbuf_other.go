//go:build !linux

package sflow

import (
	"fmt"
	"net"
)

// setRecvBuffer asks for size bytes and returns what the system granted. Outside Linux, setting SO_RCVBUF
// either applies the size or fails (ENOBUFS past kern.ipc.maxsockbuf on macOS and the BSDs), so the largest
// size that sets, found by halving, is the grant.
func setRecvBuffer(conn *net.UDPConn, size int) int {
	for ; size >= 4<<10; size /= 2 {
		if conn.SetReadBuffer(size) == nil {
			return size
		}
	}
	return 0
}

// recvBufferHint says how to let the system grant size bytes.
func recvBufferHint(size int) string {
	return fmt.Sprintf("raise the system's socket buffer limit (kern.ipc.maxsockbuf on macOS and the BSDs) above %d", size)
}
