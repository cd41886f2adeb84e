package sflow

import "golang.org/x/sys/unix"

// reusePortOption lets several sockets bind one port. FreeBSD's SO_REUSEPORT would deliver every datagram to
// one socket; SO_REUSEPORT_LB spreads them as Linux's SO_REUSEPORT does.
var reusePortOption = func(fd uintptr) error {
	return unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEPORT_LB, 1)
}
