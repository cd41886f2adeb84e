// Package events evaluates the command line's thresholds on each snapshot and raises and clears events, with
// hysteresis, one per series a threshold's target expands to.
package events

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fleettop/fleettop/model/tree"
)

// Kind says whether an event raises or clears.
type Kind string

// The kinds of event.
const (
	Raised  Kind = "raised"  // the series stayed beyond the threshold for its `for`
	Cleared Kind = "cleared" // the series came back past the clear line, or has no data any more
)

// Event is one crossing of a threshold by one series. It encodes as one JSON object (the --on-event command's
// standard input), with times in RFC 3339.
type Event struct {
	Time      time.Time `json:"time"`      // the snapshot's time
	Kind      Kind      `json:"kind"`      // raised or cleared
	Threshold string    `json:"threshold"` // its name
	Target    string    `json:"target"`    // the threshold's target as typed
	Series    string    `json:"series"`    // the series of the target that crossed
	Group     string    `json:"group,omitempty"`
	Host      string    `json:"host,omitempty"`
	Value     float64   `json:"value"` // the series' value (0 with NoData)
	NoData    bool      `json:"no_data,omitempty"`
	Op        string    `json:"op"`         // the threshold's operator
	Line      float64   `json:"line"`       // the threshold's value
	ClearLine float64   `json:"clear_line"` // where the event clears
	// Since is when the series went beyond the line (raised) or was raised (cleared).
	Since time.Time `json:"since"`
}

// JSON is the event as one line of JSON.
func (e Event) JSON() []byte {
	b, err := json.Marshal(e)
	if err != nil { // only NaN or Inf values fail, and the engine raises none
		return []byte(`{"error":"event not encodable"}`)
	}
	return b
}

// Subject is what crossed: the host, the group, or else the series.
func (e Event) Subject() string {
	switch {
	case e.Host != "":
		return e.Group + "/" + e.Host
	case e.Group != "":
		return e.Group
	}
	return e.Series
}

// attribute finds the group and host a series belongs to from its path: groups.<group>.… is a group's,
// fleet.<group>.<host>.… a host's (model/tree's layout, elements unescaped; a host is its name, or name@ID).
// Series named by a function have neither.
func attribute(path string) (group, host string) {
	if strings.ContainsAny(path, "()*?[]{},| ") {
		return "", ""
	}
	parts := strings.SplitN(path, ".", 4)
	elem := func(e string) string {
		s, err := tree.Unescape(e)
		if err != nil {
			return e
		}
		return s
	}
	switch {
	case len(parts) >= 3 && parts[0] == tree.RootGroups:
		return elem(parts[1]), ""
	case len(parts) >= 4 && parts[0] == tree.RootHosts:
		return elem(parts[1]), elem(parts[2])
	}
	return "", ""
}

// String is the event as one line of text, as `fleettop collect` prints it:
// TIME raised|cleared THRESHOLD SUBJECT SERIES=VALUE OP LINE (clears at C).
func (e Event) String() string {
	value := strconv.FormatFloat(e.Value, 'g', 6, 64)
	if e.NoData {
		value = "no-data"
	}
	return fmt.Sprintf("%s %s %s %s %s=%s %s %s (clears at %s)", e.Time.UTC().Format(time.RFC3339), e.Kind,
		e.Threshold, e.Subject(), e.Series, value, e.Op, strconv.FormatFloat(e.Line, 'g', -1, 64),
		strconv.FormatFloat(e.ClearLine, 'g', -1, 64))
}
