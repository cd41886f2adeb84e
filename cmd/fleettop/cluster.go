package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/fleettop/fleettop/feeds/relay"
	"github.com/fleettop/fleettop/internal/app"
	"github.com/fleettop/fleettop/internal/cluster"
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

// clusterConfig is the App's cluster config the flags chose: --forward parsed, the NATS secrets from the flags
// (the config file) or the environment. record tells whether --record is set (it needs a listener too).
func (cf *clusterFlags) clusterConfig(record bool) (app.ClusterConfig, error) {
	env := func(v, key string) string {
		if v == "" {
			return os.Getenv(key)
		}
		return v
	}
	cc := app.ClusterConfig{Publish: cf.publish, Subscribe: cf.subscribe, CollectorID: cf.collectorID,
		Metrics: cf.metrics, NATS: cluster.ConnOptions{Creds: env(cf.natsCreds, "FLEETTOP_NATS_CREDS"),
			Token: env(cf.natsToken, "FLEETTOP_NATS_TOKEN"), User: cf.natsUser,
			Password: env(cf.natsPassword, "FLEETTOP_NATS_PASSWORD"), CAFile: cf.natsCA, CertFile: cf.natsCert,
			KeyFile: cf.natsKey}}
	if cf.subscribe != "" && (cf.publish != "" || len(cf.forward) > 0 || record) {
		return cc, errors.New("--subscribe shows other collectors: --publish, --forward and --record need a listener")
	}
	for _, s := range cf.forward {
		t, err := relay.ParseTarget(context.Background(), s)
		if err != nil {
			return cc, fmt.Errorf("--forward: %w", err)
		}
		cc.Forward = append(cc.Forward, t)
	}
	return cc, nil
}
