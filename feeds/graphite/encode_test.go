package graphite

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestAppendPlaintext(t *testing.T) {
	tests := []struct {
		name string
		p    queued
		want string
	}{
		{"integer value", queued{"a.b", 42, 1795559590}, "a.b 42 1795559590\n"},
		{"fraction", queued{"a.b", 0.1, 1}, "a.b 0.1 1\n"},
		{"negative", queued{"x", -2.5, 0}, "x -2.5 0\n"},
		{"huge", queued{"x", 1e300, 5}, "x 1e+300 5\n"},
		{"tiny", queued{"x", 5e-324, 5}, "x 5e-324 5\n"},
		{"tagged", queued{"cpu;dc=a", 1, 2}, "cpu;dc=a 1 2\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(appendPlaintext(nil, tt.p)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// systemPython finds the interpreter that decodes pickles the way carbon does.
func systemPython(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("python3 not found: needed to check pickles against CPython")
	}
	t.Skip("python3 not found")
	return ""
}

// TestAppendPickleDecodesInCPython feeds our pickles to CPython's unpickler and compares what it sees.
func TestAppendPickleDecodesInCPython(t *testing.T) {
	py := systemPython(t)
	pts := []queued{
		{"fleet.web01.cpu", 1.5, 1795559590},
		{"uni.café", -0.0001, 0},
		{"far.future", 1e300, 1 << 33}, // past int32: sent as a float
		{"past", 7, -5},
		{strings.Repeat("long.", 100) + "x", 3, 12},
	}
	var frames []byte
	frames, n := appendPickle(frames, pts, PickleMaxMessage)
	if n != len(pts) {
		t.Fatalf("encoded %d of %d points", n, len(pts))
	}
	frames, _ = appendPickle(frames, nil, PickleMaxMessage) // an empty batch is a valid empty list
	// the script reads length-prefixed frames from stdin like carbon's Int32StringReceiver
	const script = `
import pickle, struct, sys
data = sys.stdin.buffer.read()
while data:
    (n,) = struct.unpack('>I', data[:4])
    msg, data = data[4:4+n], data[4+n:]
    if len(msg) != n:
        sys.exit('short frame')
    for path, (ts, value) in pickle.loads(msg):
        # exact bits, so the comparison cannot be fooled by formatting
        print(type(path).__name__, path.encode().hex(), struct.pack('>d', float(ts)).hex(), struct.pack('>d', float(value)).hex())
    print('--')
`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(frames)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	var want strings.Builder
	for _, p := range pts {
		fmt.Fprintf(&want, "str %x %016x %016x\n", p.path, math.Float64bits(float64(p.ts)), math.Float64bits(p.value))
	}
	want.WriteString("--\n--\n")
	if string(out) != want.String() {
		t.Errorf("python saw:\n%s\nwant:\n%s", out, want.String())
	}
}

func TestAppendPickleSplitsAtMaxMessage(t *testing.T) {
	pts := make([]queued, 100)
	for i := range pts {
		pts[i] = queued{path: fmt.Sprintf("split.metric%03d", i), value: float64(i), ts: int64(i)}
	}
	max := pickleFrameOverhead + 10*picklePointLen(pts[0])
	var wire []byte
	var total, frames int
	for rest := pts; len(rest) > 0; frames++ {
		before := len(wire)
		var n int
		wire, n = appendPickle(wire, rest, max)
		if n != 10 {
			t.Fatalf("frame %d took %d points, want 10", frames, n)
		}
		if size := len(wire) - before; size > max {
			t.Fatalf("frame %d is %d bytes, limit %d", frames, size, max)
		}
		if got := binary.BigEndian.Uint32(wire[before:]); int(got) != len(wire)-before-4 {
			t.Fatalf("frame %d length prefix %d, body %d", frames, got, len(wire)-before-4)
		}
		rest = rest[n:]
		total += n
	}
	if total != 100 || frames != 10 {
		t.Errorf("%d points in %d frames, want 100 in 10", total, frames)
	}
	// a single point larger than the limit still goes out alone rather than blocking the queue
	if _, n := appendPickle(nil, pts, 1); n != 1 {
		t.Errorf("oversized point: took %d, want 1", n)
	}
}
