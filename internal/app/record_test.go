package app

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/internal/fulldisk"
)

// --record on a full disk: the first failed write stops the recording at once, says so once through onError
// and in health, and the file stays readable up to the last whole datagram.
func TestRecorderDiskFull(t *testing.T) {
	dir := fulldisk.Mount(t, 128<<10)
	path := filepath.Join(dir, "rec.pcap")
	r, err := newRecorder(path)
	if err != nil {
		t.Fatal(err)
	}
	var reported []error
	r.onError = func(err error) { reported = append(reported, err) }
	src := netip.MustParseAddrPort("192.0.2.7:40000")
	for i := range 1000 { // 1,000 × 1,400 bytes on a 128 KiB disk
		r.packet(&sflow.Packet{Buf: make([]byte, 1400), Src: src, Time: time.Unix(1_800_000_000+int64(i), 0)})
	}
	if len(reported) != 1 || !errors.Is(reported[0], syscall.ENOSPC) {
		t.Fatalf("onError called with %v, want one ENOSPC", reported)
	}
	h := r.health()
	if h.OK || !strings.Contains(h.LastError, "no space left") || !strings.Contains(h.Summary, "stopped after") {
		t.Errorf("health %+v", h)
	}
	if err := r.close(); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("close: %v, want the recording error again", err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pr, err := sflow.OpenPcap(f, sflow.DefaultPort)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		_, _, _, err := pr.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("after %d datagrams: %v", n, err)
			}
			break
		}
		n++
	}
	if n == 0 || uint64(n) != r.w.Written() || !strings.Contains(h.Summary, fmt.Sprintf("after %d datagrams", n)) {
		t.Errorf("read back %d datagrams, writer says %d, health %q", n, r.w.Written(), h.Summary)
	}
}

// A recording that cannot even start is an error at start.
func TestRecorderDevFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	if _, err := newRecorder("/dev/full"); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("newRecorder(/dev/full): %v, want ENOSPC", err)
	}
}
