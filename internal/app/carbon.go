package app

import (
	"context"
	"time"

	"github.com/fleettop/fleettop/feeds/graphite"
	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/model/tree"
)

// carbonPusher sends carbon what changed in the chosen part of the metric tree since its last push.
type carbonPusher struct {
	carbon *graphite.Carbon
	series *tree.CarbonSeries
	prev   *model.Snapshot
	buf    []graphite.Point
}

// push sends the changes up to s, and returns them (valid until the next push).
func (p *carbonPusher) push(s *model.Snapshot) []graphite.Point {
	if s == nil || (p.prev != nil && s.Version == p.prev.Version) {
		return nil
	}
	p.buf = p.series.AppendChanges(p.buf[:0], p.prev, s)
	p.prev = s
	p.carbon.Send(p.buf...)
	return p.buf
}

// pushLoop pushes every interval what changed since the last push: the model fills a counter's step when its
// next sample arrives, so sending only the latest values would leave gaps.
func pushLoop(ctx context.Context, fleet *model.Fleet, p *carbonPusher, every time.Duration) {
	if every <= 0 {
		every = 10 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.push(fleet.Snapshot())
		}
	}
}
