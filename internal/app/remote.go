package app

import (
	"context"
	"strconv"
	"time"

	"github.com/fleettop/fleettop/feeds/graphite"
	"github.com/fleettop/fleettop/model/query"
)

// remoteMaxPoints sizes graphite-web's answers to what a chart on a wide terminal can show.
const remoteMaxPoints = 400

// remoteSource serves graphite-web to the command language: whole targets go to /render, completion and
// find to /metrics/find. It implements query.Source and query.Renderer.
type remoteSource struct{ web *graphite.Web }

func (r remoteSource) Find(ctx context.Context, pattern string) ([]query.Node, error) {
	nodes, err := r.web.Find(ctx, pattern)
	if err != nil {
		return nil, err
	}
	out := make([]query.Node, len(nodes))
	for i, n := range nodes {
		out[i] = query.Node{Path: n.Path, Leaf: n.Leaf}
	}
	return out, nil
}

func (r remoteSource) Fetch(ctx context.Context, paths []string, from, until time.Time) ([]query.Series, error) {
	return r.render(ctx, paths, from, until)
}

func (r remoteSource) Render(ctx context.Context, target string, from, until time.Time) ([]query.Series, error) {
	return r.render(ctx, []string{target}, from, until)
}

func (r remoteSource) render(ctx context.Context, targets []string, from, until time.Time) ([]query.Series, error) {
	ss, err := r.web.Render(ctx, targets, strconv.FormatInt(from.Unix(), 10), strconv.FormatInt(until.Unix(), 10), remoteMaxPoints)
	if err != nil {
		return nil, err
	}
	out := make([]query.Series, len(ss))
	for i, s := range ss {
		out[i] = query.Series{Name: s.Name, Tags: s.Tags, Start: s.Start, Step: s.Step, Values: s.Values}
	}
	return out, nil
}
