package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/fleettop/fleettop/feeds/relay"
	"github.com/fleettop/fleettop/internal/cluster"
	"github.com/fleettop/fleettop/model"
)

// clusterFlags are the flags of running several collectors as one: publishing to and subscribing from NATS,
// forwarding datagrams, and /metrics. Secrets (the token, the password) belong in the config file or the
// environment (FLEETTOP_NATS_TOKEN, FLEETTOP_NATS_PASSWORD), not on the command line.
type clusterFlags struct {
	publish      string
	subscribe    string
	collectorID  string
	natsCreds    string
	natsToken    string
	natsUser     string
	natsPassword string
	natsCA       string
	natsCert     string
	natsKey      string
	forward      []string
	metrics      string
}

func (cf *clusterFlags) register(fs *flag.FlagSet) {
	host, _ := os.Hostname()
	fs.StringVar(&cf.publish, "publish", "", "publish this collector's summaries to NATS every second (nats://HOST:PORT)")
	fs.StringVar(&cf.subscribe, "subscribe", "", "show the merge of every collector publishing to NATS (nats://HOST:PORT) instead of listening")
	fs.StringVar(&cf.collectorID, "collector-id", collectorID(host), "this collector's name in NATS subjects (letters, digits, - and _)")
	fs.StringVar(&cf.natsCreds, "nats-creds", "", "NATS credentials file (or $FLEETTOP_NATS_CREDS)")
	fs.StringVar(&cf.natsToken, "nats-token", "", "NATS token: set it in the config file or $FLEETTOP_NATS_TOKEN")
	fs.StringVar(&cf.natsUser, "nats-user", "", "NATS user (password in the config file or $FLEETTOP_NATS_PASSWORD)")
	fs.StringVar(&cf.natsPassword, "nats-password", "", "NATS password: set it in the config file or $FLEETTOP_NATS_PASSWORD")
	fs.StringVar(&cf.natsCA, "nats-ca", "", "CA file for a tls:// NATS server")
	fs.StringVar(&cf.natsCert, "nats-cert", "", "client certificate file for NATS TLS")
	fs.StringVar(&cf.natsKey, "nats-key", "", "client key file for NATS TLS")
	fs.Func("forward", "re-send every datagram unchanged to `HOST:PORT[,agent=CIDR...]` (repeatable); agent= filters by the agent address inside the datagram",
		func(s string) error { cf.forward = append(cf.forward, s); return nil })
	fs.StringVar(&cf.metrics, "metrics", "", "serve Prometheus /metrics and /healthz on ADDR (host:port)")
}

// collectorID makes a host name a collector ID: its first label, other characters than [A-Za-z0-9_-] as '-'.
func collectorID(host string) string {
	host, _, _ = strings.Cut(host, ".")
	b := []byte(host)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '-'
		}
	}
	if len(b) == 0 {
		return "collector"
	}
	return string(b[:min(len(b), 64)])
}

// connOptions are the NATS connection options of url, secrets from the flags (the config file) or the
// environment.
func (cf *clusterFlags) connOptions(url, name string) cluster.ConnOptions {
	env := func(v, key string) string {
		if v == "" {
			return os.Getenv(key)
		}
		return v
	}
	return cluster.ConnOptions{URL: url, Name: name, Creds: env(cf.natsCreds, "FLEETTOP_NATS_CREDS"),
		Token: env(cf.natsToken, "FLEETTOP_NATS_TOKEN"), User: cf.natsUser,
		Password: env(cf.natsPassword, "FLEETTOP_NATS_PASSWORD"), CAFile: cf.natsCA, CertFile: cf.natsCert,
		KeyFile: cf.natsKey}
}

// clusterParts is what the stack runs besides the model when collectors work together.
type clusterParts struct {
	forwarder *relay.Forwarder
	pub       *cluster.Publisher
	sub       *cluster.Subscriber
	conns     []*cluster.Conn
	metrics   *metricsServer
}

// openForward parses --forward and opens the forwarder; the listener's pipeline hands it every datagram.
func (st *stack) openForward(lf *liveFlags) error {
	if len(lf.cl.forward) == 0 {
		return nil
	}
	var targets []*relay.Target
	for _, s := range lf.cl.forward {
		t, err := relay.ParseTarget(context.Background(), s)
		if err != nil {
			return fmt.Errorf("--forward: %w", err)
		}
		targets = append(targets, t)
	}
	f, err := relay.NewForwarder(targets)
	if err != nil {
		return err
	}
	st.cl.forwarder = f
	return nil
}

// startCluster starts publishing (--publish) and serving /metrics (--metrics); run it after listen and run.
func (st *stack) startCluster(ctx context.Context, lf *liveFlags) error {
	if lf.cl.publish != "" {
		if lf.cl.subscribe != "" {
			return fmt.Errorf("--publish and --subscribe are exclusive")
		}
		conn, err := cluster.Connect(lf.cl.connOptions(lf.cl.publish, "fleettop collector "+lf.cl.collectorID))
		if err != nil {
			return fmt.Errorf("--publish: %w", err)
		}
		st.cl.conns = append(st.cl.conns, conn)
		pub, err := cluster.NewPublisher(conn, lf.cl.collectorID)
		if err != nil {
			return fmt.Errorf("--collector-id: %w", err)
		}
		st.cl.pub = pub
		ctx = st.goCtx(ctx)
		st.wg.Add(1)
		go func() {
			defer st.wg.Done()
			pub.Run(ctx, st.fleet)
		}()
	}
	return st.startMetrics(lf.cl.metrics)
}

// mergeEvery is how often a subscribing dashboard merges the collectors' summaries: a collector that stops
// shows as stale within cluster.DefaultStaleAfter plus this.
const mergeEvery = 250 * time.Millisecond

// subscribe makes the stack show the merge of every collector publishing to --subscribe instead of its own
// model (which stays empty: nothing is listened to).
func (st *stack) subscribe(ctx context.Context, lf *liveFlags) error {
	conn, err := cluster.Connect(lf.cl.connOptions(lf.cl.subscribe, "fleettop dashboard"))
	if err != nil {
		return fmt.Errorf("--subscribe: %w", err)
	}
	st.cl.conns = append(st.cl.conns, conn)
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	sub, err := cluster.Subscribe(sctx, conn, cluster.SubscribeOptions{})
	if err != nil {
		return fmt.Errorf("--subscribe: %w", err)
	}
	st.cl.sub = sub
	if lf.groupBy != model.DefaultGroupBy {
		sub.SetGroupBy(lf.groupBy)
	}
	ctx = st.goCtx(ctx)
	st.wg.Add(1)
	go func() {
		defer st.wg.Done()
		sub.Run(ctx, mergeEvery)
	}()
	return st.startMetrics(lf.cl.metrics)
}

// view is what the dashboard and the console show and regroup: the model, or the merge of the collectors.
type view interface {
	Snapshot() *model.Snapshot
	SetGroupBy(field string)
}

// view returns the subscriber when subscribing, else the model, with the publishing state in its health.
func (st *stack) view() view {
	if st.cl.sub != nil {
		return st.cl.sub
	}
	if st.cl.pub != nil {
		return publishingView{st.fleet, st.cl.pub}
	}
	return st.fleet
}

// snapshot is the view's latest snapshot.
func (st *stack) snapshot() *model.Snapshot { return st.view().Snapshot() }

// publishingView is a model whose snapshots say how publishing goes.
type publishingView struct {
	*model.Fleet
	pub *cluster.Publisher
}

func (v publishingView) Snapshot() *model.Snapshot {
	s := *v.Fleet.Snapshot()
	s.Health.Cluster = v.pub.Health()
	return &s
}

// closeCluster stops what startCluster, subscribe and openForward started (after the goroutines stopped).
func (st *stack) closeCluster() error {
	var err error
	if st.cl.metrics != nil {
		err = st.cl.metrics.close()
	}
	if st.cl.sub != nil {
		st.cl.sub.Close()
	}
	for _, c := range st.cl.conns {
		c.Close()
	}
	if st.cl.forwarder != nil {
		if ferr := st.cl.forwarder.Close(); err == nil {
			err = ferr
		}
	}
	return err
}

// ingestOrSubscribe starts the stack: listening, the model and publishing, or, with --subscribe, the merge of
// the collectors.
func (st *stack) ingestOrSubscribe(ctx context.Context, lf *liveFlags) error {
	if lf.cl.subscribe != "" {
		if lf.cl.publish != "" || len(lf.cl.forward) > 0 || lf.record != "" {
			return fmt.Errorf("--subscribe shows other collectors: --publish, --forward and --record need a listener")
		}
		return st.subscribe(ctx, lf)
	}
	if err := st.listen(ctx, lf); err != nil {
		return err
	}
	st.run(ctx, time.Second, lf.carbonStep)
	return st.startCluster(ctx, lf)
}

// publishNow is a snapshot as of now: the model published, or the collectors merged.
func (st *stack) publishNow() *model.Snapshot {
	if st.cl.sub != nil {
		return st.cl.sub.Merge(time.Now())
	}
	return st.fleet.Publish(time.Now())
}

// finalSnapshot is the merge at the end when subscribing (nil otherwise: the model publishes after closing).
func (st *stack) finalSnapshot() *model.Snapshot {
	if st.cl.sub != nil {
		return st.cl.sub.Merge(time.Now())
	}
	return nil
}
