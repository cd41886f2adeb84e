package app

import (
	"net/netip"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/graphite"
	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/model/tree"
)

// Config is what an App is built from: the values the flags and the config file chose, already checked and
// parsed (addresses, sources, globs). The zero value is a model with no feeds; every field's zero value is
// that field's default.
type Config struct {
	// The sFlow listener (Listen): UDP address, SO_REUSEPORT sockets, decoding goroutines, and the datagrams
	// waiting for them before the socket readers wait.
	Listen  string
	Sockets int
	// RecvBuffer is each socket's receive buffer, bytes (0: sflow.DefaultRecvBuffer).
	RecvBuffer int
	Workers    int
	Queue      int

	// The model (model.Options).
	Allow   []netip.Prefix // agents accepted; empty accepts all
	GroupBy string
	Window  time.Duration // of the top-N tables
	Step    time.Duration // of the series points; tests shorten it
	Rewind  time.Duration // how far back a paused dashboard steps (model.Options.Rewind: 0 default, < 0 none)
	Bounds  model.Options // only its Max* fields: the bounds on the model's state; zero fields are the defaults

	ENC      ENCConfig
	Carbon   CarbonConfig
	Graphite string // graphite-web's URL for remote targets and completion; "" for none
	Record   string // pcap file every received datagram is written to; "" for none
	// OnRecordError, when set, is told once when the recording stops on a write error (a full disk).
	OnRecordError func(error)

	Cluster ClusterConfig // NATS, forwarding, /metrics

	OnEvent OnEventConfig // the command run per threshold event
	// Views is where the command line's saved views are kept: a directory ("" is views.DefaultDir), or
	// nats://HOST:PORT[/BUCKET] (tls:// too) for a JetStream key-value bucket the team shares, reached with
	// Cluster.NATS's credentials and TLS files.
	Views string
	// beforeRead is the listener's test hook (sflow.ListenerOptions.BeforeRead).
	beforeRead func()

	// Clock, when set, stamps each datagram as the model ingests it, instead of the time it arrived: tests give
	// a clock that the network's delays cannot move. It is called once per datagram, from the decoding
	// goroutines.
	Clock func() time.Time
}

// ENCConfig is where hosts' ENC nodes come from, and the bounds of looking them up.
type ENCConfig struct {
	Source  enc.Source // nil: no ENC, every host unclassified
	Timeout time.Duration
	Domain  string // appended to short host names
	Queue   int    // lookups waiting at most
	Cache   int    // host names cached at most
}

// CarbonConfig is the push of the metric tree to carbon.
type CarbonConfig struct {
	Addr     string // HOST:PORT; "" for no push
	Protocol graphite.Protocol
	Series   *tree.CarbonSeries // what carbon gets (required with Addr)
	Every    time.Duration      // between pushes; 0 is 10 s
}
