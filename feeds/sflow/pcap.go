package sflow

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"sync"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// DefaultPort is the UDP port sFlow agents send to.
const DefaultPort = 6343

// AnyPort makes OpenPcap return the payloads of every UDP datagram, whatever its destination port.
const AnyPort = -1

// maxFrame bounds one captured frame: big enough for any UDP datagram with its headers (and GRO'd frames), small
// enough that a corrupt length in a capture cannot make the reader allocate gigabytes.
const maxFrame = 256 << 10

// Link types read by PcapReader (LINKTYPE_* numbers). gopacket's layers.LinkType is 8 bits wide, so pcapgo
// truncates 276 to 20; the classic header is read here, and pcapngGuard rewrites pcapng's other wide types.
const (
	linkTypeNull      = 0
	linkTypeEthernet  = 1
	linkTypeRawAlt1   = 12 // DLT_RAW on some BSDs
	linkTypeRawAlt2   = 14 // DLT_RAW on OpenBSD
	linkTypeRaw       = 101
	linkTypeLoop      = 108 // OpenBSD loopback
	linkTypeLinuxSLL  = 113
	linkTypeIPv4      = 228
	linkTypeIPv6      = 229
	linkTypeLinuxSLL2 = 276
	linkTypeSLL2In8   = linkTypeLinuxSLL2 & 0xFF // what pcapgo reports for 276
	linkTypeUser0     = 147                      // stands for the wide types pcapng files may hold
)

// ErrPcap is wrapped by the errors of PcapReader about the capture file itself (not about the frames in it,
// which are skipped and counted).
var ErrPcap = errors.New("bad capture")

// PcapStats counts what a PcapReader read.
type PcapStats struct {
	Frames    int // frames read from the capture
	Payloads  int // UDP payloads returned by Next
	NotUDP    int // frames that are not UDP over IPv4 or IPv6: ARP, TCP, ICMP, other link types, ...
	OtherPort int // UDP datagrams to another port
	Fragments int // IP fragments, which are not reassembled
	Truncated int // frames cut short by the capture's snap length, or malformed
}

// PcapReader yields the UDP payloads addressed to one port in a classic pcap or pcapng capture with Ethernet
// (802.1Q/QinQ tags skipped), Linux SLL/SLL2, BSD loopback or raw IP frames, over IPv4 or IPv6.
type PcapReader struct {
	next     func() ([]byte, gopacket.CaptureInfo, error)
	linkType uint32 // of a classic pcap; pcapng frames carry their own
	ng       bool
	port     int
	stats    PcapStats
	err      error // sticky: the first error about the file
}

// OpenPcap reads the capture header from r and returns a reader of the payloads of the UDP datagrams to port
// (0 means DefaultPort, AnyPort every port). The format, classic pcap (either byte order, µs or ns) or pcapng, is
// detected from the magic number.
func OpenPcap(r io.Reader, port int) (*PcapReader, error) {
	if port == 0 {
		port = DefaultPort
	}
	if port > 0xFFFF {
		return nil, fmt.Errorf("open capture: port %d out of range", port)
	}
	br := bufio.NewReaderSize(r, 64<<10)
	magic, err := br.Peek(4)
	if err != nil {
		return nil, fmt.Errorf("open capture: reading the magic number: %w: %w", ErrPcap, err)
	}
	p := &PcapReader{port: port}
	if binary.BigEndian.Uint32(magic) == pcapngBlockSHB {
		ng, err := openNg(&pcapngGuard{r: br})
		if err != nil {
			return nil, fmt.Errorf("open capture: pcapng: %w: %w", ErrPcap, err)
		}
		p.ng, p.next = true, ng.ZeroCopyReadPacketData
		return p, nil
	}
	hdr, _ := br.Peek(24)
	hdr = append([]byte(nil), hdr...)
	classic, err := pcapgo.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("open capture: not a pcap or pcapng file: %w: %w", ErrPcap, err)
	}
	// The snap length in the header is not trusted: writers exceed it, and a huge one would size the buffer.
	classic.SetSnaplen(maxFrame)
	p.linkType = uint32(classic.LinkType())
	if len(hdr) == 24 && (hdr[0] != 0x1F || hdr[1] != 0x8B) { // gzip'd captures keep pcapgo's 8-bit link type
		p.linkType = classicLinkType(hdr)
	}
	if !linkSupported(p.linkType) {
		return nil, fmt.Errorf("open capture: link type %d is not supported: %w", p.linkType, ErrPcap)
	}
	p.next = classic.ZeroCopyReadPacketData
	return p, nil
}

// Next returns the next UDP payload to the port, with the datagram's source address and the capture timestamp,
// or io.EOF after the last one. The payload is valid until the next call. Frames that are not UDP to the port
// are skipped and counted in Stats; an error about the file itself ends the reading.
func (p *PcapReader) Next() (payload []byte, src netip.AddrPort, ts time.Time, err error) {
	for {
		if p.err != nil {
			return nil, netip.AddrPort{}, time.Time{}, p.err
		}
		frame, ci, err := p.read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				p.err = io.EOF
			} else {
				p.err = fmt.Errorf("read capture after frame %d: %w: %w", p.stats.Frames, ErrPcap, err)
			}
			continue
		}
		p.stats.Frames++
		link := p.linkType
		if p.ng {
			link = linkTypeUser0
			if len(ci.AncillaryData) > 0 {
				if lt, ok := ci.AncillaryData[0].(layers.LinkType); ok {
					link = uint32(lt)
				}
			}
			if link == linkTypeSLL2In8 {
				link = linkTypeLinuxSLL2
			}
			if !linkSupported(link) {
				p.stats.NotUDP++
				continue
			}
		}
		payload, src, ok := p.udpPayload(link, frame)
		if ok {
			p.stats.Payloads++
			return payload, src, ci.Timestamp, nil
		}
	}
}

// read returns the next frame from pcapgo, turning a panic of its pcapng reader on corrupt input (it divides by
// a timestamp resolution it does not check, indexes options it does not bound) into an error.
func (p *PcapReader) read() (data []byte, ci gopacket.CaptureInfo, err error) {
	defer func() {
		if r := recover(); r != nil {
			data, err = nil, fmt.Errorf("corrupt capture: %v", r)
		}
	}()
	return p.next()
}

// openNg is pcapgo.NewNgReader with its panics on corrupt input turned into errors (see read).
func openNg(r io.Reader) (ng *pcapgo.NgReader, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			ng, err = nil, fmt.Errorf("corrupt capture: %v", rec)
		}
	}()
	return pcapgo.NewNgReader(r, pcapgo.NgReaderOptions{WantMixedLinkType: true})
}

// Stats returns the counts so far.
func (p *PcapReader) Stats() PcapStats { return p.stats }

func linkSupported(lt uint32) bool {
	switch lt {
	case linkTypeEthernet, linkTypeNull, linkTypeLoop, linkTypeRaw, linkTypeRawAlt1, linkTypeRawAlt2, linkTypeIPv4,
		linkTypeIPv6, linkTypeLinuxSLL, linkTypeLinuxSLL2:
		return true
	}
	return false
}

// classicLinkType reads the full 32-bit link type of a classic pcap file header, whose magic says its byte order.
func classicLinkType(hdr []byte) uint32 {
	if m := binary.LittleEndian.Uint32(hdr); m == 0xA1B2C3D4 || m == 0xA1B23C4D {
		return binary.LittleEndian.Uint32(hdr[20:])
	}
	return binary.BigEndian.Uint32(hdr[20:])
}

// udpPayload finds the UDP payload to p.port in one frame, counting the frame in stats when it has none.
func (p *PcapReader) udpPayload(link uint32, frame []byte) ([]byte, netip.AddrPort, bool) {
	const (
		etherIPv4 = 0x0800
		etherIPv6 = 0x86DD
	)
	var ip []byte
	switch link {
	case linkTypeEthernet:
		if len(frame) < 14 {
			p.stats.Truncated++
			return nil, netip.AddrPort{}, false
		}
		etherType, rest := binary.BigEndian.Uint16(frame[12:]), frame[14:]
		for etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100 {
			if len(rest) < 4 {
				p.stats.Truncated++
				return nil, netip.AddrPort{}, false
			}
			etherType, rest = binary.BigEndian.Uint16(rest[2:]), rest[4:]
		}
		if etherType != etherIPv4 && etherType != etherIPv6 {
			p.stats.NotUDP++
			return nil, netip.AddrPort{}, false
		}
		ip = rest
	case linkTypeLinuxSLL, linkTypeLinuxSLL2:
		hdr, protoAt := 16, 14
		if link == linkTypeLinuxSLL2 {
			hdr, protoAt = 20, 0
		}
		if len(frame) < hdr {
			p.stats.Truncated++
			return nil, netip.AddrPort{}, false
		}
		if proto := binary.BigEndian.Uint16(frame[protoAt:]); proto != etherIPv4 && proto != etherIPv6 {
			p.stats.NotUDP++
			return nil, netip.AddrPort{}, false
		}
		ip = frame[hdr:]
	case linkTypeNull, linkTypeLoop:
		// A 4-byte address family whose byte order depends on the capturing host: the IP version nibble says more.
		if len(frame) < 4 {
			p.stats.Truncated++
			return nil, netip.AddrPort{}, false
		}
		ip = frame[4:]
	default: // raw IP
		ip = frame
	}
	return p.ipUDPPayload(ip)
}

// ipUDPPayload finds the UDP payload to p.port in an IPv4 or IPv6 packet.
func (p *PcapReader) ipUDPPayload(ip []byte) ([]byte, netip.AddrPort, bool) {
	if len(ip) < 1 {
		p.stats.Truncated++
		return nil, netip.AddrPort{}, false
	}
	var srcIP netip.Addr
	var udp []byte
	switch ip[0] >> 4 {
	case 4:
		if len(ip) < 20 {
			p.stats.Truncated++
			return nil, netip.AddrPort{}, false
		}
		ihl, total := int(ip[0]&0x0F)*4, int(binary.BigEndian.Uint16(ip[2:]))
		if ihl < 20 || total < ihl {
			p.stats.Truncated++
			return nil, netip.AddrPort{}, false
		}
		if ip[9] != 17 {
			p.stats.NotUDP++
			return nil, netip.AddrPort{}, false
		}
		if binary.BigEndian.Uint16(ip[6:])&0x3FFF != 0 { // MF flag or a fragment offset
			p.stats.Fragments++
			return nil, netip.AddrPort{}, false
		}
		if total > len(ip) {
			p.stats.Truncated++
			return nil, netip.AddrPort{}, false
		}
		srcIP = netip.AddrFrom4([4]byte(ip[12:16]))
		udp = ip[ihl:total] // drops Ethernet padding after the IP packet
	case 6:
		if len(ip) < 40 {
			p.stats.Truncated++
			return nil, netip.AddrPort{}, false
		}
		next, rest := ip[6], ip[40:]
		if plen := int(binary.BigEndian.Uint16(ip[4:])); plen <= len(rest) {
			rest = rest[:plen]
		} else {
			p.stats.Truncated++
			return nil, netip.AddrPort{}, false
		}
		for next == 0 || next == 43 || next == 60 { // hop-by-hop, routing, destination options
			if len(rest) < 8 || len(rest) < (int(rest[1])+1)*8 {
				p.stats.Truncated++
				return nil, netip.AddrPort{}, false
			}
			next, rest = rest[0], rest[(int(rest[1])+1)*8:]
		}
		if next == 44 {
			p.stats.Fragments++
			return nil, netip.AddrPort{}, false
		}
		if next != 17 {
			p.stats.NotUDP++
			return nil, netip.AddrPort{}, false
		}
		srcIP = netip.AddrFrom16([16]byte(ip[8:24]))
		udp = rest
	default:
		p.stats.NotUDP++
		return nil, netip.AddrPort{}, false
	}
	if len(udp) < 8 {
		p.stats.Truncated++
		return nil, netip.AddrPort{}, false
	}
	if p.port != AnyPort && int(binary.BigEndian.Uint16(udp[2:])) != p.port {
		p.stats.OtherPort++
		return nil, netip.AddrPort{}, false
	}
	ulen := int(binary.BigEndian.Uint16(udp[4:]))
	if ulen < 8 || ulen > len(udp) {
		p.stats.Truncated++
		return nil, netip.AddrPort{}, false
	}
	return udp[8:ulen], netip.AddrPortFrom(srcIP, binary.BigEndian.Uint16(udp[0:])), true
}

// pcapng block types and the byte-order magic of a section header.
const (
	pcapngBlockSHB       = 0x0A0D0D0A
	pcapngBlockIDB       = 1
	pcapngBlockPacket    = 2 // obsolete packet block
	pcapngBlockSimple    = 3
	pcapngBlockEPB       = 6
	pcapngByteOrderMagic = 0x1A2B3C4D
)

// pcapngGuard passes a pcapng stream through one whole block at a time and stops it at the first block whose
// lengths would make pcapgo's NgReader allocate or skip beyond the block (it trusts them): block length bounded
// by maxFrame, captured lengths within their block, interface snap lengths clamped to maxFrame.
type pcapngGuard struct {
	r         io.Reader
	order     binary.ByteOrder
	block     []byte
	pending   []byte
	err       error
	nextBlock int
}

func (g *pcapngGuard) Read(b []byte) (int, error) {
	if len(g.pending) == 0 {
		if g.err != nil {
			return 0, g.err
		}
		if g.err = g.readBlock(); g.err != nil && len(g.pending) == 0 {
			return 0, g.err
		}
	}
	n := copy(b, g.pending)
	g.pending = g.pending[n:]
	return n, nil
}

// readBlock reads, checks and buffers the next block.
func (g *pcapngGuard) readBlock() error {
	var hdr [12]byte
	if _, err := io.ReadFull(g.r, hdr[:8]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("pcapng block %d: truncated header: %w", g.nextBlock, err)
		}
		return err
	}
	n := 8
	if binary.BigEndian.Uint32(hdr[:4]) == pcapngBlockSHB {
		if _, err := io.ReadFull(g.r, hdr[8:12]); err != nil {
			return fmt.Errorf("pcapng block %d: truncated section header: %w", g.nextBlock, io.ErrUnexpectedEOF)
		}
		n = 12
		switch uint32(pcapngByteOrderMagic) {
		case binary.BigEndian.Uint32(hdr[8:]):
			g.order = binary.BigEndian
		case binary.LittleEndian.Uint32(hdr[8:]):
			g.order = binary.LittleEndian
		default:
			return fmt.Errorf("pcapng block %d: bad byte-order magic", g.nextBlock)
		}
	}
	if g.order == nil {
		return fmt.Errorf("pcapng block %d: no section header first", g.nextBlock)
	}
	typ, length := g.order.Uint32(hdr[:4]), int(g.order.Uint32(hdr[4:8]))
	if length < 12 || length%4 != 0 || length > maxFrame+64<<10 {
		return fmt.Errorf("pcapng block %d: length %d out of bounds", g.nextBlock, length)
	}
	if length < n {
		return fmt.Errorf("pcapng block %d: length %d shorter than its header", g.nextBlock, length)
	}
	g.block = append(g.block[:0], hdr[:n]...)
	g.block = append(g.block, make([]byte, length-n)...)
	if _, err := io.ReadFull(g.r, g.block[n:]); err != nil {
		return fmt.Errorf("pcapng block %d: truncated body: %w", g.nextBlock, io.ErrUnexpectedEOF)
	}
	body := g.block[8:]
	switch typ {
	case pcapngBlockSHB:
		if len(body) < 16 {
			return fmt.Errorf("pcapng block %d: section header too short", g.nextBlock)
		}
	case pcapngBlockIDB:
		if len(body) < 12 {
			return fmt.Errorf("pcapng block %d: interface block too short", g.nextBlock)
		}
		if snap := g.order.Uint32(body[4:]); snap == 0 || snap > maxFrame {
			g.order.PutUint32(body[4:], maxFrame)
		}
		if lt := g.order.Uint16(body[0:]); lt > 0xFF && lt != linkTypeLinuxSLL2 {
			g.order.PutUint16(body[0:], linkTypeUser0)
		}
	case pcapngBlockEPB, pcapngBlockPacket:
		if len(body) < 24 || int(g.order.Uint32(body[12:])) > len(body)-24 {
			return fmt.Errorf("pcapng block %d: captured length beyond the block", g.nextBlock)
		}
	case pcapngBlockSimple:
		if len(body) < 8 || int(g.order.Uint32(body[0:])) > len(body)-8 {
			return fmt.Errorf("pcapng block %d: truncated simple packets are not supported", g.nextBlock)
		}
	}
	g.nextBlock++
	g.pending = g.block
	return nil
}

// PcapWriter writes sFlow datagrams as a classic pcap capture (microsecond timestamps, Ethernet link type) of
// Ethernet/IPv4 or IPv6/UDP frames, the format sflowtool -r and tcpdump read. It is safe for concurrent use.
//
// Records are buffered whole and written whole. The first write error (a full disk) is kept and returned by
// every later call, and by Err; when the underlying writer is a file (it can Seek and Truncate), a record
// written in part is cut off again, so the capture stays readable up to the last good datagram.
type PcapWriter struct {
	mu     sync.Mutex
	w      io.Writer
	buf    []byte // whole records not written yet
	good   int64  // offset in w after the last record known written whole
	header bool   // buf starts with the file header
	queued int    // records in buf
	wrote  uint64 // records written whole
	frame  []byte
	err    error // the first write error
	closed bool
}

// pcapBuffer is how many bytes of records PcapWriter gathers before writing them.
const pcapBuffer = 64 << 10

// Sizes of the classic pcap file header and record header.
const (
	pcapFileHeader   = 24
	pcapRecordHeader = 16
)

// Frame MAC addresses of written captures: locally administered, the agent side ending in 1.
var (
	pcapSrcMAC = [6]byte{0x02, 0, 0, 0, 0, 1}
	pcapDstMAC = [6]byte{0x02, 0, 0, 0, 0, 2}
)

// NewPcapWriter writes the pcap file header to w at once; records are buffered (call Flush or Close).
func NewPcapWriter(w io.Writer) (*PcapWriter, error) {
	pw := &PcapWriter{w: w}
	if sk, ok := w.(io.Seeker); ok {
		if at, err := sk.Seek(0, io.SeekCurrent); err == nil {
			pw.good = at
		}
	}
	var hdr bytes.Buffer
	if err := pcapgo.NewWriter(&hdr).WriteFileHeader(maxFrame, layers.LinkTypeEthernet); err != nil {
		return nil, fmt.Errorf("write capture header: %w", err)
	}
	pw.buf, pw.header = append(pw.buf, hdr.Bytes()...), true
	if err := pw.flushLocked(); err != nil {
		return nil, err
	}
	return pw, nil
}

// errPcapWriter is wrapped by WriteDatagram's errors about its arguments.
var errPcapWriter = errors.New("cannot write datagram")

// WriteDatagram writes payload as one UDP datagram from src to dst captured at ts. src and dst must be of one
// family (IPv4-mapped IPv6 counts as IPv4); the payload must fit one unfragmented UDP datagram. After a write
// error every call returns it.
func (w *PcapWriter) WriteDatagram(payload []byte, src, dst netip.AddrPort, ts time.Time) error {
	s, d := src.Addr().Unmap(), dst.Addr().Unmap()
	if !s.IsValid() || !d.IsValid() || s.Is4() != d.Is4() {
		return fmt.Errorf("write datagram %v > %v: addresses of two families: %w", src, dst, errPcapWriter)
	}
	maxPayload := 0xFFFF - 20 - 8
	if s.Is6() {
		maxPayload = 0xFFFF - 8
	}
	if len(payload) > maxPayload {
		return fmt.Errorf("write datagram %v > %v: %d bytes exceed one UDP datagram: %w", src, dst, len(payload),
			errPcapWriter)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return fmt.Errorf("write datagram: %w: writer closed", errPcapWriter)
	}
	if w.err != nil {
		return w.err
	}
	w.frame = appendUDPFrame(w.frame[:0], payload, netip.AddrPortFrom(s, src.Port()), netip.AddrPortFrom(d, dst.Port()))
	usec := ts.UnixMicro()
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(usec/1e6))
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(usec%1e6))
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(len(w.frame)))
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(len(w.frame)))
	w.buf = append(w.buf, w.frame...)
	w.queued++
	if len(w.buf) >= pcapBuffer {
		return w.flushLocked()
	}
	return nil
}

// Flush writes buffered records to the underlying writer.
func (w *PcapWriter) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.flushLocked()
}

// Written is the number of datagrams written whole to the underlying writer (buffered ones not counted).
func (w *PcapWriter) Written() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.wrote
}

// Err returns the first write error, or nil while every record has been written (or is buffered).
func (w *PcapWriter) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// truncater is a file a torn record can be cut off again.
type truncater interface {
	io.Seeker
	Truncate(size int64) error
}

// flushLocked writes the buffer. On a short write it cuts the file back to the last whole record (when it can)
// and keeps the error.
func (w *PcapWriter) flushLocked() error {
	if w.err != nil {
		return w.err
	}
	if len(w.buf) == 0 {
		return nil
	}
	n, err := w.w.Write(w.buf)
	if err == nil && n < len(w.buf) {
		err = io.ErrShortWrite
	}
	if err == nil {
		w.good += int64(n)
		w.wrote += uint64(w.queued)
		w.buf, w.header, w.queued = w.buf[:0], false, 0
		return nil
	}
	whole, records := wholeRecords(w.buf, n, w.header)
	w.good += int64(whole)
	w.wrote += uint64(records)
	w.err = fmt.Errorf("write capture: %w", err)
	if n > whole {
		if t, ok := w.w.(truncater); ok {
			if terr := t.Truncate(w.good); terr != nil {
				w.err = fmt.Errorf("write capture: %w; cutting the torn record off: %w", err, terr)
			} else if _, serr := t.Seek(w.good, io.SeekStart); serr != nil {
				w.err = fmt.Errorf("write capture: %w; %w", err, serr)
			}
		}
	}
	w.buf, w.queued = nil, 0
	return w.err
}

// wholeRecords returns how many of the first n bytes of buf end a whole record (the file header, when buf
// starts with it, counting as one), and how many datagram records that is.
func wholeRecords(buf []byte, n int, fileHeader bool) (size, records int) {
	if fileHeader {
		if n < pcapFileHeader {
			return 0, 0
		}
		size = pcapFileHeader
	}
	for size+pcapRecordHeader <= len(buf) {
		end := size + pcapRecordHeader + int(binary.LittleEndian.Uint32(buf[size+8:]))
		if end > n {
			break
		}
		size = end
		records++
	}
	return size, records
}

// Close flushes and makes later writes fail. It does not close the underlying writer.
func (w *PcapWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	err := w.flushLocked()
	w.closed = true
	return err
}

// appendUDPFrame appends an Ethernet/IPv4 or IPv6/UDP frame carrying payload, with valid lengths and checksums.
func appendUDPFrame(b, payload []byte, src, dst netip.AddrPort) []byte {
	b = append(b, pcapDstMAC[:]...)
	b = append(b, pcapSrcMAC[:]...)
	udpLen := 8 + len(payload)
	var pseudo uint32 // checksum of the pseudo-header
	if src.Addr().Is4() {
		b = append(b, 0x08, 0x00)
		ipAt := len(b)
		s, d := src.Addr().As4(), dst.Addr().As4()
		b = append(b, 0x45, 0)
		b = binary.BigEndian.AppendUint16(b, uint16(20+udpLen))
		b = append(b, 0, 0, 0x40, 0, 64, 17, 0, 0) // id 0, DF, TTL 64, UDP, checksum later
		b = append(b, s[:]...)
		b = append(b, d[:]...)
		binary.BigEndian.PutUint16(b[ipAt+10:], ^fold(sum16(0, b[ipAt:ipAt+20])))
		pseudo = sum16(sum16(0, s[:]), d[:]) + 17 + uint32(udpLen)
	} else {
		b = append(b, 0x86, 0xDD)
		s, d := src.Addr().As16(), dst.Addr().As16()
		b = append(b, 0x60, 0, 0, 0)
		b = binary.BigEndian.AppendUint16(b, uint16(udpLen))
		b = append(b, 17, 64)
		b = append(b, s[:]...)
		b = append(b, d[:]...)
		pseudo = sum16(sum16(0, s[:]), d[:]) + 17 + uint32(udpLen)
	}
	udpAt := len(b)
	b = binary.BigEndian.AppendUint16(b, src.Port())
	b = binary.BigEndian.AppendUint16(b, dst.Port())
	b = binary.BigEndian.AppendUint16(b, uint16(udpLen))
	b = append(b, 0, 0)
	b = append(b, payload...)
	csum := ^fold(sum16(pseudo, b[udpAt:]))
	if csum == 0 {
		csum = 0xFFFF // 0 means "no checksum" in UDP
	}
	binary.BigEndian.PutUint16(b[udpAt+6:], csum)
	return b
}

// sum16 adds p as big-endian 16-bit words (odd length padded with zero) to the one's-complement sum acc.
func sum16(acc uint32, p []byte) uint32 {
	for len(p) >= 2 {
		acc += uint32(p[0])<<8 | uint32(p[1])
		p = p[2:]
		if acc > 0xFFFF {
			acc = acc&0xFFFF + acc>>16
		}
	}
	if len(p) == 1 {
		acc += uint32(p[0]) << 8
	}
	return acc
}

// fold reduces a one's-complement sum to 16 bits.
func fold(acc uint32) uint16 {
	for acc > 0xFFFF {
		acc = acc&0xFFFF + acc>>16
	}
	return uint16(acc)
}
