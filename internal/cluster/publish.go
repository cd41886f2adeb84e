package cluster

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/fleettop/fleettop/internal/health"
	"github.com/fleettop/fleettop/model"
)

// Publisher publishes one collector's snapshots: the state every time, and the series of each host whose
// points changed since they were last published (or that were not published for StreamMaxAge/4). Each
// publish waits for the stream's acknowledgements; one that fails is counted and makes the next publish send
// every host's series again.
type Publisher struct {
	ID    string
	conn  *Conn
	start int64
	seq   uint64

	sent map[string]sentSeries // by host ID: what was last published
	ok   bool                  // the stream exists as far as we know

	// OnPublish, when set, is called after every publish with its time to the last acknowledgement, the bytes
	// sent and the error (metrics).
	OnPublish func(latency time.Duration, bytes int, err error)

	mu    sync.Mutex
	stats PublishStats
}

type sentSeries struct {
	msg *Series
	at  time.Time
}

// PublishStats count what a Publisher did.
type PublishStats struct {
	Publishes, Failures uint64
	Messages, Bytes     uint64
	LastLatency         time.Duration
	LastError           string
}

// NewPublisher publishes as collector id (see CheckCollectorID) over conn.
func NewPublisher(conn *Conn, id string) (*Publisher, error) {
	if err := CheckCollectorID(id); err != nil {
		return nil, err
	}
	return &Publisher{ID: id, conn: conn, start: time.Now().UnixNano(), sent: make(map[string]sentSeries)}, nil
}

// publishTimeout bounds one publish: acknowledgements not back by then count as a failure.
const publishTimeout = 2 * time.Second

// Publish sends snapshot s (published by the model at s.Time).
func (p *Publisher) Publish(ctx context.Context, s *model.Snapshot) error {
	t0 := time.Now()
	n, err := p.publish(ctx, s, t0)
	d := time.Since(t0)
	p.mu.Lock()
	p.stats.Publishes++
	p.stats.Bytes += uint64(n)
	p.stats.LastLatency = d
	if err != nil {
		p.stats.Failures++
		p.stats.LastError = err.Error()
	}
	p.mu.Unlock()
	if p.OnPublish != nil {
		p.OnPublish(d, n, err)
	}
	return err
}

func (p *Publisher) publish(ctx context.Context, s *model.Snapshot, now time.Time) (int, error) {
	if !p.conn.NC.IsConnected() {
		clear(p.sent)
		p.ok = false
		return 0, errors.New("nats: not connected")
	}
	ctx, cancel := context.WithTimeout(ctx, publishTimeout)
	defer cancel()
	if !p.ok {
		if err := p.conn.EnsureStream(ctx); err != nil {
			return 0, err
		}
		p.ok = true
	}
	msgs, changed, err := p.messages(s, now)
	if err != nil {
		return p.failed(0, err)
	}
	var futures []jetstream.PubAckFuture
	bytes := 0
	for _, m := range msgs {
		f, err := p.conn.JS.PublishAsync(m.subject, m.data)
		if err != nil {
			return p.failed(bytes, err)
		}
		futures = append(futures, f)
		bytes += len(m.data)
	}
	select {
	case <-p.conn.JS.PublishAsyncComplete():
	case <-ctx.Done():
		return p.failed(bytes, fmt.Errorf("nats: %d messages not acknowledged in %s", len(futures), publishTimeout))
	}
	for _, f := range futures {
		select {
		case err := <-f.Err():
			if errors.Is(err, jetstream.ErrNoStreamResponse) || errors.Is(err, jetstream.ErrStreamNotFound) {
				p.ok = false
			}
			return p.failed(bytes, fmt.Errorf("nats: publish %s: %w", f.Msg().Subject, err))
		default:
		}
	}
	p.sentOK(s, changed, now)
	p.mu.Lock()
	p.stats.Messages += uint64(len(futures))
	p.mu.Unlock()
	return bytes, nil
}

// message is one encoded message and its subject.
type message struct {
	subject string
	data    []byte
}

// messages are what publishing s sends, in order: the series of every host whose points changed (or that
// were not sent for StreamMaxAge/4), then the state. changed are the series messages, to remember once sent.
func (p *Publisher) messages(s *model.Snapshot, now time.Time) (msgs []message, changed []*Series, err error) {
	p.seq++
	lastBin := floorDiv(s.Time.UnixNano(), int64(s.Step))
	for _, h := range s.Hosts {
		series := s.AlignedSeries(h.Series) // what the series messages carry
		last, ok := p.sent[h.ID]
		if ok && now.Sub(last.at) < StreamMaxAge/4 && sameSeries(last.msg, series, lastBin) {
			continue
		}
		msg := seriesOf(h.ID, series, p.ID, p.start, p.seq, s.Step, lastBin)
		b, err := Encode(msg)
		if err != nil {
			return nil, nil, err
		}
		msgs = append(msgs, message{SeriesSubject(p.ID, HostKey(h.ID)), b})
		changed = append(changed, msg)
	}
	b, err := Encode(stateOf(s, p.ID, p.start, p.seq))
	if err != nil {
		return nil, nil, err
	}
	return append(msgs, message{StateSubject(p.ID), b}), changed, nil
}

// sentOK remembers what a publish of snapshot s sent, and forgets the hosts s no longer lists.
func (p *Publisher) sentOK(s *model.Snapshot, changed []*Series, now time.Time) {
	for _, m := range changed {
		p.sent[m.Host] = sentSeries{m, now}
	}
	listed := make(map[string]bool, len(s.Hosts))
	for i := range s.Hosts {
		listed[s.Hosts[i].ID] = true
	}
	for id := range p.sent {
		if !listed[id] {
			delete(p.sent, id)
		}
	}
}

// failed forgets what was sent, so that the next publish sends every host's series again.
func (p *Publisher) failed(bytes int, err error) (int, error) {
	clear(p.sent)
	return bytes, err
}

// sameSeries reports whether series, ending in step lastBin, hold the same points as the message did (points
// the message did not reach are NaN).
func sameSeries(msg *Series, series []model.NamedSeries, lastBin int64) bool {
	if len(msg.Series) != len(series) {
		return false
	}
	shift := lastBin - msg.LastBin
	for i, n := range series {
		old := msg.Series[i]
		if old.Name != n.Name {
			return false
		}
		for j, v := range n.Points {
			k := int64(j) + shift + int64(len(old.Points)-len(n.Points))
			o := math.NaN()
			if k >= 0 && k < int64(len(old.Points)) {
				o = old.Points[k]
			}
			if v != o && !(math.IsNaN(v) && math.IsNaN(o)) {
				return false
			}
		}
	}
	return true
}

// Stats returns the counters.
func (p *Publisher) Stats() PublishStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// FeedHealth is the publishing side's state for health lines: the connection, and the last publish.
func (p *Publisher) FeedHealth() health.Status {
	h := p.conn.FeedHealth()
	st := p.Stats()
	h.LastDuration, h.Succeeded, h.Failed = st.LastLatency, st.Publishes-st.Failures, st.Failures
	h.Summary = fmt.Sprintf("%s as %s: %d published, %d failed, last %s", h.Summary, p.ID, st.Publishes,
		st.Failures, st.LastLatency.Round(time.Millisecond))
	if st.LastError != "" && h.LastError == "" {
		h.LastError = st.LastError
	}
	return h
}

// Run publishes every new snapshot of fleet (it publishes one a second) until ctx is done.
func (p *Publisher) Run(ctx context.Context, fleet interface{ Snapshot() *model.Snapshot }) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	var last uint64
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s := fleet.Snapshot()
			if s == nil || s.Version == last || s.Time.IsZero() {
				continue
			}
			last = s.Version
			_ = p.Publish(ctx, s) // counted in Stats and OnPublish
		}
	}
}
