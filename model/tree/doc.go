// Package tree gives every series of the model's Snapshots a Graphite path and serves them as a metric tree
// to the query language, and as points to carbon under the same paths.
//
// # Paths
//
// The full table is PATHS.md beside this file. In short:
//
//	fleet.<group>.<host>.<series>        a host's series: cpu.utilisation, http.status.5xx, memcache.hit_ratio, if.3.bytes_in, ...
//	groups.<group>.<metric>              group aggregates: cpu.utilisation, net.bytes_in, http.requests, http.5xx_pct, hosts, ...
//	talkers.pair.<src>.<dst>.bytes       top talkers by pair, and talkers.src.<src>.*, talkers.dst.<dst>.* (bytes, packets)
//	urls.<host>.<path>.rate              hottest URLs: rate, mean_ms, p95_ms, status.{1xx,...,5xx,other}
//	keys.<key>.rate                      hottest memcache keys: rate, hit_ratio
//	agents.<address>.<sub-agent>.lost    sFlow agents' counters
//	fleettop.ingest.datagrams_per_sec    fleettop's own figures: ingest.*, fleet.*, feeds.{enc,graphite,carbon}.ok
//
// <group> is the host's value of the current group-by ENC field ("unclassified" without one), so changing the
// group-by field moves every host to new paths and replaces groups.*: a window drawing fleet.web.* draws
// what is grouped as "web" now. A host's history follows it to its new path; group aggregates are kept per
// group-by field and come back when the field does. Pushed to carbon, the same paths keep the history of
// whatever grouping was current when each point was sent, so collect should keep one group-by field.
//
// Data elements (groups, host names, addresses, URL hosts and paths, memcache keys) are escaped with
// Escape, reversibly: letters, digits and '-' stay, '.' becomes "__", any other byte "_XX" (upper-case hex),
// and the empty string "_" ("web01.example.com" is web01__example__com, "10.0.0.1" is 10__0__0__1, "/api/v1"
// is _2Fapi_2Fv1). A host whose name is empty or claimed by several agents is <name>@<ID>, escaped. Metric
// names are fleettop's own vocabulary and are not escaped.
//
// # Tags
//
// Every series has the tag name (its path). A host's series also carry the host's ENC environment, classes
// (joined with ","), parameters, group and host (its name unescaped); a group's carry group. seriesByTag
// answers from them (FindTagged).
//
// # History
//
// A Snapshot carries its host and group series' last points (model.DefaultHistory, 15 minutes), the rest
// as single values. A Tree keeps more: points leaving the snapshots' window go into a ring per series
// covering Options.Retention (an hour by default) at the snapshot step (float32, as the model keeps them:
// 2.9 KB per series at 5 s), and single values are recorded at the step of each snapshot taken in (float64,
// so counters stay exact). The latest snapshot's own points are served as they are. Series that leave the
// snapshots stay listed for the retention; Options.MaxSeries bounds the memory.
package tree
