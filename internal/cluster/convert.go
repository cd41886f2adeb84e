package cluster

import (
	"net/netip"
	"time"

	"github.com/fleettop/fleettop/model"
)

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func addrBytes(a netip.Addr) []byte {
	if !a.IsValid() {
		return nil
	}
	return a.AsSlice()
}

func bytesAddr(b []byte) netip.Addr {
	a, _ := netip.AddrFromSlice(b)
	return a
}

func feedOut(f model.FeedHealth) Feed { return Feed(f) }
func feedIn(f Feed) model.FeedHealth  { return model.FeedHealth(f) }

// stateOf is the state message of snapshot s of collector id (started at start, publish number seq).
func stateOf(s *model.Snapshot, id string, start int64, seq uint64) *State {
	st := &State{V: Version, Collector: id, Start: start, Seq: seq, Time: nanos(s.Time), Window: int64(s.Window),
		WindowStart: nanos(s.WindowStart), WindowEnd: nanos(s.WindowEnd), Horizon: nanos(s.Horizon),
		Step: int64(s.Step), Points: seriesPoints(s), GroupBy: s.GroupBy, Fields: s.Fields}
	h := &s.Health
	st.Health = Health{Datagrams: h.Datagrams, DatagramsPerSec: h.DatagramsPerSec, QueueDrops: h.QueueDrops,
		Lost: h.Lost, Duplicates: h.Duplicates, Restarts: h.Restarts, SampleDrops: h.SampleDrops,
		LostSamples: h.LostSamples, DecodeErrors: h.DecodeErrors, UnknownRecords: h.UnknownRecords,
		Disallowed: h.Disallowed, RecvBuffer: h.RecvBuffer, ENC: feedOut(h.ENC), Graphite: feedOut(h.Graphite),
		Carbon: feedOut(h.Carbon), KernelDrops: h.KernelDrops}
	st.Hosts = make([]Host, len(s.Hosts))
	for i, h := range s.Hosts {
		st.Hosts[i] = hostOut(h)
	}
	if len(s.Devices) > 0 {
		st.Devices = make([]Host, len(s.Devices))
		for i, d := range s.Devices {
			st.Devices[i] = hostOut(d)
		}
	}
	st.Agents = make([]Agent, len(s.Agents))
	for i, a := range s.Agents {
		st.Agents[i] = Agent{Addr: addrBytes(a.Addr), SubAgent: a.SubAgent, Datagrams: a.Datagrams,
			DatagramsPerSec: a.DatagramsPerSec, Samples: a.Samples, Lost: a.Lost, Duplicates: a.Duplicates,
			Restarts: a.Restarts, DecodeErrors: a.DecodeErrors, UnknownRecords: a.UnknownRecords,
			SampleDrops: a.SampleDrops, LostSamples: a.LostSamples, DeclaredRate: a.DeclaredRate,
			EffectiveRate: a.EffectiveRate, LastSeen: nanos(a.LastSeen)}
	}
	st.BySrc = talkersOut(s.TalkersBySrc, s.Bounds.TalkersBySrc)
	st.ByDst = talkersOut(s.TalkersByDst, s.Bounds.TalkersByDst)
	st.ByPair = talkersOut(s.TalkersByPair, s.Bounds.TalkersByPair)
	st.URLs.Bound = Bound(s.Bounds.URLs)
	for _, r := range s.URLs {
		st.URLs.Rows = append(st.URLs.Rows, URL{Host: r.Host, Path: r.Path, Server: r.Server, Group: r.Group,
			Rate: r.Rate, Status: r.Status, MeanMS: r.MeanMS, P95MS: r.P95MS, ErrRate: r.ErrRate})
	}
	st.Keys.Bound = Bound(s.Bounds.Keys)
	for _, r := range s.Keys {
		st.Keys.Rows = append(st.Keys.Rows, Key{Key: r.Key, Server: r.Server, Group: r.Group, Rate: r.Rate,
			HitRatio: r.HitRatio, Cmds: r.Cmds[:], ErrRate: r.ErrRate})
	}
	return st
}

// seriesPoints is the length of the snapshot's series (every host, device and group series has it).
func seriesPoints(s *model.Snapshot) int {
	for _, g := range s.Groups {
		return len(g.History.CPU)
	}
	for h := range hostsAndDevices(s) {
		for _, n := range h.Series {
			return len(n.Points)
		}
	}
	return 0
}

func talkersOut(rows []model.TalkerRow, b model.TableBound) Talkers {
	t := Talkers{Bound: Bound(b)}
	for _, r := range rows {
		t.Rows = append(t.Rows, Talker{Src: addrBytes(r.Src), Dst: addrBytes(r.Dst), SrcGroup: r.SrcGroup,
			DstGroup: r.DstGroup, SrcHost: r.SrcHost, DstHost: r.DstHost, Protocol: r.Protocol, SrcPort: r.SrcPort,
			DstPort: r.DstPort, Bytes: r.Bytes, Packets: r.Packets, ErrBytes: r.ErrBytes})
	}
	return t
}

func hostOut(r *model.HostRow) Host {
	return Host{ID: r.ID, Name: r.Name, Agent: addrBytes(r.Agent), Group: r.Group, State: uint8(r.State),
		LastSeen: nanos(r.LastSeen), DupName: r.DupName, CPU: r.CPU, Load1: r.Load1, MemUsedPct: r.MemUsedPct,
		MemTotal: r.MemTotal, DiskRead: r.DiskRead, DiskWrite: r.DiskWrite, DiskUsedPct: r.DiskUsedPct,
		NetIn: r.NetIn, NetOut: r.NetOut, HTTPRate: r.HTTPRate, HTTP5xxPct: r.HTTP5xxPct, MemcacheOps: r.MemcacheOps,
		MemcacheHit: r.MemcacheHit, JVMHeapUsed: r.JVMHeapUsed, JVMGCRate: r.JVMGCRate, MemcacheGets: r.MemcacheGets,
		JVM: jvmOut(r.JVM), Device: deviceOut(r.Device)}
}

// infoOf is the info message of host r, without its header (V, collector, start, seq).
func infoOf(r *model.HostRow) *Info {
	return &Info{Host: r.ID, UUID: r.UUID, Parent: r.Parent, OS: r.OS, Apps: r.Apps, ENCStatus: r.ENCStatus,
		Classes: r.Classes, Environment: r.Environment, Params: r.Params}
}

// hostIn is the row of h, described by in when there is one.
func hostIn(h *Host, in *Info) *model.HostRow {
	r := &model.HostRow{ID: h.ID, Name: h.Name, Agent: bytesAddr(h.Agent), Group: h.Group,
		State: model.HostState(h.State), LastSeen: fromNanos(h.LastSeen), DupName: h.DupName, CPU: h.CPU,
		Load1: h.Load1, MemUsedPct: h.MemUsedPct, MemTotal: h.MemTotal, DiskRead: h.DiskRead, DiskWrite: h.DiskWrite,
		DiskUsedPct: h.DiskUsedPct, NetIn: h.NetIn, NetOut: h.NetOut, HTTPRate: h.HTTPRate, HTTP5xxPct: h.HTTP5xxPct,
		MemcacheOps: h.MemcacheOps, MemcacheHit: h.MemcacheHit, JVMHeapUsed: h.JVMHeapUsed, JVMGCRate: h.JVMGCRate,
		MemcacheGets: h.MemcacheGets, JVM: jvmIn(h.JVM), Device: deviceIn(h.Device)}
	if in != nil {
		r.UUID, r.Parent, r.OS, r.Apps, r.ENCStatus = in.UUID, in.Parent, in.OS, in.Apps, in.ENCStatus
		r.Classes, r.Environment, r.Params = in.Classes, in.Environment, in.Params
	}
	return r
}

func agentIn(a *Agent) *model.AgentRow {
	return &model.AgentRow{Addr: bytesAddr(a.Addr), SubAgent: a.SubAgent, Datagrams: a.Datagrams,
		DatagramsPerSec: a.DatagramsPerSec, Samples: a.Samples, Lost: a.Lost, Duplicates: a.Duplicates,
		Restarts: a.Restarts, DecodeErrors: a.DecodeErrors, UnknownRecords: a.UnknownRecords,
		SampleDrops: a.SampleDrops, LostSamples: a.LostSamples, DeclaredRate: a.DeclaredRate,
		EffectiveRate: a.EffectiveRate, LastSeen: fromNanos(a.LastSeen)}
}

// seriesOf is the series message of host, whose series have their last point in step lastBin.
func seriesOf(host string, series []model.NamedSeries, id string, start int64, seq uint64, step time.Duration,
	lastBin int64) *Series {
	s := &Series{V: Version, Collector: id, Start: start, Seq: seq, Host: host, Step: int64(step), LastBin: lastBin,
		Series: make([]Named, len(series))}
	for i, n := range series {
		s.Series[i] = Named{Name: n.Name, Unit: n.Unit, Points: n.Points}
	}
	return s
}
