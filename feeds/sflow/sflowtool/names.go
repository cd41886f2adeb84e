package sflowtool

import (
	"encoding/binary"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// Key names of the counter records whose body is a list of u32, in wire order.

var mib2IPNames = [19]string{"ipForwarding", "ipDefaultTTL", "ipInReceives", "ipInHdrErrors", "ipInAddrErrors",
	"ipForwDatagrams", "ipInUnknownProtos", "ipInDiscards", "ipInDelivers", "ipOutRequests", "ipOutDiscards",
	"ipOutNoRoutes", "ipReasmTimeout", "ipReasmReqds", "ipReasmOKs", "ipReasmFails", "ipFragOKs", "ipFragFails",
	"ipFragCreates"}

var mib2ICMPNames = [25]string{"icmpInMsgs", "icmpInErrors", "icmpInDestUnreachs", "icmpInTimeExcds",
	"icmpInParamProbs", "icmpInSrcQuenchs", "icmpInRedirects", "icmpInEchos", "icmpInEchoReps", "icmpInTimestamps",
	"icmpInAddrMasks", "icmpInAddrMaskReps", "icmpOutMsgs", "icmpOutErrors", "icmpOutDestUnreachs",
	"icmpOutTimeExcds", "icmpOutParamProbs", "icmpOutSrcQuenchs", "icmpOutRedirects", "icmpOutEchos",
	"icmpOutEchoReps", "icmpOutTimestamps", "icmpOutTimestampReps", "icmpOutAddrMasks", "icmpOutAddrMaskReps"}

var mib2TCPNames = [15]string{"tcpRtoAlgorithm", "tcpRtoMin", "tcpRtoMax", "tcpMaxConn", "tcpActiveOpens",
	"tcpPassiveOpens", "tcpAttemptFails", "tcpEstabResets", "tcpCurrEstab", "tcpInSegs", "tcpOutSegs",
	"tcpRetransSegs", "tcpInErrs", "tcpOutRsts", "tcpInCsumErrors"}

var mib2UDPNames = [7]string{"udpInDatagrams", "udpNoPorts", "udpInErrors", "udpOutDatagrams", "udpRcvbufErrors",
	"udpSndbufErrors", "udpInCsumErrors"}

var broadcomTableNames = [36]string{"bcm_asic_host_entries", "bcm_host_entries_max", "bcm_ipv4_entries",
	"bcm_ipv4_entries_max", "bcm_ipv6_entries", "bcm_ipv6_entries_max", "bcm_ipv4_ipv6_entries",
	"bcm_ipv4_ipv6_entries_max", "bcm_long_ipv6_entries", "bcm_long_ipv6_entries_max", "bcm_total_routes",
	"bcm_total_routes_max", "bcm_ecmp_nexthops", "bcm_ecmp_nexthops_max", "bcm_mac_entries", "bcm_mac_entries_max",
	"bcm_ipv4_neighbors", "bcm_ipv6_neighbors", "bcm_ipv4_routes", "bcm_ipv6_routes", "bcm_acl_ingress_entries",
	"bcm_acl_ingress_entries_max", "bcm_acl_ingress_counters", "bcm_acl_ingress_counters_max",
	"bcm_acl_ingress_meters", "bcm_acl_ingress_meters_max", "bcm_acl_ingress_slices", "bcm_acl_ingress_slices_max",
	"bcm_acl_egress_entries", "bcm_acl_egress_entries_max", "bcm_acl_egress_counters",
	"bcm_acl_egress_counters_max", "bcm_acl_egress_meters", "bcm_acl_egress_meters_max", "bcm_acl_egress_slices",
	"bcm_acl_egress_slices_max"}

// rawField is one field of a fixed counter layout that the decoder leaves raw but sflowtool prints.
type rawField struct {
	name string
	u64  bool
}

// rawCounterLayouts are those fixed layouts, by enterprise<<12 | format.
var rawCounterLayouts = map[uint32][]rawField{
	3: u32Fields("dot5StatsLineErrors", "dot5StatsBurstErrors", "dot5StatsACErrors", "dot5StatsAbortTransErrors",
		"dot5StatsInternalErrors", "dot5StatsLostFrameErrors", "dot5StatsReceiveCongestions",
		"dot5StatsFrameCopiedErrors", "dot5StatsTokenErrors", "dot5StatsSoftErrors", "dot5StatsHardErrors",
		"dot5StatsSignalLoss", "dot5StatsTransmitBeacons", "dot5StatsRecoverys", "dot5StatsLobeWires",
		"dot5StatsRemoves", "dot5StatsSingles", "dot5StatsFreqErrors"),
	4: {{"dot12InHighPriorityFrames", false}, {"dot12InHighPriorityOctets", true},
		{"dot12InNormPriorityFrames", false}, {"dot12InNormPriorityOctets", true}, {"dot12InIPMErrors", false},
		{"dot12InOversizeFrameErrors", false}, {"dot12InDataErrors", false}, {"dot12InNullAddressedFrames", false},
		{"dot12OutHighPriorityFrames", false}, {"dot12OutHighPriorityOctets", true},
		{"dot12TransitionIntoTrainings", false}, {"dot12HCInHighPriorityOctets", true},
		{"dot12HCInNormPriorityOctets", true}, {"dot12HCOutHighPriorityOctets", true}},
	6: u32Fields("dot11TransmittedFragmentCount", "dot11MulticastTransmittedFrameCount", "dot11FailedCount",
		"dot11RetryCount", "dot11MultipleRetryCount", "dot11FrameDuplicateCount", "dot11RTSSuccessCount",
		"dot11RTSFailureCount", "dot11ACKFailureCount", "dot11ReceivedFragmentCount",
		"dot11MulticastReceivedFrameCount", "dot11FCSErrorCount", "dot11TransmittedFrameCount",
		"dot11WEPUndecryptableCount", "dot11QoSDiscardedFragmentCount", "dot11AssociatedStationCount",
		"dot11QoSCFPollsReceivedCount", "dot11QoSCFPollsUnusedCount", "dot11QoSCFPollsUnusableCount",
		"dot11QoSCFPollsLostCount"),
	1002: u32Fields("radio_elapsed_time", "radio_on_channel_time", "radio_on_channel_busy_time"),
	2205: u32Fields("vdi_sessions_current", "vdi_sessions_total", "vdi_sessions_duration", "vdi_rx_bytes",
		"vdi_tx_bytes", "vdi_rx_packets", "vdi_tx_packets", "vdi_rx_packets_lost", "vdi_tx_packets_lost",
		"vdi_rtt_min_ms", "vdi_rtt_max_ms", "vdi_rtt_avg_ms", "vdi_audio_rx_bytes", "vdi_audio_tx_bytes",
		"vdi_audio_tx_limit", "vdi_img_rx_bytes", "vdi_img_tx_bytes", "vdi_img_frames", "vdi_img_qual_min",
		"vdi_img_qual_max", "vdi_img_qual_avg", "vdi_usb_rx_bytes", "vdi_usb_tx_bytes"),
	5703<<12 | 1: {{"nvml_device_count", false}, {"nvml_processes", false}, {"nvml_gpu_mS", false},
		{"nvml_mem_mS", false}, {"nvml_mem_bytes_total", true}, {"nvml_mem_bytes_free", true},
		{"nvml_ecc_errors", false}, {"nvml_energy_mJ", false}, {"nvml_temperature_C", false},
		{"nvml_fan_speed_pc", false}},
}

func u32Fields(names ...string) []rawField {
	f := make([]rawField, len(names))
	for i, n := range names {
		f[i] = rawField{name: n}
	}
	return f
}

// rawCounterRecord prints a raw counter record from rawCounterLayouts when its length matches the layout.
func (w *Writer) rawCounterRecord(r *sflow.Record) bool {
	if r.Enterprise >= 1<<20 || r.Format >= 1<<12 {
		return false
	}
	layout, ok := rawCounterLayouts[r.Enterprise<<12|r.Format]
	if !ok {
		return false
	}
	size := 0
	for _, f := range layout {
		size += 4
		if f.u64 {
			size += 4
		}
	}
	if len(r.Data) != size {
		return false
	}
	b := r.Data
	for _, f := range layout {
		if f.u64 {
			w.e.u64(f.name, binary.BigEndian.Uint64(b))
			b = b[8:]
		} else {
			w.e.u32(f.name, binary.BigEndian.Uint32(b))
			b = b[4:]
		}
	}
	return true
}

// DropReasonName is the name of a discarded_packet reason code (sflow_drops.txt), or "NotFound" as sflowtool
// prints for a code it does not know.
func DropReasonName(code uint32) string {
	if int(code) < len(dropReasonsICMP) {
		return dropReasonsICMP[code]
	}
	if code >= dropReasonFirstNamed && code-dropReasonFirstNamed < uint32(len(dropReasons)) {
		return dropReasons[code-dropReasonFirstNamed]
	}
	return "NotFound"
}

// dropReasonsICMP are codes 0-15: the ICMP destination unreachable codes.
var dropReasonsICMP = [...]string{"net_unreachable", "host_unreachable", "protocol_unreachable", "port_unreachable",
	"frag_needed", "src_route_failed", "dst_net_unknown", "dst_host_unknown", "src_host_isolated",
	"dst_net_prohibited", "dst_host_prohibited", "dst_net_tos_unreachable", "dst_host_tos_unreacheable",
	"comm_admin_prohibited", "host_precedence_violation", "precedence_cutoff"}

const dropReasonFirstNamed = 256

// dropReasons are codes 256-371, in order.
var dropReasons = [...]string{"unknown", "ttl_exceeded", "acl", "no_buffer_space", "red", "traffic_shaping",
	"pkt_too_big", "src_mac_is_multicast", "vlan_tag_mismatch", "ingress_vlan_filter",
	"ingress_spanning_tree_filter", "port_list_is_empty", "port_loopback_filter", "blackhole_route", "non_ip",
	"uc_dip_over_mc_dmac", "dip_is_loopback_address", "sip_is_mc", "sip_is_loopback_address",
	"ip_header_corrupted", "ipv4_sip_is_limited_bc", "ipv6_mc_dip_reserved_scope",
	"ipv6_mc_dip_interface_local_scope", "unresolved_neigh", "mc_reverse_path_forwarding", "non_routable_packet",
	"decap_error", "overlay_smac_is_mc", "unknown_l2", "unknown_l3", "unknown_l3_exception", "unknown_buffer",
	"unknown_tunnel", "unknown_l4", "sip_is_unspecified", "mlag_port_isolation", "blackhole_arp_neigh",
	"src_mac_is_dmac", "dmac_is_reserved", "sip_is_class_e", "mc_dmac_mismatch", "sip_is_dip",
	"dip_is_local_network", "dip_is_link_local", "overlay_smac_is_dmac", "egress_vlan_filter",
	"uc_reverse_path_forwarding", "split_horizon", "locked_port", "dmac_filter", "blackhole_nexthop",
	"vxlan_parsing", "llc_snap_parsing", "vlan_parsing", "pppoe_ppp_parsing", "mpls_parsing", "arp_parsing",
	"ip_1_parsing", "ip_n_parsing", "gre_parsing", "udp_parsing", "tcp_parsing", "ipsec_parsing", "sctp_parsing",
	"dccp_parsing", "gtp_parsing", "esp_parsing", "unknown_parsing", "pkt_too_small", "unhandled_proto",
	"ipv6disabled", "invalid_proto", "ip_noproto", "skb_csum", "skb_ucopy_fault", "dev_ready", "dev_hdr",
	"dup_frag", "skb_gso_seg", "reverse_path_forwarding", "icmp_parsing", "tcp_md5notfound", "tcp_md5unexpected",
	"tcp_md5failure", "tcp_flags", "tcp_zerowindow", "tcp_old_data", "tcp_overwindow", "tcp_ofomerge",
	"tcp_rfc7323_paws", "tcp_invalid_sequence", "tcp_reset", "tcp_invalid_syn", "tcp_close", "tcp_fastopen",
	"tcp_old_ack", "tcp_too_old_ack", "tcp_ack_unsent_data", "tcp_ofo_queue_prune", "tcp_ofo_drop", "tcp_minttl",
	"ipv6_bad_exthdr", "ipv6_ndisc_frag", "ipv6_ndisc_hop_limit", "ipv6_ndisc_bad_code", "ipv6_ndisc_bad_options",
	"ipv6_ndisc_ns_otherhost", "tap_filter", "tap_txfilter", "tc_ingress", "tc_egress", "xdp", "cpu_backlog",
	"bpf_cgroup_egress", "xfrm_policy", "socket_filter"}
