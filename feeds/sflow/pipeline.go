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

// PipelineOptions configures Serve.
type PipelineOptions struct {
	Workers int             // decoding goroutines, default 1
	Record  func(p *Packet) // called with every datagram before decoding (--record), may be nil
	Decoder func() *Decoder // makes each worker's decoder, default NewDecoder
}

// Serve decodes the packets from src with opt.Workers workers and hands them to sink until src is closed or ctx
// is done. It returns when every worker has stopped.
func Serve(ctx context.Context, src <-chan *Packet, sink Sink, opt PipelineOptions) {
	if opt.Workers <= 0 {
		opt.Workers = 1
	}
	if opt.Decoder == nil {
		opt.Decoder = NewDecoder
	}
	var wg sync.WaitGroup
	for i := 0; i < opt.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dec := opt.Decoder()
			var d Datagram
			for {
				select {
				case <-ctx.Done():
					return
				case p, ok := <-src:
					if !ok {
						return
					}
					if opt.Record != nil {
						opt.Record(p)
					}
					DecodeInto(dec, p.Buf, &d, p.Src, p.Time, sink)
					p.Release()
				}
			}
		}()
	}
	wg.Wait()
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
		return de.Format == "datagram"
	}
	return err != nil
}
