package ui

import (
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/fleettop/fleettop/model"
)

// The render layer: Snapshot entries → pre-formatted rows. Nothing here paints; the tables only lay rows out.

func newRow(n int) row {
	r := row{cells: make([]string, n), tones: make([]tone, n), nums: make([]float64, n)}
	for i := range r.nums {
		r.nums[i] = math.NaN()
	}
	return r
}

// approxBand is the relative error bound above which a top-N figure is marked: the value shown is the weight
// that is certain, and the true one may be up to err more.
const approxBand = 0.02

// approx marks text with ≈ when the figure v may be more than approxBand below the truth.
func approx(text string, v, err float64) string {
	if err > approxBand*v {
		return "≈" + text
	}
	return text
}

// windowNote states the exact window of the top-N tables: "60 s to 12:00:05".
func windowNote(s *model.Snapshot) string {
	if s == nil || !s.WindowEnd.After(s.WindowStart) {
		return ""
	}
	return strconv.Itoa(int(s.WindowEnd.Sub(s.WindowStart).Round(time.Second)/time.Second)) + " s to " +
		s.WindowEnd.Format("15:04:05")
}

func (r *row) set(i int, text string, v float64, tn tone) {
	r.cells[i], r.nums[i], r.tones[i] = text, v, tn
}

func (r *row) spark(i int, pts []float64) {
	if r.sparks == nil {
		r.sparks = make([][]float64, len(r.cells))
	}
	r.sparks[i] = pts
}

func (r *row) finish(extra ...string) {
	var b strings.Builder
	for _, c := range r.cells {
		b.WriteString(c)
		b.WriteByte(' ')
	}
	for _, e := range extra {
		b.WriteString(e)
		b.WriteByte(' ')
	}
	r.search = strings.ToLower(b.String())
}

// Group table columns.
const (
	gName = iota
	gHosts
	gCPU
	gNetIn
	gNetOut
	gHTTP
	g5xx
	gMemc
	gHit
	gStale
	gCols
)

var groupCols = []column{
	gName:   {title: "group", width: 12, flex: true, text: true, keep: 100, grow: 8, most: 40},
	gHosts:  {title: "hosts", width: 5, right: true, keep: 90},
	gCPU:    {title: "cpu", width: 5, right: true, spark: true, keep: 80},
	gNetIn:  {title: "in B/s", width: 6, right: true, spark: true, keep: 70},
	gNetOut: {title: "out B/s", width: 7, right: true, spark: true, keep: 60},
	gHTTP:   {title: "http/s", width: 6, right: true, spark: true, keep: 75},
	g5xx:    {title: "5xx", width: 5, right: true, spark: true, keep: 65},
	gMemc:   {title: "mc op/s", width: 7, right: true, spark: true, keep: 50},
	gHit:    {title: "hit", width: 5, right: true, spark: true, keep: 45},
	gStale:  {title: "stale", width: 5, right: true, keep: 20},
}

func groupRows(s *model.Snapshot) []row {
	rows := make([]row, 0, len(s.Groups))
	for i := range s.Groups {
		g := &s.Groups[i]
		r := newRow(gCols)
		r.id = rowID("group", g.Name)
		r.key = g.Name
		name := sanitize(g.Name)
		nameTone := toneText
		if g.Name == model.Unclassified {
			nameTone = toneMuted
		}
		r.set(gName, name, 0, nameTone)
		r.set(gHosts, strconv.Itoa(g.Hosts), float64(g.Hosts), toneText)
		staleTone := toneMuted
		if g.StaleHosts > 0 {
			staleTone = toneWarn
		}
		r.set(gStale, strconv.Itoa(g.StaleHosts), float64(g.StaleHosts), staleTone)
		r.set(gCPU, pct(g.CPU), g.CPU, levelTone(g.CPU, 80, 95))
		r.set(gNetIn, bytesRate(g.NetIn), g.NetIn, toneText)
		r.set(gNetOut, bytesRate(g.NetOut), g.NetOut, toneText)
		r.set(gHTTP, si(g.HTTPRate), g.HTTPRate, toneText)
		r.set(g5xx, pct(g.HTTP5xxPct), g.HTTP5xxPct, levelTone(g.HTTP5xxPct, 1, 5))
		r.set(gMemc, si(g.MemcacheOps), g.MemcacheOps, toneText)
		r.set(gHit, pct(g.MemcacheHit), g.MemcacheHit, hitTone(g.MemcacheHit))
		h := &g.History
		r.spark(gCPU, h.CPU)
		r.spark(gNetIn, h.NetIn)
		r.spark(gNetOut, h.NetOut)
		r.spark(gHTTP, h.HTTPRate)
		r.spark(g5xx, h.HTTP5xxPct)
		r.spark(gMemc, h.MemcacheOps)
		r.spark(gHit, h.MemcacheHit)
		r.finish()
		rows = append(rows, r)
	}
	return rows
}

// levelTone colours a value that is bad when high.
func levelTone(v, warn, bad float64) tone {
	switch {
	case math.IsNaN(v):
		return toneMuted
	case v >= bad:
		return toneBad
	case v >= warn:
		return toneWarn
	}
	return toneText
}

// hitTone colours a cache hit ratio (percent) when it is low; a healthy ratio stays plain text, so colour in the
// tables always means "look here" (and a colour change costs the terminal an escape on every changed line).
func hitTone(v float64) tone {
	switch {
	case math.IsNaN(v):
		return toneMuted
	case v < 50:
		return toneBad
	case v < 80:
		return toneWarn
	}
	return toneText
}

// Talker table columns.
const (
	tWho = iota
	tGroup
	tProto
	tBytes
	tPkts
	tShare
	tErr
	tCols
)

// talkerMode says which top-talkers table is shown.
type talkerMode int

const (
	bySrc talkerMode = iota
	byDst
	byPair
)

func (m talkerMode) String() string {
	return [...]string{"by source", "by destination", "by pair"}[m]
}

func talkerCols(m talkerMode, arrow string) []column {
	who, grp, gw := "source", "group", 10
	switch m {
	case byDst:
		who = "destination"
	case byPair:
		who, grp, gw = "source "+arrow+" destination", "groups", 16
	}
	return []column{
		tWho:   {title: who, width: 16, flex: true, text: true, keep: 100, grow: 6, most: 56},
		tGroup: {title: grp, width: gw, text: true, keep: 60, grow: 4},
		tProto: {title: "proto", width: 9, text: true, keep: 30},
		tBytes: {title: "B/s", width: 7, right: true, keep: 95},
		tPkts:  {title: "pkt/s", width: 7, right: true, keep: 40},
		tShare: {title: "share", width: 6, right: true, keep: 90},
		tErr:   {title: "±B/s", width: 6, right: true, keep: 10},
	}
}

func endpoint(a netip.Addr, host string) string {
	if host != "" {
		return sanitize(host)
	}
	if a.IsValid() {
		return a.String()
	}
	return noValue
}

func groupName(g string) string {
	if g == "" {
		return noValue
	}
	return sanitize(g)
}

var protoNames = map[uint8]string{1: "icmp", 6: "tcp", 17: "udp", 58: "icmp6", 47: "gre", 50: "esp", 132: "sctp"}

func protoPort(t *model.TalkerRow, m talkerMode) string {
	p, ok := protoNames[t.Protocol]
	if !ok {
		p = strconv.Itoa(int(t.Protocol))
	}
	port := t.DstPort
	if m == bySrc && t.DstPort == 0 {
		port = t.SrcPort
	}
	if port == 0 {
		return p
	}
	return p + "/" + strconv.Itoa(int(port))
}

func talkerRows(list []model.TalkerRow, m talkerMode, arrow string) []row {
	rows := make([]row, 0, len(list))
	for i := range list {
		t := &list[i]
		r := newRow(tCols)
		src, dst := endpoint(t.Src, t.SrcHost), endpoint(t.Dst, t.DstHost)
		switch m {
		case bySrc:
			r.id = rowID("src", t.Src.String())
			r.set(tWho, src, 0, toneText)
			r.set(tGroup, groupName(t.SrcGroup), 0, toneMuted)
		case byDst:
			r.id = rowID("dst", t.Dst.String())
			r.set(tWho, dst, 0, toneText)
			r.set(tGroup, groupName(t.DstGroup), 0, toneMuted)
		case byPair:
			r.id = rowID("pair", t.Src.String(), t.Dst.String())
			r.set(tWho, src+" "+arrow+" "+dst, 0, toneText)
			r.set(tGroup, groupName(t.SrcGroup)+arrow+groupName(t.DstGroup), 0, toneMuted)
		}
		r.set(tProto, protoPort(t, m), float64(t.Protocol), toneMuted)
		r.set(tBytes, approx(bytesRate(t.Bytes), t.Bytes, t.ErrBytes), t.Bytes, toneText)
		r.set(tPkts, si(t.Packets), t.Packets, toneText)
		r.set(tShare, share(t.Share), t.Share, toneText)
		r.set(tErr, bytesRate(t.ErrBytes), t.ErrBytes, toneMuted)
		r.finish(t.Src.String(), t.Dst.String())
		rows = append(rows, r)
	}
	return rows
}

// URL table columns.
const (
	uURL = iota
	uGroup
	uRate
	uShare
	uErr
	uMix
	u5xx
	uMean
	uP95
	uServer
	uCols
)

var urlCols = []column{
	uURL:    {title: "url", width: 24, flex: true, text: true, keep: 100, grow: 16, most: 96},
	uGroup:  {title: "group", width: 10, text: true, keep: 60, grow: 4},
	uRate:   {title: "req/s", width: 7, right: true, keep: 95},
	uShare:  {title: "share", width: 6, right: true, keep: 85},
	uErr:    {title: "±req/s", width: 6, right: true, keep: 10},
	uMix:    {title: "2xx/3xx/4xx/5xx %", width: 17, text: true, keep: 50},
	u5xx:    {title: "5xx", width: 5, right: true, keep: 70},
	uMean:   {title: "mean", width: 7, right: true, keep: 40},
	uP95:    {title: "p95", width: 7, right: true, keep: 35},
	uServer: {title: "server", width: 14, text: true, keep: 20, grow: 6},
}

// statusMix is the share of 2xx..5xx answers as whole percents: "97/1/1/1".
func statusMix(st *[6]float64) string {
	var b []byte
	for c := 2; c <= 5; c++ {
		if c > 2 {
			b = append(b, '/')
		}
		b = strconv.AppendFloat(b, math.Round(st[c]*100), 'f', 0, 64)
	}
	return string(b)
}

func urlRows(list []model.URLRow, names map[string]string) []row {
	rows := make([]row, 0, len(list))
	for i := range list {
		u := &list[i]
		r := newRow(uCols)
		r.id = rowID("url", u.Host, u.Path)
		r.key = u.Server
		r.set(uURL, sanitize(u.Host+u.Path), 0, toneText)
		r.set(uGroup, groupName(u.Group), 0, toneMuted)
		r.set(uRate, approx(si(u.Rate), u.Rate, u.ErrRate), u.Rate, toneText)
		r.set(uShare, share(u.Share), u.Share, toneText)
		r.set(uErr, si(u.ErrRate), u.ErrRate, toneMuted)
		r.set(uMix, statusMix(&u.Status), u.Status[2], toneMuted)
		r.set(u5xx, share(u.Status[5]), u.Status[5]*100, levelTone(u.Status[5]*100, 1, 5))
		r.set(uMean, ms(u.MeanMS), u.MeanMS, toneText)
		r.set(uP95, ms(u.P95MS), u.P95MS, levelTone(u.P95MS, 500, 2000))
		r.set(uServer, serverName(u.Server, names), 0, toneMuted)
		r.finish()
		rows = append(rows, r)
	}
	return rows
}

func serverName(id string, names map[string]string) string {
	if n, ok := names[id]; ok && n != "" {
		return sanitize(n)
	}
	if id == "" {
		return noValue
	}
	return sanitize(id)
}

// Memcache key table columns.
const (
	kKey = iota
	kGroup
	kRate
	kShare
	kErr
	kHit
	kMix
	kServer
	kCols
)

var keyCols = []column{
	kKey:    {title: "key", width: 24, flex: true, text: true, keep: 100, grow: 10, most: 64},
	kGroup:  {title: "group", width: 10, text: true, keep: 60, grow: 4},
	kRate:   {title: "ops/s", width: 7, right: true, keep: 95},
	kShare:  {title: "share", width: 6, right: true, keep: 85},
	kErr:    {title: "±ops/s", width: 6, right: true, keep: 10},
	kHit:    {title: "hit", width: 5, right: true, keep: 80},
	kMix:    {title: "commands", width: 16, text: true, keep: 40},
	kServer: {title: "server", width: 14, text: true, keep: 20, grow: 6},
}

// cmdMix names the two commands with the largest shares: "get 90 set 10".
func cmdMix(c *[len(model.MemcacheCmds)]float64) string {
	first, second := -1, -1
	for i, v := range c {
		if !(v > 0) {
			continue
		}
		switch {
		case first < 0 || v > c[first]:
			first, second = i, first
		case second < 0 || v > c[second]:
			second = i
		}
	}
	if first < 0 {
		return noValue
	}
	s := model.MemcacheCmds[first] + " " + strconv.FormatFloat(math.Round(c[first]*100), 'f', 0, 64)
	if second >= 0 {
		s += " " + model.MemcacheCmds[second] + " " + strconv.FormatFloat(math.Round(c[second]*100), 'f', 0, 64)
	}
	return s
}

func keyRows(list []model.KeyRow, names map[string]string) []row {
	rows := make([]row, 0, len(list))
	for i := range list {
		k := &list[i]
		r := newRow(kCols)
		r.id = rowID("key", k.Key)
		r.key = k.Server
		r.set(kKey, sanitize(k.Key), 0, toneText)
		r.set(kGroup, groupName(k.Group), 0, toneMuted)
		r.set(kRate, approx(si(k.Rate), k.Rate, k.ErrRate), k.Rate, toneText)
		r.set(kShare, share(k.Share), k.Share, toneText)
		r.set(kErr, si(k.ErrRate), k.ErrRate, toneMuted)
		r.set(kHit, share(k.HitRatio), k.HitRatio*100, hitTone(k.HitRatio*100))
		r.set(kMix, cmdMix(&k.Cmds), 0, toneMuted)
		r.set(kServer, serverName(k.Server, names), 0, toneMuted)
		r.finish()
		rows = append(rows, r)
	}
	return rows
}

// Host table columns (drill-down into a group).
const (
	hName = iota
	hState
	hAgent
	hCPU
	hLoad
	hMem
	hNetIn
	hNetOut
	hHTTP
	h5xx
	hMemc
	hHit
	hEnv
	hClasses
	hParams
	hENC
	hCols
)

var hostCols = []column{
	hName:    {title: "host", width: 16, flex: true, text: true, keep: 100, grow: 4, most: 40},
	hState:   {title: "state", width: 5, text: true, keep: 70},
	hAgent:   {title: "agent", width: 15, text: true, keep: 40},
	hCPU:     {title: "cpu", width: 5, right: true, keep: 90},
	hLoad:    {title: "load", width: 5, right: true, keep: 50},
	hMem:     {title: "mem", width: 5, right: true, keep: 55},
	hNetIn:   {title: "in B/s", width: 6, right: true, keep: 60},
	hNetOut:  {title: "out B/s", width: 7, right: true, keep: 58},
	hHTTP:    {title: "http/s", width: 6, right: true, keep: 45},
	h5xx:     {title: "5xx", width: 5, right: true, keep: 35},
	hMemc:    {title: "mc op/s", width: 7, right: true, keep: 30},
	hHit:     {title: "hit", width: 5, right: true, keep: 25},
	hEnv:     {title: "env", width: 10, text: true, keep: 65},
	hClasses: {title: "classes", width: 18, text: true, keep: 62, grow: 20},
	hParams:  {title: "parameters", width: 20, text: true, keep: 63, grow: 20},
	hENC:     {title: "enc", width: 9, text: true, keep: 22},
}

var stateNames = [...]string{model.HostOK: "ok", model.HostStale: "stale", model.HostGone: "gone"}

func stateName(s model.HostState) (string, tone) {
	if int(s) >= len(stateNames) {
		return "?", toneWarn
	}
	switch s {
	case model.HostStale:
		return stateNames[s], toneWarn
	case model.HostGone:
		return stateNames[s], toneBad
	}
	return stateNames[s], toneGood
}

// paramsText renders ENC parameters as "k=v k=v", keys sorted.
func paramsText(p map[string]string) string { return strings.Join(paramsList(p), " ") }

func encTone(status string) tone {
	switch {
	case status == "ok":
		return toneGood
	case status == "" || status == "pending":
		return toneMuted
	case strings.HasPrefix(status, "failed"):
		return toneBad
	}
	return toneWarn
}

func hostRows(s *model.Snapshot, group string) []row {
	var rows []row
	for i := range s.Hosts {
		h := s.Hosts[i]
		if h.Group != group {
			continue
		}
		r := newRow(hCols)
		r.id = rowID("host", h.ID)
		r.key = h.ID
		name := sanitize(h.Name)
		if name == "" {
			name = sanitize(h.ID)
		}
		if h.DupName {
			name += " (dup)"
		}
		r.set(hName, name, 0, toneText)
		st, stTone := stateName(h.State)
		r.set(hState, st, float64(h.State), stTone)
		agent := noValue
		if h.Agent.IsValid() {
			agent = h.Agent.String()
		}
		r.set(hAgent, agent, 0, toneMuted)
		r.set(hCPU, pct(h.CPU), h.CPU, levelTone(h.CPU, 80, 95))
		r.set(hLoad, si(h.Load1), h.Load1, toneText)
		r.set(hMem, pct(h.MemUsedPct), h.MemUsedPct, levelTone(h.MemUsedPct, 85, 95))
		r.set(hNetIn, bytesRate(h.NetIn), h.NetIn, toneText)
		r.set(hNetOut, bytesRate(h.NetOut), h.NetOut, toneText)
		r.set(hHTTP, si(h.HTTPRate), h.HTTPRate, toneText)
		r.set(h5xx, pct(h.HTTP5xxPct), h.HTTP5xxPct, levelTone(h.HTTP5xxPct, 1, 5))
		r.set(hMemc, si(h.MemcacheOps), h.MemcacheOps, toneText)
		r.set(hHit, pct(h.MemcacheHit), h.MemcacheHit, hitTone(h.MemcacheHit))
		r.set(hEnv, groupName(h.Environment), 0, toneAccent)
		r.set(hClasses, sanitize(strings.Join(h.Classes, ",")), 0, toneText)
		r.set(hParams, paramsText(h.Params), 0, toneMuted)
		r.set(hENC, sanitize(h.ENCStatus), 0, encTone(h.ENCStatus))
		r.finish(h.ID, h.OS, strings.Join(h.Apps, " "))
		rows = append(rows, r)
	}
	return rows
}
