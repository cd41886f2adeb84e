package sim

import (
	"encoding/binary"
	"fmt"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// packer fills an agent's datagrams up to MaxDatagram bytes, as an agent fills its receiver's buffer. Each sample
// is built alone in a scratch Datagram and encoded once; its bytes are then spliced after a datagram header
// encoded by the same encoder, so no sample is encoded twice to learn its size.
type packer struct {
	d       sflow.Datagram // the sample being built, alone
	hdr     sflow.Datagram // the outgoing datagram's header, without samples
	scratch []byte
	skip    int    // length of the scratch datagram's header (its agent address is UNKNOWN)
	body    []byte // the encoded samples of the outgoing datagram
	n       uint32 // how many
	out     []byte

	a      *agent
	uptime uint32
	silent bool
	imp    *impairer
	emit   func([]byte, int) error
	err    error // the first error emit returned in this agent's tick: later datagrams are not emitted
}

func (p *packer) init(imp *impairer) {
	p.imp = imp
	p.d.Reset()
	hdr, err := sflow.AppendDatagram(nil, &p.d)
	if err != nil {
		panic(fmt.Sprintf("sim: encoding an empty datagram: %v", err)) // the encoder's contract, not input
	}
	p.skip = len(hdr)
	p.body = make([]byte, 0, 2*MaxDatagram)
	p.out = make([]byte, 0, 2*MaxDatagram)
}

// begin starts the datagrams of agent a at uptime; a silent agent's datagrams are counted, not emitted.
func (p *packer) begin(a *agent, uptime uint32, silent bool, emit func([]byte, int) error) {
	p.a, p.uptime, p.silent, p.emit, p.err = a, uptime, silent, emit, nil
	p.body, p.n = p.body[:0], 0
}

// sample starts a sample; add its records to p.d with the returned pointer, then call commit.
func (p *packer) sample(s sflow.Sample) *sflow.Sample {
	p.d.Reset()
	return p.d.AddSample(s)
}

// commit encodes the sample built since sample and queues it, sending the datagram first if it would not fit. A
// flow sample may be removed instead (Impairments.RemoveSample).
func (p *packer) commit() error {
	if p.d.Samples[0].Kind == sflow.SampleKindFlow && p.imp.chance(p.imp.RemoveSample) {
		return nil
	}
	enc, err := sflow.AppendDatagram(p.scratch[:0], &p.d)
	p.scratch = enc
	if err != nil {
		return fmt.Errorf("simulated fleet: encode a sample of %v sub-agent %d: %w", p.a.addr, p.a.subAgent, err)
	}
	smp := enc[p.skip:]
	if p.n > 0 && p.headerLen()+len(p.body)+len(smp) > MaxDatagram {
		if err := p.flush(); err != nil {
			return err
		}
	}
	p.body = append(p.body, smp...)
	p.n++
	return nil
}

// headerLen is the size of the current agent's datagram header: the scratch header plus the address bytes.
func (p *packer) headerLen() int { return p.skip + p.a.addr.BitLen()/8 }

// flush sends the datagram built so far, if any.
func (p *packer) flush() error {
	if p.n == 0 {
		return nil
	}
	a := p.a
	a.seq++
	p.hdr.Reset()
	p.hdr.AgentAddr, p.hdr.SubAgentID, p.hdr.SequenceNumber, p.hdr.Uptime = a.addr, a.subAgent, a.seq, p.uptime
	out, err := sflow.AppendDatagram(p.out[:0], &p.hdr)
	if err != nil {
		return fmt.Errorf("simulated fleet: encode a datagram header of %v: %w", a.addr, err)
	}
	// The header ends with num_samples, written as 0 for the empty header Datagram.
	binary.BigEndian.PutUint32(out[len(out)-4:], p.n)
	out = append(out, p.body...)
	p.out, p.body, p.n = out, p.body[:0], 0
	if p.silent || p.err != nil {
		return nil
	}
	p.err = p.imp.send(a, out, p.emit)
	return nil
}
