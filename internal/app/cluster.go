package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/fleettop/fleettop/feeds/relay"
	"github.com/fleettop/fleettop/internal/cluster"
	"github.com/fleettop/fleettop/internal/natskv"
	"github.com/fleettop/fleettop/model"
)

// ClusterConfig is running several collectors as one: publishing to and subscribing from NATS, forwarding
// datagrams, and /metrics.
type ClusterConfig struct {
	Publish     string // NATS URL to publish this collector's summaries to every second; "" for none
	Subscribe   string // NATS URL of the collectors to show the merge of instead of listening; "" for none
	CollectorID string // this collector's name in NATS subjects
	// NATS are the credentials and TLS files of the NATS connections (URL and Name are the App's to set).
	NATS    cluster.ConnOptions
	Forward []*relay.Target // every received datagram is re-sent unchanged to these
	Metrics string          // address to serve Prometheus /metrics and /healthz on; "" for none
}

// clusterParts is what the App runs besides the model when collectors work together.
type clusterParts struct {
	forwarder *relay.Forwarder
	pub       *cluster.Publisher
	sub       *cluster.Subscriber
	conns     []*cluster.Conn
	metrics   *metricsServer
	views     *natskv.Bucket // shared saved views (Config.Views)
}

// connOptions are the NATS connection options of url.
func (c *ClusterConfig) connOptions(url, name string) cluster.ConnOptions {
	o := c.NATS
	o.URL, o.Name = url, name
	return o
}

// openForward opens the forwarder of Cluster.Forward; the listener's pipeline hands it every datagram.
func (a *App) openForward() error {
	if len(a.cfg.Cluster.Forward) == 0 {
		return nil
	}
	f, err := relay.NewForwarder(a.cfg.Cluster.Forward)
	if err != nil {
		return err
	}
	a.cl.forwarder = f
	return nil
}

// startCluster starts publishing (Cluster.Publish) and serving /metrics (Cluster.Metrics); run it after Listen
// and Start.
func (a *App) startCluster(ctx context.Context) error {
	cc := &a.cfg.Cluster
	if cc.Publish != "" {
		conn, err := cluster.Connect(cc.connOptions(cc.Publish, "fleettop collector "+cc.CollectorID))
		if err != nil {
			return fmt.Errorf("--publish: %w", err)
		}
		a.cl.conns = append(a.cl.conns, conn)
		pub, err := cluster.NewPublisher(conn, cc.CollectorID)
		if err != nil {
			return fmt.Errorf("--collector-id: %w", err)
		}
		a.cl.pub = pub
		a.fleet.SetFeed(model.FeedCluster, pub)
		ctx = a.goCtx(ctx)
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			pub.Run(ctx, a.fleet)
		}()
	}
	return a.startMetrics(cc.Metrics)
}

// mergeEvery is how often a subscribing dashboard merges the collectors' summaries: a collector that stops
// shows as stale within cluster.DefaultStaleAfter plus this.
const mergeEvery = 250 * time.Millisecond

// subscribe makes the App show the merge of every collector publishing to Cluster.Subscribe instead of its own
// model (which stays empty: nothing is listened to).
func (a *App) subscribe(ctx context.Context) error {
	cc := &a.cfg.Cluster
	conn, err := cluster.Connect(cc.connOptions(cc.Subscribe, "fleettop dashboard"))
	if err != nil {
		return fmt.Errorf("--subscribe: %w", err)
	}
	a.cl.conns = append(a.cl.conns, conn)
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	sub, err := cluster.Subscribe(sctx, conn, cluster.SubscribeOptions{})
	if err != nil {
		return fmt.Errorf("--subscribe: %w", err)
	}
	a.cl.sub = sub
	if a.cfg.GroupBy != "" && a.cfg.GroupBy != model.DefaultGroupBy {
		sub.SetGroupBy(a.cfg.GroupBy)
	}
	ctx = a.goCtx(ctx)
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		sub.Run(ctx, mergeEvery)
	}()
	return a.startMetrics(cc.Metrics)
}

// view is what the dashboard and the console show and regroup: the model, or the merge of the collectors.
type view interface {
	Snapshot() *model.Snapshot
	SetGroupBy(field string)
}

// view returns the subscriber when subscribing, else the model, with the shared views' state in its health.
func (a *App) view() view {
	if a.cl.views != nil {
		return sharedViewsView{a.source(), a.cl.views}
	}
	return a.source()
}

// source is the subscriber when subscribing, else the model.
func (a *App) source() view {
	if a.cl.sub != nil {
		return a.cl.sub
	}
	return a.fleet
}

// Snapshot is the latest snapshot of what the App shows: the model's, or the collectors' merge.
func (a *App) Snapshot() *model.Snapshot { return a.view().Snapshot() }

// closeCluster stops what startCluster, subscribe and openForward started (after the goroutines stopped).
func (a *App) closeCluster() error {
	var err error
	if a.cl.metrics != nil {
		err = a.cl.metrics.close()
	}
	if a.cl.sub != nil {
		a.cl.sub.Close()
	}
	if a.cl.views != nil {
		a.cl.views.Close()
	}
	for _, c := range a.cl.conns {
		c.Close()
	}
	if a.cl.forwarder != nil {
		err = errors.Join(err, a.cl.forwarder.Close())
	}
	return err
}

// IngestOrSubscribe starts the App: Listen, Start (publishing every publish) and the cluster's publishing and
// /metrics, or, with Cluster.Subscribe, the merge of the collectors.
func (a *App) IngestOrSubscribe(ctx context.Context, publish time.Duration) error {
	if a.cfg.Cluster.Subscribe != "" {
		return a.subscribe(ctx)
	}
	if err := a.Listen(ctx); err != nil {
		return err
	}
	a.Start(ctx, publish)
	return a.startCluster(ctx)
}

// PublishNow is a snapshot as of now: the model published, or the collectors merged.
func (a *App) PublishNow() *model.Snapshot {
	if a.cl.sub != nil {
		return a.cl.sub.Merge(time.Now())
	}
	return a.fleet.Publish(time.Now())
}

// FinalSnapshot is the merge at the end when subscribing (nil otherwise: the model publishes after Close, with
// what the sockets took until they closed).
func (a *App) FinalSnapshot() *model.Snapshot {
	if a.cl.sub != nil {
		return a.cl.sub.Merge(time.Now())
	}
	return nil
}
