// Package natskv keeps what a team shares between dashboards — saved views, and any other kind of named
// document (thresholds) — in a JetStream key-value bucket instead of files: one key KIND.NAME per document,
// holding the bytes its file would hold.
//
// Reads never wait on the network: they come from a copy of the bucket that a watcher keeps up to date, so
// a dead or slow NATS never holds the screen. Writes wait OpTimeout at most, and fail at once while NATS is
// down. Health says which: up, or down since when and how old the copy is.
package natskv

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/fleettop/fleettop/internal/cluster"
	"github.com/fleettop/fleettop/model"
)

// Bounds of a bucket: a document is at most MaxValue bytes, the bucket at most MaxBytes (the local copy
// with it), and it keeps History revisions of each key (`nats kv history` shows what was overwritten).
const (
	DefaultBucket = "fleettop"
	MaxValue      = 1 << 20
	MaxBytes      = 64 << 20
	History       = 5
)

// OpTimeout bounds a write (and opening the bucket); the dashboard waits no longer for NATS.
const OpTimeout = 2 * time.Second

// retryEvery is how often the watcher checks the connection, and retries opening the bucket.
const retryEvery = 250 * time.Millisecond

var (
	// ErrNotFound is returned (wrapped) for a document the bucket does not hold.
	ErrNotFound = errors.New("not in the bucket")
	// ErrDown is returned (wrapped) by a write while NATS is down or the bucket not open.
	ErrDown = errors.New("NATS is down")
	// ErrStale is returned (wrapped) with what List and Get give while the copy may be out of date.
	ErrStale = errors.New("shared copy may be out of date")
)

var bucketName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// IsURL reports whether s names a NATS server rather than a directory.
func IsURL(s string) bool { return strings.HasPrefix(s, "nats://") || strings.HasPrefix(s, "tls://") }

// ParseURL splits nats://HOST:PORT[,nats://HOST:PORT...][/BUCKET] into the servers and the bucket
// (DefaultBucket when there is no path).
func ParseURL(s string) (servers, bucket string, err error) {
	i := strings.LastIndex(s, ",")
	u, err := url.Parse(s[i+1:])
	if err != nil || !IsURL(s) || u.Host == "" {
		return "", "", fmt.Errorf("%q: want nats://HOST:PORT[/BUCKET] or tls://HOST:PORT[/BUCKET]", s)
	}
	servers = strings.TrimSuffix(s, u.Path)
	bucket = strings.TrimPrefix(u.Path, "/")
	if bucket == "" {
		return servers, DefaultBucket, nil
	}
	if !bucketName.MatchString(bucket) {
		return "", "", fmt.Errorf("%q: bucket %q: want 1 to 64 of A-Z a-z 0-9 - _", s, bucket)
	}
	return servers, bucket, nil
}

// Doc is one document of the copy.
type Doc struct {
	Name     string
	Value    []byte
	Revision uint64
}

// Bucket is a bucket and the copy of it its watcher keeps.
type Bucket struct {
	conn   *cluster.Conn
	name   string
	cancel context.CancelFunc
	done   chan struct{}
	synced chan struct{} // closed once the copy was complete the first time

	mu       sync.Mutex
	kv       jetstream.KeyValue // nil until opened
	docs     map[string]Doc     // by key
	bytes    int
	current  bool      // the watcher runs and delivered every value
	copyTime time.Time // when the copy was last known to be current
	lastErr  string
	changes  uint64
}

// Open opens bucket over conn (creating it when missing) in the background, and keeps a copy of it until
// Close; Synced tells when the copy is complete.
func Open(conn *cluster.Conn, bucket string) *Bucket {
	ctx, cancel := context.WithCancel(context.Background())
	b := &Bucket{conn: conn, name: bucket, cancel: cancel, done: make(chan struct{}), synced: make(chan struct{}),
		docs: make(map[string]Doc)}
	go b.run(ctx)
	return b
}

// Close stops the watcher.
func (b *Bucket) Close() {
	b.cancel()
	<-b.done
}

// Name is the bucket's name.
func (b *Bucket) Name() string { return b.name }

// Synced is closed once the copy held every document of the bucket.
func (b *Bucket) Synced() <-chan struct{} { return b.synced }

// Changes counts the changes of the copy: what watches for updates polls.
func (b *Bucket) Changes() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.changes
}

// run opens the bucket and watches it, again after every reconnection (a restarted server, whose watchers
// are gone), until ctx is done.
func (b *Bucket) run(ctx context.Context) {
	defer close(b.done)
	t := time.NewTicker(retryEvery)
	defer t.Stop()
	for {
		if b.conn.NC.IsConnected() {
			if err := b.watch(ctx, t.C); err != nil {
				b.setErr(err)
			}
		}
		b.mu.Lock()
		b.current = false
		b.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// open returns the bucket, creating it when missing.
func (b *Bucket) open(ctx context.Context) (jetstream.KeyValue, error) {
	ctx, cancel := context.WithTimeout(ctx, OpTimeout)
	defer cancel()
	kv, err := b.conn.JS.KeyValue(ctx, b.name)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		kv, err = b.conn.JS.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: b.name,
			Description: "fleettop: what the team's dashboards share (views.NAME: saved views)",
			History:     History, MaxValueSize: MaxValue, MaxBytes: MaxBytes, Storage: jetstream.FileStorage})
	}
	if err != nil {
		return nil, fmt.Errorf("bucket %s: %w", b.name, err)
	}
	return kv, nil
}

// watch keeps the copy up to date until the connection drops or reconnects, or ctx is done.
func (b *Bucket) watch(ctx context.Context, tick <-chan time.Time) error {
	kv, err := b.open(ctx)
	if err != nil {
		return err
	}
	reconnects := b.conn.NC.Stats().Reconnects
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := kv.WatchAll(wctx)
	if err != nil {
		return fmt.Errorf("bucket %s: watch: %w", b.name, err)
	}
	defer w.Stop()
	b.mu.Lock()
	b.kv = kv
	b.mu.Unlock()
	fresh := map[string]Doc{} // the values of the first pass; nil once they are in
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick:
			if !b.conn.NC.IsConnected() || b.conn.NC.Stats().Reconnects != reconnects {
				return nil
			}
			if fresh == nil {
				b.mu.Lock()
				b.copyTime = time.Now()
				b.mu.Unlock()
			}
		case e, ok := <-w.Updates():
			if !ok {
				return fmt.Errorf("bucket %s: watcher stopped", b.name)
			}
			if e == nil { // every value delivered: the copy is the bucket (deletes missed while away included)
				b.replace(fresh)
				fresh = nil
				continue
			}
			if fresh != nil {
				if e.Operation() == jetstream.KeyValuePut {
					fresh[e.Key()] = Doc{Value: e.Value(), Revision: e.Revision()}
				}
				continue
			}
			b.apply(e.Key(), e.Value(), e.Revision(), e.Operation() == jetstream.KeyValuePut)
		}
	}
}

func (b *Bucket) replace(docs map[string]Doc) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.docs, b.bytes = docs, 0
	for _, d := range docs {
		b.bytes += len(d.Value)
	}
	b.current, b.copyTime, b.lastErr = true, time.Now(), ""
	b.changes++
	select {
	case <-b.synced:
	default:
		close(b.synced)
	}
}

// apply takes one change into the copy unless it knows a later revision of the key.
func (b *Bucket) apply(key string, value []byte, rev uint64, put bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	old, ok := b.docs[key]
	if ok && old.Revision >= rev {
		return
	}
	b.bytes -= len(old.Value)
	if put {
		b.docs[key] = Doc{Value: value, Revision: rev}
		b.bytes += len(value)
	} else {
		delete(b.docs, key)
	}
	b.changes++
}

func (b *Bucket) setErr(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lastErr = err.Error()
}

func key(kind, name string) (string, error) {
	if strings.HasSuffix(name, ".") || strings.HasPrefix(name, ".") || strings.Contains(name, "..") || name == "" {
		return "", fmt.Errorf("%s name %q: a shared name cannot start or end with '.' or hold '..'", kind, name)
	}
	return kind + "." + name, nil
}

// stale is nil while the copy is current, else why it may not be, wrapping ErrStale.
func (b *Bucket) stale() error {
	switch {
	case b.current:
		return nil
	case b.copyTime.IsZero():
		return fmt.Errorf("bucket %s not read yet (%s): %w", b.name, b.downReason(), ErrStale)
	}
	return fmt.Errorf("bucket %s as of %s (%s): %w", b.name, b.copyTime.Format("15:04:05"), b.downReason(), ErrStale)
}

func (b *Bucket) downReason() string {
	if h := b.conn.FeedHealth(); !h.OK {
		return h.Summary
	}
	if b.lastErr != "" {
		return b.lastErr
	}
	return "reconnecting"
}

// Get is the document kind/name of the copy; with a stale copy, it comes with an error wrapping ErrStale.
func (b *Bucket) Get(kind, name string) (Doc, error) {
	k, err := key(kind, name)
	if err != nil {
		return Doc{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	d, ok := b.docs[k]
	stale := b.stale()
	if !ok {
		return Doc{}, errors.Join(fmt.Errorf("%s %s: %w", kind, name, ErrNotFound), stale)
	}
	d.Name = name
	return d, stale
}

// List is every document of a kind in the copy, sorted by name; with a stale copy, they come with an error
// wrapping ErrStale.
func (b *Bucket) List(kind string) ([]Doc, error) {
	prefix := kind + "."
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []Doc
	for k, d := range b.docs {
		if name, ok := strings.CutPrefix(k, prefix); ok {
			d.Name = name
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, b.stale()
}

// writable returns the bucket, or why it cannot be written now (wrapping ErrDown) without waiting.
func (b *Bucket) writable() (jetstream.KeyValue, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.conn.NC.IsConnected() || b.kv == nil {
		return nil, fmt.Errorf("bucket %s: %s: %w", b.name, b.downReason(), ErrDown)
	}
	return b.kv, nil
}

// Put stores a document, waiting OpTimeout at most.
func (b *Bucket) Put(kind, name string, value []byte) error {
	k, err := key(kind, name)
	if err != nil {
		return err
	}
	if len(value) > MaxValue {
		return fmt.Errorf("%s %s: %d bytes, more than %d", kind, name, len(value), MaxValue)
	}
	kv, err := b.writable()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), OpTimeout)
	defer cancel()
	rev, err := kv.Put(ctx, k, value)
	if err != nil {
		return fmt.Errorf("bucket %s: put %s: %w", b.name, k, err)
	}
	b.apply(k, value, rev, true) // the watcher brings it too: the copy has it at once
	return nil
}

// Delete removes a document (ErrNotFound when the copy does not hold it), waiting OpTimeout at most.
func (b *Bucket) Delete(kind, name string) error {
	k, err := key(kind, name)
	if err != nil {
		return err
	}
	b.mu.Lock()
	old, ok := b.docs[k]
	b.mu.Unlock()
	if !ok {
		return fmt.Errorf("%s %s: %w", kind, name, ErrNotFound)
	}
	kv, err := b.writable()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), OpTimeout)
	defer cancel()
	if err := kv.Delete(ctx, k, jetstream.LastRevision(old.Revision)); err != nil {
		return fmt.Errorf("bucket %s: delete %s (changed meanwhile?): %w", b.name, k, err)
	}
	b.apply(k, nil, old.Revision+1, false)
	return nil
}

// Health is the bucket's state for the status line: up with the number of documents, or down (or not yet
// read) with the age of the copy.
func (b *Bucket) Health() model.FeedHealth {
	b.mu.Lock()
	defer b.mu.Unlock()
	h := model.FeedHealth{Configured: true, OK: b.current}
	if b.current {
		h.Summary = fmt.Sprintf("bucket %s: %d shared", b.name, len(b.docs))
		return h
	}
	err := b.stale()
	h.Summary, h.LastError = strings.TrimSuffix(err.Error(), ": "+ErrStale.Error()), b.lastErr
	if h.LastError == "" {
		h.LastError = b.conn.FeedHealth().LastError
	}
	return h
}
