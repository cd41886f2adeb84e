package cluster

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/fleettop/fleettop/internal/health"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ConnOptions says how to reach NATS. Secrets come from a config file or the environment (see the README),
// never only from the command line.
type ConnOptions struct {
	URL      string // nats://HOST:PORT, several separated by commas; tls:// for TLS
	Name     string // connection name shown by the server
	Creds    string // NATS credentials file (JWT and NKey seed)
	Token    string
	User     string
	Password string
	CAFile   string // TLS: the CA that signed the server's certificate
	CertFile string // TLS client certificate and key
	KeyFile  string
}

// Conn is a NATS connection that reconnects for ever (and keeps trying when the server is not up at the
// start), with its state for health lines.
type Conn struct {
	NC *nats.Conn
	JS jetstream.JetStream

	mu      sync.Mutex
	lastErr string
	downAt  time.Time
}

// Connect connects to NATS (in the background when the server is not reachable yet).
func Connect(opt ConnOptions) (*Conn, error) {
	if opt.URL == "" {
		return nil, fmt.Errorf("nats: no server URL")
	}
	for _, u := range strings.Split(opt.URL, ",") {
		pu, err := url.Parse(strings.TrimSpace(u))
		if err != nil || pu.Host == "" || (pu.Scheme != "nats" && pu.Scheme != "tls") {
			return nil, fmt.Errorf("nats: %q: want nats://HOST:PORT or tls://HOST:PORT", u)
		}
		if pu.User != nil {
			return nil, fmt.Errorf("nats: %q: put credentials in the config file or the environment, not in the URL", u)
		}
	}
	c := &Conn{}
	opts := []nats.Option{nats.Name(opt.Name), nats.MaxReconnects(-1), nats.ReconnectWait(250 * time.Millisecond),
		nats.RetryOnFailedConnect(true), nats.ReconnectBufSize(-1), // a publish while down fails, it is not queued
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) { c.down(err) }),
		nats.ReconnectHandler(func(*nats.Conn) { c.up() }), nats.ConnectHandler(func(*nats.Conn) { c.up() })}
	switch {
	case opt.Creds != "":
		opts = append(opts, nats.UserCredentials(opt.Creds))
	case opt.Token != "":
		opts = append(opts, nats.Token(opt.Token))
	case opt.User != "":
		opts = append(opts, nats.UserInfo(opt.User, opt.Password))
	}
	if opt.CAFile != "" {
		opts = append(opts, nats.RootCAs(opt.CAFile))
	}
	if opt.CertFile != "" || opt.KeyFile != "" {
		opts = append(opts, nats.ClientCert(opt.CertFile, opt.KeyFile))
	}
	nc, err := nats.Connect(opt.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("nats: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("nats: %w", err)
	}
	c.NC, c.JS = nc, js
	if !nc.IsConnected() {
		c.down(fmt.Errorf("connecting to %s", opt.URL))
	}
	return c, nil
}

func (c *Conn) down(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.downAt.IsZero() {
		c.downAt = time.Now()
	}
	if err != nil {
		c.lastErr = err.Error()
	}
}

func (c *Conn) up() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.downAt = time.Time{}
}

// FeedHealth is the connection's state: up with the server's URL, or down since when and why.
func (c *Conn) FeedHealth() health.Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := health.Status{Configured: true, OK: c.NC.IsConnected(), LastError: c.lastErr}
	if h.OK {
		h.Summary = "NATS " + c.NC.ConnectedUrlRedacted()
	} else {
		h.Summary = "NATS down"
		if !c.downAt.IsZero() {
			h.Summary += " for " + time.Since(c.downAt).Round(time.Second).String()
		}
		if h.LastError == "" {
			h.LastError = "not connected"
		}
	}
	return h
}

// Close closes the connection.
func (c *Conn) Close() { c.NC.Close() }

// StreamName is the JetStream stream that keeps the last message of every subject under fleettop.v2.
const StreamName = "FLEETTOP_V2"

// StreamMaxAge is how long the stream keeps a message: a collector gone for longer is forgotten, and a
// publisher republishes every host's info and keyframe within a quarter of it.
const StreamMaxAge = time.Hour

// EnsureStream creates the stream, or brings its configuration up to date: file storage (it survives a
// server restart), the last message per subject, an hour at most, 1 GiB at most.
func (c *Conn) EnsureStream(ctx context.Context) error {
	_, err := c.JS.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:              StreamName,
		Description:       "fleettop collectors' summaries: the last of each subject, for a dashboard that starts",
		Subjects:          []string{AllSubjects},
		Storage:           jetstream.FileStorage,
		MaxMsgsPerSubject: 1,
		MaxAge:            StreamMaxAge,
		MaxBytes:          1 << 30,
		Discard:           jetstream.DiscardOld,
	})
	if err != nil {
		return fmt.Errorf("nats: stream %s: %w", StreamName, err)
	}
	return nil
}
