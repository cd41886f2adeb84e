package app

import (
	"fmt"
	"time"

	"github.com/fleettop/fleettop/internal/cluster"
	"github.com/fleettop/fleettop/internal/natskv"
	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/model/query"
	"github.com/fleettop/fleettop/model/views"
)

// openViews opens the store of saved views where names: a directory ("" is views.DefaultDir), or a NATS
// key-value bucket (see Config.Views), opened once per App and closed with it. Problems that leave the store
// usable (temporary files not removed, NATS not reached yet) come back as notices.
func (a *App) openViews(where string) (query.ViewStore, []string, error) {
	if natskv.IsURL(where) {
		return a.sharedViews(where)
	}
	if where == "" {
		d, err := views.DefaultDir()
		if err != nil {
			return nil, nil, err
		}
		where = d
	}
	store, err := views.Open(where) // removes what saves killed mid-write left
	if err != nil {
		return store, []string{err.Error()}, nil
	}
	return store, nil, nil
}

// sharedSyncWait is how long opening shared views waits for the bucket's first reading, so that a script's
// first `load` finds the views; NATS not answering by then is a notice, and the views come when it does.
const sharedSyncWait = natskv.OpTimeout

func (a *App) sharedViews(url string) (query.ViewStore, []string, error) {
	if a.cl.views != nil {
		return natskv.Views{B: a.cl.views}, nil, nil
	}
	servers, bucket, err := natskv.ParseURL(url)
	if err != nil {
		return nil, nil, fmt.Errorf("--views: %w", err)
	}
	conn, err := cluster.Connect(a.cfg.Cluster.connOptions(servers, "fleettop views"))
	if err != nil {
		return nil, nil, fmt.Errorf("--views: %w", err)
	}
	a.cl.conns = append(a.cl.conns, conn)
	a.cl.views = natskv.Open(conn, bucket)
	var notices []string
	select {
	case <-a.cl.views.Synced():
	case <-time.After(sharedSyncWait):
		notices = append(notices, "views: "+a.cl.views.Health().Summary)
	}
	return natskv.Views{B: a.cl.views}, notices, nil
}

// sharedViewsView is a view whose snapshots say how the shared views' bucket is.
type sharedViewsView struct {
	view
	bucket *natskv.Bucket
}

func (v sharedViewsView) Snapshot() *model.Snapshot {
	s := v.view.Snapshot()
	if s == nil {
		return nil
	}
	c := *s
	c.Health.Views = v.bucket.Health()
	return &c
}
