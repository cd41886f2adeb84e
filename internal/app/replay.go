package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/model"
)

// Replay feeds a capture through the decoder into the model. The model's clock is the capture's timestamps.
type Replay struct {
	// Speed is how much faster than the capture's own timing datagrams are fed: 1 (OpenReplay's) is the
	// original timing, 0 as fast as possible.
	Speed float64
	// OnPublish, when set, runs after each snapshot the replay publishes.
	OnPublish func()

	f   *os.File
	r   *sflow.PcapReader
	now atomic.Int64
}

// OpenReplay opens a capture (classic pcap or pcapng) of sFlow sent to UDP port.
func OpenReplay(path string, port int) (*Replay, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := sflow.OpenPcap(f, port)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Replay{f: f, r: r, Speed: 1}, nil
}

// Close closes the capture file.
func (rp *Replay) Close() error { return rp.f.Close() }

// Clock is the capture time reached so far.
func (rp *Replay) Clock() time.Time { return time.Unix(0, rp.now.Load()) }

// Run ingests every datagram into fleet, pacing them by their timestamps, and publishes a snapshot every second
// of capture time so the model's series advance as they would live.
func (rp *Replay) Run(ctx context.Context, fleet *model.Fleet) error {
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	var first, lastPublish time.Time
	wallStart := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf, src, ts, err := rp.r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if first.IsZero() {
			first, lastPublish = ts, ts
		}
		if rp.Speed > 0 {
			due := wallStart.Add(time.Duration(float64(ts.Sub(first)) / rp.Speed))
			if wait := time.Until(due); wait > 0 {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(wait):
				}
			}
		}
		rp.now.Store(ts.UnixNano())
		sflow.DecodeInto(dec, buf, &d, src, ts, fleet)
		if ts.Sub(lastPublish) >= time.Second {
			fleet.Publish(ts)
			lastPublish = ts
			if rp.OnPublish != nil {
				rp.OnPublish()
			}
		}
	}
}
