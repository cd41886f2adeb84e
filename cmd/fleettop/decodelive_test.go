package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// lineWait bounds every wait for a line of output: a datagram not printed by then fails the test.
const lineWait = 10 * time.Second

// liveDatagram is a flow sample with an Ethernet/IPv4/TCP sampled header, its datagram numbered seq.
func liveDatagram(t *testing.T, seq uint32) []byte {
	t.Helper()
	var d sflow.Datagram
	d.Reset()
	d.AgentAddr = netip.MustParseAddr("192.0.2.10")
	d.SequenceNumber = seq
	s := d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow, SequenceNumber: seq, SamplingRate: 1000,
		Input: sflow.Interface{Value: 3}, Output: sflow.Interface{Value: 7}})
	h, err := sflow.BuildSampledHeader(sflow.PacketSpec{SrcMAC: [6]byte{2, 0, 0, 0, 0, 1}, DstMAC: [6]byte{2, 0, 0, 0, 0, 2},
		SrcIP: netip.MustParseAddr("10.0.0.1"),
		DstIP: netip.MustParseAddr("10.0.0.2"), Protocol: 6, SrcPort: 40000, DstPort: 443, TTL: 64,
		PayloadLen: 100})
	if err != nil {
		t.Fatal(err)
	}
	d.AddSampledHeader(s, h)
	b, err := sflow.AppendDatagram(nil, &d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lineReader hands the lines of r to a channel, read on its own goroutine until r ends.
func lineReader(r io.Reader) <-chan string {
	ch := make(chan string, 1024)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}

// waitLine reads lines until one starting with prefix, and returns the lines read; it fails the test after
// lineWait or when the output ends first.
func waitLine(t *testing.T, lines <-chan string, prefix string) []string {
	t.Helper()
	var got []string
	deadline := time.After(lineWait)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("output ended before a %q line; got %q", prefix, got)
			}
			got = append(got, l)
			if strings.HasPrefix(l, prefix) {
				return got
			}
		case <-deadline:
			t.Fatalf("no %q line within %v; got %q", prefix, lineWait, got)
		}
	}
}

// TestDecodePipePrintsEachDatagram runs `fleettop decode -` between two pipes that stay open, as in
// `tcpdump -w - | fleettop decode - | grep`: each datagram written into the capture must come out before the
// next one is written.
func TestDecodePipePrintsEachDatagram(t *testing.T) {
	bin := buildFleettop(t)
	for _, c := range []struct {
		args []string
		end  string // the line that ends a datagram's output
		want string // in the datagram's output, with %d its number
	}{
		{[]string{"decode", "--clock", "0", "-"}, "endDatagram", "packetSequenceNo %d"},
		{[]string{"decode", "-l", "-"}, "FLOW,", "FLOW,192.0.2.10,3,7,"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			cmd := exec.Command(bin, c.args...)
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			lines := lineReader(stdout)
			pw, err := sflow.NewPcapWriter(stdin)
			if err != nil {
				t.Fatal(err)
			}
			src := netip.MustParseAddrPort("192.0.2.10:50000")
			dst := netip.AddrPortFrom(netip.MustParseAddr("192.0.2.1"), sflow.DefaultPort)
			for seq := uint32(1); seq <= 3; seq++ {
				if err := pw.WriteDatagram(liveDatagram(t, seq), src, dst, time.Unix(1700000000, 0)); err != nil {
					t.Fatal(err)
				}
				if err := pw.Flush(); err != nil {
					t.Fatal(err)
				}
				got := strings.Join(waitLine(t, lines, c.end), "\n")
				want := c.want
				if strings.Contains(want, "%d") {
					want = strings.Replace(want, "%d", strconv.Itoa(int(seq)), 1)
				}
				if !strings.Contains(got, want) {
					t.Fatalf("datagram %d: no %q in\n%s", seq, want, got)
				}
			}
			stdin.Close()
			for range lines { // the rest of the output, up to its end
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("exit: %v, stderr %q", err, stderr.Bytes())
			}
		})
	}
}

// listenAddr reads the "listening on udp ADDR" line of --listen from lines.
func listenAddr(t *testing.T, lines <-chan string) string {
	t.Helper()
	got := waitLine(t, lines, "fleettop decode: listening on udp ")
	return strings.TrimPrefix(got[len(got)-1], "fleettop decode: listening on udp ")
}

func sendUDP(t *testing.T, addr string, payload []byte) {
	t.Helper()
	conn, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write(payload); err != nil {
		t.Fatal(err)
	}
}

// TestDecodeListen decodes datagrams sent to a real UDP socket on 127.0.0.1 until its context ends.
func TestDecodeListen(t *testing.T) {
	outR, outW := io.Pipe()
	errR, errW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		stats decodeStats
		err   error
	}
	done := make(chan result, 1)
	go func() {
		cfg := decodeConfig{Clock: time.Now, Location: time.UTC}
		stats, err := listenInput(ctx, "127.0.0.1:0", outW, errW, cfg)
		outW.Close()
		errW.Close()
		done <- result{stats, err}
	}()
	errLines := lineReader(errR)
	addr := listenAddr(t, errLines)
	go func() { // stderr must be read for the decoder not to block on it
		for range errLines {
		}
	}()
	lines := lineReader(outR)
	for seq := uint32(1); seq <= 3; seq++ {
		sendUDP(t, addr, liveDatagram(t, seq))
		got := strings.Join(waitLine(t, lines, "endDatagram"), "\n")
		if !strings.Contains(got, "packetSequenceNo "+strconv.Itoa(int(seq))) ||
			!strings.Contains(got, "datagramSourceIP 127.0.0.1\n") {
			t.Fatalf("datagram %d:\n%s", seq, got)
		}
	}
	cancel()
	select {
	case r := <-done:
		if r.err != nil || r.stats.Datagrams != 3 {
			t.Fatalf("after cancel: %+v, %v", r.stats, r.err)
		}
	case <-time.After(lineWait):
		t.Fatal("listenInput did not return after its context ended")
	}
	for range lines {
	}

	if _, err := listenInput(context.Background(), "127.0.0.1:99999", io.Discard, io.Discard, decodeConfig{}); err == nil {
		t.Error("a bad address was accepted")
	}
}

// TestDecodeListenBinary runs `fleettop decode --listen -l` and stops it with SIGINT.
func TestDecodeListenBinary(t *testing.T) {
	bin := buildFleettop(t)
	cmd := exec.Command(bin, "decode", "--listen", "127.0.0.1:0", "-l")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	errLines := lineReader(stderr)
	addr := listenAddr(t, errLines)
	lines := lineReader(stdout)
	sendUDP(t, addr, liveDatagram(t, 1))
	got := waitLine(t, lines, "FLOW,")
	// The frame is 14+20+20+100 bytes and its FCS (158), 4 stripped; the IP packet 140 bytes.
	want := "FLOW,192.0.2.10,3,7,020000000001,020000000002,0x0800,0,0,10.0.0.1,10.0.0.2,6,0x00,64,40000,443,0x00,158,140,1000"
	if got[len(got)-1] != want {
		t.Fatalf("got  %q\nwant %q", got[len(got)-1], want)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	for range lines {
	}
	for range errLines {
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGINT: %v", err)
		}
	case <-time.After(lineWait):
		t.Fatal("no exit after SIGINT")
	}
}
