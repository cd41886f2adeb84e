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

	"github.com/fxamacker/cbor/v2"
)

// Version is the wire format's version: the v1 of the subjects and every message's V.
const Version = 1

// Subjects: fleettop.v1.<collector>.state every second, fleettop.v1.<collector>.series.<host> when a
// host's series changed.
const (
	SubjectPrefix = "fleettop.v1."
	AllSubjects   = SubjectPrefix + ">"
)

// StateSubject is the subject of a collector's state.
func StateSubject(collector string) string { return SubjectPrefix + collector + ".state" }

// SeriesSubject is the subject of one host's series; key is HostKey of its ID.
func SeriesSubject(collector, key string) string { return SubjectPrefix + collector + ".series." + key }

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
}

// Feed is model.FeedHealth.
type Feed struct {
	Configured bool   `cbor:"0,keyasint,omitempty"`
	OK         bool   `cbor:"1,keyasint,omitempty"`
	Summary    string `cbor:"2,keyasint,omitempty"`
	LastError  string `cbor:"3,keyasint,omitempty"`
	Good       int    `cbor:"4,keyasint,omitempty"` // attempts that succeeded (ENC lookups), of Total
	Total      int    `cbor:"5,keyasint,omitempty"`
}

// Host is model.HostRow without its series. Addresses are 4 or 16 bytes, empty when invalid.
type Host struct {
	ID           string            `cbor:"0,keyasint"`
	Name         string            `cbor:"1,keyasint"`
	UUID         string            `cbor:"2,keyasint,omitempty"`
	Agent        []byte            `cbor:"3,keyasint"`
	Group        string            `cbor:"4,keyasint"`
	State        uint8             `cbor:"5,keyasint"`
	LastSeen     int64             `cbor:"6,keyasint"`
	DupName      bool              `cbor:"7,keyasint,omitempty"`
	Parent       string            `cbor:"8,keyasint,omitempty"`
	OS           string            `cbor:"9,keyasint,omitempty"`
	Apps         []string          `cbor:"10,keyasint,omitempty"`
	ENCStatus    string            `cbor:"11,keyasint,omitempty"`
	Classes      []string          `cbor:"12,keyasint,omitempty"`
	Environment  string            `cbor:"13,keyasint,omitempty"`
	Params       map[string]string `cbor:"14,keyasint,omitempty"`
	CPU          float64           `cbor:"15,keyasint"`
	Load1        float64           `cbor:"16,keyasint"`
	MemUsedPct   float64           `cbor:"17,keyasint"`
	MemTotal     float64           `cbor:"18,keyasint"`
	DiskRead     float64           `cbor:"19,keyasint"`
	DiskWrite    float64           `cbor:"20,keyasint"`
	DiskUsedPct  float64           `cbor:"21,keyasint"`
	NetIn        float64           `cbor:"22,keyasint"`
	NetOut       float64           `cbor:"23,keyasint"`
	HTTPRate     float64           `cbor:"24,keyasint"`
	HTTP5xxPct   float64           `cbor:"25,keyasint"`
	MemcacheOps  float64           `cbor:"26,keyasint"`
	MemcacheHit  float64           `cbor:"27,keyasint"`
	JVMHeapUsed  float64           `cbor:"28,keyasint"`
	JVMGCRate    float64           `cbor:"29,keyasint"`
	MemcacheGets float64           `cbor:"30,keyasint"`
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

// Series is one host's series (fleettop.v1.<collector>.series.<HostKey>), published when any point changed.
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

// Limits of what a subscriber accepts in one message: every kind of state it keeps is bounded by them.
const (
	MaxHosts   = 100000 // hosts in one state
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

// Encode encodes a State or a Series.
func Encode(v any) ([]byte, error) { return encMode.Marshal(v) }

// ErrVersion is wrapped by the error of a message of another wire version.
var ErrVersion = errors.New("unsupported wire version")

// DecodeState decodes and checks a state message.
func DecodeState(b []byte) (*State, error) {
	if len(b) > MaxMessage {
		return nil, fmt.Errorf("state: %d bytes, more than %d", len(b), MaxMessage)
	}
	var s State
	if err := decMode.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	if s.V != Version {
		return nil, fmt.Errorf("state: version %d: %w", s.V, ErrVersion)
	}
	if err := CheckCollectorID(s.Collector); err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	switch {
	case s.Step <= 0 || s.Window <= 0:
		return nil, fmt.Errorf("state: step %d, window %d: want both positive", s.Step, s.Window)
	case s.Points < 0 || s.Points > MaxPoints:
		return nil, fmt.Errorf("state: %d points, want 0 to %d", s.Points, MaxPoints)
	case len(s.Hosts) > MaxHosts:
		return nil, fmt.Errorf("state: %d hosts, more than %d", len(s.Hosts), MaxHosts)
	case s.WindowEnd < s.WindowStart:
		return nil, fmt.Errorf("state: window ends before it starts")
	}
	for _, n := range []int{len(s.BySrc.Rows), len(s.ByDst.Rows), len(s.ByPair.Rows), len(s.URLs.Rows), len(s.Keys.Rows)} {
		if n > MaxRows {
			return nil, fmt.Errorf("state: a table of %d rows, more than %d", n, MaxRows)
		}
	}
	return &s, nil
}

// DecodeSeries decodes and checks a series message.
func DecodeSeries(b []byte) (*Series, error) {
	if len(b) > MaxMessage {
		return nil, fmt.Errorf("series: %d bytes, more than %d", len(b), MaxMessage)
	}
	var s Series
	if err := decMode.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("series: %w", err)
	}
	if s.V != Version {
		return nil, fmt.Errorf("series: version %d: %w", s.V, ErrVersion)
	}
	if err := CheckCollectorID(s.Collector); err != nil {
		return nil, fmt.Errorf("series: %w", err)
	}
	if s.Step <= 0 || len(s.Series) > MaxSeries {
		return nil, fmt.Errorf("series: step %d, %d series: want a positive step and at most %d", s.Step,
			len(s.Series), MaxSeries)
	}
	for _, n := range s.Series {
		for _, v := range n.Points {
			if math.IsInf(v, 0) {
				return nil, fmt.Errorf("series %s: infinite point", n.Name)
			}
		}
	}
	return &s, nil
}
