package sflow

import (
	"fmt"
	"net"

	"golang.org/x/sys/unix"
)

// reusePortOption lets several sockets bind one port, the kernel spreading datagrams over them by source.
var reusePortOption = func(fd uintptr) error {
	return unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEPORT, 1)
}

// setRecvBuffer asks for size bytes (SO_RCVBUFFORCE first, which root may use past rmem_max) and returns what
// the kernel granted. Linux reports twice the usable size; the halved figure is what the user asked about.
func setRecvBuffer(conn *net.UDPConn, size int) int {
	rc, err := conn.SyscallConn()
	if err != nil {
		return 0
	}
	granted := 0
	_ = rc.Control(func(fd uintptr) {
		if unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, size) != nil {
			_ = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, size)
		}
		if v, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF); err == nil {
			granted = v / 2
		}
	})
	return granted
}

// recvBufferHint says how to let the kernel grant size bytes.
func recvBufferHint(size int) string {
	return fmt.Sprintf("raise it with 'sysctl -w net.core.rmem_max=%d'", size)
}
