// Package health is the one way every feed of fleettop reports on itself, the node_exporter habit: each
// source (the sFlow listener, the ENC, graphite-web, carbon, NATS publishing and subscribing) says whether its
// latest operation succeeded, how long it took, its last error and its counts, and the model, the status
// line, collect's health line and /metrics all read that.
package health

import "time"

// Status is a feed's state as of now. The zero value is a feed that is not configured.
type Status struct {
	Configured bool
	OK         bool   // the latest operation succeeded (or the feed has nothing to do yet)
	Summary    string // one short line with the feed's counts: "42 ok, 1 failed", "up, 10 sent, 0 dropped"
	LastError  string // the latest failure, kept after a recovery; "" when there was none
	// LastDuration is how long the latest operation took (a lookup, a request, a write, a publish); 0 when the
	// feed has none to time.
	LastDuration time.Duration
	// Succeeded and Failed count the feed's operations by outcome.
	Succeeded, Failed uint64
	// Good of Total attempts succeeded (ENC lookups answered), for a proportional state ("ENC 7/11"); 0 of 0
	// when the feed does not count attempts. Not in the JSON: Summary says it there.
	Good, Total int `json:"-"`
}

// Feed is a source of data or a sink that reports its own Status.
type Feed interface {
	FeedHealth() Status
}

// Func is a function that is a Feed.
type Func func() Status

// FeedHealth calls f.
func (f Func) FeedHealth() Status { return f() }
