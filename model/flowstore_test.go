package model

import (
	"net/netip"
	"testing"
	"time"
	"unsafe"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
)

// simFleet ingests secs virtual seconds of the simulated fleet of hosts servers and publishes.
func simFleet(t testing.TB, opt Options, hosts int, secs int) (*Fleet, *Snapshot) {
	fl := sim.New(sim.Options{Seed: 7, Hosts: hosts, Start: t0})
	f := NewFleet(opt)
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	var now time.Time
	for at := 100 * time.Millisecond; at <= time.Duration(secs)*time.Second; at += 100 * time.Millisecond {
		now = t0.Add(at)
		err := fl.Tick(now, func(buf []byte) error {
			if err := dec.Decode(buf, &d); err != nil {
				return err
			}
			f.Ingest(&d, netip.AddrPortFrom(d.AgentAddr, 6343), now)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return f, f.Publish(now)
}

func TestFlowRecordSize(t *testing.T) {
	if got := unsafe.Sizeof(flowRecord{}); got != flowRecordSize {
		t.Fatalf("flowRecord is %d bytes, flowRecordSize says %d", got, flowRecordSize)
	}
}

func TestFlowsScratch(t *testing.T) {
	f, s := simFleet(t, Options{}, 600, 70)
	t.Logf("window %v..%v hosts %d", s.WindowStart, s.WindowEnd, len(s.Hosts))
	recs := 0
	for _, sh := range f.shards {
		recs += int(sh.flows.next - sh.flows.first)
	}
	t.Logf("records %d", recs)
	for _, h := range s.Hosts[:40] {
		st := time.Now()
		fl := f.HostFlows(h.ID, 5)
		t.Logf("%s %s %s: talkers %d urls %d keys %d recs %d partial %v in %v", h.ID, h.Name, h.Group, len(fl.Talkers), len(fl.URLs), len(fl.Keys), fl.Records, fl.Partial, time.Since(st))
	}
}
