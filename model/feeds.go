package model

import (
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/internal/health"
)

// FeedKind is one of the feeds besides the ENC whose health the model reports (Health.Graphite, Carbon and
// Cluster). The ENC's resolver reports its own through SetENC.
type FeedKind uint8

const (
	FeedGraphite FeedKind = iota // graphite-web, pulled from (Health.Graphite)
	FeedCarbon                   // carbon, pushed to (Health.Carbon)
	FeedCluster                  // NATS, this collector's summaries published to (Health.Cluster)
	numFeeds
)

type feedBox struct{ f health.Feed }

// SetFeed sets the feed whose health the publisher asks for at every publish into Health's field for k
// (nil: none, not configured).
func (f *Fleet) SetFeed(k FeedKind, feed health.Feed) {
	if feed == nil {
		f.feeds[k].Store(nil)
		return
	}
	f.feeds[k].Store(&feedBox{feed})
}

// feedHealth asks every feed set for its health.
func (f *Fleet) feedHealth(h *Health) {
	for k, dst := range [numFeeds]*FeedHealth{FeedGraphite: &h.Graphite, FeedCarbon: &h.Carbon,
		FeedCluster: &h.Cluster} {
		if b := f.feeds[k].Load(); b != nil {
			*dst = b.f.FeedHealth()
		}
	}
}

// Listener is what the model reads of the sFlow listener at every publish: its drop counters and the
// receive buffer the kernel granted (sflow.Listener).
type Listener interface {
	Stats() sflow.ListenerStats
}

type listenerBox struct{ l Listener }

// SetListener sets the listener whose counters the publisher reads (nil: none, as when replaying a file).
func (f *Fleet) SetListener(l Listener) {
	if l == nil {
		f.listener.Store(nil)
		return
	}
	f.listener.Store(&listenerBox{l})
}

// listenerHealth copies the listener's drop counters and receive buffer (with its warning) into h.
func (f *Fleet) listenerHealth(h *Health) {
	b := f.listener.Load()
	if b == nil {
		return
	}
	st := b.l.Stats()
	h.QueueDrops, h.KernelDrops, h.RecvBuffer, h.RecvBufferWarning = st.QueueDrops, st.KernelDrops, st.RecvBuffer,
		st.Warning
}

// NamedFeed is a feed's health with the name health lines and /metrics know it by.
type NamedFeed struct {
	Name string // enc, graphite, carbon, nats
	FeedHealth
}

// Feeds lists the health of every feed, configured or not, in a fixed order.
func (h *Health) Feeds() []NamedFeed {
	return []NamedFeed{{"enc", h.ENC}, {"graphite", h.Graphite}, {"carbon", h.Carbon}, {"nats", h.Cluster}}
}
