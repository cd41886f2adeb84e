// Command loadgen sends the demo fleet's datagrams to a collector on loopback as fast as asked: a pool of
// datagrams is generated once from the simulator, then replayed at --rate with each agent's sequence numbers
// renumbered and uptimes rising, so the collector's loss accounting stays exact however often the pool repeats.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow/sim"
)

func main() {
	to := flag.String("to", "127.0.0.1:6343", "collector address (loopback only)")
	rate := flag.Float64("rate", 10000, "datagrams per second")
	duration := flag.Duration("duration", 5*time.Second, "how long to send")
	hosts := flag.Int("hosts", 600, "hosts in the simulated fleet the pool comes from")
	flag.Parse()

	addr, err := net.ResolveUDPAddr("udp", *to)
	if err != nil || !addr.IP.IsLoopback() {
		fmt.Fprintf(os.Stderr, "loadgen: --to must be a loopback address: %v\n", *to)
		os.Exit(2)
	}
	pool := makePool(*hosts)
	conn, err := net.DialUDP("udp", nil, addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	defer conn.Close()

	seqs := map[string]uint32{}
	var sent, bytes uint64
	start := time.Now()
	interval := time.Duration(float64(time.Second) / *rate)
	next := start
	for i := 0; time.Since(start) < *duration; i++ {
		b := pool[i%len(pool)]
		key, off := agentKey(b)
		seqs[key]++
		binary.BigEndian.PutUint32(b[off:], seqs[key])
		// uptime keeps rising when the pool repeats, or the collector would see agents restart
		binary.BigEndian.PutUint32(b[off+4:], uint32(time.Since(start)/time.Millisecond)+1_000_000)
		if _, err := conn.Write(b); err != nil {
			continue // ECONNREFUSED while the collector starts; counted as not sent
		}
		sent++
		bytes += uint64(len(b))
		next = next.Add(interval)
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		} else if d < -50*time.Millisecond {
			next = time.Now() // fell behind: do not burst to catch up
		}
	}
	el := time.Since(start)
	fmt.Printf("sent %d datagrams (%d bytes) in %s (%.0f/s)\n", sent, bytes, el.Round(time.Millisecond), float64(sent)/el.Seconds())
}

// makePool plays two minutes of a simulated fleet and keeps every datagram.
func makePool(hosts int) [][]byte {
	f := sim.New(sim.Options{Seed: 1, Hosts: hosts, Start: time.Unix(1767225600, 0)})
	var pool [][]byte
	for s := 1; s <= 120; s++ {
		_ = f.Tick(time.Unix(1767225600+int64(s), 0), func(b []byte) error {
			pool = append(pool, append([]byte(nil), b...))
			return nil
		})
	}
	return pool
}

// agentKey returns (agent address, sub-agent) as a map key and the offset of the sequence number.
func agentKey(b []byte) (string, int) {
	n := 4
	if binary.BigEndian.Uint32(b[4:]) == 2 {
		n = 16
	}
	return string(b[8 : 8+n+4]), 8 + n + 4
}
