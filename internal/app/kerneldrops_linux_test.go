package app

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// procUDPDrops is the drops column of /proc/net/udp for the IPv4 socket bound to 127.0.0.1:port.
func procUDPDrops(t *testing.T, port uint16) uint64 {
	t.Helper()
	data, err := os.ReadFile("/proc/net/udp")
	if err != nil {
		t.Fatal(err)
	}
	local := fmt.Sprintf("0100007F:%04X", port)
	for _, line := range strings.Split(string(data), "\n")[1:] {
		// sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
		if f := strings.Fields(line); len(f) >= 13 && f[1] == local {
			n, err := strconv.ParseUint(f[len(f)-1], 10, 64)
			if err != nil {
				t.Fatalf("/proc/net/udp drops column %q: %v", f[len(f)-1], err)
			}
			return n
		}
	}
	t.Fatalf("no socket on %s in /proc/net/udp", local)
	return 0
}

// A burst into a small receive buffer behind a stalled reader: the datagrams the kernel dropped, as
// /proc/net/udp counts them for the socket, are the snapshot's kernel drops, collect's health line's and
// /metrics', apart from the queue drops (none).
func TestKernelDropsReachSnapshotHealthLineAndMetrics(t *testing.T) {
	release := make(chan struct{})
	released := false
	defer func() {
		if !released {
			close(release)
		}
	}()
	a, _ := listening(t, Config{Listen: "127.0.0.1:0", Sockets: 1, RecvBuffer: 64 << 10, Workers: 1,
		beforeRead: func() { <-release }})
	if err := a.startMetrics("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	base := "http://" + a.cl.metrics.addr.String()
	port := a.ListenAddr().Port()

	c, err := net.Dial("udp", a.ListenAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const burst = 2000
	payload := bytes.Repeat([]byte{0x5A}, 1000) // not sFlow: each is counted as a datagram and a decode error
	for range burst {
		if _, err := c.Write(payload); err != nil {
			t.Fatal(err)
		}
	}
	kernel := procUDPDrops(t, port)
	if kernel == 0 || kernel >= burst {
		t.Fatalf("the kernel dropped %d of a burst of %d into %d bytes of buffer: the test needs some dropped and "+
			"some kept", kernel, burst, a.listener.Stats().RecvBuffer)
	}
	close(release)
	released = true
	// The kernel's count comes with each datagram read: one more after the burst carries the final one.
	if _, err := c.Write([]byte("after the burst")); err != nil {
		t.Fatal(err)
	}
	want := uint64(burst) - kernel + 1
	s := a.fleet.Publish(time.Now())
	for deadline := time.Now().Add(10 * time.Second); s.Health.Datagrams < want && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
		s = a.fleet.Publish(time.Now())
	}
	h := s.Health
	if h.KernelDrops != kernel || h.Datagrams != want || h.QueueDrops != 0 {
		t.Fatalf("snapshot: %d kernel drops, %d datagrams, %d queue drops; /proc/net/udp says %d dropped, so %d "+
			"datagrams, no queue drops", h.KernelDrops, h.Datagrams, h.QueueDrops, kernel, want)
	}
	if now := procUDPDrops(t, port); now != kernel {
		t.Errorf("/proc/net/udp drops went from %d to %d after the burst", kernel, now)
	}
	line := HealthLine(s)
	for _, f := range []string{fmt.Sprintf(" drops=0 kernel_drops=%d ", kernel),
		fmt.Sprintf(" recv_buffer=%d", a.listener.Stats().RecvBuffer)} {
		if !strings.Contains(line, f) {
			t.Errorf("health line %q: want %q", line, f)
		}
	}
	if got := scrape(t, base, "fleettop_kernel_drops_total"); got != float64(kernel) {
		t.Errorf("fleettop_kernel_drops_total %v, want %d", got, kernel)
	}
	if got := scrape(t, base, "fleettop_queue_drops_total"); got != 0 {
		t.Errorf("fleettop_queue_drops_total %v, want 0", got)
	}
	if got := scrape(t, base, "fleettop_feed_operations_total", "feed", "sflow", "result", "failed"); got != float64(kernel) {
		t.Errorf("the listener's failed operations %v, want its %d kernel drops", got, kernel)
	}
	if got := scrape(t, base, "fleettop_receive_buffer_bytes"); got != float64(a.listener.Stats().RecvBuffer) {
		t.Errorf("fleettop_receive_buffer_bytes %v, want %d", got, a.listener.Stats().RecvBuffer)
	}
	t.Logf("%d of %d dropped by the kernel; %s", kernel, burst, line)
}
