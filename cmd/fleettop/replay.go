package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// replay feeds a capture through the decoder into the model. The model's clock is the capture's timestamps.
type replay struct {
	f     *os.File
	r     *sflow.PcapReader
	speed float64 // 0: as fast as possible
	now   atomic.Int64
	// onPublish, when set, runs after each snapshot the replay publishes.
	onPublish func()
}

func openReplay(path string, port int) (*replay, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := sflow.OpenPcap(f, port)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &replay{f: f, r: r, speed: 1}, nil
}

func (rp *replay) close() { rp.f.Close() }

// clock is the capture time reached so far.
func (rp *replay) clock() time.Time { return time.Unix(0, rp.now.Load()) }

// run ingests every datagram, pacing them by their timestamps, and publishes a snapshot every second of capture
// time so the model's series advance as they would live.
func (rp *replay) run(ctx context.Context, st *stack) error {
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
		if rp.speed > 0 {
			due := wallStart.Add(time.Duration(float64(ts.Sub(first)) / rp.speed))
			if wait := time.Until(due); wait > 0 {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(wait):
				}
			}
		}
		rp.now.Store(ts.UnixNano())
		sflow.DecodeInto(dec, buf, &d, src, ts, st.fleet)
		if ts.Sub(lastPublish) >= time.Second {
			st.fleet.Publish(ts)
			lastPublish = ts
			if rp.onPublish != nil {
				rp.onPublish()
			}
		}
	}
}
