//go:build linux

package sflow_test

import (
	"context"
	"net"
	"net/netip"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/ipv4"
	"golang.org/x/sys/unix"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/internal/cputime"
)

// discardSink counts what the pipeline hands it and keeps nothing.
type discardSink struct{ n atomic.Uint64 }

func (s *discardSink) Ingest(*sflow.Datagram, netip.AddrPort, time.Time) { s.n.Add(1) }
func (s *discardSink) Reject(netip.AddrPort, error, time.Time)           { s.n.Add(1) }

// benchFleet is a 600-host simulated fleet's datagrams, 10 s of them.
func benchFleet(tb testing.TB) [][]byte {
	start := time.Unix(1767225600, 0)
	f := sim.New(sim.Options{Seed: 1, Hosts: 600, Start: start})
	var pool [][]byte
	for s := 1; s <= 10; s++ {
		if err := f.Tick(start.Add(time.Duration(s)*time.Second), func(b []byte) error {
			pool = append(pool, append([]byte(nil), b...))
			return nil
		}); err != nil {
			tb.Fatal(err)
		}
	}
	return pool
}

// threadCPU is the CPU time of the calling OS thread.
func threadCPU() time.Duration {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
	return time.Duration(ts.Nano())
}

// processCPU is the CPU time of the whole process.
func processCPU() time.Duration {
	t, _ := cputime.Process()
	return t
}

// BenchmarkReceive sends b.N datagrams of a simulated fleet over loopback (sendmmsg batches from one locked
// thread, never more than a window ahead of what arrived, so nothing is lost) through the listener and the
// decoding pipeline into a sink that discards them. One op is one datagram. rx-ns/dgram is the CPU time of the
// process less the sender thread's, per datagram: the receive path's cost (the kernel's loopback delivery runs
// on the sender's thread and is not in it); dgrams/s/core is its inverse.
func BenchmarkReceive(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run("workers="+string(rune('0'+workers)), func(b *testing.B) { benchReceive(b, workers) })
	}
}

func benchReceive(b *testing.B, workers int) {
	pool := benchFleet(b)
	l, err := sflow.Listen(sflow.ListenerOptions{Addr: "127.0.0.1:0", RecvBuffer: 32 << 20, QueueLen: 16384})
	if err != nil {
		b.Fatal(err)
	}
	var sink discardSink
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		serveListener(ctx, l, &sink, workers)
		close(done)
	}()
	defer func() {
		l.Close()
		cancel()
		<-done
	}()
	conn, err := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(l.LocalAddr()))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	pc := ipv4.NewPacketConn(conn)

	const batch, window = 64, 4096
	msgs := make([]ipv4.Message, batch)
	for i := range msgs {
		msgs[i].Buffers = make([][]byte, 1)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	start := time.Now()
	sendCPU := make(chan time.Duration)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		t0 := threadCPU()
		sent, next := 0, 0
		for sent < b.N {
			for sent-int(sink.n.Load()) > window {
				time.Sleep(20 * time.Microsecond)
			}
			n := min(batch, b.N-sent)
			for i := range n {
				msgs[i].Buffers[0] = pool[next]
				next = (next + 1) % len(pool)
			}
			k, err := pc.WriteBatch(msgs[:n], 0)
			if err != nil {
				time.Sleep(time.Millisecond) // ENOBUFS: the next round sends the same ones again
			}
			sent += k
			next = (next - (n - k) + len(pool)) % len(pool)
		}
		sendCPU <- threadCPU() - t0
	}()
	sender := <-sendCPU
	deadline := time.Now().Add(10 * time.Second)
	for sink.n.Load() < uint64(b.N) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Microsecond)
	}
	elapsed := time.Since(start)
	rx := processCPU() - cpu0 - sender
	b.StopTimer()
	if got := sink.n.Load(); got < uint64(b.N) {
		b.Fatalf("received %d of %d datagrams (listener %+v)", got, b.N, l.Stats())
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "dgrams/s")
	b.ReportMetric(float64(rx.Nanoseconds())/float64(b.N), "rx-ns/dgram")
	b.ReportMetric(float64(b.N)/rx.Seconds(), "dgrams/s/core")
}

// serveListener decodes what l receives into sink with workers goroutines until l is closed or ctx ends.
func serveListener(ctx context.Context, l *sflow.Listener, sink sflow.Sink, workers int) {
	l.Serve(ctx, sink, sflow.PipelineOptions{Workers: workers})
}
