//go:build !linux && !freebsd

package sflow

// reusePortOption is nil where the system does not spread one port's datagrams over several sockets (macOS's
// and the other BSDs' SO_REUSEPORT hands them all to one socket, Windows has no equivalent): Listen refuses
// more than one socket there.
var reusePortOption func(fd uintptr) error
