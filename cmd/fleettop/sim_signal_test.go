//go:build unix

package main

import (
	"bytes"
	"os"
	"syscall"
	"testing"
	"time"
)

// TestSimInterrupt runs `fleettop sim` without --duration and interrupts it as a user would with Ctrl-C: it
// stops, prints its summary and exits 0.
func TestSimInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("sends for 0.3 s of wall time before the SIGINT: run without -short")
	}
	rx := newSimReceiver(t)
	var stdout, stderr bytes.Buffer
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"sim", "--to", rx.conn.LocalAddr().String(), "--hosts", "12"}, &stdout, &stderr)
	}()
	// The first datagram proves runSim has installed its signal handler, so SIGINT cannot kill the test.
	select {
	case <-rx.first:
	case <-time.After(10 * time.Second):
		t.Fatal("nothing received in 10 s")
	}
	time.Sleep(300 * time.Millisecond)
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-code:
		if c != exitOK || stderr.Len() > 0 {
			t.Fatalf("exit %d, stderr %q", c, stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still running 5 s after SIGINT")
	}
	sent, size, _, _ := parseSimSummary(t, stdout.String())
	if got, gotBytes, _ := rx.settle(); got != sent || gotBytes != size {
		t.Fatalf("reported %d datagrams (%d bytes), received %d (%d bytes)", sent, size, got, gotBytes)
	}
}
