package app

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"sync"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/model"
)

// recorder writes received datagrams to a pcap file (--record); workers call it concurrently. The first write
// error (a full disk) stops the recording at once: it is kept for health, passed to onError once, and the file
// stays readable up to the last datagram written whole.
type recorder struct {
	path    string
	f       *os.File
	w       *sflow.PcapWriter
	n       uint64 // datagrams handed to the writer
	dropped uint64 // datagrams not handed to the writer after the error
	err     error
	mu      sync.Mutex
	dst     netip.AddrPort
	onError func(error) // called once, outside the lock, on the first write error; optional
}

func newRecorder(path string) (*recorder, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	w, err := sflow.NewPcapWriter(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("record: %w", err)
	}
	return &recorder{path: path, f: f, w: w, dst: netip.MustParseAddrPort("127.0.0.1:6343")}, nil
}

// recordFlushEvery is how many datagrams the recorder buffers at most before writing them out.
const recordFlushEvery = 256

func (r *recorder) packet(p *sflow.Packet) {
	dst := r.dst
	if p.Src.Addr().Is6() {
		dst = netip.AddrPortFrom(netip.IPv6Loopback(), dst.Port())
	}
	r.mu.Lock()
	if r.err != nil {
		r.dropped++
		r.mu.Unlock()
		return
	}
	err := r.w.WriteDatagram(p.Buf, p.Src, dst, p.Time)
	if err == nil {
		r.n++
		if r.n%recordFlushEvery == 0 {
			err = r.w.Flush()
		}
	}
	failed := err != nil && r.w.Err() != nil // a write error, not a datagram the writer refused
	if failed {
		r.err = fmt.Errorf("recording to %s stopped after %d datagrams: %w", r.path, r.w.Written(), err)
		r.dropped++
	}
	onError, first := r.onError, r.err
	r.mu.Unlock()
	if failed && onError != nil {
		onError(first)
	}
}

// health is the recording's state for the status line: recording and how much, or the error that stopped it.
func (r *recorder) health() model.FeedHealth {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := model.FeedHealth{Configured: true, OK: r.err == nil}
	if r.err != nil {
		h.Summary = fmt.Sprintf("%s: stopped after %d datagrams, %d not recorded", r.path, r.w.Written(), r.dropped)
		h.LastError = r.err.Error()
	} else {
		h.Summary = fmt.Sprintf("%s: %d datagrams", r.path, r.n)
	}
	return h
}

func (r *recorder) close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	err := r.w.Close()
	if r.err != nil {
		err = r.err // reported when it happened too; the file ends at the last whole datagram
	}
	return errors.Join(err, r.f.Sync(), r.f.Close())
}
