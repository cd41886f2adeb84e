package tree

import (
	"errors"
	"fmt"
	"strings"

	"github.com/fleettop/fleettop/model/query"
)

// CarbonSeries chooses which series of the tree go to carbon and how carbon names them: under a prefix, only
// those the include patterns select and the exclude patterns do not, and the top-N tables' rows by rank when
// ranks are set. The zero value would push everything, unprefixed, under the rows' own keys; NewCarbonSeries
// makes one from the command line's choice.
type CarbonSeries struct {
	prefix           string // "" or dotted elements ending in "."
	include, exclude []*query.Pattern
	ranks            int
}

// allSeries is the whole tree as its own paths name it (AppendChanges, AppendPoints).
var allSeries = &CarbonSeries{}

// DefaultCarbonInclude is what carbon gets unless told otherwise: the group aggregates, the top-N tables
// (by rank) and fleettop's own health. The per-host series (fleet.*, about 23 a host) and the per-agent
// counters (agents.*, 7 an agent) grow with the fleet: include them by name.
var DefaultCarbonInclude = []string{RootGroups, RootTalkers, RootURLs, RootKeys, RootFleettop}

// DefaultCarbonRanks is the number of rank slots of each top-N table in carbon.
const DefaultCarbonRanks = 10

// CarbonSeriesBound is the most series a push with DefaultCarbonInclude creates for a fleet of groups groups
// with ranks rank slots: 23 per group, 19 of fleettop's own, and per rank 2 for each of the three talker
// tables, 9 for the URL table and 2 for the key table.
func CarbonSeriesBound(groups, ranks int) int {
	return len(groupMetrics)*groups + len(healthFigures) + ranks*(2*len(talkerTables)+3+len(urlStatusLeaves)+2)
}

// NewCarbonSeries checks and compiles a choice of series. prefix is dotted elements of [A-Za-z0-9_-] ("" for
// none); include and exclude are path globs (the syntax of draw's targets and graphite's find: *, ?, [...],
// {a,b} within an element) that select a node of the tree and everything below it: "groups" every group
// series, "fleet.web" every web host's, "fleet.*.db01" one host's, "*" all. nil include is
// DefaultCarbonInclude. ranks (0 to MaxRanks) names the top-N tables' rows talkers.src.rank.01 ... and leaves
// out the rest, so that the set of series does not change as the tables do; 0 pushes the rows under their own
// addresses, URLs and keys.
func NewCarbonSeries(prefix string, include, exclude []string, ranks int) (*CarbonSeries, error) {
	if err := checkPrefix(prefix); err != nil {
		return nil, err
	}
	if ranks < 0 || ranks > MaxRanks {
		return nil, fmt.Errorf("carbon ranks %d: want 0 to %d", ranks, MaxRanks)
	}
	if include == nil {
		include = DefaultCarbonInclude
	}
	if len(include) == 0 {
		return nil, errors.New("carbon include: no pattern, so nothing to push")
	}
	c := &CarbonSeries{ranks: ranks}
	if prefix != "" {
		c.prefix = prefix + "."
	}
	var err error
	if c.include, err = compilePatterns("include", include); err != nil {
		return nil, err
	}
	if c.exclude, err = compilePatterns("exclude", exclude); err != nil {
		return nil, err
	}
	return c, nil
}

func checkPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	for _, el := range strings.Split(prefix, ".") {
		if el == "" || !vocabulary(el) {
			return fmt.Errorf("carbon prefix %q: want dot-separated elements of A-Z a-z 0-9 _ -", prefix)
		}
	}
	return nil
}

func compilePatterns(what string, globs []string) ([]*query.Pattern, error) {
	ps := make([]*query.Pattern, 0, len(globs))
	for _, g := range globs {
		p, err := query.CompilePattern(g)
		if err != nil {
			return nil, fmt.Errorf("carbon %s %q: %w", what, g, err)
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// Prefix is the prefix carbon's paths start with, without its final dot.
func (c *CarbonSeries) Prefix() string { return strings.TrimSuffix(c.prefix, ".") }

// keep reports whether the series at the tree path goes to carbon.
func (c *CarbonSeries) keep(path []byte) bool {
	if c.include == nil && c.exclude == nil {
		return true
	}
	p := string(path)
	return selects(c.include, p) && !selects(c.exclude, p)
}

// selects reports whether one of the patterns matches path or one of its ancestors.
func selects(patterns []*query.Pattern, path string) bool {
	for _, p := range patterns {
		i := 0
		for el := range strings.SplitSeq(path, ".") {
			if i == p.Len() || !p.MatchElem(i, el) {
				break
			}
			i++
		}
		if i == p.Len() {
			return true
		}
	}
	return false
}

// name is carbon's path of the series at the tree path.
func (c *CarbonSeries) name(path []byte) string {
	if c.prefix == "" {
		return string(path)
	}
	return c.prefix + string(path)
}

// CollectorPrefix is the default carbon prefix of a collector on the host named hostname: "fleettop." and the
// host's short name (up to the first dot), lower-cased and escaped as a tree element; "fleettop.unknown"
// without a name.
func CollectorPrefix(hostname string) string {
	short, _, _ := strings.Cut(strings.ToLower(hostname), ".")
	if short == "" {
		short = "unknown"
	}
	return RootFleettop + "." + Escape(short)
}
