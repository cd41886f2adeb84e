package sflow

import (
	"bytes"
	"errors"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/fleettop/fleettop/internal/fulldisk"
)

// On a disk that fills up, the first failing write returns ENOSPC, every later call returns it too, and the
// capture reads back cleanly up to the last datagram written whole, each one as it was sent.
func TestPcapWriterDiskFull(t *testing.T) {
	dir := fulldisk.Mount(t, 256<<10)
	f, err := os.Create(filepath.Join(dir, "rec.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := NewPcapWriter(f)
	if err != nil {
		t.Fatal(err)
	}
	src, dst := netip.MustParseAddrPort("192.0.2.1:50000"), netip.MustParseAddrPort("127.0.0.1:6343")
	ts := time.Unix(1_800_000_000, 0)
	payload := func(i int) []byte { // 1,000 to 1,999 bytes, so records straddle the buffer and page ends
		p := bytes.Repeat([]byte{byte(i)}, 1000+i*37%1000)
		p[0] = byte(i >> 8)
		return p
	}
	var first error
	sent := 0
	for i := 0; i < 2000 && first == nil; i++ {
		if first = w.WriteDatagram(payload(i), src, dst, ts.Add(time.Duration(i)*time.Millisecond)); first == nil {
			sent++
		}
	}
	if first == nil {
		first = w.Flush()
	}
	if !errors.Is(first, syscall.ENOSPC) {
		t.Fatalf("first error %v, want ENOSPC", first)
	}
	if !errors.Is(w.Err(), syscall.ENOSPC) {
		t.Errorf("Err() = %v", w.Err())
	}
	if err := w.WriteDatagram([]byte("more"), src, dst, ts); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("a write after the failure: %v", err)
	}
	if err := w.Close(); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Close: %v", err)
	}

	r, err := os.Open(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	pr, err := OpenPcap(r, 6343)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		got, from, _, err := pr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("datagram %d: %v (the capture is torn)", n, err)
		}
		if !bytes.Equal(got, payload(n)) || from != src {
			t.Fatalf("datagram %d read back wrong (%d bytes from %v)", n, len(got), from)
		}
		n++
	}
	// Everything up to the last whole record survived: at most one buffer's worth was lost with the disk.
	if n == 0 || n > sent || (sent-n)*1000 > pcapBuffer+2000 || uint64(n) != w.Written() {
		t.Errorf("read back %d datagrams of %d accepted, %d written", n, sent, w.Written())
	}
	if st := pr.Stats(); st.Truncated != 0 {
		t.Errorf("reader stats %+v", st)
	}
}

// /dev/full fails the very first write: NewPcapWriter reports it at once.
func TestPcapWriterDevFull(t *testing.T) {
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	defer f.Close()
	if _, err := NewPcapWriter(f); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("NewPcapWriter on /dev/full: %v, want ENOSPC", err)
	}
}
