package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sflowtool"
)

func init() {
	register("decode", "decode a capture the way sflowtool does", runDecode)
}

// decodeConfig is what `fleettop decode` was asked for.
type decodeConfig struct {
	JSON       bool
	Line       *lineOutput // one of sflowtool's line outputs (-l, -L, -H) instead of text or JSON
	FlushEach  bool        // flush the output after each datagram (it is a pipe or a terminal)
	Port       int
	Clock      func() time.Time // the receive time printed for each datagram
	HideSource bool             // print datagramSourceIP as "-", as sflowtool -r does
	Location   *time.Location   // time zone of localtime and pcapTimestamp; nil = local
}

// lineOutput is one of sflowtool's line outputs: its format, and the fields of -L.
type lineOutput struct {
	Format sflowtool.LineFormat
	Fields []string
}

// datagramWriter prints decoded datagrams: sflowtool.Writer (text, JSON) or sflowtool.LineWriter.
type datagramWriter interface {
	WriteDatagram(m sflowtool.Meta, raw []byte, d *sflow.Datagram) error
	Flush() error
}

// decodeStats counts what decodeInput saw.
type decodeStats struct {
	Datagrams int // datagrams printed
	NotSFlow  int // frames that were not sFlow v5 (NetFlow on the port, ...)
	Damaged   int // sFlow v5 datagrams with decode errors
}

// maxRawInput bounds raw datagram input, which is read whole before it is split into datagrams.
const maxRawInput = 256 << 20

const decodeUsage = `usage: fleettop decode [flags] FILE|-
       fleettop decode [flags] --listen ADDR

Decode sFlow v5 datagrams and print them the way sflowtool does: its default
"key value" text, with --format json one JSON object per datagram (sflowtool -j),
or one of sflowtool's line outputs: -l (a CSV line per flow and counters sample),
-L FIELD,... (the chosen fields of each sample, as the text output names them),
-H (an HTTP combined log line per http_request sample).

FILE (or - for standard input) is either
  - a capture: classic pcap (either byte order, us or ns timestamps) or pcapng,
    recognised by its magic number; the UDP payloads sent to --port are decoded;
  - or raw datagrams: anything else is read as sFlow v5 datagrams back to back
    (one datagram file, or several concatenated), each framed by its own header
    and sample lengths; bytes that cannot be framed are decoded as one last
    datagram. Raw input is limited to 256 MiB, and read whole before decoding:
    in a live pipeline give a capture (tcpdump -w - ... | fleettop decode -);
  - or, with --listen ADDR (host:port, e.g. :6343), the datagrams arriving on
    that UDP address, until interrupted (sflowtool -p).

Output to a pipe or a terminal is flushed after each datagram, so that each one
shows before the next arrives; to a file, it is written in large blocks.

Datagrams that are not sFlow v5 (NetFlow on the port, ...) print their header keys
up to datagramVersion; every decode problem is reported on standard error, and
decoding goes on. Exit status: 0 when the input was read, 1 when it could not be
read, 2 for a usage error. Times print in the local zone (TZ); what sflowtool -r
prints with its clock at 0 in UTC is what TZ=UTC fleettop decode --clock 0
--no-source FILE prints. feeds/sflow/sflowtool/DIFFERENCES.md lists where the two
differ.

flags:
`

func runDecode(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output shape: text (sflowtool's default) or json (sflowtool -j)")
	port := fs.Int("port", sflow.DefaultPort, "UDP destination port of the datagrams in a capture (-1: every port)")
	clock := fs.String("clock", "", "print this receive time (Unix seconds or RFC 3339) instead of the wall\n"+
		"clock's, for output that does not change between runs")
	noSource := fs.Bool("no-source", false, "print datagramSourceIP as \"-\" (what sflowtool -r prints) instead of\n"+
		"the capture's UDP source")
	lines := fs.Bool("l", false, "sflowtool -l: a CSV line per flow sample (FLOW,...) and per counters sample (CNTR,...)")
	fields := fs.String("L", "", "sflowtool -L: a CSV line of these comma-separated fields per sample that has any\n"+
		"of them, e.g. -L agent,srcIP,dstIP,TCPDstPort")
	commonLog := fs.Bool("H", false, "sflowtool -H: an HTTP combined log line per flow sample with an http_request")
	listen := fs.String("listen", "", "decode the datagrams arriving on this UDP address (host:port, e.g. :6343)\n"+
		"until interrupted, instead of a FILE")
	fs.Usage = func() {
		fmt.Fprint(stderr, decodeUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	cfg := decodeConfig{Port: *port, HideSource: *noSource, Clock: time.Now, FlushEach: !isRegularFile(stdout)}
	switch *format {
	case "text":
	case "json":
		cfg.JSON = true
	default:
		fmt.Fprintf(stderr, "fleettop decode: --format %q: want text or json\n", *format)
		return exitUsage
	}
	line, err := parseLineFlags(*lines, *fields, *commonLog, cfg.JSON)
	if err != nil {
		fmt.Fprintf(stderr, "fleettop decode: %v\n", err)
		return exitUsage
	}
	cfg.Line = line
	if *port < sflow.AnyPort || *port > 65535 {
		fmt.Fprintf(stderr, "fleettop decode: --port %d: want 1-65535, or -1 for every port\n", *port)
		return exitUsage
	}
	if *clock != "" {
		t, err := parseClock(*clock)
		if err != nil {
			fmt.Fprintf(stderr, "fleettop decode: --clock: %v\n", err)
			return exitUsage
		}
		cfg.Clock = func() time.Time { return t }
	}
	if *listen != "" {
		if fs.NArg() != 0 {
			fmt.Fprintln(stderr, "fleettop decode: --listen takes no FILE")
			return exitUsage
		}
		ctx, stop := signalContext()
		defer stop()
		if _, err := listenInput(ctx, *listen, stdout, stderr, cfg); err != nil {
			fmt.Fprintf(stderr, "fleettop decode: %v\n", err)
			return exitError
		}
		return exitOK
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "fleettop decode: want one FILE or - (standard input), or --listen ADDR")
		fs.Usage()
		return exitUsage
	}
	in := io.Reader(os.Stdin)
	name := fs.Arg(0)
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "fleettop decode: %v\n", err)
			return exitError
		}
		defer f.Close()
		in = f
	} else {
		name = "standard input"
	}
	if _, err := decodeInput(in, stdout, stderr, cfg); err != nil {
		fmt.Fprintf(stderr, "fleettop decode: %s: %v\n", name, err)
		return exitError
	}
	return exitOK
}

// parseLineFlags turns -l, -L and -H into a line output (nil for none); at most one of them, and not with JSON.
func parseLineFlags(lines bool, fields string, commonLog, json bool) (*lineOutput, error) {
	var out *lineOutput
	n := 0
	if lines {
		n, out = n+1, &lineOutput{Format: sflowtool.LineFlows}
	}
	if fields != "" {
		n, out = n+1, &lineOutput{Format: sflowtool.LineFields, Fields: strings.Split(fields, ",")}
	}
	if commonLog {
		n, out = n+1, &lineOutput{Format: sflowtool.LineCommonLog}
	}
	if n > 1 || (n == 1 && json) {
		return nil, errors.New("-l, -L, -H and --format json exclude each other")
	}
	if out != nil {
		// Check the fields now, as a usage error.
		if _, err := sflowtool.NewLineWriter(io.Discard, out.Format, out.Fields, sflowtool.Options{}); err != nil {
			return nil, fmt.Errorf("-L: %w", err)
		}
	}
	return out, nil
}

// isRegularFile reports whether w is a regular file, which is written in large blocks; anything else (a pipe,
// a terminal, a socket) gets each datagram as soon as it is decoded.
func isRegularFile(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode().IsRegular()
}

// parseClock reads --clock: Unix seconds (with an optional fraction) or RFC 3339.
func parseClock(s string) (time.Time, error) {
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		whole := int64(secs)
		return time.Unix(whole, int64((secs-float64(whole))*1e9)), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither Unix seconds nor an RFC 3339 time", s)
	}
	return t, nil
}

// decodeInput decodes a capture or raw datagrams from r (see decodeUsage) and prints them on stdout, decode
// problems on stderr. Its error says the input could not be read; what was decoded before is printed.
func decodeInput(r io.Reader, stdout, stderr io.Writer, cfg decodeConfig) (decodeStats, error) {
	p, err := newDatagramPrinter(stdout, stderr, cfg)
	if err != nil {
		return decodeStats{}, err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(4)
	if isCaptureMagic(magic) {
		err = p.capture(br)
	} else {
		err = p.raw(br)
	}
	if ferr := p.out.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("write output: %w", ferr)
	}
	return p.stats, err
}

// isCaptureMagic reports whether b starts like a classic pcap (either byte order, µs or ns) or a pcapng file.
func isCaptureMagic(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	switch binary.BigEndian.Uint32(b) {
	case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a:
		return true
	}
	return false
}

// datagramPrinter decodes datagrams one by one into a reused Datagram and prints them.
type datagramPrinter struct {
	cfg    decodeConfig
	dec    *sflow.Decoder
	d      sflow.Datagram
	out    datagramWriter
	stderr io.Writer
	stats  decodeStats
}

func newDatagramPrinter(stdout, stderr io.Writer, cfg decodeConfig) (*datagramPrinter, error) {
	p := &datagramPrinter{cfg: cfg, dec: sflow.NewDecoder(), stderr: stderr}
	// The writer parses sampled headers itself, the way sflowtool does; the decoder's summary is not needed.
	p.dec.SetDecodeHeaders(false)
	opt := sflowtool.Options{Location: cfg.Location}
	switch {
	case cfg.Line != nil:
		lw, err := sflowtool.NewLineWriter(stdout, cfg.Line.Format, cfg.Line.Fields, opt)
		if err != nil {
			return nil, err
		}
		p.out = lw
	case cfg.JSON:
		p.out = &sflowtool.NewJSONWriter(stdout, opt).Writer
	default:
		p.out = &sflowtool.NewTextWriter(stdout, opt).Writer
	}
	if p.cfg.Clock == nil {
		p.cfg.Clock = time.Now
	}
	return p, nil
}

// capture prints the sFlow datagrams of a pcap or pcapng capture.
func (p *datagramPrinter) capture(r io.Reader) error {
	pr, err := sflow.OpenPcap(r, p.cfg.Port)
	if err != nil {
		return err
	}
	for {
		payload, src, ts, err := pr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		m := sflowtool.Meta{Source: src, Captured: ts}
		if err := p.datagram(m, payload); err != nil {
			return err
		}
	}
}

// raw prints datagrams laid back to back in r.
func (p *datagramPrinter) raw(r io.Reader) error {
	buf, err := io.ReadAll(io.LimitReader(r, maxRawInput+1))
	if err != nil {
		return fmt.Errorf("read raw datagrams: %w", err)
	}
	if len(buf) > maxRawInput {
		return fmt.Errorf("raw input larger than %d bytes: give a capture instead", maxRawInput)
	}
	for len(buf) > 0 {
		n := rawDatagramLen(buf)
		if err := p.datagram(sflowtool.Meta{}, buf[:n]); err != nil {
			return err
		}
		buf = buf[n:]
	}
	return nil
}

// datagram decodes and prints one datagram; its error is the output's.
func (p *datagramPrinter) datagram(m sflowtool.Meta, payload []byte) error {
	m.Received = p.cfg.Clock()
	if p.cfg.HideSource {
		m.Source = netip.AddrPort{}
	}
	derr := p.dec.Decode(payload, &p.d)
	if err := p.out.WriteDatagram(m, payload, &p.d); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if p.cfg.FlushEach {
		if err := p.out.Flush(); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
	p.stats.Datagrams++
	if derr == nil && len(p.d.Errors) == 0 {
		return nil
	}
	if len(payload) >= 4 && binary.BigEndian.Uint32(payload) != sflow.Version5 {
		p.stats.NotSFlow++
	} else {
		p.stats.Damaged++
	}
	// Errors are reported, never fatal: like sflowtool, go on with the next datagram.
	_ = sflowtool.WriteErrors(p.stderr, m, payload, &p.d, derr)
	return nil
}

// rawDatagramLen is the length of the sFlow v5 datagram at the start of b, walked through its header and sample
// lengths; len(b) when b does not start with a datagram that can be framed that way.
func rawDatagramLen(b []byte) int {
	u32 := func(off int) (uint32, bool) {
		if off < 0 || off+4 > len(b) {
			return 0, false
		}
		return binary.BigEndian.Uint32(b[off:]), true
	}
	if v, ok := u32(0); !ok || v != sflow.Version5 {
		return len(b)
	}
	off := 8
	switch t, _ := u32(4); t {
	case sflow.AddressIPv4:
		off += 4
	case sflow.AddressIPv6:
		off += 16
	default:
		return len(b)
	}
	off += 12 // sub_agent_id, sequence_number, uptime
	n, ok := u32(off)
	if !ok {
		return len(b)
	}
	off += 4
	for i := uint32(0); i < n; i++ {
		length, ok := u32(off + 4)
		if !ok || uint64(length) > uint64(len(b)-off-8) {
			return len(b)
		}
		off += 8 + int(length+3)&^3
		if off > len(b) {
			return len(b)
		}
	}
	return off
}
