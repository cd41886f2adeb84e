package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/internal/sharedtest"

	"github.com/gopacket/gopacket/pcapgo"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sflowtest"
)

// The captures' expected output was made by sflowtool with its clock at 0, in UTC, reading a pcap (so no source).
var sflowtoolConfig = decodeConfig{
	Clock:      func() time.Time { return time.Unix(0, 0) },
	HideSource: true,
	Location:   time.UTC,
	Port:       sflow.DefaultPort,
}

// diffKind is a kind of difference between sflowtool's output and fleettop's (feeds/sflow/sflowtool/DIFFERENCES.md).
type diffKind int

const (
	// swappedIPID: sflowtool prints the IPv4 ID byte-swapped (host order on a little-endian host). Checked
	// exactly: fleettop's value must be sflowtool's with its two bytes swapped. Applies to every capture, to
	// IPID and discarded_IPID.
	swappedIPID diffKind = iota
	// decodedNotSkipped: sflowtool skips the record tagged value ("skipping unknown ..."); fleettop prints
	// entries after the tag instead.
	decodedNotSkipped
	// theirsAborted: sflowtool stopped the datagram (its .err says why); fleettop goes on past sflowtool's last
	// entry. Everything sflowtool printed must match, and fleettop must have printed more.
	theirsAborted
	// recordPastSample: sflowtool printed the record tagged value (entries, from its tag on) although it runs
	// past the end of its sample; fleettop does not print it.
	recordPastSample
	// payloadFraming: the frame's UDP length says the payload is value bytes; fleettop decodes those, sflowtool
	// everything to the end of the frame. fleettop's output must end after key.
	payloadFraming
)

type difference struct {
	capture  string // capture name, "*" only for swappedIPID
	datagram int    // index of the datagram in the capture
	kind     diffKind
	key      string
	value    string
	entries  []string // "key value"
	reason   string
}

// sflowtoolDifferences is every difference the test captures show, each with its reason.
var sflowtoolDifferences = []difference{
	{capture: "*", kind: swappedIPID, key: "IPID",
		reason: "DIFFERENCES.md #1: sflowtool prints ip.id in host byte order"},
	{capture: "goflow2--TestSFlowDecodeDropExtendedACL", kind: decodedNotSkipped,
		key: "discarded_flowBlock_tag", value: "0:1037",
		entries: []string{"discarded_extendedType acl", "discarded_acl_number 42", "discarded_acl_name foo!",
			"discarded_acl_direction 2"},
		reason: "DIFFERENCES.md, records sflowtool skips: fleettop decodes extended_acl"},
	{capture: "goflow2--TestSFlowDecodeDropExtendedFunction", kind: theirsAborted,
		reason: "DIFFERENCES.md #11: 1038 string not padded (record length 10); sflowtool aborts, fleettop prints symbol"},
	{capture: "gopacket--SFlowTestPacket11", kind: theirsAborted,
		reason: "DIFFERENCES.md #11: LAG counters sample length 116 vs 76 parsed; sflowtool aborts after the record"},
	{capture: "gopacket--SFlowTestPacket5", kind: recordPastSample, key: "flowBlock_tag", value: "0:1002",
		entries: []string{"flowBlock_tag", "extendedType", "nextHop", "srcSubnetMask", "dstSubnetMask"},
		reason:  "DIFFERENCES.md #12: extended_router runs past the 52-byte sample"},
	{capture: "gopacket--SFlowTestPacket5", kind: theirsAborted,
		reason: "DIFFERENCES.md #11: flow_sample length error (expected 52, found 56)"},
	{capture: "gopacket--SFlowTestPacket8", kind: recordPastSample, key: "flowBlock_tag", value: "0:1002",
		entries: []string{"flowBlock_tag", "extendedType", "nextHop", "srcSubnetMask", "dstSubnetMask"},
		reason:  "DIFFERENCES.md #12: extended_router (IPv6 next hop) runs past the 52-byte sample"},
	{capture: "gopacket--SFlowTestPacket8", kind: theirsAborted,
		reason: "DIFFERENCES.md #11: flow_sample length error (expected 52, found 68)"},
	{capture: "vflow--TestsFlowRawPacketWithPaddingAfterSample", kind: theirsAborted,
		reason: "DIFFERENCES.md #11: vendor padding after sample 2; sflowtool loses samples 2-5, fleettop decodes them"},
	{capture: "tcpdump--sflow_print-segv", kind: payloadFraming, key: "datagramVersion", value: "8",
		reason: "DIFFERENCES.md #17: the fuzzed frame's UDP length gives an 8-byte payload; sflowtool reads 872"},
}

// sharedCaptures finds ../shared/captures beside the repository root (the directory holding go.mod).
func sharedCaptures(t *testing.T) string {
	t.Helper()
	p := sharedtest.Dir(t, "captures")
	if _, err := os.Stat(filepath.Join(p, "expected")); err != nil {
		t.Fatalf("captures without expected/: %v", err)
	}
	return p
}

// entry is one printed field: a key (for JSON its path, "/"-separated) and its value.
type entry struct{ key, value string }

func (e entry) String() string { return e.key + " " + e.value }

func lastKey(k string) string { return k[strings.LastIndexByte(k, '/')+1:] }

// textDatagrams splits sflowtool text output into datagrams of "key value" entries (sample framing included).
func textDatagrams(t *testing.T, out []byte) [][]entry {
	t.Helper()
	var dgs [][]entry
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var cur []entry
	in := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "startDatagram "):
			in, cur = true, nil
		case strings.HasPrefix(line, "endDatagram "):
			dgs = append(dgs, cur)
			in = false
		case in:
			k, v, _ := strings.Cut(line, " ")
			cur = append(cur, entry{k, v})
		default:
			t.Fatalf("line outside a datagram: %q", line)
		}
	}
	if in {
		t.Fatal("output ends inside a datagram")
	}
	return dgs
}

// jsonEntries flattens one JSON line into entries: "/"-separated paths as keys, and "{" "[" "}" "]" entries for
// the nested objects and arrays (not the datagram's own object). A line cut short (sflowtool's output after an
// abort) yields the entries before the cut and complete == false.
func jsonEntries(line []byte) (entries []entry, complete bool) {
	dec := json.NewDecoder(bytes.NewReader(line))
	type frame struct {
		path  string
		array bool
		index int
		key   string // the member name waiting for its value
	}
	var stack []frame
	path := func() string {
		f := &stack[len(stack)-1]
		if f.array {
			p := f.path + "[" + strconv.Itoa(f.index) + "]"
			f.index++
			return p
		}
		return f.path + "/" + f.key
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return entries, errors.Is(err, io.EOF) && len(stack) == 0
		}
		if len(stack) > 0 && !stack[len(stack)-1].array && stack[len(stack)-1].key == "" {
			if s, ok := tok.(string); ok {
				stack[len(stack)-1].key = s
				continue
			}
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				p := ""
				if len(stack) > 0 {
					p = path()
					entries = append(entries, entry{p, v.String()})
				}
				stack = append(stack, frame{path: p, array: v == '['})
				continue
			case '}', ']':
				if len(stack) > 1 {
					entries = append(entries, entry{stack[len(stack)-1].path, v.String()})
				}
				stack = stack[:len(stack)-1]
			}
		case string:
			entries = append(entries, entry{path(), v})
		default:
			entries = append(entries, entry{path(), fmt.Sprint(v)})
		}
		if len(stack) > 0 && !stack[len(stack)-1].array {
			stack[len(stack)-1].key = ""
		}
	}
}

func jsonDatagrams(t *testing.T, out []byte, mustBeValid bool) (dgs [][]entry, complete []bool) {
	t.Helper()
	for _, line := range bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		e, ok := jsonEntries(line)
		if mustBeValid && (!ok || !json.Valid(line)) {
			t.Fatalf("fleettop printed invalid JSON: %s", line)
		}
		if !ok {
			// sflowtool's exception handler closes one object wherever decoding stopped: not structure.
			for len(e) > 0 && (e[len(e)-1].value == "}" || e[len(e)-1].value == "]") {
				e = e[:len(e)-1]
			}
		}
		dgs, complete = append(dgs, e), append(complete, ok)
	}
	return dgs, complete
}

// applied counts, per difference, the datagrams it explained (a difference that explains nothing is stale).
type applied map[int]int

// expectFleettop turns sflowtool's entries for one datagram into what fleettop must print, by the differences
// of the capture. prefixOnly says fleettop's output must only start with the result (sflowtool aborted); aborted
// says sflowtool gave up on the datagram (so its JSON line is cut short).
func expectFleettop(t *testing.T, capture string, dg int, theirs []entry, used applied) (want []entry, prefixOnly, aborted bool) {
	t.Helper()
	want = append([]entry(nil), theirs...)
	for i, d := range sflowtoolDifferences {
		if d.capture != capture && d.capture != "*" {
			continue
		}
		if d.capture != "*" && d.datagram != dg {
			continue
		}
		switch d.kind {
		case swappedIPID:
			for j := range want {
				if strings.TrimPrefix(lastKey(want[j].key), "discarded_") == d.key {
					v, err := strconv.ParseUint(want[j].value, 10, 16)
					if err != nil {
						t.Fatalf("%s: %s %q is not a 16-bit number", capture, d.key, want[j].value)
					}
					want[j].value = strconv.FormatUint(v>>8|(v&0xff)<<8, 10)
					used[i]++
				}
			}
		case decodedNotSkipped:
			at := findEntry(want, d.key, d.value)
			if at < 0 {
				t.Fatalf("%s: difference %q: no %s %s", capture, d.reason, d.key, d.value)
			}
			rest := at + 1
			if rest < len(want) && want[rest].key == "skipping" {
				rest++
			}
			dir := want[at].key[:len(want[at].key)-len(d.key)]
			ins := make([]entry, 0, len(d.entries))
			for _, kv := range d.entries {
				k, v, _ := strings.Cut(kv, " ")
				ins = append(ins, entry{dir + k, v})
			}
			want = append(want[:at+1], append(ins, want[rest:]...)...)
			used[i]++
		case recordPastSample:
			at := findEntry(want, d.key, d.value)
			if at < 0 || at+len(d.entries) > len(want) {
				t.Fatalf("%s: difference %q: no record %s %s", capture, d.reason, d.key, d.value)
			}
			end := at
			if want[at].key != d.key {
				// JSON: the record is an element object opened just before its tag (it is the sample's last
				// element in the captures listed, so no later element index shifts).
				at--
			}
			for _, k := range d.entries {
				if lastKey(want[end].key) != k {
					t.Fatalf("%s: difference %q: sflowtool printed %s where %s was expected", capture, d.reason,
						want[end].key, k)
				}
				end++
			}
			want = append(want[:at], want[end:]...)
			used[i]++
		case theirsAborted:
			prefixOnly, aborted = true, true
			used[i]++
		case payloadFraming:
			at := findEntry(want, d.key, "")
			size := findEntry(want, "datagramSize", "")
			if at < 0 || size < 0 {
				t.Fatalf("%s: difference %q: no %s", capture, d.reason, d.key)
			}
			want[size].value = d.value
			want = want[:at+1]
			aborted = true // reading past the payload, sflowtool runs into garbage
			used[i]++
		}
	}
	return want, prefixOnly, aborted
}

// findEntry finds the first entry whose last key component is key (and whose value is value, unless empty).
func findEntry(es []entry, key, value string) int {
	for i, e := range es {
		if lastKey(e.key) == key && (value == "" || e.value == value) {
			return i
		}
	}
	return -1
}

func compareDatagram(t *testing.T, what string, ours, want []entry, prefixOnly bool) {
	t.Helper()
	n := len(want)
	if prefixOnly {
		if len(ours) <= n {
			t.Errorf("%s: sflowtool aborted here, fleettop should go on, but printed %d entries to its %d",
				what, len(ours), n)
			return
		}
	} else if len(ours) != n {
		t.Errorf("%s: %d entries, sflowtool %d", what, len(ours), n)
	}
	for i := 0; i < n && i < len(ours); i++ {
		if ours[i] != want[i] {
			t.Errorf("%s: entry %d: fleettop %q, sflowtool %q", what, i, ours[i], want[i])
			return
		}
	}
}

// TestDecodeCapturesMatchSflowtool decodes every test capture as `fleettop decode` does, text and JSON, and
// compares each datagram key by key with sflowtool's output, apart from the differences listed above.
func TestDecodeCapturesMatchSflowtool(t *testing.T) {
	dir := sharedCaptures(t)
	pcaps, err := filepath.Glob(filepath.Join(dir, "*.pcap"))
	if err != nil || len(pcaps) == 0 {
		t.Fatalf("no captures in %s: %v", dir, err)
	}
	used := applied{}
	for _, pcap := range pcaps {
		name := strings.TrimSuffix(filepath.Base(pcap), ".pcap")
		t.Run(name, func(t *testing.T) {
			expText, err := os.ReadFile(filepath.Join(dir, "expected", name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			expJSON, err := os.ReadFile(filepath.Join(dir, "expected", name+".jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			expErr, _ := os.ReadFile(filepath.Join(dir, "expected", name+".err"))

			var textOut, textErr bytes.Buffer
			stats := decodeFile(t, pcap, &textOut, &textErr, false)
			ours, theirs := textDatagrams(t, textOut.Bytes()), textDatagrams(t, expText)
			if len(ours) != len(theirs) || stats.Datagrams != len(ours) {
				t.Fatalf("text: %d datagrams (stats %d), sflowtool %d", len(ours), stats.Datagrams, len(theirs))
			}
			for i := range ours {
				want, prefixOnly, _ := expectFleettop(t, name, i, theirs[i], used)
				if prefixOnly && !bytes.Contains(expErr, []byte("caught exception")) {
					t.Errorf("datagram %d: listed as aborted by sflowtool, but its stderr shows no abort", i)
				}
				compareDatagram(t, fmt.Sprintf("text datagram %d", i), ours[i], want, prefixOnly)
			}

			var jsonOut, jsonErr bytes.Buffer
			decodeFile(t, pcap, &jsonOut, &jsonErr, true)
			oursJ, _ := jsonDatagrams(t, jsonOut.Bytes(), true)
			theirsJ, complete := jsonDatagrams(t, expJSON, false)
			if len(oursJ) != len(theirsJ) {
				t.Fatalf("json: %d datagrams, sflowtool %d", len(oursJ), len(theirsJ))
			}
			for i := range oursJ {
				want, prefixOnly, aborted := expectFleettop(t, name, i, theirsJ[i], applied{})
				if !complete[i] && !aborted {
					t.Errorf("json datagram %d: sflowtool's line is cut short but no difference explains it", i)
				}
				compareDatagram(t, fmt.Sprintf("json datagram %d", i), oursJ[i], want, prefixOnly)
			}
			if !bytes.Equal(textErr.Bytes(), jsonErr.Bytes()) {
				t.Errorf("stderr differs between text and JSON:\n%s\n---\n%s", textErr.Bytes(), jsonErr.Bytes())
			}
			// A datagram that is not sFlow at all gets sflowtool's exact report.
			if stats.NotSFlow > 0 && !bytes.Equal(textErr.Bytes(), expErr) {
				t.Errorf("stderr:\n%s\nsflowtool:\n%s", textErr.Bytes(), expErr)
			}
			if (stats.NotSFlow+stats.Damaged > 0) != (textErr.Len() > 0) {
				t.Errorf("stats %+v but stderr %q", stats, textErr.Bytes())
			}
		})
	}
	for i, d := range sflowtoolDifferences {
		if used[i] == 0 {
			t.Errorf("difference %s %q explains nothing: remove it", d.capture, d.reason)
		}
	}
}

func decodeFile(t *testing.T, path string, stdout, stderr io.Writer, asJSON bool) decodeStats {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg := sflowtoolConfig
	cfg.JSON = asJSON
	stats, err := decodeInput(f, stdout, stderr, cfg)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return stats
}

// TestDecodeBinaryEndToEnd builds fleettop and runs `fleettop decode` on a capture, from a file and from stdin,
// and checks its output is what the in-process decode (compared with sflowtool above) prints.
func TestDecodeBinaryEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary over every capture")
	}
	dir := sharedCaptures(t)
	pcap := filepath.Join(dir, "tcpdump--sflow_multiple_counter_30_pdus.pcap")
	bin := buildFleettop(t)

	var want, wantErr bytes.Buffer
	decodeFile(t, pcap, &want, &wantErr, false)
	stdout, stderr, code := runFleettop(t, bin, nil, "decode", "--clock", "0", "--no-source", pcap)
	if code != exitOK || !bytes.Equal(stdout, want.Bytes()) || !bytes.Equal(stderr, wantErr.Bytes()) {
		t.Errorf("exit %d; stdout equal %v; stderr %q, want %q", code, bytes.Equal(stdout, want.Bytes()),
			stderr, wantErr.Bytes())
	}

	capture, err := os.ReadFile(pcap)
	if err != nil {
		t.Fatal(err)
	}
	var wantJSON bytes.Buffer
	decodeFile(t, pcap, &wantJSON, io.Discard, true)
	stdout, _, code = runFleettop(t, bin, capture, "decode", "--format", "json", "--clock", "0", "--no-source", "-")
	if code != exitOK || !bytes.Equal(stdout, wantJSON.Bytes()) {
		t.Errorf("stdin json: exit %d, output equal %v", code, bytes.Equal(stdout, wantJSON.Bytes()))
	}

	for _, c := range []struct {
		name string
		args []string
		code int
	}{
		{"no file", []string{"decode"}, exitUsage},
		{"bad format", []string{"decode", "--format", "xml", pcap}, exitUsage},
		{"bad clock", []string{"decode", "--clock", "yesterday", pcap}, exitUsage},
		{"missing file", []string{"decode", filepath.Join(t.TempDir(), "nope.pcap")}, exitError},
	} {
		if _, stderr, code := runFleettop(t, bin, nil, c.args...); code != c.code || len(stderr) == 0 {
			t.Errorf("%s: exit %d (want %d), stderr %q", c.name, code, c.code, stderr)
		}
	}
}

// buildFleettop builds the command once per test binary (see TestMain) and returns its path; with -short it
// skips the test.
func buildFleettop(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the fleettop binary, whose build is a link of seconds: run without -short")
	}
	binOnce.Do(func() {
		// go test puts its own toolchain's bin first on the PATH
		goBin, err := exec.LookPath("go")
		if err != nil {
			binErr = fmt.Errorf("no go tool to build fleettop: %w", err)
			return
		}
		bin := filepath.Join(binDir, "fleettop")
		cmd := exec.Command(goBin, "build", "-o", bin, ".")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %w\n%s", err, out)
			return
		}
		binPath = bin
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func runFleettop(t *testing.T, bin string, stdin []byte, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	return runFleettopEnv(t, bin, nil, stdin, args...)
}

// runFleettopEnv runs the binary with extra environment variables.
func runFleettopEnv(t *testing.T, bin string, env []string, stdin []byte, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(append(os.Environ(), "TZ=UTC"), env...)
	cmd.Stdin = bytes.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatalf("run fleettop: %v", err)
	}
	return o.Bytes(), e.Bytes(), code
}

// randomPayloads encodes n random datagrams.
func randomPayloads(t testing.TB, seed uint64, n int) [][]byte {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed^0x5f10))
	out := make([][]byte, n)
	for i := range out {
		b, err := sflow.AppendDatagram(nil, sflowtest.RandomDatagram(r))
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// TestDecodeRawInput feeds datagrams back to back, as raw input, and as a pcap capture: both print the same
// datagrams (the capture adds its timestamps and source).
func TestDecodeRawInput(t *testing.T) {
	payloads := randomPayloads(t, 7, 5)
	var raw, capture bytes.Buffer
	pw, err := sflow.NewPcapWriter(&capture)
	if err != nil {
		t.Fatal(err)
	}
	src := netip.MustParseAddrPort("192.0.2.1:40000")
	dst := netip.AddrPortFrom(netip.MustParseAddr("192.0.2.2"), sflow.DefaultPort)
	for i, p := range payloads {
		raw.Write(p)
		if err := pw.WriteDatagram(p, src, dst, time.Unix(1700000000+int64(i), 0)); err != nil {
			t.Fatal(err)
		}
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}

	pcapng := toPcapng(t, capture.Bytes())

	for _, asJSON := range []bool{false, true} {
		cfg := sflowtoolConfig
		cfg.JSON = asJSON
		var fromRaw, fromPcap, fromPcapng, errs bytes.Buffer
		stats, err := decodeInput(bytes.NewReader(raw.Bytes()), &fromRaw, &errs, cfg)
		if err != nil || stats.Datagrams != len(payloads) || stats.Damaged+stats.NotSFlow != 0 {
			t.Fatalf("raw: %+v, %v, stderr %q", stats, err, errs.Bytes())
		}
		if _, err := decodeInput(bytes.NewReader(capture.Bytes()), &fromPcap, &errs, cfg); err != nil {
			t.Fatal(err)
		}
		if _, err := decodeInput(bytes.NewReader(pcapng), &fromPcapng, &errs, cfg); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fromPcap.Bytes(), fromPcapng.Bytes()) || !bytes.Contains(fromPcap.Bytes(), []byte("pcapTimestamp")) {
			t.Errorf("pcapng and pcap input differ")
		}
		stripPcap := func(b []byte) []byte {
			var out []byte
			for _, line := range bytes.SplitAfter(b, []byte("\n")) {
				if !bytes.HasPrefix(line, []byte("pcapTimestamp")) {
					out = append(out, line...)
				}
			}
			return out
		}
		if asJSON {
			var a, b [][]entry
			a, _ = jsonDatagrams(t, fromRaw.Bytes(), true)
			b, _ = jsonDatagrams(t, fromPcap.Bytes(), true)
			for i := range b {
				b[i] = withoutKeys(b[i], "pcapTimestamp", "pcapTimestamp_uS")
			}
			if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Errorf("json: raw and pcap input differ")
			}
		} else if !bytes.Equal(fromRaw.Bytes(), stripPcap(fromPcap.Bytes())) {
			t.Errorf("text: raw and pcap input differ")
		}
	}
}

// toPcapng rewrites a classic pcap capture as pcapng, frame by frame.
func toPcapng(t *testing.T, classic []byte) []byte {
	t.Helper()
	r, err := pcapgo.NewReader(bytes.NewReader(classic))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w, err := pcapgo.NewNgWriter(&out, r.LinkType())
	if err != nil {
		t.Fatal(err)
	}
	for {
		data, ci, err := r.ReadPacketData()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out.Bytes(), []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		t.Fatal("not a pcapng section header")
	}
	return out.Bytes()
}

func withoutKeys(es []entry, keys ...string) []entry {
	var out []entry
	for _, e := range es {
		drop := false
		for _, k := range keys {
			drop = drop || lastKey(e.key) == k
		}
		if !drop {
			out = append(out, e)
		}
	}
	return out
}

func TestRawDatagramLen(t *testing.T) {
	payloads := randomPayloads(t, 11, 3)
	joined := bytes.Join(payloads, nil)
	for i, p := range payloads {
		if n := rawDatagramLen(joined); n != len(p) {
			t.Fatalf("datagram %d: framed %d bytes, want %d", i, n, len(p))
		}
		joined = joined[len(p):]
	}
	for _, c := range []struct {
		name string
		in   []byte
	}{
		{"netflow v5", []byte{0, 5, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4}},
		{"short", []byte{0, 0, 0, 5}},
		{"bad address type", []byte{0, 0, 0, 5, 0, 0, 0, 9, 1, 2, 3, 4}},
		{"sample longer than input", []byte{0, 0, 0, 5, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2,
			0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 100, 1, 2, 3, 4}},
	} {
		if n := rawDatagramLen(c.in); n != len(c.in) {
			t.Errorf("%s: framed %d of %d bytes, want all", c.name, n, len(c.in))
		}
	}
}

func FuzzRawDatagramLen(f *testing.F) {
	for _, p := range randomPayloads(f, 3, 4) {
		f.Add(p)
		f.Add(append(append([]byte(nil), p...), p...))
	}
	f.Add([]byte{0, 5, 0, 1})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		n := rawDatagramLen(b)
		if n < 0 || n > len(b) || (len(b) > 0 && n == 0) {
			t.Fatalf("framed %d of %d bytes", n, len(b))
		}
		var out, errs bytes.Buffer
		cfg := sflowtoolConfig
		if _, err := decodeInput(bytes.NewReader(b), &out, &errs, cfg); err != nil {
			t.Fatalf("raw input is always readable: %v", err)
		}
	})
}

// benchCapture is a pcap of 100,000 random datagrams (every sample and record kind, sampled headers included),
// built once per benchmark run.
func benchCapture(b *testing.B) []byte {
	b.Helper()
	const n = 100_000
	r := rand.New(rand.NewPCG(42, 43))
	var capture bytes.Buffer
	pw, err := sflow.NewPcapWriter(&capture)
	if err != nil {
		b.Fatal(err)
	}
	src := netip.MustParseAddrPort("192.0.2.1:40000")
	dst := netip.AddrPortFrom(netip.MustParseAddr("192.0.2.2"), sflow.DefaultPort)
	var d sflow.Datagram
	var buf []byte
	for i := range n {
		sflowtest.FillRandomDatagram(r, &d)
		if buf, err = sflow.AppendDatagram(buf[:0], &d); err != nil {
			b.Fatal(err)
		}
		if err := pw.WriteDatagram(buf, src, dst, time.Unix(1700000000, int64(i)*1000)); err != nil {
			b.Fatal(err)
		}
	}
	if err := pw.Close(); err != nil {
		b.Fatal(err)
	}
	// Keep the capture for timing the binary on it (see the report): FLEETTOP_BENCH_CAPTURE=/tmp/100k.pcap.
	if path := os.Getenv("FLEETTOP_BENCH_CAPTURE"); path != "" {
		if err := os.WriteFile(path, capture.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return capture.Bytes()
}

// BenchmarkDecodeCapture times what `fleettop decode` does with a 100,000-datagram capture (read the pcap,
// decode, print), per datagram, for both output shapes.
func BenchmarkDecodeCapture(b *testing.B) {
	capture := benchCapture(b)
	for _, format := range []string{"text", "json"} {
		b.Run(format, func(b *testing.B) {
			cfg := sflowtoolConfig
			cfg.JSON = format == "json"
			b.SetBytes(int64(len(capture)))
			b.ReportAllocs()
			var datagrams int
			for b.Loop() {
				stats, err := decodeInput(bytes.NewReader(capture), io.Discard, io.Discard, cfg)
				if err != nil {
					b.Fatal(err)
				}
				datagrams += stats.Datagrams
			}
			b.ReportMetric(float64(datagrams)/b.Elapsed().Seconds(), "datagrams/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}
