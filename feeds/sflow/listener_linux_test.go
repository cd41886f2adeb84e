package sflow

import (
	"bytes"
	"context"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// procUDPDrops is the drops column of /proc/net/udp (or udp6) for conn's socket, found by its inode.
func procUDPDrops(t *testing.T, conn *net.UDPConn) uint64 {
	t.Helper()
	rc, err := conn.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var st unix.Stat_t
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = unix.Fstat(int(fd), &st) }); err != nil || serr != nil {
		t.Fatalf("fstat of the socket: %v %v", err, serr)
	}
	inode := strconv.FormatUint(st.Ino, 10)
	for _, table := range []string{"/proc/net/udp", "/proc/net/udp6"} {
		data, err := os.ReadFile(table)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n")[1:] {
			f := strings.Fields(line)
			// sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
			if len(f) >= 13 && f[9] == inode {
				n, err := strconv.ParseUint(f[len(f)-1], 10, 64)
				if err != nil {
					t.Fatalf("%s: drops column %q: %v", table, f[len(f)-1], err)
				}
				return n
			}
		}
	}
	t.Fatalf("socket inode %s not in /proc/net/udp or udp6", inode)
	return 0
}

// waitReceived waits (at most 5 s) until the listener has read n datagrams.
func waitReceived(t *testing.T, l *Listener, n uint64) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); l.Stats().Received < n; {
		if time.Now().After(deadline) {
			t.Fatalf("received %d datagrams, want %d", l.Stats().Received, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A burst into a small receive buffer behind a stalled reader overflows it: the listener counts what the
// kernel dropped, the same number /proc/net/udp shows for the socket.
func TestListenerCountsKernelDrops(t *testing.T) {
	release := make(chan struct{})
	l, err := Listen(ListenerOptions{Addr: "127.0.0.1:0", RecvBuffer: 64 << 10, BeforeRead: func() { <-release }})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.Serve(context.Background(), nopSink{}, PipelineOptions{})
	}()
	defer func() {
		l.Close()
		<-done
	}()
	const burst = 2000
	payload := bytes.Repeat([]byte{0x5A}, 1000)
	payloads := make([][]byte, burst)
	for i := range payloads {
		payloads[i] = payload
	}
	sendUDP(t, l.LocalAddr().String(), payloads...)
	kernel := procUDPDrops(t, l.conns[0])
	if kernel == 0 || kernel >= burst {
		t.Fatalf("the kernel dropped %d of a burst of %d into %d bytes of buffer: the test needs some dropped and some kept",
			kernel, burst, l.Stats().RecvBuffer)
	}
	if st := l.Stats(); st.Received != 0 || st.KernelDrops != 0 {
		t.Fatalf("stalled reader: %+v", st)
	}
	close(release)
	waitReceived(t, l, burst-kernel)
	// The count travels with each datagram: the ones queued before the buffer filled carry less. One more
	// datagram after the burst carries the final count.
	sendUDP(t, l.LocalAddr().String(), []byte("after the burst"))
	waitReceived(t, l, burst-kernel+1)
	st := l.Stats()
	if st.KernelDrops != kernel {
		t.Errorf("listener counted %d kernel drops, /proc/net/udp says %d", st.KernelDrops, kernel)
	}
	if st.Received+st.KernelDrops != burst+1 || st.QueueDrops != 0 {
		t.Errorf("stats %+v: received and kernel drops should add up to the %d sent", st, burst+1)
	}
	if now := procUDPDrops(t, l.conns[0]); now != kernel {
		t.Errorf("/proc/net/udp drops went from %d to %d after the burst", kernel, now)
	}
}
