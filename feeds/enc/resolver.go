package enc

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for zero Options fields.
const (
	DefaultTTL         = 5 * time.Minute
	DefaultNegativeTTL = 30 * time.Second
	DefaultTimeout     = 10 * time.Second // Foreman's node.rb gives up after 10 s too
	DefaultConcurrency = 4
	DefaultMaxQueue    = 1_000  // lookups waiting for a worker, first lookups and refreshes each
	DefaultMaxEntries  = 50_000 // host names with a cache entry
)

// ErrBusy is the Err of a host whose lookup could not be queued: the queue or the cache is full (Health.Refused
// counts it). The host stays Pending and a later Get tries again.
var ErrBusy = errors.New("enc lookup refused: queue or cache full")

// Options tune a Resolver; zero fields take the defaults above.
type Options struct {
	TTL         time.Duration // how long a found node is served before it is looked up again
	NegativeTTL time.Duration // the same for not found, failed and timed-out answers
	Timeout     time.Duration // per lookup; a classifier still running then is killed
	Concurrency int           // lookups running at once
	MaxQueue    int           // first lookups waiting, and refreshes waiting (each); beyond, Get refuses
	MaxEntries  int           // host names cached; a new name beyond is refused, not cached
	Domain      string        // appended to short names (no dot) before lookup: "web01" → "web01.example.com"
	// OnResult, when set, is called after each lookup has been stored, from the worker that ran it, never after
	// Close returns. It must not block (Close waits for it). It lets the model learn that an answer arrived
	// instead of polling.
	OnResult func(certname string, node *Node, status Status)
}

// State is where a host's lookup stands.
type State uint8

// The states of a host's ENC answer.
const (
	Pending  State = iota // first lookup queued or running; no answer yet
	OK                    // the node is the ENC's latest answer
	NotFound              // the ENC does not know the host
	Failed                // the ENC could not be run or printed something that is not a node
	TimedOut              // the ENC did not answer within Options.Timeout
	Stale                 // the last refresh did not find the node; the previous node is kept (Status.Err says why)
)

func (s State) String() string {
	switch s {
	case Pending:
		return "pending"
	case OK:
		return "ok"
	case NotFound:
		return "not found"
	case Failed:
		return "failed"
	case TimedOut:
		return "timed out"
	case Stale:
		return "stale"
	}
	return fmt.Sprintf("State(%d)", uint8(s))
}

// Status describes a host's answer.
type Status struct {
	State      State
	Err        error         // why the last lookup did not give a node; nil for OK and Pending
	Checked    time.Time     // when the last lookup finished; zero while Pending
	Fetched    time.Time     // when the node being served was looked up; zero without one
	Duration   time.Duration // how long the last lookup took
	Refreshing bool          // a new lookup is queued or running while this answer is served
}

// Health is the Resolver's own account, for the status line.
type Health struct {
	OK, NotFound, Failed, TimedOut uint64 // lookups finished, by outcome
	InFlight                       int    // lookups running now
	Queued                         int    // lookups waiting for a free slot
	Cached                         int    // hosts with an entry
	Refused                        uint64 // Gets that could not queue a lookup (queue or cache full)
	LastError                      error
	LastErrorHost                  string
	LastErrorAt                    time.Time
	AvgDuration, MaxDuration       time.Duration
	LastDuration                   time.Duration // of the latest lookup finished
	LastState                      State         // of the latest lookup finished; Pending before the first
}

// Lookups is the number of lookups finished.
func (h Health) Lookups() uint64 { return h.OK + h.NotFound + h.Failed + h.TimedOut }

func (h Health) String() string {
	s := fmt.Sprintf("enc %d ok, %d not found, %d failed, %d timed out; %d running, %d queued, %d cached, %d refused; avg %v max %v",
		h.OK, h.NotFound, h.Failed, h.TimedOut, h.InFlight, h.Queued, h.Cached, h.Refused,
		h.AvgDuration.Round(time.Millisecond), h.MaxDuration.Round(time.Millisecond))
	if h.LastError != nil {
		s += "; last error: " + h.LastError.Error()
	}
	return s
}

// Resolver serves ENC nodes by host name from a cache and refreshes them in the background with a fixed number
// of workers. Get never waits for a lookup, so a slow or broken classifier shows up as a host's Status, never
// as a stall.
type Resolver struct {
	src    Source
	opt    Options
	domain string
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	gen    atomic.Uint64

	mu        sync.Mutex
	wake      sync.Cond
	closed    bool
	entries   map[string]*entry // by certname, and by the raw names callers used for it (at most 2×MaxEntries)
	cached    int               // distinct entries
	first     []*entry          // never-answered hosts, served before refreshes
	refresh   []*entry
	running   int
	health    Health
	totalDur  time.Duration
	lastSweep time.Time
}

type entry struct {
	certname string
	node     *Node
	status   Status
	expires  time.Time
	queued   bool // in a queue or being looked up
	lastUsed time.Time
}

// idleTTLs is how many TTLs a host may go unasked before its entry is dropped.
const idleTTLs = 10

// NewResolver starts opt.Concurrency workers looking up hosts in src. Close stops them.
func NewResolver(src Source, opt Options) *Resolver {
	if opt.TTL <= 0 {
		opt.TTL = DefaultTTL
	}
	if opt.NegativeTTL <= 0 {
		opt.NegativeTTL = DefaultNegativeTTL
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = DefaultConcurrency
	}
	if opt.MaxQueue <= 0 {
		opt.MaxQueue = DefaultMaxQueue
	}
	if opt.MaxEntries <= 0 {
		opt.MaxEntries = DefaultMaxEntries
	}
	r := &Resolver{
		src:       src,
		opt:       opt,
		domain:    strings.Trim(strings.ToLower(strings.TrimSpace(opt.Domain)), "."),
		entries:   make(map[string]*entry),
		lastSweep: time.Now(),
	}
	r.wake.L = &r.mu
	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.wg.Add(opt.Concurrency)
	for range opt.Concurrency {
		go r.work()
	}
	return r
}

// Certname is the name host is looked up under: trimmed, lower-cased, without a trailing dot, with
// Options.Domain appended when it has no dot.
func (r *Resolver) Certname(host string) (string, error) {
	name := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(host), "."))
	if r.domain != "" && name != "" && !strings.Contains(name, ".") {
		name += "." + r.domain
	}
	if err := checkCertname(name); err != nil {
		return "", fmt.Errorf("enc: host %q: %w", host, err)
	}
	return name, nil
}

// Get returns the node for host as far as it is known, and its status; it never waits. A host seen for the
// first time, or whose answer has expired, gets a lookup queued; names already queued are not queued again.
// When the queue (Options.MaxQueue) or the cache (Options.MaxEntries) is full the lookup is refused (counted
// in Health.Refused): a new host stays Pending with ErrBusy, a known one keeps its answer, and a later Get
// tries again. A host name that cannot be a certname is Failed at once and not cached.
func (r *Resolver) Get(host string) (*Node, Status) { return r.get(host, true) }

// Peek is Get without starting a lookup: the answer cached for host, or Pending. The model uses it for hosts it
// does not trust yet (seen in one datagram only), so that forged names cost no classifier runs.
func (r *Resolver) Peek(host string) (*Node, Status) { return r.get(host, false) }

func (r *Resolver) get(host string, lookup bool) (*Node, Status) {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if now.Sub(r.lastSweep) > r.opt.TTL {
		r.sweep(now)
	}
	e := r.entries[host]
	if e == nil {
		certname, err := r.Certname(host)
		if err != nil {
			return nil, Status{State: Failed, Err: err, Checked: now}
		}
		e = r.entries[certname]
		switch {
		case e == nil && !lookup:
			return nil, Status{State: Pending}
		case e == nil && r.cached >= r.opt.MaxEntries:
			r.health.Refused++
			return nil, Status{State: Pending, Err: fmt.Errorf("%w (%d hosts cached)", ErrBusy, r.cached)}
		case e == nil:
			e = &entry{certname: certname}
			r.entries[certname] = e
			r.cached++
		}
		if host != certname && len(r.entries) < 2*r.opt.MaxEntries {
			r.entries[host] = e // spellings are remembered only while the map is small
		}
	}
	e.lastUsed = now
	st := e.status
	if lookup && !e.queued && !r.closed && (e.status.State == Pending || now.After(e.expires)) {
		queue := &r.refresh
		if e.status.State == Pending {
			queue = &r.first
		}
		if len(*queue) < r.opt.MaxQueue {
			e.queued = true
			*queue = append(*queue, e)
			r.wake.Signal()
		} else {
			r.health.Refused++
			if st.State == Pending {
				st.Err = fmt.Errorf("%w (%d lookups queued)", ErrBusy, len(*queue))
			}
		}
	}
	st.Refreshing = e.queued && st.State != Pending
	return e.node, st
}

// sweep drops entries nobody asked for in idleTTLs TTLs, so names seen once do not stay forever.
func (r *Resolver) sweep(now time.Time) {
	r.lastSweep = now
	idle := idleTTLs * r.opt.TTL
	for name, e := range r.entries {
		if !e.queued && now.Sub(e.lastUsed) > idle {
			delete(r.entries, name)
			if name == e.certname {
				r.cached--
			}
		}
	}
}

func (r *Resolver) work() {
	defer r.wg.Done()
	for {
		r.mu.Lock()
		for !r.closed && len(r.first) == 0 && len(r.refresh) == 0 {
			r.wake.Wait()
		}
		if r.closed {
			r.mu.Unlock()
			return
		}
		var e *entry
		if len(r.first) > 0 {
			e, r.first[0] = r.first[0], nil
			r.first = r.first[1:]
		} else {
			e, r.refresh[0] = r.refresh[0], nil
			r.refresh = r.refresh[1:]
		}
		r.running++
		r.mu.Unlock()

		start := time.Now() // before the deadline is set: a lookup that timed out took the whole Timeout
		ctx, cancel := context.WithTimeout(r.ctx, r.opt.Timeout)
		node, err := r.src.Lookup(ctx, e.certname)
		duration := time.Since(start)
		cancel()
		if node == nil && err == nil {
			err = fmt.Errorf("enc: %s: source returned no node: %w", e.certname, ErrNotFound)
		}
		r.store(e, node, err, duration)
	}
}

// store records a lookup's outcome. A failed refresh keeps the node already served (Stale): a dashboard
// should not regroup hosts because the classifier hiccupped, and under the exec contract a broken classifier
// and a removed node both exit non-zero.
func (r *Resolver) store(e *entry, node *Node, err error, duration time.Duration) {
	state := OK
	switch {
	case err == nil:
	case errors.Is(err, ErrNotFound):
		state = NotFound
	case errors.Is(err, context.DeadlineExceeded):
		state = TimedOut
	default:
		state = Failed
	}

	r.mu.Lock()
	r.running--
	e.queued = false
	if r.closed {
		// The lookup was cut short by Close; its outcome says nothing about the host.
		r.mu.Unlock()
		return
	}
	now := time.Now()
	h := &r.health
	switch state {
	case OK:
		h.OK++
	case NotFound:
		h.NotFound++
	case Failed:
		h.Failed++
	case TimedOut:
		h.TimedOut++
	}
	r.totalDur += duration
	h.MaxDuration = max(h.MaxDuration, duration)
	h.LastDuration, h.LastState = duration, state
	if err != nil {
		h.LastError, h.LastErrorHost, h.LastErrorAt = err, e.certname, now
	}

	st := Status{State: state, Err: err, Checked: now, Fetched: e.status.Fetched, Duration: duration}
	switch {
	case state == OK:
		e.node, st.Fetched = node, now
		e.expires = now.Add(r.opt.TTL)
	case e.node != nil:
		st.State = Stale
		e.expires = now.Add(r.opt.NegativeTTL)
	default:
		e.expires = now.Add(r.opt.NegativeTTL)
	}
	e.status = st
	served := e.node
	r.mu.Unlock()

	r.gen.Add(1)
	if r.opt.OnResult != nil {
		r.opt.OnResult(e.certname, served, st)
	}
}

// Generation counts stored answers; a reader that remembers it knows whether anything changed since.
func (r *Resolver) Generation() uint64 { return r.gen.Load() }

// Health returns the Resolver's counters.
func (r *Resolver) Health() Health {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.health
	h.InFlight = r.running
	h.Queued = len(r.first) + len(r.refresh)
	h.Cached = r.cached
	if n := h.Lookups(); n > 0 {
		h.AvgDuration = r.totalDur / time.Duration(n)
	}
	return h
}

// Close stops the workers, killing classifiers still running, and waits for them. Get keeps serving what is
// cached but starts no lookups.
func (r *Resolver) Close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	for _, e := range r.first {
		e.queued = false
	}
	for _, e := range r.refresh {
		e.queued = false
	}
	r.first, r.refresh = nil, nil
	r.wake.Broadcast()
	r.mu.Unlock()
	r.cancel()
	r.wg.Wait()
}
