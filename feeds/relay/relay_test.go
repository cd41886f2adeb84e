package relay

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// datagram is a real sFlow v5 datagram of agent with one counters sample, tagged by seq.
func datagram(t testing.TB, agent netip.Addr, seq uint32) []byte {
	t.Helper()
	var d sflow.Datagram
	d.AgentAddr, d.SubAgentID, d.SequenceNumber, d.Uptime = agent, 1, seq, 1000
	s := d.AddSample(sflow.Sample{Kind: sflow.SampleKindCounters, SequenceNumber: seq, SourceIDClass: 2, SourceIDIndex: 1})
	d.AddHostDescr(s, sflow.HostDescr{Hostname: []byte("h")})
	b, err := sflow.AppendDatagram(nil, &d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAgentAddr(t *testing.T) {
	for _, a := range []string{"10.1.2.3", "2001:db8::7", "::ffff:10.0.0.9"} {
		want := netip.MustParseAddr(a).Unmap()
		got, ok := AgentAddr(datagram(t, netip.MustParseAddr(a), 1))
		if !ok || got != want {
			t.Errorf("agent %s: got %v %v", a, got, ok)
		}
	}
	good := datagram(t, netip.MustParseAddr("10.1.2.3"), 1)
	v4 := append([]byte(nil), good...)
	v4[3] = 4 // version 4
	badType := append([]byte(nil), good...)
	badType[7] = 9
	for name, b := range map[string][]byte{"empty": nil, "short": good[:10], "v4": v4, "type": badType,
		"short6": {0, 0, 0, 5, 0, 0, 0, 2, 1, 2, 3}} {
		if a, ok := AgentAddr(b); ok {
			t.Errorf("%s: read agent %v", name, a)
		}
	}
}

func FuzzAgentAddr(f *testing.F) {
	f.Add(datagram(f, netip.MustParseAddr("10.1.2.3"), 1))
	f.Add(datagram(f, netip.MustParseAddr("2001:db8::1"), 1))
	f.Add([]byte{0, 0, 0, 5, 0, 0, 0, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, ok := AgentAddr(b)
		if !ok {
			return
		}
		// what AgentAddr reads is what the full decoder reads
		var d sflow.Datagram
		if err := sflow.NewDecoder().Decode(b, &d); err != nil && sflow.IsDatagramError(err) {
			return
		}
		if d.AgentAddr.Unmap() != a {
			t.Fatalf("agent %v, decoder says %v", a, d.AgentAddr)
		}
	})
}

func TestParseTarget(t *testing.T) {
	ctx := context.Background()
	tg, err := ParseTarget(ctx, "127.0.0.1:7000,agent=10.0.0.0/8,agent=192.168.1.5")
	if err != nil {
		t.Fatal(err)
	}
	if tg.To != netip.MustParseAddrPort("127.0.0.1:7000") || len(tg.Agents) != 2 ||
		tg.Agents[1] != netip.MustParsePrefix("192.168.1.5/32") {
		t.Errorf("parsed %+v", tg)
	}
	for _, bad := range []string{"", "127.0.0.1", "127.0.0.1:7000,agent=x", "127.0.0.1:7000,cidr=10.0.0.0/8",
		"127.0.0.1:99999"} {
		if _, err := ParseTarget(ctx, bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// sink receives datagrams on a loopback socket.
type sink struct {
	conn *net.UDPConn
	got  chan []byte
}

func newSink(t *testing.T) *sink {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadBuffer(4 << 20)
	s := &sink{conn: conn, got: make(chan []byte, 100000)}
	go func() {
		buf := make([]byte, 65536)
		for {
			n, _, err := conn.ReadFromUDP(buf)
			if err != nil {
				close(s.got)
				return
			}
			s.got <- append([]byte(nil), buf[:n]...)
		}
	}()
	t.Cleanup(func() { conn.Close() })
	return s
}

func (s *sink) target() *Target {
	return &Target{To: s.conn.LocalAddr().(*net.UDPAddr).AddrPort()}
}

// collect reads exactly n datagrams (failing after 5 s without one) and checks that no more come within a
// moment of the last.
func (s *sink) collect(t *testing.T, n int) [][]byte {
	t.Helper()
	var out [][]byte
	for len(out) < n {
		select {
		case b := <-s.got:
			out = append(out, b)
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: %d datagrams, want %d", s.conn.LocalAddr(), len(out), n)
		}
	}
	select {
	case b := <-s.got:
		t.Fatalf("%s: datagram %d of %d bytes past the %d expected", s.conn.LocalAddr(), n+1, len(b), n)
	case <-time.After(100 * time.Millisecond):
	}
	return out
}

func TestForwarderFiltersByAgentInside(t *testing.T) {
	all, tens := newSink(t), newSink(t)
	allT, tensT := all.target(), tens.target()
	tensT.Agents = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	f, err := NewForwarder([]*Target{allT, tensT})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sent [][]byte
	wantTens := 0
	for i := range 300 {
		agent := netip.AddrFrom4([4]byte{10, 0, 0, byte(i % 7)})
		if i%3 == 0 {
			agent = netip.AddrFrom4([4]byte{192, 168, 0, byte(i % 5)})
		} else {
			wantTens++
		}
		b := datagram(t, agent, uint32(i))
		sent = append(sent, b)
		f.Send(b)
		if i%50 == 49 {
			time.Sleep(time.Millisecond) // let the receivers keep up: loopback drops nothing then
		}
	}
	f.Send([]byte("not sflow")) // goes where no agent filter applies
	gotAll := all.collect(t, len(sent)+1)
	gotTens := tens.collect(t, wantTens)
	for i, b := range sent {
		if !bytes.Equal(gotAll[i], b) {
			t.Fatalf("datagram %d changed on the way", i)
		}
	}
	for _, b := range gotTens {
		if a, _ := AgentAddr(b); !netip.MustParsePrefix("10.0.0.0/8").Contains(a) {
			t.Errorf("agent %v forwarded past agent=10.0.0.0/8", a)
		}
	}
	if s, e := tensT.Sent(); s != uint64(wantTens) || e != 0 {
		t.Errorf("target counts %d sent %d errors, want %d and 0", s, e, wantTens)
	}
}

func TestSplitterPinsAgents(t *testing.T) {
	sinks := []*sink{newSink(t), newSink(t), newSink(t)}
	var targets []*Target
	for _, s := range sinks {
		targets = append(targets, s.target())
	}
	sp, err := NewSplitter(targets)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	const agents, rounds = 60, 5
	want := make([]int, len(sinks))
	owner := map[netip.Addr]int{}
	for a := range agents {
		agent := netip.AddrFrom4([4]byte{10, 2, byte(a / 256), byte(a)})
		owner[agent] = Pick(agent, targets)
		want[owner[agent]] += rounds
	}
	src := netip.MustParseAddrPort("127.0.0.1:1")
	for r := range rounds {
		for agent := range owner {
			sp.Send(datagram(t, agent, uint32(r)), src)
		}
		time.Sleep(time.Millisecond)
	}
	// The spread, over enough agents that chance cannot fail it (the targets' ports are random): 6,000 agents
	// over 3 targets, each of which should get 2,000 ± 37.
	spread := make([]int, len(targets))
	for a := range 6000 {
		spread[Pick(netip.AddrFrom4([4]byte{10, 3, byte(a >> 8), byte(a)}), targets)]++
	}
	for i, n := range spread {
		if n < 6000/len(targets)*3/4 {
			t.Errorf("target %d gets %d of 6000 agents: the hash does not spread", i, n)
		}
	}
	for i, s := range sinks {
		for _, b := range s.collect(t, want[i]) {
			a, _ := AgentAddr(b)
			if owner[a] != i {
				t.Errorf("agent %v at target %d, belongs to %d", a, i, owner[a])
			}
		}
	}
	// the choice depends on the addresses only: reversed targets pick the same ones
	rev := []*Target{targets[2], targets[1], targets[0]}
	for agent, i := range owner {
		if rev[Pick(agent, rev)] != targets[i] {
			t.Fatalf("agent %v moves when the targets are listed in another order", agent)
		}
	}
	// removing a target moves only its own agents
	for agent, i := range owner {
		if i == 2 {
			continue
		}
		if Pick(agent, targets[:2]) != i {
			t.Errorf("agent %v moved from target %d when target 2 left", agent, i)
		}
	}
}
