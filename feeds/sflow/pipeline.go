package sflow

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"time"
)

// Sink receives decoded datagrams from the pipeline workers, from several goroutines at once.
// Ingest must copy whatever it keeps: d's strings point into a pooled buffer that is reused after it returns.
// d.Errors lists the samples that were malformed; the rest of d is good.
type Sink interface {
	Ingest(d *Datagram, src netip.AddrPort, now time.Time)
	// Reject is called for a datagram that could not be decoded at all (bad version, truncated header, ...).
	Reject(src netip.AddrPort, err error, now time.Time)
}

// PipelineOptions configures Serve and Listener.Serve.
type PipelineOptions struct {
	Workers int             // decoding goroutines, default 1
	Record  func(p *Packet) // called with every datagram before decoding (--record), may be nil
	Decoder func() *Decoder // makes each worker's decoder, default NewDecoder
}

// Serve decodes the packets from src with opt.Workers workers and hands them to sink until src is closed or ctx
// is done. It returns when every worker has stopped. Datagrams of one agent (address and sub-agent) always go to
// the same worker, so they reach the sink in the order they arrived: sequence and uptime accounting rely on it.
// Listener.Serve does the same for a listener's sockets without a channel operation per datagram.
func Serve(ctx context.Context, src <-chan *Packet, sink Sink, opt PipelineOptions) {
	if opt.Workers <= 0 {
		opt.Workers = 1
	}
	if opt.Decoder == nil {
		opt.Decoder = NewDecoder
	}
	inputs := make([]chan *Packet, opt.Workers)
	var wg sync.WaitGroup
	for i := range inputs {
		in := src
		if opt.Workers > 1 {
			ch := make(chan *Packet, 1024)
			inputs[i], in = ch, ch
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(ctx, in, sink, opt)
		}()
	}
	if opt.Workers > 1 {
		dispatch(ctx, src, inputs)
		for _, ch := range inputs {
			close(ch)
		}
	}
	wg.Wait()
}

// dispatch hands each packet to the worker its source hashes to, until src closes or ctx ends.
func dispatch(ctx context.Context, src <-chan *Packet, inputs []chan *Packet) {
	for {
		select {
		case <-ctx.Done():
			return
		case p, ok := <-src:
			if !ok {
				return
			}
			select {
			case inputs[agentHash(p)%uint32(len(inputs))] <- p:
			case <-ctx.Done():
				p.Release()
				return
			}
		}
	}
}

// agentHash is FNV-1a over the datagram's agent address and sub-agent id, read from the header without
// decoding it; a datagram too short for that hashes by its UDP source.
func agentHash(p *Packet) uint32 {
	key := p.Buf
	if len(key) >= 12 {
		n := 4 // address type 1: IPv4
		if be32(key, 4) == AddressIPv6 {
			n = 16
		}
		if len(key) >= 8+n+4 {
			key = key[4 : 8+n+4]
		} else {
			key = nil
		}
	} else {
		key = nil
	}
	h := uint32(2166136261)
	if key == nil {
		b := p.Src.Addr().As16()
		key = b[:]
	}
	for _, c := range key {
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}

// work is one decoding goroutine.
func work(ctx context.Context, in <-chan *Packet, sink Sink, opt PipelineOptions) {
	dec := opt.Decoder()
	var d Datagram
	for {
		select {
		case <-ctx.Done():
			return
		case p, ok := <-in:
			if !ok {
				return
			}
			handle(dec, p, &d, sink, opt.Record)
		}
	}
}

// handle records (when record is set), decodes and releases one packet.
func handle(dec *Decoder, p *Packet, d *Datagram, sink Sink, record func(*Packet)) {
	if record != nil {
		record(p)
	}
	DecodeInto(dec, p.Buf, d, p.Src, p.Time, sink)
	p.Release()
}

// DecodeInto decodes one datagram with dec into d and hands the result to sink: Ingest when the datagram header
// was readable (malformed samples are listed in d.Errors), Reject when it was not.
func DecodeInto(dec *Decoder, buf []byte, d *Datagram, src netip.AddrPort, now time.Time, sink Sink) {
	err := dec.Decode(buf, d)
	if err != nil && IsDatagramError(err) {
		sink.Reject(src, err, now)
		return
	}
	sink.Ingest(d, src, now)
}

// IsDatagramError reports whether err means the datagram as a whole was unreadable (as opposed to one of its
// samples being malformed).
func IsDatagramError(err error) bool {
	var de *DecodeError
	if errors.As(err, &de) {
		return de.Format == formatDatagram
	}
	return err != nil
}
