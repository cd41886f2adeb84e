package app

import (
	"context"
	"net/netip"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/model"
)

// Simulate plays d of the demo fleet's virtual time straight into the model, a second at a time, publishing a
// snapshot every second (and calling each, when set, after it): what `fleettop demo` shows after d, in a
// fraction of the time.
func Simulate(ctx context.Context, f *sim.Fleet, fleet *model.Fleet, d time.Duration, each func()) error {
	dec := sflow.NewDecoder()
	var dg sflow.Datagram
	src := netip.MustParseAddrPort("127.0.0.1:6343") // as if sent over loopback
	start := f.Now()
	for t := start.Add(time.Second); !t.After(start.Add(d)); t = t.Add(time.Second) {
		if err := ctx.Err(); err != nil {
			return err
		}
		now := t
		err := f.Tick(now, func(b []byte) error {
			sflow.DecodeInto(dec, b, &dg, src, now, fleet)
			return nil
		})
		if err != nil {
			return err
		}
		fleet.Publish(now)
		if each != nil {
			each()
		}
	}
	return nil
}

// DemoWarmup is how much of the demo fleet's virtual time is played into the model before the dashboard starts:
// enough for rates, sparklines and the top lists, so that the first frame is filled rather than all "-".
const DemoWarmup = time.Minute

// WarmUp plays f's virtual time up to now straight into the model (f must start at most sim.MaxCatchUp before)
// and waits for the ENC's answers, so that the first frame the dashboard draws is filled and grouped. A sender
// then goes on from now.
func (a *App) WarmUp(ctx context.Context, f *sim.Fleet, now time.Time) error {
	if err := Simulate(ctx, f, a.fleet, now.Sub(f.Now()), nil); err != nil {
		return err
	}
	a.SettleENC(ctx, f.Now())
	return nil
}
