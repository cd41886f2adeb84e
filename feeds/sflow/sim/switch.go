package sim

import (
	"fmt"
	"math/rand/v2"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// Switch traffic: every server port samples what its server sends (ingress sampling, so a packet is sampled
// once, on the port where it enters the fleet's network), and the uplinks sample what the Internet sends to
// the front-end servers. The samples are sampled_header records built with the sflow package's gopacket header
// builder, with extended_switch.

var (
	uplinkVLANs = []uint16{externalVLAN} // the uplinks are 802.1Q trunks; read-only, shared by every packet
	coreMAC     = [6]byte{0x00, 0x1c, 0x73, 0xff, 0xff, 0x01}
)

// gatewayMAC is the VRRP MAC of a VLAN's gateway: where routed traffic is sent.
func gatewayMAC(vlan uint16) [6]byte { return [6]byte{0x00, 0x00, 0x5e, 0x00, 0x01, byte(vlan)} }

// Mean IP length of what clients send to the front ends (requests and ACKs).
const inboundPacket = 400

// switchFlows plays one second of a switch's packet sampling.
func (f *Fleet) switchFlows(a *agent, ms int64, inc *plan) error {
	sw, r := a.sw, a.rng
	for _, port := range sw.ports {
		h := port.host
		if h == nil {
			continue
		}
		base := f.baseSendBps(h, ms)
		pps := base / h.pktSize
		burstPPS := 0.0
		if inc.kind == TrafficBurst && h.app == inc.from {
			burstPPS = burstMbps * 1e6 / 8 / burstPacket
		}
		port.pool.tick(pps + burstPPS)
		for range poisson(r, pps/float64(sw.SamplingRate)) {
			k := pickFlow(r, h.prof.flows)
			spec, out, dstVLAN, ok := f.hostPacket(a, h, k)
			if !ok {
				continue
			}
			if err := f.switchSample(sw, port, sw.SamplingRate, &spec, out, uint32(h.prof.vlan), dstVLAN); err != nil {
				return err
			}
		}
		for range poisson(r, burstPPS/float64(sw.SamplingRate)) {
			targets := f.byApp[inc.to]
			peer := targets[r.IntN(len(targets))]
			spec := sflow.PacketSpec{SrcMAC: h.mac, DstMAC: gatewayMAC(h.prof.vlan), SrcIP: h.Addr, DstIP: peer.Addr,
				Protocol: protoTCP, SrcPort: uint16(ephemeral(r)), DstPort: inc.port, TCPFlags: 0x10,
				IPID: uint16(r.Uint32()), PayloadLen: burstPacket - 40}
			out := f.egress(sw, peer, r)
			if err := f.switchSample(sw, port, sw.SamplingRate, &spec, out, uint32(h.prof.vlan), uint32(peer.prof.vlan)); err != nil {
				return err
			}
		}
	}

	// Inbound Internet traffic to this switch's front ends, sampled on the uplinks.
	if len(sw.frontEnds) == 0 {
		return nil
	}
	var pps float64
	for _, h := range sw.frontEnds {
		pps += f.baseRecvBps(h, ms) / inboundPacket
	}
	for u := range sw.uplinks {
		sw.uplinks[u].pool.tick(pps / 2)
	}
	for range poisson(r, pps/float64(sw.UplinkRate)) {
		h := sw.frontEnds[r.IntN(len(sw.frontEnds))]
		up := sw.uplinks[r.IntN(2)]
		client := f.client(a.clients.Uint64(), true)
		dst := h.Addr
		if client.Is6() {
			dst = h.Addr6
		}
		spec := sflow.PacketSpec{SrcMAC: coreMAC, DstMAC: gatewayMAC(externalVLAN), VLANs: uplinkVLANs,
			SrcIP: client, DstIP: dst, Protocol: protoTCP, SrcPort: uint16(ephemeral(r)), DstPort: 443,
			TCPFlags: []uint8{0x10, 0x10, 0x18, 0x18, 0x02}[r.IntN(5)], TTL: uint8(40 + r.IntN(20)),
			IPID: uint16(r.Uint32()), FlowLabel: r.Uint32() & 0xfffff, PayloadLen: r.IntN(2*inboundPacket - 80)}
		if err := f.switchSample(sw, up, sw.UplinkRate, &spec, h.port.ifIndex, externalVLAN, uint32(h.prof.vlan)); err != nil {
			return err
		}
	}
	return nil
}

// pickFlow draws one of a host's kinds of traffic by weight.
func pickFlow(r *rand.Rand, flows []flowKind) *flowKind {
	total := 0
	for i := range flows {
		total += flows[i].weight
	}
	x := r.IntN(total)
	for i := range flows {
		if x < flows[i].weight {
			return &flows[i]
		}
		x -= flows[i].weight
	}
	return &flows[len(flows)-1]
}

// hostPacket makes a packet host h sends for traffic kind k, with the switch port it leaves by and the VLAN of
// its destination. ok is false when the kind has no peer (a one-host appType talking to its own kind).
func (f *Fleet) hostPacket(a *agent, h *host, k *flowKind) (spec sflow.PacketSpec, out, dstVLAN uint32, ok bool) {
	r := a.rng
	spec = sflow.PacketSpec{SrcMAC: h.mac, DstMAC: gatewayMAC(h.prof.vlan), SrcIP: h.Addr, Protocol: k.proto,
		IPID: uint16(r.Uint32())}
	switch k.peer {
	case peerClients:
		client := f.client(a.clients.Uint64(), h.Addr6.IsValid())
		if client.Is6() {
			spec.SrcIP = h.Addr6
			spec.FlowLabel = r.Uint32() & 0xfffff
		}
		spec.DstIP = client
		out, dstVLAN = a.sw.uplinks[r.IntN(2)].ifIndex, externalVLAN
	case peerResolver:
		spec.DstIP = resolvers[r.IntN(len(resolvers))]
		out, dstVLAN = a.sw.uplinks[r.IntN(2)].ifIndex, infraVLAN
	default:
		peers := f.byApp[k.peer]
		peer := peers[r.IntN(len(peers))]
		if peer == h {
			if len(peers) == 1 {
				return spec, 0, 0, false
			}
			peer = peers[(peer.n+1)%len(peers)]
		}
		spec.DstIP = peer.Addr
		if peer.prof.vlan == h.prof.vlan {
			spec.DstMAC = peer.mac // same VLAN: switched, not routed
		}
		out, dstVLAN = f.egress(a.sw, peer, r), uint32(peer.prof.vlan)
	}
	if k.server {
		spec.SrcPort, spec.DstPort = k.port, uint16(ephemeral(r))
	} else {
		spec.SrcPort, spec.DstPort = uint16(ephemeral(r)), k.port
	}
	if k.proto == protoTCP {
		spec.TCPFlags = []uint8{0x10, 0x18, 0x18, 0x18, 0x10, 0x11}[r.IntN(6)]
		if !k.server && r.IntN(20) == 0 {
			spec.TCPFlags = 0x02 // SYN
		}
	}
	size := int(float64(k.size) * (0.6 + 0.8*r.Float64()))
	headers := 20 + 20
	if spec.SrcIP.Is6() {
		headers += 20
	}
	if k.proto == protoUDP {
		headers -= 12
	}
	spec.PayloadLen = max(0, min(size, 1500)-headers)
	return spec, out, dstVLAN, true
}

// egress is the port of switch sw that traffic to peer leaves by: its server port, or an uplink.
func (f *Fleet) egress(sw *switchDev, peer *host, r *rand.Rand) uint32 {
	if peer.sw == sw {
		return peer.port.ifIndex
	}
	return sw.uplinks[r.IntN(2)].ifIndex
}

// switchSample sends one compact flow sample of data source 0:<ifIndex of in>: sampled_header + extended_switch.
func (f *Fleet) switchSample(sw *switchDev, in *switchPort, rate uint32, spec *sflow.PacketSpec, out, srcVLAN,
	dstVLAN uint32) error {
	hdr, err := sflow.BuildSampledHeader(*spec)
	if err != nil {
		return fmt.Errorf("simulated switch %s port %d: %w", sw.Name, in.ifIndex, err)
	}
	pool := in.pool.sample(rate, in.flowSeq)
	if f.imp.dropSample(&in.drops) {
		return nil
	}
	in.flowSeq++
	s := f.pk.sample(sflow.Sample{Kind: sflow.SampleKindFlow, SequenceNumber: in.flowSeq,
		SourceIDClass: sflow.DSClassIfIndex, SourceIDIndex: in.ifIndex, SamplingRate: rate, SamplePool: pool, Drops: in.drops,
		Input: sflow.Interface{Value: in.ifIndex}, Output: sflow.Interface{Value: out}})
	f.pk.d.AddSampledHeader(s, hdr)
	f.pk.d.AddExtSwitch(s, sflow.ExtSwitch{SrcVLAN: srcVLAN, DstVLAN: dstVLAN})
	return f.pk.commit()
}

// switchCounters sends a compact counters sample per port: if_counters and ethernet_counters.
func (f *Fleet) switchCounters(a *agent, ms int64, inc *plan) error {
	sw := a.sw
	var upIn, upOut float64
	for _, port := range sw.ports {
		if h := port.host; h != nil {
			send, recv := f.sendBps(h, ms, inc), f.recvBps(h, ms, inc)
			discards := 0.0
			if inc.kind == TrafficBurst && h.app == inc.to {
				discards = recv / 1500 * 0.002 // the flooded ports drop
			}
			f.portCounters(a, port, ms, send, recv, h.pktSize, discards)
			upIn += recv * 0.6 / 2
			upOut += send * 0.6 / 2
		}
	}
	for _, up := range sw.uplinks {
		f.portCounters(a, up, ms, upIn, upOut, inboundPacket, 0)
	}
	for _, port := range sw.ports {
		port.ctrSeq++
		s := f.pk.sample(sflow.Sample{Kind: sflow.SampleKindCounters, SequenceNumber: port.ctrSeq,
			SourceIDClass: sflow.DSClassIfIndex, SourceIDIndex: port.ifIndex})
		d := &f.pk.d
		d.AddIfCounters(s, sflow.IfCounters{Index: port.ifIndex, Type: 6, Speed: port.speed, Direction: 1, Status: 3,
			InOctets: port.inOct.v, InUcastPkts: port.inPkts.u32(), InMulticastPkts: port.inMcast.u32(),
			InBroadcastPkts: port.inBcast.u32(), InUnknownProtos: sflow.Unavailable32,
			OutOctets: port.outOct.v, OutUcastPkts: port.outPkts.u32(), OutMulticastPkts: port.outMcast.u32(),
			OutDiscards: port.discards.u32()})
		d.AddEthernetCounters(s, sflow.EthernetCounters{FCSErrors: port.fcs.u32()})
		if err := f.pk.commit(); err != nil {
			return err
		}
	}
	return nil
}

// portCounters advances a port's counters to ms: inBps enter the switch by it in packets of inPacket bytes,
// outBps leave by it.
func (f *Fleet) portCounters(a *agent, p *switchPort, ms int64, inBps, outBps, inPacket, discardsPS float64) {
	dt := float64(ms-p.lastMs) / 1000
	if !p.started {
		p.started, dt = true, float64(ms-a.bootMs)/1000*0.6 // since the switch booted, at a lower average rate
	}
	p.lastMs = ms
	p.inOct.add(inBps * dt)
	p.outOct.add(outBps * dt)
	p.inPkts.add(inBps / inPacket * dt)
	p.outPkts.add(outBps / 800 * dt)
	p.inMcast.add(0.2 * dt)
	p.outMcast.add(1.5 * dt)
	p.inBcast.add(0.5 * dt)
	p.discards.add(discardsPS * dt)
	p.fcs.add(1e-12 * inBps * dt)
}
