package cluster

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"reflect"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/fleettop/fleettop/internal/health"
	"github.com/fleettop/fleettop/model"
)

// Publisher publishes one collector's snapshots: the state every time; of each host, its Info when it
// changed, and a Delta when its points changed, or a keyframe (Series) when a delta would span more than
// deltaSteps or the series themselves changed; infos and keyframes again when not published for
// refreshEvery. Each publish waits for the stream's acknowledgements; one that fails is counted and makes the
// next publish send every host's info and keyframe again.
type Publisher struct {
	ID    string
	conn  *Conn
	start int64
	seq   uint64

	sent map[string]sentHost // by host ID: what was last published
	ok   bool                // the stream exists as far as we know

	// OnPublish, when set, is called after every publish with its time to the last acknowledgement, the bytes
	// sent and the error (metrics).
	OnPublish func(latency time.Duration, bytes int, err error)

	mu    sync.Mutex
	stats PublishStats
}

// sentHost is what was last published of one host.
type sentHost struct {
	key    *Series // the keyframe
	keyAt  time.Time
	delta  *Delta // the latest delta of that keyframe; nil before one
	info   *Info
	infoAt time.Time
}

// refreshEvery is how often infos and keyframes are published again although unchanged, so that the stream
// (which forgets messages after StreamMaxAge) always holds them.
const refreshEvery = StreamMaxAge / 4

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
	return &Publisher{ID: id, conn: conn, start: time.Now().UnixNano(), sent: make(map[string]sentHost)}, nil
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
	msgs, sent, err := p.messages(s, now)
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
	p.sentOK(s, sent)
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

// messages are what publishing s sends, in order: the infos, keyframes and deltas due (see Publisher), then
// the state. sent are the records of the hosts that had something sent, to remember once it was.
func (p *Publisher) messages(s *model.Snapshot, now time.Time) (msgs []message, sent map[string]sentHost, err error) {
	p.seq++
	lastBin := floorDiv(s.Time.UnixNano(), int64(s.Step))
	sent = make(map[string]sentHost)
	for h := range hostsAndDevices(s) {
		key := HostKey(h.ID)
		next := p.sent[h.ID]
		n := len(msgs)
		if in := infoOf(h); next.info == nil || now.Sub(next.infoAt) >= refreshEvery || !sameInfo(next.info, in) {
			in.V, in.Collector, in.Start, in.Seq = Version, p.ID, p.start, p.seq
			b, err := Encode(in)
			if err != nil {
				return nil, nil, err
			}
			msgs = append(msgs, message{InfoSubject(p.ID, key), b})
			next.info, next.infoAt = in, now
		}
		m, err := p.seriesMessage(&next, h.ID, key, s.AlignedSeries(h.Series), s.Step, lastBin, now)
		if err != nil {
			return nil, nil, err
		}
		if m != nil {
			msgs = append(msgs, *m)
		}
		if len(msgs) > n {
			sent[h.ID] = next
		}
	}
	b, err := Encode(stateOf(s, p.ID, p.start, p.seq))
	if err != nil {
		return nil, nil, err
	}
	return append(msgs, message{StateSubject(p.ID), b}), sent, nil
}

// seriesMessage is the keyframe or delta of a host's series (ending in step lastBin) due after sh, nil when
// none is; sh is updated with it.
func (p *Publisher) seriesMessage(sh *sentHost, id, key string, series []model.NamedSeries, step time.Duration,
	lastBin int64, now time.Time) (*message, error) {
	if sh.key != nil && now.Sub(sh.keyAt) < refreshEvery && sameShape(sh.key, series) {
		first := firstChange(sh.key, series, lastBin)
		switch {
		case first > lastBin && sh.delta == nil:
			return nil, nil // the keyframe's points
		case first <= lastBin && len(series) > 0 && lastBin-first < deltaSteps(len(series[0].Points)):
			pts := deltaPoints(series, first, lastBin)
			if sh.delta != nil && covers(sh.delta, pts, first, lastBin) {
				return nil, nil
			}
			d := &Delta{V: Version, Collector: p.ID, Start: p.start, Seq: p.seq, Host: id, Base: sh.key.Seq,
				Step: int64(step), FirstBin: first, LastBin: lastBin, Points: pts}
			b, err := Encode(d)
			sh.delta = d
			return &message{DeltaSubject(p.ID, key), b}, err
		}
	}
	k := seriesOf(id, series, p.ID, p.start, p.seq, step, lastBin)
	b, err := Encode(k)
	sh.key, sh.keyAt, sh.delta = k, now, nil
	return &message{SeriesSubject(p.ID, key), b}, err
}

// covers reports whether delta d already makes the points pts of steps first to lastBin (a later step it does
// not reach is a missing point to a subscriber too).
func covers(d *Delta, pts [][]float64, first, lastBin int64) bool {
	if d.FirstBin != first || len(d.Points) != len(pts) {
		return false
	}
	for i := range pts {
		for bin := first; bin <= lastBin; bin++ {
			if !samePoint(pts[i][bin-first], pointAt(d.Points[i], d.LastBin, bin)) {
				return false
			}
		}
	}
	return true
}

// sameInfo reports whether two infos describe the host alike (their headers aside).
func sameInfo(a, b *Info) bool {
	x := *a
	x.V, x.Collector, x.Start, x.Seq = b.V, b.Collector, b.Start, b.Seq
	return reflect.DeepEqual(&x, b)
}

// sentOK remembers what a publish of snapshot s sent, and forgets the hosts and devices s no longer lists.
func (p *Publisher) sentOK(s *model.Snapshot, sent map[string]sentHost) {
	maps.Copy(p.sent, sent)
	listed := make(map[string]bool, len(s.Hosts)+len(s.Devices))
	for h := range hostsAndDevices(s) {
		listed[h.ID] = true
	}
	forget(p.sent, listed)
}

// failed forgets what was sent, so that the next publish sends every host's info and keyframe again.
func (p *Publisher) failed(bytes int, err error) (int, error) {
	clear(p.sent)
	return bytes, err
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

// hostsAndDevices yields the snapshot's hosts, then its network devices: both have their info and series sent.
func hostsAndDevices(s *model.Snapshot) iter.Seq[*model.HostRow] {
	return func(yield func(*model.HostRow) bool) {
		for _, list := range [...][]*model.HostRow{s.Hosts, s.Devices} {
			for _, h := range list {
				if !yield(h) {
					return
				}
			}
		}
	}
}
