// Package relay re-sends raw sFlow datagrams unchanged to other collectors: --forward (every datagram, or those
// of some agents, to each target, as sflowtool -f and pmacct's tee do) and `fleettop relay` (each agent to one
// of several collectors, by a stable hash of its address). Both go by the agent address inside the datagram,
// not by the UDP source, so a chain of relays keeps each agent where it belongs.
package relay

import (
	"encoding/binary"
	"net/netip"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// AgentAddr reads the agent address from an sFlow v5 datagram header without decoding the rest; ok is false
// when the datagram is too short, not version 5 or has an unknown address type.
func AgentAddr(b []byte) (addr netip.Addr, ok bool) {
	if len(b) < 8 || binary.BigEndian.Uint32(b) != 5 {
		return netip.Addr{}, false
	}
	switch binary.BigEndian.Uint32(b[4:]) {
	case sflow.AddressIPv4:
		if len(b) < 12 {
			return netip.Addr{}, false
		}
		return netip.AddrFrom4([4]byte(b[8:12])), true
	case sflow.AddressIPv6:
		if len(b) < 24 {
			return netip.Addr{}, false
		}
		return netip.AddrFrom16([16]byte(b[8:24])).Unmap(), true
	}
	return netip.Addr{}, false
}
