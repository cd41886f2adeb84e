package sflowtool

import (
	"strconv"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// The records of MPLS, NAT, VLAN tunnels, 802.11 and optics, which few agents send.

// rareFlowRecord prints flow 0:1006-1010 and 0:1012-1015 with sflowtool's keys; false for any other type.
func (w *Writer) rareFlowRecord(d *sflow.Datagram, r *sflow.Record) bool {
	e := &w.e
	switch r.Type {
	case sflow.RecExtMPLS:
		v := d.ExtMPLS(r)
		if v == nil {
			return false
		}
		e.str("extendedType", "MPLS")
		e.addr("mpls_nexthop", v.NextHop)
		e.labelStack("mpls_input_stack", v.InStack)
		e.labelStack("mpls_output_stack", v.OutStack)
	case sflow.RecExtNAT:
		v := d.ExtNAT(r)
		if v == nil {
			return false
		}
		e.str("extendedType", "NAT")
		e.addr("nat_src", v.Src)
		e.addr("nat_dst", v.Dst)
	case sflow.RecExtMPLSTunnel:
		v := d.ExtMPLSTunnel(r)
		if v == nil {
			return false
		}
		// sflowtool prints no extendedType for these three.
		if r.Format == sflow.FlowExtMPLSVC {
			e.wireIfAny("mpls_vc_name", v.Name)
			e.u32("mpls_vll_vc_id", v.ID)
			e.u32("mpls_vc_cos", v.COS)
		} else {
			e.wireIfAny("mpls_tunnel_lsp_name", v.Name)
			e.u32("mpls_tunnel_id", v.ID)
			e.u32("mpls_tunnel_cos", v.COS)
		}
	case sflow.RecExtMPLSFTN:
		v := d.ExtMPLSFTN(r)
		if v == nil {
			return false
		}
		e.wireIfAny("mpls_ftn_descr", v.Descr)
		e.u32("mpls_ftn_mask", v.Mask)
	case sflow.RecExtVLANTunnel:
		v := d.ExtVLANTunnel(r)
		if v == nil {
			return false
		}
		e.vlanStack("vlan_tunnel", v.Stack)
	case sflow.RecExtWifiPayload:
		v := d.ExtWifiPayload(r)
		if v == nil {
			return false
		}
		e.u32("cipher_suite", v.CipherSuite)
		w.sampledHeader(&v.Header)
	case sflow.RecExtWifiRx:
		v := d.ExtWifiRx(r)
		if v == nil {
			return false
		}
		e.wireIfAny("rx_SSID", v.SSID)
		e.mac("rx_BSSID", v.BSSID[:])
		e.u32("rx_version", v.Version)
		e.u32("rx_channel", v.Channel)
		e.u64("rx_speed", v.Speed)
		e.u32("rx_rsni", v.RSNI)
		e.u32("rx_rcpi", v.RCPI)
		e.u32("rx_packet_uS", v.PacketDurationUS)
	case sflow.RecExtWifiTx:
		v := d.ExtWifiTx(r)
		if v == nil {
			return false
		}
		e.wireIfAny("tx_SSID", v.SSID)
		e.mac("tx_BSSID", v.BSSID[:])
		e.u32("tx_version", v.Version)
		e.u32("tx_transmissions", v.Transmissions)
		e.u32("tx_packet_uS", v.PacketDurationUS)
		e.u32("tx_retrans_uS", v.RetransDurationUS)
		e.u32("tx_channel", v.Channel)
		e.u64("tx_speed", v.Speed)
		e.u32("tx_power_mW", v.PowerMW)
	default:
		return false
	}
	return true
}

// labelStack is sflowtool's mplsLabelStack: each entry as label.exp.bottom.ttl, joined by '-'; nothing for an
// empty stack.
func (e *emitter) labelStack(key string, stack sflow.Words) {
	if stack.Len() == 0 {
		return
	}
	e.begin(key)
	for i := range stack.Len() {
		l := stack.At(i)
		b := e.num[:0]
		if i > 0 {
			b = append(b, '-')
		}
		b = appendU32(b, l>>12)
		b = appendU32(append(b, '.'), l>>9&7)
		b = appendU32(append(b, '.'), l>>8&1)
		b = appendU32(append(b, '.'), l&255)
		e.w.Write(b)
	}
	e.finish()
}

// vlanStack is sflowtool's readExtendedVlanTunnel: each tag as 0x<TPID in 4 hex digits> directly followed by
// priority.cfi.vlan, joined by '-'; nothing for an empty stack.
func (e *emitter) vlanStack(key string, stack sflow.Words) {
	if stack.Len() == 0 {
		return
	}
	e.begin(key)
	for i := range stack.Len() {
		tag := stack.At(i)
		b := e.num[:0]
		if i > 0 {
			b = append(b, '-')
		}
		b = append(b, '0', 'x', hexLower[tag>>28], hexLower[tag>>24&15], hexLower[tag>>20&15], hexLower[tag>>16&15])
		b = appendU32(b, tag>>13&7)
		b = appendU32(append(b, '.'), tag>>12&1)
		b = appendU32(append(b, '.'), tag&4095)
		e.w.Write(b)
	}
	e.finish()
}

// sfpLaneKeys are the lane fields of counter 0:10, in wire order.
var sfpLaneKeys = [...]string{"index", "tx_bias_current_uA", "tx_power_uW", "tx_power_min_uW", "tx_power_max_uW",
	"tx_wavelength_nM", "rx_power_uW", "rx_power_min_uW", "rx_power_max_uW", "rx_wavelength_nM"}

// sfp is sflowtool's readCounters_SFP: the module, then each lane as sfp_lane_<field>.<n> in text and as an
// object of the "sfp_lanes" list in JSON, the way host adapters are printed (DIFFERENCES.md: sflowtool's own
// lane keys are garbled).
func (w *Writer) sfp(v *sflow.SFP) {
	e := &w.e
	e.u32("sfp_module_id", v.ModuleID)
	e.u32("sfp_module_total_lanes", v.TotalLanes)
	e.u32("sfp_module_supply_voltage", v.SupplyVoltage)
	e.i64("sfp_module_temperature", int64(v.Temperature))
	e.u32("sfp_module_active_lanes", uint32(v.Lanes.Len()))
	if e.json {
		e.open("sfp_lanes", '[')
	} else {
		e.pushPrefix("sfp_lane_")
	}
	for i := range v.Lanes.Len() {
		l := v.Lanes.At(i)
		values := [len(sfpLaneKeys)]uint32{l.Index, l.TxBiasCurrent, l.TxPower, l.TxPowerMin, l.TxPowerMax,
			l.TxWavelength, l.RxPower, l.RxPowerMin, l.RxPowerMax, l.RxWavelength}
		if e.json {
			e.open("", '{')
			e.u32List(sfpLaneKeys[:], values[:])
			e.close('}')
			continue
		}
		suffix := "." + strconv.Itoa(i)
		for j, k := range sfpLaneKeys {
			e.u32(k+suffix, values[j])
		}
	}
	if e.json {
		e.close(']')
	} else {
		e.popPrefix()
	}
}
