package sflow

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
)

// dxSeedDatagrams are the hand-built datagrams of the tests, valid and broken, and every capture's datagrams
// when ../shared is there.
func dxSeedDatagrams(tb testing.TB) [][]byte {
	rich := dxRichDatagram(tb)
	seeds := [][]byte{
		rich,
		rich[:len(rich)/2],
		dxDatagram("192.0.2.1", 0, 1, 1),
		dxFlowDatagram(dxRecord(0, FlowExtGateway, dxBytes(func(x *dxBuf) {
			x.addr("2001:db8::1").u32(1, 2, 3, 2, 2, 1, 7, 1, 2, 8, 9, 1, 5, 100)
		}))),
		dxCounterDatagram(
			dxRecord(0, CounterHostAdapters, dxBytes(func(x *dxBuf) { x.u32(2, 1, 1).mac(dxMAC1).u32(2, 0) })),
			dxRecord(0, CounterHostCPU, make([]byte, 68)),
			dxRecord(0, CounterMemcacheLegacy, make([]byte, 144)),
			dxRecord(EnterpriseBroadcom, CounterBroadcomTables, make([]byte, 144)),
			dxRecord(0, CounterAppOperations, dxBytes(func(x *dxBuf) { x.str("app").u32(dxSeq(1, 11)...) }))),
		dxDatagram("192.0.2.1", 0, 1, 1,
			dxFlowSample(1, 1, 1, 1, 0, 1, 2,
				dxRecord(0, FlowMemcacheOperation, dxBytes(func(x *dxBuf) { x.u32(1, 7).str("key").u32(1, 2, 3, 1) })),
				dxRecord(0, FlowAppOperation, dxBytes(func(x *dxBuf) { x.str("a").str("b").str("c").str("d").u64(1, 2).u32(3, 4) })),
				dxRecord(0, FlowExtUser, dxBytes(func(x *dxBuf) { x.u32(106).str("u").u32(106).str("v") })),
				dxRecord(0, FlowExtURL, dxBytes(func(x *dxBuf) { x.u32(1).str("/").str("h") })),
				dxRecord(0, FlowHWTrap, dxBytes(func(x *dxBuf) { x.str("g").str("t") }))),
			dxBytes(func(x *dxBuf) { x.u32(4300<<12|1002, 4, 0) })),
		dxBytes(func(x *dxBuf) { x.u32(0x00050001, 0, 0, 0) }),
		dxFlowDatagram(
			dxRecord(0, FlowExtMPLS, dxBytes(func(x *dxBuf) { x.addr("10.0.0.1").u32(2, 1, 2, 1, 3) })),
			dxRecord(0, FlowExtNAT, dxBytes(func(x *dxBuf) { x.addr("10.0.0.2").addr("2001:db8::2") })),
			dxRecord(0, FlowExtMPLSTunnel, dxBytes(func(x *dxBuf) { x.str("lsp").u32(1, 2) })),
			dxRecord(0, FlowExtMPLSVC, dxBytes(func(x *dxBuf) { x.str("vc").u32(3, 4) })),
			dxRecord(0, FlowExtMPLSFTN, dxBytes(func(x *dxBuf) { x.str("ftn").u32(5) })),
			dxRecord(0, FlowExtVLANTunnel, dxBytes(func(x *dxBuf) { x.u32(1, 0x81000064) })),
			dxRecord(0, FlowExtWifiPayload, dxBytes(func(x *dxBuf) { x.u32(0x000FAC04, 1, 64, 0).opaque(make([]byte, 20)) })),
			dxRecord(0, FlowExtWifiRx, dxBytes(func(x *dxBuf) { x.str("ssid").mac(dxMAC1).u32(4, 36).u64(1).u32(2, 3, 4) })),
			dxRecord(0, FlowExtWifiTx, dxBytes(func(x *dxBuf) { x.str("ssid").mac(dxMAC2).u32(3, 1, 2, 3, 11).u64(1).u32(5) }))),
		dxCounterDatagram(
			dxRecord(0, CounterSFP, dxBytes(func(x *dxBuf) { x.u32(1, 4, 3300, 35000, 1).u32(dxSeq(1, 10)...) })),
			dxRecord(0, CounterPFC, dxBytes(func(x *dxBuf) { x.u32(1, 2, 3, 4, 5) }))),
	}
	if shared, ok := dxFindShared(); ok {
		files, _ := filepath.Glob(filepath.Join(shared, "captures", "*.pcap"))
		for _, f := range files {
			seeds = append(seeds, dxCaptureDatagrams(tb, f)...)
		}
	}
	return seeds
}

func FuzzDecode(f *testing.F) {
	for _, s := range dxSeedDatagrams(f) {
		f.Add(s)
	}
	dec := NewDecoder()
	var d Datagram
	f.Fuzz(func(t *testing.T, buf []byte) {
		err := dec.Decode(buf, &d)
		dxCheckDatagram(t, buf, &d, err)
	})
}

// dxCheckDatagram checks what must hold after any Decode, whatever the input.
func dxCheckDatagram(t *testing.T, buf []byte, d *Datagram, err error) {
	t.Helper()
	if (err == nil) != (len(d.Errors) == 0) {
		t.Fatalf("error %v with %d listed errors", err, len(d.Errors))
	}
	if err != nil {
		var de *DecodeError
		if !errors.As(err, &de) || de != &d.Errors[0] {
			t.Fatalf("error %v is not d.Errors[0]", err)
		}
	}
	for i := range d.Errors {
		e := &d.Errors[i]
		known := false
		for _, s := range []error{ErrTruncated, ErrBadLength, ErrBadVersion, ErrBadAddress, ErrTooMany} {
			known = known || errors.Is(e, s)
		}
		if !known || e.Offset < 0 || e.Offset > len(buf) || e.Format == "" {
			t.Fatalf("error %d: %v", i, e)
		}
		if e.Format == "datagram" && (len(d.Errors) != 1 || len(d.Samples) != 0) {
			t.Fatalf("datagram error with %d samples", len(d.Samples))
		}
	}
	if uint64(len(d.Samples)) > uint64(d.NumSamples) {
		t.Fatalf("%d samples framed, %d declared", len(d.Samples), d.NumSamples)
	}
	unknown := 0
	for i := range d.Samples {
		s := &d.Samples[i]
		if s.Offset+8+len(s.Data) > len(buf) || !bytes.Equal(buf[s.Offset+8:s.Offset+8+len(s.Data)], s.Data) {
			t.Fatalf("sample %d: Data is not the datagram's bytes at %d", i, s.Offset)
		}
		if uint64(len(s.Records)) > uint64(s.NumRecords) {
			t.Fatalf("sample %d: %d records, %d declared", i, len(s.Records), s.NumRecords)
		}
		if s.Err != nil && !dxInErrors(d, s.Err) {
			t.Fatalf("sample %d: Err does not point into d.Errors", i)
		}
		for j := range s.Records {
			r := &s.Records[j]
			if r.Offset+8+len(r.Data) > s.Offset+8+len(s.Data) || !bytes.Equal(buf[r.Offset+8:r.Offset+8+len(r.Data)], r.Data) {
				t.Fatalf("sample %d record %d: Data is not the datagram's bytes at %d", i, j, r.Offset)
			}
			if r.Type == RecUnknown {
				unknown++
				continue
			}
			if dxRecordValue(d, r) == nil {
				t.Fatalf("sample %d record %d: no value for type %d", i, j, r.Type)
			}
			dxWalkRecord(t, d, r)
		}
	}
	if unknown != d.UnknownRecords {
		t.Fatalf("%d unknown records, counted %d", unknown, d.UnknownRecords)
	}
}

func dxInErrors(d *Datagram, e *DecodeError) bool {
	for i := range d.Errors {
		if &d.Errors[i] == e {
			return true
		}
	}
	return false
}

// dxWalkRecord uses the iterators and summaries of records whose structure is validated by Decode.
func dxWalkRecord(t *testing.T, d *Datagram, r *Record) {
	t.Helper()
	switch r.Type {
	case RecExtGateway:
		g := d.ExtGateway(r)
		n := uint32(0)
		for _, asns := range g.ASPath() {
			for i := range asns.Len() {
				_ = asns.At(i)
			}
			n++
		}
		if n != g.NumSegments || uint64(len(g.Communities)) != 4*uint64(g.NumCommunity) {
			t.Fatalf("gateway: %d of %d segments, %d bytes for %d communities", n, g.NumSegments, len(g.Communities), g.NumCommunity)
		}
	case RecHostAdapters:
		a := d.HostAdapters(r)
		n := uint32(0)
		for range a.Adapters() {
			n++
		}
		if n != a.NumAdapters {
			t.Fatalf("adapters: %d of %d", n, a.NumAdapters)
		}
	case RecSampledHeader:
		dxCheckSummary(t, &d.SampledHeader(r).Packet)
	}
}

// dxCheckSummary checks the consistency of a packet summary.
func dxCheckSummary(t *testing.T, p *PacketSummary) {
	t.Helper()
	switch p.IPVersion {
	case 0:
		if p.SrcIP.IsValid() || p.SrcPort != 0 || p.ICMPType != 0 {
			t.Fatalf("transport fields without IP: %+v", p)
		}
	case 4:
		if !p.SrcIP.Is4() || !p.DstIP.Is4() || p.FlowLabel != 0 {
			t.Fatalf("IPv4 summary %+v", p)
		}
	case 6:
		if !p.SrcIP.Is6() || !p.DstIP.Is6() || p.IPID != 0 {
			t.Fatalf("IPv6 summary %+v", p)
		}
	default:
		t.Fatalf("IP version %d", p.IPVersion)
	}
	if p.NumVLANs > 2 || (p.IPVersion != 0 && !p.Decoded) {
		t.Fatalf("summary %+v", p)
	}
}

// dxRecordValue returns the typed value of a record through its accessor (nil when it has none).
func dxRecordValue(d *Datagram, r *Record) any {
	nilOr := func(ok bool, v any) any {
		if !ok {
			return nil
		}
		return v
	}
	switch r.Type {
	case RecSampledHeader:
		v := d.SampledHeader(r)
		return nilOr(v != nil, v)
	case RecSampledEthernet:
		v := d.SampledEthernet(r)
		return nilOr(v != nil, v)
	case RecSampledIPv4:
		v := d.SampledIPv4(r)
		return nilOr(v != nil, v)
	case RecSampledIPv6:
		v := d.SampledIPv6(r)
		return nilOr(v != nil, v)
	case RecExtSwitch:
		v := d.ExtSwitch(r)
		return nilOr(v != nil, v)
	case RecExtRouter:
		v := d.ExtRouter(r)
		return nilOr(v != nil, v)
	case RecExtGateway:
		v := d.ExtGateway(r)
		return nilOr(v != nil, v)
	case RecExtUser:
		v := d.ExtUser(r)
		return nilOr(v != nil, v)
	case RecExtURL:
		v := d.ExtURL(r)
		return nilOr(v != nil, v)
	case RecU32:
		v := d.U32(r)
		return nilOr(v != nil, v)
	case RecExtACL:
		v := d.ExtACL(r)
		return nilOr(v != nil, v)
	case RecString:
		v := d.String(r)
		return nilOr(v != nil, v)
	case RecHWTrap:
		v := d.HWTrap(r)
		return nilOr(v != nil, v)
	case RecTimestamp:
		v := d.Timestamp(r)
		return nilOr(v != nil, v)
	case RecSocket:
		v := d.Socket(r)
		return nilOr(v != nil, v)
	case RecMemcacheOp:
		v := d.MemcacheOp(r)
		return nilOr(v != nil, v)
	case RecHTTPRequest:
		v := d.HTTPRequest(r)
		return nilOr(v != nil, v)
	case RecProxyRequest:
		v := d.ProxyRequest(r)
		return nilOr(v != nil, v)
	case RecAppOperation:
		v := d.AppOperation(r)
		return nilOr(v != nil, v)
	case RecAppContext:
		v := d.AppContext(r)
		return nilOr(v != nil, v)
	case RecAppActor:
		v := d.AppActor(r)
		return nilOr(v != nil, v)
	case RecTCPInfo:
		v := d.TCPInfo(r)
		return nilOr(v != nil, v)
	case RecEntities:
		v := d.Entities(r)
		return nilOr(v != nil, v)
	case RecIfCounters:
		v := d.IfCounters(r)
		return nilOr(v != nil, v)
	case RecEthernetCounters:
		v := d.EthernetCounters(r)
		return nilOr(v != nil, v)
	case RecVLANCounters:
		v := d.VLANCounters(r)
		return nilOr(v != nil, v)
	case RecLACPCounters:
		v := d.LACPCounters(r)
		return nilOr(v != nil, v)
	case RecProcessor:
		v := d.Processor(r)
		return nilOr(v != nil, v)
	case RecOpenFlowPort:
		v := d.OpenFlowPort(r)
		return nilOr(v != nil, v)
	case RecPortName:
		v := d.PortName(r)
		return nilOr(v != nil, v)
	case RecHostDescr:
		v := d.HostDescr(r)
		return nilOr(v != nil, v)
	case RecHostAdapters:
		v := d.HostAdapters(r)
		return nilOr(v != nil, v)
	case RecHostParent:
		v := d.HostParent(r)
		return nilOr(v != nil, v)
	case RecHostCPU:
		v := d.HostCPU(r)
		return nilOr(v != nil, v)
	case RecHostMemory:
		v := d.HostMemory(r)
		return nilOr(v != nil, v)
	case RecHostDiskIO:
		v := d.HostDiskIO(r)
		return nilOr(v != nil, v)
	case RecHostNetIO:
		v := d.HostNetIO(r)
		return nilOr(v != nil, v)
	case RecMIB2IP:
		v := d.MIB2IP(r)
		return nilOr(v != nil, v)
	case RecMIB2ICMP:
		v := d.MIB2ICMP(r)
		return nilOr(v != nil, v)
	case RecMIB2TCP:
		v := d.MIB2TCP(r)
		return nilOr(v != nil, v)
	case RecMIB2UDP:
		v := d.MIB2UDP(r)
		return nilOr(v != nil, v)
	case RecVirtNode:
		v := d.VirtNode(r)
		return nilOr(v != nil, v)
	case RecVirtCPU:
		v := d.VirtCPU(r)
		return nilOr(v != nil, v)
	case RecVirtMemory:
		v := d.VirtMemory(r)
		return nilOr(v != nil, v)
	case RecVirtDiskIO:
		v := d.VirtDiskIO(r)
		return nilOr(v != nil, v)
	case RecJVMRuntime:
		v := d.JVMRuntime(r)
		return nilOr(v != nil, v)
	case RecJVMStatistics:
		v := d.JVMStatistics(r)
		return nilOr(v != nil, v)
	case RecMemcacheCounters:
		v := d.MemcacheCounters(r)
		return nilOr(v != nil, v)
	case RecHTTPCounters:
		v := d.HTTPCounters(r)
		return nilOr(v != nil, v)
	case RecAppOperations:
		v := d.AppOperations(r)
		return nilOr(v != nil, v)
	case RecAppResources:
		v := d.AppResources(r)
		return nilOr(v != nil, v)
	case RecAppWorkers:
		v := d.AppWorkers(r)
		return nilOr(v != nil, v)
	case RecOVSDP:
		v := d.OVSDP(r)
		return nilOr(v != nil, v)
	case RecBroadcomTables:
		v := d.BroadcomTables(r)
		return nilOr(v != nil, v)
	case RecExtMPLS:
		v := d.ExtMPLS(r)
		return nilOr(v != nil, v)
	case RecExtNAT:
		v := d.ExtNAT(r)
		return nilOr(v != nil, v)
	case RecExtMPLSTunnel:
		v := d.ExtMPLSTunnel(r)
		return nilOr(v != nil, v)
	case RecExtMPLSFTN:
		v := d.ExtMPLSFTN(r)
		return nilOr(v != nil, v)
	case RecExtVLANTunnel:
		v := d.ExtVLANTunnel(r)
		return nilOr(v != nil, v)
	case RecExtWifiPayload:
		v := d.ExtWifiPayload(r)
		return nilOr(v != nil, v)
	case RecExtWifiRx:
		v := d.ExtWifiRx(r)
		return nilOr(v != nil, v)
	case RecExtWifiTx:
		v := d.ExtWifiTx(r)
		return nilOr(v != nil, v)
	case RecSFP:
		v := d.SFP(r)
		return nilOr(v != nil, v)
	case RecPFC:
		v := d.PFC(r)
		return nilOr(v != nil, v)
	}
	return nil
}

func FuzzDecodeHeader(f *testing.F) {
	for _, n := range []int{128, 64, 40, 20, 0} {
		f.Add(uint8(HeaderProtocolEthernet), dxEthIPv4TCPHeader(f, n))
		if n >= 14 {
			f.Add(uint8(HeaderProtocolIPv4), dxEthIPv4TCPHeader(f, n)[14:])
		}
	}
	// Sampled headers from the captures.
	var d Datagram
	dec := NewDecoder()
	for _, buf := range dxSeedDatagrams(f) {
		if dec.Decode(buf, &d) != nil && len(d.Samples) == 0 {
			continue
		}
		for _, s := range d.Samples {
			for i := range s.Records {
				if h := d.SampledHeader(&s.Records[i]); h != nil {
					f.Add(uint8(h.Protocol), bytes.Clone(h.Header))
				}
			}
		}
	}
	var h headerDecoder
	h.init()
	f.Fuzz(func(t *testing.T, protocol uint8, header []byte) {
		// 1, 11 and 12 decode; map the rest of the byte onto them so that most inputs exercise a decoder.
		proto := [...]uint32{HeaderProtocolEthernet, HeaderProtocolIPv4, HeaderProtocolIPv6, 15}[protocol%4]
		var s PacketSummary
		h.decode(proto, header, &s)
		dxCheckSummary(t, &s)
		if proto == 15 && s != (PacketSummary{}) {
			t.Fatalf("undecoded protocol produced %+v", s)
		}
	})
}
