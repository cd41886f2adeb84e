// Package cluster lets several collectors make one dashboard over NATS: each collector publishes its mergeable
// summaries every second (Publisher), a JetStream stream keeps the last one of each subject for a dashboard
// that starts later, and a subscriber merges every collector's into one model.Snapshot (Merge, Subscriber).
//
// The wire format is CBOR (RFC 8949) with integer map keys, specified in CDDL in wire.cddl beside this file.
// CBOR because it is a standard, schema'd binary encoding with decoders in every language, carries NaN (a
// missing point) and shortest-form floats natively, and needs no code generator in the build (protobuf
// would); the Go structs below are the schema's one implementation and wire_test.go checks them against it.
package cluster

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// Version is the wire format's version: the v2 of the subjects and every message's V. Version 2 moved what
// describes a host (ENC fields, OS, UUID, parent) out of the state into Info messages sent when it changes,
// and sends a host's series as Delta messages between keyframes.
const Version = 2

// Subjects: fleettop.v2.<collector>.state every second; per host (by HostKey) .info.<host> when what
// describes it changed, .series.<host> (a keyframe: the whole series) and .delta.<host> (the points that
// differ from the keyframe) when its series changed.
const (
	SubjectPrefix = "fleettop.v2."
	AllSubjects   = SubjectPrefix + ">"
)

// StateSubject is the subject of a collector's state.
func StateSubject(collector string) string { return SubjectPrefix + collector + ".state" }

// SeriesSubject is the subject of one host's keyframes; key is HostKey of its ID.
func SeriesSubject(collector, key string) string { return SubjectPrefix + collector + ".series." + key }

// DeltaSubject is the subject of one host's deltas.
func DeltaSubject(collector, key string) string { return SubjectPrefix + collector + ".delta." + key }

// InfoSubject is the subject of what describes one host.
func InfoSubject(collector, key string) string { return SubjectPrefix + collector + ".info." + key }

// HostKey turns a host ID (which holds dots, slashes and colons) into a subject token: FNV-1a 64 in hex.
func HostKey(id string) string {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint64(id[i])) * 1099511628211
	}
	return fmt.Sprintf("%016x", h)
}

var collectorID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// CheckCollectorID accepts IDs of 1 to 64 letters, digits, '-' and '_': one subject token.
func CheckCollectorID(id string) error {
	if !collectorID.MatchString(id) {
		return fmt.Errorf("collector id %q: want 1 to 64 of A-Z a-z 0-9 - _", id)
	}
	return nil
}

// State is a collector's summary at one publish, everything but the hosts' series. Times are Unix ns (0: none),
// durations ns, rates per second as in model.Snapshot.
type State struct {
	V           int      `cbor:"0,keyasint"`
	Collector   string   `cbor:"1,keyasint"`
	Start       int64    `cbor:"2,keyasint"` // when the collector process started: a restart changes it
	Seq         uint64   `cbor:"3,keyasint"` // 1, 2, ... per publish of this process
	Time        int64    `cbor:"4,keyasint"`
	Window      int64    `cbor:"5,keyasint"`
	WindowStart int64    `cbor:"6,keyasint"`
	WindowEnd   int64    `cbor:"7,keyasint"`
	Horizon     int64    `cbor:"8,keyasint"`
	Step        int64    `cbor:"9,keyasint"`
	Points      int      `cbor:"10,keyasint"` // length of every host series
	GroupBy     string   `cbor:"11,keyasint"`
	Fields      []string `cbor:"12,keyasint,omitempty"`
	Health      Health   `cbor:"13,keyasint"`
	Hosts       []Host   `cbor:"14,keyasint,omitempty"`
	Agents      []Agent  `cbor:"15,keyasint,omitempty"`
	BySrc       Talkers  `cbor:"16,keyasint"`
	ByDst       Talkers  `cbor:"17,keyasint"`
	ByPair      Talkers  `cbor:"18,keyasint"`
	URLs        URLs     `cbor:"19,keyasint"`
	Keys        Keys     `cbor:"20,keyasint"`
	Devices     []Host   `cbor:"21,keyasint,omitempty"` // network devices (model.Snapshot.Devices), each with its Device
}

// Health is model.Health's counters and feeds.
type Health struct {
	Datagrams       uint64  `cbor:"0,keyasint"`
	DatagramsPerSec float64 `cbor:"1,keyasint"`
	QueueDrops      uint64  `cbor:"2,keyasint"`
	Lost            uint64  `cbor:"3,keyasint"`
	Duplicates      uint64  `cbor:"4,keyasint"`
	Restarts        uint64  `cbor:"5,keyasint"`
	SampleDrops     uint64  `cbor:"6,keyasint"`
	LostSamples     uint64  `cbor:"7,keyasint"`
	DecodeErrors    uint64  `cbor:"8,keyasint"`
	UnknownRecords  uint64  `cbor:"9,keyasint"`
	Disallowed      uint64  `cbor:"10,keyasint"`
	RecvBuffer      int     `cbor:"11,keyasint"`
	ENC             Feed    `cbor:"12,keyasint"`
	Graphite        Feed    `cbor:"13,keyasint"`
	Carbon          Feed    `cbor:"14,keyasint"`
	KernelDrops     uint64  `cbor:"15,keyasint,omitempty"`
}

// Feed is model.FeedHealth.
type Feed struct {
	Configured bool   `cbor:"0,keyasint,omitempty"`
	OK         bool   `cbor:"1,keyasint,omitempty"`
	Summary    string `cbor:"2,keyasint,omitempty"`
	LastError  string `cbor:"3,keyasint,omitempty"`
	// LastDuration (ns), Succeeded and Failed were added in the same version without breaking it: a reader
	// that does not know them skips them.
	LastDuration time.Duration `cbor:"4,keyasint,omitempty"`
	Succeeded    uint64        `cbor:"5,keyasint,omitempty"`
	Failed       uint64        `cbor:"6,keyasint,omitempty"`
	// Good of Total attempts succeeded (ENC lookups answered), for a proportional state.
	Good  int `cbor:"7,keyasint,omitempty"`
	Total int `cbor:"8,keyasint,omitempty"`
}

// Host is model.HostRow without its series and what Info carries (keys 2 and 8 to 14 were those fields in
// version 1). Addresses are 4 or 16 bytes, empty when invalid.
type Host struct {
	ID           string  `cbor:"0,keyasint"`
	Name         string  `cbor:"1,keyasint"`
	Agent        []byte  `cbor:"3,keyasint"`
	Group        string  `cbor:"4,keyasint"`
	State        uint8   `cbor:"5,keyasint"`
	LastSeen     int64   `cbor:"6,keyasint"`
	DupName      bool    `cbor:"7,keyasint,omitempty"`
	CPU          float64 `cbor:"15,keyasint"`
	Load1        float64 `cbor:"16,keyasint"`
	MemUsedPct   float64 `cbor:"17,keyasint"`
	MemTotal     float64 `cbor:"18,keyasint"`
	DiskRead     float64 `cbor:"19,keyasint"`
	DiskWrite    float64 `cbor:"20,keyasint"`
	DiskUsedPct  float64 `cbor:"21,keyasint"`
	NetIn        float64 `cbor:"22,keyasint"`
	NetOut       float64 `cbor:"23,keyasint"`
	HTTPRate     float64 `cbor:"24,keyasint"`
	HTTP5xxPct   float64 `cbor:"25,keyasint"`
	MemcacheOps  float64 `cbor:"26,keyasint"`
	MemcacheHit  float64 `cbor:"27,keyasint"`
	JVMHeapUsed  float64 `cbor:"28,keyasint"`
	JVMGCRate    float64 `cbor:"29,keyasint"`
	MemcacheGets float64 `cbor:"30,keyasint"`
	JVM          *JVM    `cbor:"31,keyasint,omitempty"`
	Device       *Device `cbor:"32,keyasint,omitempty"` // a network device: listed in State.Devices
}

// Info is what describes one host and seldom changes (fleettop.v2.<collector>.info.<HostKey>): the ENC's
// answer, the OS and applications, the UUID and parent from host_descr. It is published when it changed (and
// at least every StreamMaxAge/4, so that the stream always holds it).
type Info struct {
	V           int               `cbor:"0,keyasint"`
	Collector   string            `cbor:"1,keyasint"`
	Start       int64             `cbor:"2,keyasint"`
	Seq         uint64            `cbor:"3,keyasint"`
	Host        string            `cbor:"4,keyasint"` // the host's ID
	UUID        string            `cbor:"5,keyasint,omitempty"`
	Parent      string            `cbor:"6,keyasint,omitempty"`
	OS          string            `cbor:"7,keyasint,omitempty"`
	Apps        []string          `cbor:"8,keyasint,omitempty"`
	ENCStatus   string            `cbor:"9,keyasint,omitempty"`
	Classes     []string          `cbor:"10,keyasint,omitempty"`
	Environment string            `cbor:"11,keyasint,omitempty"`
	Params      map[string]string `cbor:"12,keyasint,omitempty"`
}

// Agent is model.AgentRow.
type Agent struct {
	Addr            []byte  `cbor:"0,keyasint"`
	SubAgent        uint32  `cbor:"1,keyasint"`
	Datagrams       uint64  `cbor:"2,keyasint"`
	DatagramsPerSec float64 `cbor:"3,keyasint"`
	Samples         uint64  `cbor:"4,keyasint"`
	Lost            uint64  `cbor:"5,keyasint"`
	Duplicates      uint64  `cbor:"6,keyasint"`
	Restarts        uint64  `cbor:"7,keyasint"`
	DecodeErrors    uint64  `cbor:"8,keyasint"`
	UnknownRecords  uint64  `cbor:"9,keyasint"`
	SampleDrops     uint64  `cbor:"10,keyasint"`
	LostSamples     uint64  `cbor:"11,keyasint"`
	DeclaredRate    float64 `cbor:"12,keyasint"`
	EffectiveRate   float64 `cbor:"13,keyasint"`
	LastSeen        int64   `cbor:"14,keyasint"`
}

// Bound is model.TableBound.
type Bound struct {
	Total    float64 `cbor:"0,keyasint"`
	Unlisted float64 `cbor:"1,keyasint"`
}

// Talkers is one talker table: rows ranked as the collector showed them, and its bound.
type Talkers struct {
	Rows  []Talker `cbor:"0,keyasint,omitempty"`
	Bound Bound    `cbor:"1,keyasint"`
}

// Talker is model.TalkerRow without Share (recomputed from the merged total).
type Talker struct {
	Src      []byte  `cbor:"0,keyasint,omitempty"`
	Dst      []byte  `cbor:"1,keyasint,omitempty"`
	SrcGroup string  `cbor:"2,keyasint,omitempty"`
	DstGroup string  `cbor:"3,keyasint,omitempty"`
	SrcHost  string  `cbor:"4,keyasint,omitempty"`
	DstHost  string  `cbor:"5,keyasint,omitempty"`
	Protocol uint8   `cbor:"6,keyasint"`
	SrcPort  uint16  `cbor:"7,keyasint"`
	DstPort  uint16  `cbor:"8,keyasint"`
	Bytes    float64 `cbor:"9,keyasint"`
	Packets  float64 `cbor:"10,keyasint"`
	ErrBytes float64 `cbor:"11,keyasint"`
}

// URLs is the URL table.
type URLs struct {
	Rows  []URL `cbor:"0,keyasint,omitempty"`
	Bound Bound `cbor:"1,keyasint"`
}

// URL is model.URLRow without Share.
type URL struct {
	Host    string     `cbor:"0,keyasint"`
	Path    string     `cbor:"1,keyasint"`
	Server  string     `cbor:"2,keyasint,omitempty"`
	Group   string     `cbor:"3,keyasint,omitempty"`
	Rate    float64    `cbor:"4,keyasint"`
	Status  [6]float64 `cbor:"5,keyasint"`
	MeanMS  float64    `cbor:"6,keyasint"`
	P95MS   float64    `cbor:"7,keyasint"`
	ErrRate float64    `cbor:"8,keyasint"`
}

// Keys is the memcache key table.
type Keys struct {
	Rows  []Key `cbor:"0,keyasint,omitempty"`
	Bound Bound `cbor:"1,keyasint"`
}

// Key is model.KeyRow without Share.
type Key struct {
	Key      string    `cbor:"0,keyasint"`
	Server   string    `cbor:"1,keyasint,omitempty"`
	Group    string    `cbor:"2,keyasint,omitempty"`
	Rate     float64   `cbor:"3,keyasint"`
	HitRatio float64   `cbor:"4,keyasint"`
	Cmds     []float64 `cbor:"5,keyasint"`
	ErrRate  float64   `cbor:"6,keyasint"`
}

// Series is a keyframe of one host's series (fleettop.v2.<collector>.series.<HostKey>): every point, published
// when the points changed and no delta is due (see Delta), or when the series themselves changed.
type Series struct {
	V         int     `cbor:"0,keyasint"`
	Collector string  `cbor:"1,keyasint"`
	Start     int64   `cbor:"2,keyasint"`
	Seq       uint64  `cbor:"3,keyasint"` // the Seq of the state published with it
	Host      string  `cbor:"4,keyasint"` // the host's ID
	Step      int64   `cbor:"5,keyasint"`
	LastBin   int64   `cbor:"6,keyasint"` // the step of the last point: Unix ns / Step
	Series    []Named `cbor:"7,keyasint,omitempty"`
}

// Named is model.NamedSeries.
type Named struct {
	Name   string    `cbor:"0,keyasint"`
	Unit   string    `cbor:"1,keyasint,omitempty"`
	Points []float64 `cbor:"2,keyasint"`
}

// Delta is the points of one host's series that differ from its keyframe (Base), published when they changed
// (fleettop.v2.<collector>.delta.<HostKey>): for each series of the keyframe, in its order, the points of the
// steps FirstBin to LastBin. The series are the keyframe's points moved to end in LastBin, with these in
// place of theirs. A delta holds every change since its keyframe, not since the last delta: the stream keeps
// the last keyframe and the last delta of each host, which make the series whole for a dashboard that starts.
type Delta struct {
	V         int         `cbor:"0,keyasint"`
	Collector string      `cbor:"1,keyasint"`
	Start     int64       `cbor:"2,keyasint"`
	Seq       uint64      `cbor:"3,keyasint"`
	Host      string      `cbor:"4,keyasint"`
	Base      uint64      `cbor:"5,keyasint"` // the Seq of the keyframe it changes
	Step      int64       `cbor:"6,keyasint"`
	FirstBin  int64       `cbor:"7,keyasint"`
	LastBin   int64       `cbor:"8,keyasint"`
	Points    [][]float64 `cbor:"9,keyasint"`
}

// Limits of what a subscriber accepts in one message: every kind of state it keeps is bounded by them.
const (
	MaxHosts   = 100000 // hosts and devices in one state
	MaxIfaces  = 4096   // interfaces of one device (model.DefaultMaxSourcesPerAgent)
	MaxRows    = 10000  // rows in one table
	MaxPoints  = 100000 // points in one series
	MaxSeries  = 4096   // series of one host
	MaxMessage = 64 << 20
)

var (
	encMode cbor.EncMode
	decMode cbor.DecMode
)

func init() {
	eo := cbor.CoreDetEncOptions() // deterministic: equal summaries encode to equal bytes
	eo.ShortestFloat = cbor.ShortestFloat16
	eo.NaNConvert = cbor.NaNConvert7e00
	eo.InfConvert = cbor.InfConvertFloat16
	var err error
	if encMode, err = eo.EncMode(); err != nil {
		panic(err)
	}
	do := cbor.DecOptions{MaxArrayElements: MaxPoints + 1, MaxMapPairs: 1 << 16, MaxNestedLevels: 16,
		DupMapKey: cbor.DupMapKeyEnforcedAPF}
	if decMode, err = do.DecMode(); err != nil {
		panic(err)
	}
}

// Encode encodes a State, Series, Delta or Info.
func Encode(v any) ([]byte, error) { return encMode.Marshal(v) }

// ErrVersion is wrapped by the error of a message of another wire version.
var ErrVersion = errors.New("unsupported wire version")

// decode decodes message b of kind what into v and checks its version and collector.
func decode(what string, b []byte, v any, version *int, collector *string) error {
	if len(b) > MaxMessage {
		return fmt.Errorf("%s: %d bytes, more than %d", what, len(b), MaxMessage)
	}
	if err := decMode.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if *version != Version {
		return fmt.Errorf("%s: version %d: %w", what, *version, ErrVersion)
	}
	if err := CheckCollectorID(*collector); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// DecodeState decodes and checks a state message.
func DecodeState(b []byte) (*State, error) {
	var s State
	if err := decode("state", b, &s, &s.V, &s.Collector); err != nil {
		return nil, err
	}
	switch {
	case s.Step <= 0 || s.Window <= 0:
		return nil, fmt.Errorf("state: step %d, window %d: want both positive", s.Step, s.Window)
	case s.Points < 0 || s.Points > MaxPoints:
		return nil, fmt.Errorf("state: %d points, want 0 to %d", s.Points, MaxPoints)
	case len(s.Hosts)+len(s.Devices) > MaxHosts:
		return nil, fmt.Errorf("state: %d hosts and %d devices, more than %d", len(s.Hosts), len(s.Devices), MaxHosts)
	case s.WindowEnd < s.WindowStart:
		return nil, fmt.Errorf("state: window ends before it starts")
	}
	for _, d := range s.Devices {
		if d.Device == nil {
			return nil, fmt.Errorf("state: device %q without its interfaces", d.ID)
		}
		if n := len(d.Device.Interfaces); n > MaxIfaces {
			return nil, fmt.Errorf("state: device %q with %d interfaces, more than %d", d.ID, n, MaxIfaces)
		}
	}
	for _, n := range []int{len(s.BySrc.Rows), len(s.ByDst.Rows), len(s.ByPair.Rows), len(s.URLs.Rows), len(s.Keys.Rows)} {
		if n > MaxRows {
			return nil, fmt.Errorf("state: a table of %d rows, more than %d", n, MaxRows)
		}
	}
	return &s, nil
}

// DecodeSeries decodes and checks a keyframe.
func DecodeSeries(b []byte) (*Series, error) {
	var s Series
	if err := decode("series", b, &s, &s.V, &s.Collector); err != nil {
		return nil, err
	}
	if s.Step <= 0 || len(s.Series) > MaxSeries {
		return nil, fmt.Errorf("series: step %d, %d series: want a positive step and at most %d", s.Step,
			len(s.Series), MaxSeries)
	}
	for _, n := range s.Series {
		if err := finite(n.Points); err != nil {
			return nil, fmt.Errorf("series %s: %w", n.Name, err)
		}
	}
	return &s, nil
}

// DecodeDelta decodes and checks a delta.
func DecodeDelta(b []byte) (*Delta, error) {
	var d Delta
	if err := decode("delta", b, &d, &d.V, &d.Collector); err != nil {
		return nil, err
	}
	span := d.LastBin - d.FirstBin + 1
	if d.Step <= 0 || len(d.Points) > MaxSeries || span < 0 || span > MaxPoints {
		return nil, fmt.Errorf("delta: step %d, %d series, steps %d to %d: want a positive step, at most %d series "+
			"and 0 to %d steps", d.Step, len(d.Points), d.FirstBin, d.LastBin, MaxSeries, MaxPoints)
	}
	for i, pts := range d.Points {
		if int64(len(pts)) != span {
			return nil, fmt.Errorf("delta: series %d has %d points for %d steps", i, len(pts), span)
		}
		if err := finite(pts); err != nil {
			return nil, fmt.Errorf("delta: series %d: %w", i, err)
		}
	}
	return &d, nil
}

// DecodeInfo decodes and checks an info message.
func DecodeInfo(b []byte) (*Info, error) {
	var in Info
	if err := decode("info", b, &in, &in.V, &in.Collector); err != nil {
		return nil, err
	}
	return &in, nil
}

// finite rejects infinite points (NaN is a missing point).
func finite(pts []float64) error {
	for _, v := range pts {
		if math.IsInf(v, 0) {
			return errors.New("infinite point")
		}
	}
	return nil
}
