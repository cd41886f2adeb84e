package sflowtool

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

var testMeta = Meta{Received: time.Unix(0, 0)}

// roundTrip encodes d, decodes it as `fleettop decode` does and prints it in both shapes.
func roundTrip(t *testing.T, d *sflow.Datagram) (text, js string) {
	t.Helper()
	buf, err := sflow.AppendDatagram(nil, d)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	var got sflow.Datagram
	dec := sflow.NewDecoder()
	dec.SetDecodeHeaders(false)
	if err := dec.Decode(buf, &got); err != nil {
		t.Fatalf("decode: %v", err)
	}
	var tb, jb bytes.Buffer
	tw := NewTextWriter(&tb, Options{Location: time.UTC})
	jw := NewJSONWriter(&jb, Options{Location: time.UTC})
	if err := tw.WriteDatagram(testMeta, buf, &got); err != nil {
		t.Fatal(err)
	}
	if err := jw.WriteDatagram(testMeta, buf, &got); err != nil {
		t.Fatal(err)
	}
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := jw.Flush(); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(jb.Bytes()) || bytes.Count(jb.Bytes(), []byte("\n")) != 1 {
		t.Fatalf("JSON output is not one valid line: %s", jb.Bytes())
	}
	return tb.String(), jb.String()
}

// sampleLines returns the text lines of the first sample after its framing keys, up to endSample.
func sampleLines(t *testing.T, text, firstKey string) []string {
	t.Helper()
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, firstKey+" ") {
			var out []string
			for _, m := range lines[i:] {
				if strings.HasPrefix(m, "endSample") {
					return out
				}
				out = append(out, m)
			}
		}
	}
	t.Fatalf("no %s in:\n%s", firstKey, text)
	return nil
}

// checkSampleLines prints d and compares its first sample's lines, from firstKey to endSample, with want.
func checkSampleLines(t *testing.T, d *sflow.Datagram, firstKey string, want []string) {
	t.Helper()
	text, _ := roundTrip(t, d)
	got := sampleLines(t, text, firstKey)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func flowDatagram() (*sflow.Datagram, *sflow.Sample) {
	d := &sflow.Datagram{}
	d.Reset()
	d.AgentAddr = netip.MustParseAddr("192.0.2.1")
	s := d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow, SamplingRate: 400, SourceIDClass: 3,
		SourceIDIndex: 80, SequenceNumber: 7, Input: sflow.Interface{Value: 0},
		Output: sflow.Interface{Value: sflow.IfIndexInternal}})
	return d, s
}

func counterDatagram() (*sflow.Datagram, *sflow.Sample) {
	d := &sflow.Datagram{}
	d.Reset()
	d.AgentAddr = netip.MustParseAddr("2001:db8::1")
	s := d.AddSample(sflow.Sample{Kind: sflow.SampleKindCounters, SourceIDClass: 2, SourceIDIndex: 1})
	return d, s
}

// TestFlowRecordKeys checks the keys, order and value formats of flow records against sflowtool's readers
// (src/sflowtool.c), and fleettop's own keys for the records sflowtool skips.
func TestFlowRecordKeys(t *testing.T) {
	for _, c := range []struct {
		name string
		add  func(d *sflow.Datagram, s *sflow.Sample)
		tag  string
		want []string
	}{
		{"http_request 2206, empty strings not printed", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddHTTPRequest(s, sflow.HTTPRequest{Method: 2, Protocol: 1001, URI: []byte("/a?b=c"),
				Host: []byte("example.com"), UserAgent: []byte("curl"), MimeType: []byte("text/html"),
				ReqBytes: 10, RespBytes: 2000, DurationUS: 1500, Status: 200})
		}, "0:2206", []string{"flowSampleType http", "http_method 2", "http_protocol 1001", "http_uri /a?b=c",
			"http_host example.com", "http_useragent curl", "http_mimetype text/html", "http_request_bytes 10",
			"http_bytes 2000", "http_duration_uS 1500", "http_status 200"}},
		{"http_request 2201 legacy: no xff, no request bytes", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddHTTPRequest(s, sflow.HTTPRequest{Legacy: true, Method: 4, Protocol: 1000, URI: []byte("/x"),
				Referer: []byte("r"), AuthUser: []byte("bob"), RespBytes: 5, Status: 404})
		}, "0:2201", []string{"flowSampleType http", "http_method 4", "http_protocol 1000", "http_uri /x",
			"http_referrer r", "http_authuser bob", "http_bytes 5", "http_duration_uS 0", "http_status 404"}},
		{"memcache_operation: key URL-encoded, hex digits in order", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddMemcacheOp(s, sflow.MemcacheOp{Protocol: 1, Cmd: 7, Key: []byte("user:42 x\xff"), NKeys: 1,
				ValueBytes: 100, DurationUS: 30, Status: 1})
		}, "0:2200", []string{"flowSampleType memcache", "memcache_op_protocol 1", "memcache_op_cmd 7",
			"memcache_op_key user%3A42+x%FF", "memcache_op_nkeys 1", "memcache_op_value_bytes 100",
			"memcache_op_duration_uS 30", "memcache_op_status 1"}},
		{"app_operation: status by name", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddAppOperation(s, sflow.AppOperation{Context: sflow.AppContext{Application: []byte("pay"),
				Operation: []byte("auth")}, StatusDescr: []byte("denied"), ReqBytes: 1, RespBytes: 2,
				DurationUS: 3, Status: 5})
		}, "0:2202", []string{"flowSampleType applicationOperation", "application pay", "operation auth",
			"status_descr denied", "request_bytes 1", "response_bytes 2", "duration_uS 3", "status FORBIDDEN"}},
		{"app_operation: status out of range", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddAppOperation(s, sflow.AppOperation{Status: 99})
		}, "0:2202", []string{"flowSampleType applicationOperation", "request_bytes 0", "response_bytes 0",
			"duration_uS 0", "status <out-of-range=99>"}},
		{"app_parent_context and actors", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddAppContext(s, sflow.AppContext{Application: []byte("a"), Attributes: []byte("k=v")})
			d.AddAppActor(s, sflow.AppActor{Actor: []byte("client")})
			d.AddAppActor(s, sflow.AppActor{Target: true, Actor: []byte("db")})
		}, "0:2203", []string{"server_context_application a", "server_context_attributes k=v",
			"flowBlock_tag 0:2204", "actor_initiator client", "flowBlock_tag 0:2205", "actor_target db"}},
		{"extended_socket_ipv4 and proxy_socket_ipv6", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddSocket(s, sflow.Socket{Protocol: 6, LocalIP: netip.MustParseAddr("10.0.0.1"),
				RemoteIP: netip.MustParseAddr("10.0.0.2"), LocalPort: 80, RemotePort: 5555})
			d.AddSocket(s, sflow.Socket{Proxy: true, Protocol: 6, LocalIP: netip.MustParseAddr("2001:db8::1"),
				RemoteIP: netip.MustParseAddr("::1"), LocalPort: 1, RemotePort: 2})
		}, "0:2100", []string{"extendedType socket4", "socket4_ip_protocol 6", "socket4_local_ip 10.0.0.1",
			"socket4_remote_ip 10.0.0.2", "socket4_local_port 80", "socket4_remote_port 5555",
			"flowBlock_tag 0:2103", "extendedType proxy_socket6", "proxy_socket6_ip_protocol 6",
			"proxy_socket6_local_ip 2001:0db8:0000:0000:0000:0000:0000:0001",
			"proxy_socket6_remote_ip 0000:0000:0000:0000:0000:0000:0000:0001", "proxy_socket6_local_port 1",
			"proxy_socket6_remote_port 2"}},
		{"fleettop's own keys: proxy request, acl; sflowtool's timestamp", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddProxyRequest(s, sflow.ProxyRequest{URI: []byte("/new"), Host: []byte("backend")})
			d.AddExtACL(s, sflow.ExtACL{Number: 3, Name: []byte("deny-all"), Direction: 1})
			d.AddTimestamp(s, sflow.Timestamp{Nanos: 1700000000123456789})
		}, "0:2207", []string{"extendedType proxy_request", "proxy_http_uri /new", "proxy_http_host backend",
			"flowBlock_tag 0:1037", "extendedType acl", "acl_number 3", "acl_name deny-all", "acl_direction 1",
			"flowBlock_tag 0:1043", "extendedType timestamp", "timestamp_nS 1700000000123456789"}},
		{"gateway: AS sets in parentheses, segments run together", func(d *sflow.Datagram, s *sflow.Sample) {
			g := sflow.ExtGateway{NextHop: netip.MustParseAddr("192.0.2.9"), AS: 65000, SrcAS: 1, SrcPeerAS: 2,
				LocalPref: 100}
			g.AddASPathSegment(2, 10, 20)
			g.AddASPathSegment(1, 30, 40)
			g.AddASPathSegment(2, 50)
			g.AddCommunity(7)
			g.AddCommunity(8)
			d.AddExtGateway(s, g)
		}, "0:1003", []string{"extendedType GATEWAY", "bgp_nexthop 192.0.2.9", "my_as 65000", "src_as 1",
			"src_peer_as 2", "dst_as_path 10-20(30-40)50", "dst_as 50", "dst_peer_as 10",
			"BGP_communities 7-8", "BGP_localpref 100"}},
		{"gateway: empty segments add nothing, and leave dst_as and dst_peer_as 0", func(d *sflow.Datagram, s *sflow.Sample) {
			g := sflow.ExtGateway{}
			g.AddASPathSegment(1)
			g.AddASPathSegment(2, 10, 20)
			g.AddASPathSegment(1, 30)
			g.AddASPathSegment(2)
			d.AddExtGateway(s, g)
		}, "0:1003", []string{"extendedType GATEWAY", "bgp_nexthop -", "my_as 0", "src_as 0", "src_peer_as 0",
			"dst_as_path 10-20(30)", "dst_as 0", "dst_peer_as 0", "BGP_localpref 0"}},
		{"mpls, nat, mpls tunnel, vc, ftn (readExtendedMpls ... readExtendedMplsFTN)", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddExtMPLS(s, sflow.ExtMPLS{NextHop: netip.MustParseAddr("10.1.1.1"),
				InStack: sflow.NewWords(16000<<12|1<<8|64, 3<<12|5<<9|255), OutStack: sflow.NewWords()})
			d.AddExtNAT(s, sflow.ExtNAT{Src: netip.MustParseAddr("192.0.2.1"), Dst: netip.MustParseAddr("::1")})
			d.AddExtMPLSTunnel(s, sflow.FlowExtMPLSTunnel, sflow.ExtMPLSTunnel{Name: []byte("lsp1"), ID: 7, COS: 2})
			d.AddExtMPLSTunnel(s, sflow.FlowExtMPLSVC, sflow.ExtMPLSTunnel{ID: 4000, COS: 1})
			d.AddExtMPLSFTN(s, sflow.ExtMPLSFTN{Descr: []byte("to core"), Mask: 24})
			d.AddUnknownRecord(s, 0, sflow.FlowExtMPLSLDPFEC, []byte{0, 0, 0, 32})
		}, "0:1006", []string{"extendedType MPLS", "mpls_nexthop 10.1.1.1", "mpls_input_stack 16000.0.1.64-3.5.0.255",
			"flowBlock_tag 0:1007", "extendedType NAT", "nat_src 192.0.2.1",
			"nat_dst 0000:0000:0000:0000:0000:0000:0000:0001",
			"flowBlock_tag 0:1008", "mpls_tunnel_lsp_name lsp1", "mpls_tunnel_id 7", "mpls_tunnel_cos 2",
			"flowBlock_tag 0:1009", "mpls_vll_vc_id 4000", "mpls_vc_cos 1",
			"flowBlock_tag 0:1010", "mpls_ftn_descr to core", "mpls_ftn_mask 24",
			"flowBlock_tag 0:1011", "mpls_fec_addr_prefix_len 32"}},
		{"vlan tunnel and 802.11 (readExtendedVlanTunnel, readExtendedWifi*)", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddExtVLANTunnel(s, sflow.ExtVLANTunnel{Stack: sflow.NewWords(0x88a8<<16|5<<13|100, 0x8100<<16|1<<12|7)})
			d.AddExtWifiRx(s, sflow.ExtWifiRx{SSID: []byte("guest"), BSSID: [6]byte{0xaa, 0xbb, 0xcc, 0, 1, 2},
				Version: 4, Channel: 36, Speed: 300000000, RSNI: 30, RCPI: 150, PacketDurationUS: 120})
			d.AddExtWifiTx(s, sflow.ExtWifiTx{BSSID: [6]byte{1}, Version: 3, Transmissions: 2, PacketDurationUS: 90,
				RetransDurationUS: 40, Channel: 11, Speed: 54000000, PowerMW: 100})
			d.AddExtWifiPayload(s, sflow.ExtWifiPayload{CipherSuite: 0x000fac04, Header: sflow.SampledHeader{
				Protocol: 11, FrameLength: 60, Header: []byte{0x45, 0, 0, 60}}})
		}, "0:1012", []string{"vlan_tunnel 0x88a85.0.100-0x81000.1.7",
			"flowBlock_tag 0:1014", "rx_SSID guest", "rx_BSSID aabbcc000102", "rx_version 4", "rx_channel 36",
			"rx_speed 300000000", "rx_rsni 30", "rx_rcpi 150", "rx_packet_uS 120",
			"flowBlock_tag 0:1015", "tx_BSSID 010000000000", "tx_version 3", "tx_transmissions 2", "tx_packet_uS 90",
			"tx_retrans_uS 40", "tx_channel 11", "tx_speed 54000000", "tx_power_mW 100",
			"flowBlock_tag 0:1013", "cipher_suite 1027076", "flowSampleType HEADER", "headerProtocol 11",
			"sampledPacketSize 60", "strippedBytes 0", "headerLen 4", "headerBytes 45-00-00-3C", "IPSize 60"}},
		{"sampled header of an unknown protocol", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddSampledHeader(s, sflow.SampledHeader{Protocol: 19, FrameLength: 64, Header: []byte{1}})
			d.AddSampledHeader(s, sflow.SampledHeader{Protocol: 0xFFFFFFFF, Header: []byte{}})
			d.AddSampledHeader(s, sflow.SampledHeader{Protocol: 13, Header: []byte{}})
		}, "0:1", []string{"flowSampleType HEADER", "headerProtocol 19", "sampledPacketSize 64", "strippedBytes 0",
			"headerLen 1", "headerBytes 01", "UNKNOWN headerProtocol=19",
			"flowBlock_tag 0:1", "flowSampleType HEADER", "headerProtocol 4294967295", "sampledPacketSize 0",
			"strippedBytes 0", "headerLen 0", "headerBytes ", "UNKNOWN headerProtocol=-1",
			"flowBlock_tag 0:1", "flowSampleType HEADER", "headerProtocol 13", "sampledPacketSize 0",
			"strippedBytes 0", "headerLen 0", "headerBytes ", "NO_DECODE headerProtocol=13"}},
		{"tunnels, decap, VNI, queue", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddSampledIPv4(s, sflow.SampledIP{Length: 60, Protocol: 17, SrcIP: netip.MustParseAddr("1.2.3.4"),
				DstIP: netip.MustParseAddr("5.6.7.8"), SrcPort: 53, DstPort: 4000, Priority: 8})
			r := d.AddSampledEthernet(s, sflow.SampledEthernet{Length: 64, SrcMAC: [6]byte{1, 2, 3, 4, 5, 6}, Type: 0x800})
			r.Format = sflow.FlowExtL2TunnelIngress
			d.AddU32(s, sflow.FlowExtDecapEgress, sflow.U32Record{Value: 14})
			d.AddU32(s, sflow.FlowExtVNIIngress, sflow.U32Record{Value: 5000})
			d.AddU32(s, sflow.FlowEgressQueue, sflow.U32Record{Value: 3})
		}, "0:3", []string{"flowSampleType IPV4", "sampledPacketSize 60", "IPSize 60", "srcIP 1.2.3.4",
			"dstIP 5.6.7.8", "IPProtocol 17", "IPTOS 8", "UDPSrcPort 53", "UDPDstPort 4000",
			"flowBlock_tag 0:1022", "flowSampleType tunnel_l2_in_ETHERNET", "tunnel_l2_in_ethernet_type 2048",
			"tunnel_l2_in_ethernet_len 64", "tunnel_l2_in_ethernet_src 010203040506",
			"tunnel_l2_in_ethernet_dst 000000000000", "flowBlock_tag 0:1027", "extendedType out_decap",
			"out_decap_inner_header_offset 14", "flowBlock_tag 0:1030", "extendedType in_VNI", "in_VNI 5000",
			"flowBlock_tag 0:1036", "extendedType egress_queue", "egress_queue_id 3"}},
		{"sampled_ipv6 ICMP, tcp_info, entities", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddSampledIPv6(s, sflow.SampledIP{Length: 80, Protocol: 1, SrcIP: netip.MustParseAddr("fe80::1"),
				DstIP: netip.MustParseAddr("ff02::2"), DstPort: 8, Priority: 3})
			d.AddTCPInfo(s, sflow.TCPInfo{Dirn: 2, SndMSS: 1448, RTT: 900, MinRTT: 100})
			d.AddEntities(s, sflow.Entities{SrcClass: 3, SrcIndex: 100001, DstClass: 3, DstIndex: 100002})
		}, "0:4", []string{"flowSampleType IPV6", "sampledPacketSize 80", "IPSize 80",
			"srcIP6 fe80:0000:0000:0000:0000:0000:0000:0001", "dstIP6 ff02:0000:0000:0000:0000:0000:0000:0002",
			"IPProtocol 1", "priority 3", "ICMPType 8", "flowBlock_tag 0:2209", "tcpinfo_direction sent",
			"tcpinfo_send_mss 1448", "tcpinfo_receive_mss 0", "tcpinfo_unacked_pkts 0", "tcpinfo_lost_pkts 0",
			"tcpinfo_retrans_pkts 0", "tcpinfo_path_mtu 0", "tcpinfo_rtt_uS 900", "tcpinfo_rtt_uS_var 0",
			"tcpinfo_send_congestion_win 0", "tcpinfo_reordering 0", "tcpinfo_rtt_uS_min 100",
			"flowBlock_tag 0:2210", "extendedType entities", "entities_src_class 3", "entities_src_index 100001",
			"entities_dst_class 3", "entities_dst_index 100002"}},
		{"unknown record: sflowtool's skipping line", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddUnknownRecord(s, 9999, 7, []byte{1, 2, 3, 4, 5, 6, 7, 8})
		}, "9999:7", []string{"skipping unknown flow_sample_element: 9999:7 len=8"}},
		{"NAT port, decoded from the raw record", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddUnknownRecord(s, 0, 1020, []byte{0, 0, 0, 80, 0, 0, 1, 0})
		}, "0:1020", []string{"extendedType NAT PORT", "nat_src_port 80", "nat_dst_port 256"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, s := flowDatagram()
			c.add(d, s)
			checkSampleLines(t, d, "flowBlock_tag", append([]string{"flowBlock_tag " + c.tag}, c.want...))
		})
	}
}

// TestCounterRecordKeys checks counter records against sflowtool's readCounters_* functions.
func TestCounterRecordKeys(t *testing.T) {
	for _, c := range []struct {
		name string
		add  func(d *sflow.Datagram, s *sflow.Sample)
		tag  string
		want []string
	}{
		{"host_descr, UUID lower-case, empty os_release not printed", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddHostDescr(s, sflow.HostDescr{Hostname: []byte("web1"), UUID: [16]byte{0xDE, 0xAD, 0xBE, 0xEF,
				1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, MachineType: 3, OSName: 2})
		}, "0:2000", []string{"hostname web1", "UUID deadbeef-0102-0304-0506-0708090a0b0c", "machine_type 3",
			"os_name 2"}},
		{"host_cpu 80 bytes: %.3f loads, steal/guest", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddHostCPU(s, sflow.HostCPU{LoadOne: 0.47, LoadFive: 1.5, LoadFifteen: -1, ProcRun: 2, CPUNum: 4,
				Intr: 9, Interrupts: 10, Steal: 11, Guest: 12, GuestNice: 13, Len80: true})
		}, "0:2003", []string{"cpu_load_one 0.470", "cpu_load_five 1.500", "cpu_load_fifteen -1.000",
			"cpu_proc_run 2", "cpu_proc_total 0", "cpu_num 4", "cpu_speed 0", "cpu_uptime 0", "cpu_user 0",
			"cpu_nice 0", "cpu_system 0", "cpu_idle 0", "cpu_wio 0", "cpuintr 9", "cpu_sintr 0",
			"cpuinterrupts 10", "cpu_contexts 0", "cpu_steal 11", "cpu_guest 12", "cpu_guest_nice 13"}},
		{"host_disk_io: percentage, unknown", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddHostDiskIO(s, sflow.HostDiskIO{Total: 100, PartMaxUsed: -1})
			d.AddProcessor(s, sflow.Processor{CPU5s: 5639, CPU1m: 1, CPU5m: -1, TotalMemory: 8, FreeMemory: 4})
		}, "0:2005", []string{"disk_total 100", "disk_free 0", "disk_partition_max_used unknown", "disk_reads 0",
			"disk_bytes_read 0", "disk_read_time 0", "disk_writes 0", "disk_bytes_written 0", "disk_write_time 0",
			"counterBlock_tag 0:1001", "5s_cpu 56.39", "1m_cpu 0.01", "5m_cpu unknown", "total_memory_bytes 8",
			"free_memory_bytes 4"}},
		{"adapters: numbered keys", func(d *sflow.Datagram, s *sflow.Sample) {
			var a sflow.HostAdapters
			a.AddAdapter(2, [6]byte{0x3c, 0x97, 0x0e, 0x25, 0xf0, 0x56})
			a.AddAdapter(3, [6]byte{1}, [6]byte{2})
			d.AddHostAdapters(s, a)
		}, "0:2001", []string{"adaptor_0_ifIndex 2", "adaptor_0_MACs 1", "adaptor_0_MAC_0 3c970e25f056",
			"adaptor_1_ifIndex 3", "adaptor_1_MACs 2", "adaptor_1_MAC_0 010000000000",
			"adaptor_1_MAC_1 020000000000"}},
		{"virt_net_io and jvm_statistics 100 bytes", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddHostNetIO(s, sflow.HostNetIO{Virt: true, BytesIn: 1, DropsOut: 2})
			d.AddJVMStatistics(s, sflow.JVMStatistics{HeapUsed: 5, ThreadsStarted: 9})
		}, "0:2104", []string{"vnio_bytes_in 1", "vnio_pkts_in 0", "vnio_errs_in 0", "vnio_drops_in 0",
			"vnio_bytes_out 0", "vnio_pkts_out 0", "vnio_errs_out 0", "vnio_drops_out 2", "counterBlock_tag 0:2106",
			"heap_mem_initial 0", "heap_mem_used 5", "heap_mem_committed 0", "heap_mem_max 0",
			"non_heap_mem_initial 0", "non_heap_mem_used 0", "non_heap_mem_committed 0", "non_heap_mem_max 0",
			"gc_count 0", "gc_mS 0", "classes_loaded 0", "classes_total 0", "classes_unloaded 0",
			"compilation_mS 0", "threads_live 0", "threads_daemon 0", "threads_started 9"}},
		{"http counters: sflowtool's methd typo", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddHTTPCounters(s, sflow.HTTPCounters{MethodConnect: 4, Status5XX: 1})
		}, "0:2201", []string{"http_method_option_count 0", "http_method_get_count 0", "http_method_head_count 0",
			"http_method_post_count 0", "http_method_put_count 0", "http_method_delete_count 0",
			"http_method_trace_count 0", "http_methd_connect_count 4", "http_method_other_count 0",
			"http_status_1XX_count 0", "http_status_2XX_count 0", "http_status_3XX_count 0",
			"http_status_4XX_count 0", "http_status_5XX_count 1", "http_status_other_count 0"}},
		{"openflow port: 16 hex digits", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddOpenFlowPort(s, sflow.OpenFlowPort{DatapathID: 0xabc, PortNo: 5})
			d.AddPortName(s, sflow.PortName{Name: []byte("eth0")})
		}, "0:1004", []string{"openflow_datapath_id 0000000000000abc", "openflow_port 5", "counterBlock_tag 0:1005",
			"ifName eth0"}},
		{"memcache counters 2204", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddMemcacheCounters(s, sflow.MemcacheCounters{CmdSet: 1, Reclaimed: 2, LimitMaxbytes: 3})
		}, "0:2204", []string{"memcache_cmd_set 1", "memcache_cmd_touch 0", "memcache_cmd_flush 0",
			"memcache_get_hits 0", "memcache_get_misses 0", "memcache_delete_hits 0", "memcache_delete_misses 0",
			"memcache_incr_hits 0", "memcache_incr_misses 0", "memcache_decr_hits 0", "memcache_decr_misses 0",
			"memcache_cas_hits 0", "memcache_cas_misses 0", "memcache_cas_badval 0", "memcache_auth_cmds 0",
			"memcache_auth_errors 0", "memcache_threads 0", "memcache_conn_yields 0",
			"memcache_listen_disabled_num 0", "memcache_curr_connections 0", "memcache_rejected_connections 0",
			"memcache_total_connections 0", "memcache_connection_structures 0", "memcache_evictions 0",
			"memcache_reclaimed 2", "memcache_curr_items 0", "memcache_total_items 0", "memcache_bytes_read 0",
			"memcache_bytes_written 0", "memcache_bytes 0", "memcache_limit_maxbytes 3"}},
		{"sfp optics: module, then numbered lane keys; signed temperature", func(d *sflow.Datagram, s *sflow.Sample) {
			v := sflow.SFP{ModuleID: 3, TotalLanes: 4, SupplyVoltage: 3300, Temperature: -1250}
			for i := range uint32(2) {
				v.AddLane(sflow.SFPLane{Index: 10*i + 1, TxBiasCurrent: 10*i + 2, TxPower: 10*i + 3, TxPowerMin: 10*i + 4,
					TxPowerMax: 10*i + 5, TxWavelength: 10*i + 6, RxPower: 10*i + 7, RxPowerMin: 10*i + 8,
					RxPowerMax: 10*i + 9, RxWavelength: 10*i + 10})
			}
			d.AddSFP(s, v)
			d.AddPFC(s, sflow.PFC{Requests: 1, Indications: 2, PauseDurationUS: 3, StormDetected: 4, StormRestored: 5})
		}, "0:10", []string{"sfp_module_id 3", "sfp_module_total_lanes 4", "sfp_module_supply_voltage 3300",
			"sfp_module_temperature -1250", "sfp_module_active_lanes 2",
			"sfp_lane_index.0 1", "sfp_lane_tx_bias_current_uA.0 2", "sfp_lane_tx_power_uW.0 3",
			"sfp_lane_tx_power_min_uW.0 4", "sfp_lane_tx_power_max_uW.0 5", "sfp_lane_tx_wavelength_nM.0 6",
			"sfp_lane_rx_power_uW.0 7", "sfp_lane_rx_power_min_uW.0 8", "sfp_lane_rx_power_max_uW.0 9",
			"sfp_lane_rx_wavelength_nM.0 10",
			"sfp_lane_index.1 11", "sfp_lane_tx_bias_current_uA.1 12", "sfp_lane_tx_power_uW.1 13",
			"sfp_lane_tx_power_min_uW.1 14", "sfp_lane_tx_power_max_uW.1 15", "sfp_lane_tx_wavelength_nM.1 16",
			"sfp_lane_rx_power_uW.1 17", "sfp_lane_rx_power_min_uW.1 18", "sfp_lane_rx_power_max_uW.1 19",
			"sfp_lane_rx_wavelength_nM.1 20",
			"counterBlock_tag 0:11", "PFC_requests 1", "PFC_indications 2", "PFC_pause_duration 3",
			"PFC_storm_detected 4", "PFC_storm_restored 5"}},
		{"radio counters, decoded from the raw record", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddUnknownRecord(s, 0, 1002, []byte{0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3})
		}, "0:1002", []string{"radio_elapsed_time 1", "radio_on_channel_time 2", "radio_on_channel_busy_time 3"}},
		{"unknown counter record", func(d *sflow.Datagram, s *sflow.Sample) {
			d.AddUnknownRecord(s, 0, 1002, []byte{0, 0, 0, 1}) // radio, but too short for its layout
		}, "0:1002", []string{"skipping unknown counters_sample_element: 0:1002 len=4"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, s := counterDatagram()
			c.add(d, s)
			checkSampleLines(t, d, "counterBlock_tag", append([]string{"counterBlock_tag " + c.tag}, c.want...))
		})
	}
}

func TestDatagramFraming(t *testing.T) {
	d, s := counterDatagram()
	d.SubAgentID, d.SequenceNumber, d.Uptime = 100000, 42, 5000
	d.AddVLANCounters(s, sflow.VLANCounters{VLANID: 10, Octets: 1})
	buf, err := sflow.AppendDatagram(nil, d)
	if err != nil {
		t.Fatal(err)
	}
	var got sflow.Datagram
	if err := sflow.NewDecoder().Decode(buf, &got); err != nil {
		t.Fatal(err)
	}
	m := Meta{Source: netip.MustParseAddrPort("[::ffff:192.0.2.7]:5000"), Received: time.Unix(1700000000, 123456000),
		Captured: time.Unix(1600000000, 5000)}
	var tb, jb bytes.Buffer
	tw, jw := NewTextWriter(&tb, Options{Location: time.UTC}), NewJSONWriter(&jb, Options{Location: time.UTC})
	if err := tw.WriteDatagram(m, buf, &got); err != nil {
		t.Fatal(err)
	}
	if err := jw.WriteDatagram(m, buf, &got); err != nil {
		t.Fatal(err)
	}
	tw.Flush()
	jw.Flush()
	wantText := strings.Join([]string{
		"startDatagram =================================",
		"datagramSourceIP 192.0.2.7",
		"datagramSize " + itoa(uint32(len(buf))),
		"unixSecondsUTC 1700000000",
		"unixSecondsUTC_uS 123456",
		"localtime 2023-11-14T22:13:20+0000",
		"pcapTimestamp 2020-09-13T12:26:40+0000",
		"pcapTimestamp_uS 5",
		"datagramVersion 5",
		"agentSubId 100000",
		"agent 2001:0db8:0000:0000:0000:0000:0000:0001",
		"packetSequenceNo 42",
		"sysUpTime 5000",
		"samplesInPacket 1",
		"startSample ----------------------",
		"sampleType_tag 0:2",
		"sampleType COUNTERSSAMPLE",
		"sampleSequenceNo 0",
		"sourceId 2:1",
		"counterBlock_tag 0:5",
		"in_vlan 10", "octets 1", "ucastPkts 0", "multicastPkts 0", "broadcastPkts 0", "discards 0",
		"endSample   ----------------------",
		"endDatagram   =================================", ""}, "\n")
	if tb.String() != wantText {
		t.Errorf("text:\n%s\nwant:\n%s", tb.String(), wantText)
	}
	wantJSON := `{"datagramSourceIP":"192.0.2.7","datagramSize":"` + itoa(uint32(len(buf))) + `",` +
		`"unixSecondsUTC":"1700000000","unixSecondsUTC_uS":"123456","localtime":"2023-11-14T22:13:20+0000",` +
		`"pcapTimestamp":"2020-09-13T12:26:40+0000","pcapTimestamp_uS":"5","datagramVersion":"5",` +
		`"agentSubId":"100000","agent":"2001:0db8:0000:0000:0000:0000:0000:0001","packetSequenceNo":"42",` +
		`"sysUpTime":"5000","samplesInPacket":"1","samples":[{"sampleType_tag":"0:2",` +
		`"sampleType":"COUNTERSSAMPLE","sampleSequenceNo":"0","sourceId":"2:1","elements":[{` +
		`"counterBlock_tag":"0:5","in_vlan":"10","octets":"1","ucastPkts":"0","multicastPkts":"0",` +
		`"broadcastPkts":"0","discards":"0"}]}]}` + "\n"
	if jb.String() != wantJSON {
		t.Errorf("json:\n%s\nwant:\n%s", jb.String(), wantJSON)
	}
}

// TestNotSFlow checks a NetFlow v5 frame prints the header keys up to datagramVersion, and sflowtool's report.
func TestNotSFlow(t *testing.T) {
	raw := []byte{0, 5, 0, 1, 0x9a, 0xe7, 0x2b, 0x16, 0x4d, 0x96, 0x6a, 0x2b, 0, 0, 0, 0, 0, 0xae, 0x66}
	var d sflow.Datagram
	err := sflow.NewDecoder().Decode(raw, &d)
	if err == nil {
		t.Fatal("NetFlow v5 decoded as sFlow")
	}
	var out, js, errs bytes.Buffer
	tw, jw := NewTextWriter(&out, Options{Location: time.UTC}), NewJSONWriter(&js, Options{Location: time.UTC})
	tw.WriteDatagram(testMeta, raw, &d)
	jw.WriteDatagram(testMeta, raw, &d)
	tw.Flush()
	jw.Flush()
	if !strings.HasSuffix(out.String(), "datagramVersion 327681\nendDatagram   =================================\n") {
		t.Errorf("text:\n%s", out.String())
	}
	if !strings.HasSuffix(js.String(), `"datagramVersion":"327681"}`+"\n") || !json.Valid(js.Bytes()) {
		t.Errorf("json: %s", js.String())
	}
	if err := WriteErrors(&errs, testMeta, raw, &d, err); err != nil {
		t.Fatal(err)
	}
	want := "unexpected datagram version number\n (source IP = -)\n" +
		"00-05-00-01-<*>-9a-e7-2b-16-4d-96-6a-2b-00-00-00-00\n00-ae-66\ncaught exception: 2\n"
	if errs.String() != want {
		t.Errorf("stderr:\n%q\nwant\n%q", errs.String(), want)
	}
}

// Strings from the wire are escaped as the dashboard escapes them, and the backslash too: in text every byte of a
// control, bidi or zero-width character or of invalid UTF-8 as \xNN, so that nothing reaches the terminal raw
// and two different URLs never print the same; in JSON the same characters as \uXXXX.
func TestStringEscaping(t *testing.T) {
	d, s := flowDatagram()
	d.AddExtURL(s, sflow.ExtURL{Direction: 1, URL: []byte("GET /\"q\\\n\x00\xff HTTP/1.1"), Host: []byte("h\tx")})
	d.AddExtURL(s, sflow.ExtURL{Direction: 1, URL: []byte("/c1\u009b/bidi\u202e/zw\u200b/del\x7f"), Host: []byte(`a\x1b`)})
	d.AddExtURL(s, sflow.ExtURL{Direction: 1, URL: []byte("/ok/ünï/👍🏽"), Host: []byte("a\x1b")})
	text, js := roundTrip(t, d)
	for _, want := range []string{
		"\nurl GET /\"q\\\\\\x0a\\x00\\xff HTTP/1.1\nhost h\\x09x\n",
		"\nurl /c1\\xc2\\x9b/bidi\\xe2\\x80\\xae/zw\\xe2\\x80\\x8b/del\\x7f\nhost a\\\\x1b\n",
		"\nurl /ok/ünï/👍🏽\nhost a\\x1b\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text output lacks %q:\n%s", want, text)
		}
	}
	var v struct {
		Samples []struct {
			Elements []map[string]string `json:"elements"`
		} `json:"samples"`
	}
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatal(err)
	}
	els := v.Samples[0].Elements
	if got := els[0]["url"]; got != "GET /\"q\\\n\x00\uFFFD HTTP/1.1" {
		t.Errorf("json url %q", got)
	}
	if got := els[1]["url"]; got != "/c1\u009b/bidi\u202e/zw\u200b/del\x7f" {
		t.Errorf("json url %q", got)
	}
	for _, raw := range []string{`\u009b`, `\u202e`, `\u200b`, `\u007f`, `\u001b`} {
		if !strings.Contains(js, raw) {
			t.Errorf("JSON does not escape %s:\n%s", raw, js)
		}
	}
}

// TestSampledHeaderFields checks the header decode against sflowtool's decodeLinkLayer/IPV4/IPV6/IPLayer4.
func TestSampledHeaderFields(t *testing.T) {
	mustHex := func(s string) []byte {
		b, err := hex.DecodeString(strings.NewReplacer(" ", "", "-", "").Replace(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, c := range []struct {
		name     string
		protocol uint32
		frameLen uint32
		stripped uint32
		header   []byte
		want     []string
	}{
		{"QinQ IPv4 TCP (akvorado qinq)", 1, 106, 4, mustHex("00-01-10-62-14-93-4C-AE-A3-52-0F-F6-81-00-44-26-" +
			"81-00-45-D5-08-00-45-00-00-50-DB-5F-40-00-3E-06-65-C0-31-31-31-02-31-31-31-6D-7D-11-01-BB-D2-59-DD-" +
			"B7-F7-85-79-6F-F0-10-48-76"),
			[]string{"dstMAC 000110621493", "srcMAC 4caea3520ff6", "decodedVLAN 1062", "decodedPriority 2",
				"decodedVLAN.1 1493", "decodedPriority.1 2", "ethernet_type 2048", "IPSize 80", "ip.tot_len 80",
				"srcIP 49.49.49.2", "dstIP 49.49.49.109", "IPProtocol 6", "IPTOS 0", "IPTTL 62", "IPID 56159",
				"TCPSrcPort 32017", "TCPDstPort 443", "TCPFlags 16"}},
		{"raw IPv4 UDP fragment", 11, 1500, 0, mustHex("45 00 05 dc 12 34 20 b9 40 11 00 00 0a 00 00 01 0a 00 00 02"),
			[]string{"IPSize 1500", "ip.tot_len 1500", "srcIP 10.0.0.1", "dstIP 10.0.0.2", "IPProtocol 17",
				"IPTOS 0", "IPTTL 64", "IPID 4660", "IPFragmentOffset 185"}},
		{"raw IPv6 hop-by-hop then UDP", 12, 100, 0, mustHex("6 0 a1 2345 0010 00 40" +
			"20010db8000000000000000000000001 20010db8000000000000000000000002" +
			"11 00 0000 00000000" + "0035 1f90 0010 0000"),
			[]string{"IPSize 100", "IPTOS 10", "IP6_label 0x12345", "IPV6_payloadLen 16", "IPTTL 64",
				"srcIP6 2001:0db8:0000:0000:0000:0000:0000:0001", "dstIP6 2001:0db8:0000:0000:0000:0000:0000:0002",
				"IP6HeaderExtension 0", "IPProtocol 17", "UDPSrcPort 53", "UDPDstPort 8080", "UDPBytes 16"}},
		{"too short for Ethernet", 1, 60, 4, mustHex("ffffffffffff0102030405"), nil},
		{"Ethernet, ends inside the IPv4 header", 1, 60, 4, mustHex("ffffffffffff010203040506 0800 4500001400000000 40"),
			[]string{"dstMAC ffffffffffff", "srcMAC 010203040506", "ethernet_type 2048"}},
		{"SNAP with a vendor OUI", 1, 60, 4, mustHex("0180c2000000 010203040506 0026 aaaa03 00000c 2000 0000000000"),
			[]string{"dstMAC 0180c2000000", "srcMAC 010203040506", "VSNAP_OUI 00-00-0C"}},
		{"no decode for PPP", 7, 60, 0, mustHex("ff03"), []string{"NO_DECODE headerProtocol=7"}},
		{"802.11 data frame, from DS", 15, 60, 0, mustHex("0802 0000 111111111111 222222222222 333333333333 0000"),
			[]string{"srcMAC 333333333333", "dstMAC 111111111111", "txMAC 222222222222", "rxMAC 111111111111"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			e := emitter{w: bufio.NewWriter(&b)}
			sampledHeaderFields(&e, c.protocol, c.frameLen, c.stripped, c.header)
			e.w.Flush()
			got := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			if b.Len() == 0 {
				got = nil
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestDropReasonName(t *testing.T) {
	for code, want := range map[uint32]string{0: "net_unreachable", 1: "host_unreachable", 15: "precedence_cutoff",
		16: "NotFound", 33: "NotFound", 256: "unknown", 289: "unknown_l4", 332: "dev_hdr", 366: "tc_egress",
		371: "socket_filter", 372: "NotFound", math.MaxUint32: "NotFound"} {
		if got := DropReasonName(code); got != want {
			t.Errorf("DropReasonName(%d) = %q, want %q", code, got, want)
		}
	}
}

// TestWriterErrors checks a failing output stops the writer with the output's error.
func TestWriterErrors(t *testing.T) {
	d, s := flowDatagram()
	d.AddExtSwitch(s, sflow.ExtSwitch{SrcVLAN: 1})
	buf, _ := sflow.AppendDatagram(nil, d)
	var got sflow.Datagram
	sflow.NewDecoder().Decode(buf, &got)
	w := NewTextWriter(failingWriter{}, Options{})
	var err error
	for i := 0; i < 10000 && err == nil; i++ {
		err = w.WriteDatagram(testMeta, buf, &got)
	}
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

var errDiskFull = &writeError{"disk full"}

type writeError struct{ s string }

func (e *writeError) Error() string { return e.s }

// TestDiscardSample checks sflowtool's discard sample keys: plain ifIndex words, the reason's name, and every
// record under the discarded_ prefix.
func TestDiscardSample(t *testing.T) {
	d := &sflow.Datagram{}
	d.Reset()
	d.AgentAddr = netip.MustParseAddr("192.0.2.1")
	s := d.AddSample(sflow.Sample{Kind: sflow.SampleKindDiscard, SequenceNumber: 9, SourceIDClass: 0,
		SourceIDIndex: 2, Drops: 3, Input: sflow.Interface{Value: 1<<30 | 5}, Output: sflow.Interface{Value: 7},
		DropReason: 289})
	d.AddString(s, sflow.FlowLinuxDropReason, sflow.StringRecord{Value: []byte("NOT_SPECIFIED")})
	d.AddHWTrap(s, sflow.HWTrap{Group: []byte("l3_drops"), Trap: []byte("blackhole_route")})
	d.AddExtSwitch(s, sflow.ExtSwitch{SrcVLAN: 10})
	d.AddUnknownRecord(s, 0, 1999, []byte{1, 2, 3, 4})
	checkSampleLines(t, d, "sampleType_tag", []string{"sampleType_tag 0:5", "sampleType DISCARD", "sampleSequenceNo 9", "sourceId 0:2",
		"dropEvents 3", "inputPort 1073741829", "outputPort 7", "discardCode 289", "discardReason unknown_l4",
		"discarded_flowBlock_tag 0:1042", "discarded_extendedType linux_reason",
		"discarded_linux_drop_reason NOT_SPECIFIED", "discarded_flowBlock_tag 0:1041",
		"discarded_extendedType hw_trap", "discarded_hw_trap_group l3_drops", "discarded_hw_trap_name blackhole_route",
		"discarded_flowBlock_tag 0:1001", "discarded_extendedType SWITCH", "discarded_in_vlan 10",
		"discarded_in_priority 0", "discarded_out_vlan 0", "discarded_out_priority 0",
		"discarded_flowBlock_tag 0:1999", "skipping unknown flow_sample_element: 0:1999 len=4"})
}

// TestSFPJSON checks the JSON shape of counter 0:10: the lanes as a list of objects (like host adapters), the
// list closed even when empty.
func TestSFPJSON(t *testing.T) {
	for _, lanes := range []int{0, 2} {
		d, s := counterDatagram()
		v := sflow.SFP{ModuleID: 1, Temperature: 25000}
		for i := range lanes {
			v.AddLane(sflow.SFPLane{Index: uint32(i + 1), RxPower: 500})
		}
		d.AddSFP(s, v)
		_, js := roundTrip(t, d)
		var got struct {
			Samples []struct {
				Elements []struct {
					Temperature string              `json:"sfp_module_temperature"`
					Active      string              `json:"sfp_module_active_lanes"`
					Lanes       []map[string]string `json:"sfp_lanes"`
				} `json:"elements"`
			} `json:"samples"`
		}
		if err := json.Unmarshal([]byte(js), &got); err != nil {
			t.Fatal(err)
		}
		el := got.Samples[0].Elements[0]
		if el.Temperature != "25000" || el.Active != strconv.Itoa(lanes) || len(el.Lanes) != lanes {
			t.Fatalf("%d lanes: %s", lanes, js)
		}
		for i, l := range el.Lanes {
			if len(l) != 10 || l["index"] != strconv.Itoa(i+1) || l["rx_power_uW"] != "500" || l["tx_power_uW"] != "0" {
				t.Errorf("lane %d: %v", i, l)
			}
		}
	}
}
