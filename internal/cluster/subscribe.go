package cluster

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/fleettop/fleettop/model"
)

// Limits of a Subscriber's state.
const (
	MaxCollectors      = 1024             // collectors kept; messages of more are dropped and counted
	DefaultForgetAfter = 15 * time.Minute // a collector silent for longer is dropped, hosts and all
)

// SubscribeOptions tunes a Subscriber.
type SubscribeOptions struct {
	StaleAfter  time.Duration // a collector silent for longer shows as stale (DefaultStaleAfter)
	ForgetAfter time.Duration // and is forgotten after this (DefaultForgetAfter)
	Clock       func() time.Time
}

// Subscriber receives every collector's messages from the stream, the last one of each subject first (a
// dashboard that starts sees the fleet at once), then as they come, and merges them into a Snapshot on demand.
// It implements the dashboard's snapshot source.
type Subscriber struct {
	conn *Conn
	opt  SubscribeOptions

	mu         sync.Mutex
	collectors map[string]*Collector
	version    uint64
	received   uint64
	rejected   uint64
	lastReject string

	groupBy  string // the dashboard's choice; empty: the collectors'
	snap     atomic.Pointer[model.Snapshot]
	consumer jetstream.ConsumeContext
}

// Subscribe starts receiving; Close stops. The stream is created if no collector has yet.
func Subscribe(ctx context.Context, conn *Conn, opt SubscribeOptions) (*Subscriber, error) {
	if opt.StaleAfter <= 0 {
		opt.StaleAfter = DefaultStaleAfter
	}
	if opt.ForgetAfter <= 0 {
		opt.ForgetAfter = DefaultForgetAfter
	}
	if opt.Clock == nil {
		opt.Clock = time.Now
	}
	s := &Subscriber{conn: conn, opt: opt, collectors: make(map[string]*Collector)}
	if err := conn.EnsureStream(ctx); err != nil {
		return nil, err
	}
	cons, err := conn.JS.OrderedConsumer(ctx, StreamName, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{AllSubjects},
		DeliverPolicy:  jetstream.DeliverLastPerSubjectPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("nats: consumer: %w", err)
	}
	cc, err := cons.Consume(s.handle)
	if err != nil {
		return nil, fmt.Errorf("nats: consume: %w", err)
	}
	s.consumer = cc
	return s, nil
}

// Close stops receiving.
func (s *Subscriber) Close() { s.consumer.Stop() }

func (s *Subscriber) handle(msg jetstream.Msg) {
	now := s.opt.Clock()
	seen := now
	if md, err := msg.Metadata(); err == nil && md.Timestamp.Before(seen) {
		seen = md.Timestamp // a message kept in the stream: when it was published, not when it arrived
	}
	if err := s.take(msg.Subject(), msg.Data(), seen); err != nil {
		s.mu.Lock()
		s.rejected++
		s.lastReject = err.Error()
		s.mu.Unlock()
	}
}

// take applies one message received on subj.
func (s *Subscriber) take(subj string, data []byte, seen time.Time) error {
	rest, ok := strings.CutPrefix(subj, SubjectPrefix)
	if !ok {
		return fmt.Errorf("%s: not a %s subject", subj, strings.TrimSuffix(SubjectPrefix, "."))
	}
	id, kind, _ := strings.Cut(rest, ".")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.received++
	c := s.collectors[id]
	if c == nil {
		if len(s.collectors) >= MaxCollectors {
			return fmt.Errorf("%s: more than %d collectors", subj, MaxCollectors)
		}
		if err := CheckCollectorID(id); err != nil {
			return fmt.Errorf("%s: %w", subj, err)
		}
		c = NewCollector(id)
		s.collectors[id] = c
	}
	switch {
	case kind == "state":
		st, err := DecodeState(data)
		if err != nil {
			return fmt.Errorf("%s: %w", subj, err)
		}
		if st.Collector != id {
			return fmt.Errorf("%s: state of collector %q", subj, st.Collector)
		}
		c.AddState(st, seen)
	case strings.HasPrefix(kind, "series."):
		return takePerHost(subj, kind, id, data, DecodeSeries, c.AddSeries, seen)
	case strings.HasPrefix(kind, "delta."):
		return takePerHost(subj, kind, id, data, DecodeDelta, c.AddDelta, seen)
	case strings.HasPrefix(kind, "info."):
		return takePerHost(subj, kind, id, data, DecodeInfo, c.AddInfo, seen)
	default:
		return fmt.Errorf("%s: unknown message", subj)
	}
	return nil
}

// perHostMsg is a message about one host: Series, Delta or Info.
type perHostMsg interface {
	owner() (collector, host string)
}

func (s *Series) owner() (string, string) { return s.Collector, s.Host }
func (d *Delta) owner() (string, string)  { return d.Collector, d.Host }
func (in *Info) owner() (string, string)  { return in.Collector, in.Host }

// takePerHost decodes a per-host message received on subj (kind after collector id), checks that it came on
// its subject, and adds it.
func takePerHost[M perHostMsg](subj, kind, id string, data []byte, decode func([]byte) (M, error),
	add func(M, time.Time) bool, seen time.Time) error {
	m, err := decode(data)
	if err != nil {
		return fmt.Errorf("%s: %w", subj, err)
	}
	collector, host := m.owner()
	what, _, _ := strings.Cut(kind, ".")
	if collector != id || kind != what+"."+HostKey(host) {
		return fmt.Errorf("%s: %s of %s at %s", subj, what, host, collector)
	}
	add(m, seen)
	return nil
}

// Merge merges what every collector sent at now, forgetting collectors silent for ForgetAfter, and keeps it as
// the latest snapshot.
func (s *Subscriber) Merge(now time.Time) *model.Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := make([]*Collector, 0, len(s.collectors))
	for id, c := range s.collectors {
		if now.Sub(c.Heard) > s.opt.ForgetAfter {
			delete(s.collectors, id)
			continue
		}
		cs = append(cs, c)
	}
	s.version++
	snap := Merge(cs, now, s.version, MergeOptions{StaleAfter: s.opt.StaleAfter, GroupBy: s.groupBy})
	conn := s.conn.FeedHealth()
	cl := &snap.Health.Cluster
	cl.Summary = conn.Summary + ", " + cl.Summary
	if s.rejected > 0 {
		cl.Summary += fmt.Sprintf(", %d messages rejected", s.rejected)
	}
	if !conn.OK {
		cl.OK = false
		cl.LastError = strings.Trim(conn.LastError+"; "+cl.LastError, "; ")
	}
	s.snap.Store(snap)
	return snap
}

// Snapshot returns the latest merged snapshot (merging one first if there is none yet).
func (s *Subscriber) Snapshot() *model.Snapshot {
	if snap := s.snap.Load(); snap != nil {
		return snap
	}
	return s.Merge(s.opt.Clock())
}

// Run merges every interval until ctx is done.
func (s *Subscriber) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.Merge(s.opt.Clock())
		}
	}
}

// SetGroupBy regroups the merged hosts by an ENC field (as model.Fleet.SetGroupBy does for one collector).
func (s *Subscriber) SetGroupBy(field string) {
	s.mu.Lock()
	s.groupBy = field
	s.mu.Unlock()
	s.Merge(s.opt.Clock())
}

// Stats returns the messages received and rejected, and why the last was rejected.
func (s *Subscriber) Stats() (received, rejected uint64, lastReject string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.received, s.rejected, s.lastReject
}
