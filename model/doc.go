// Package model owns the fleet state: hosts joined with their ENC nodes, counter series, top-N tables and loss
// accounting, published as immutable Snapshots.
//
// Concurrency. A Fleet is cut into shards by agent address, each behind its own mutex. Ingest (from any number
// of decoding workers; Fleet is an sflow.Sink) locks the one shard of the datagram's agent, copies only what it
// keeps and allocates nothing in steady state. Publish, called by Run at a bounded rate, copies each shard out
// in turn and builds a Snapshot; Snapshot() returns the latest through an atomic pointer and never waits.
// Every method takes the time it is called at: Publish's now must come from the clock of the Ingest times
// (wall time live, capture time in a replay).
//
// Identity. A host is a data source that sends host_descr, identified by its agent address and UUID (or data
// source when the UUID is zero); the hostname is a label, and hosts sharing one are flagged DupName. A source
// with host_parent is a VM or container of the host it names. Applications (mod-sflow ds 3:<port>, memcached
// ds 3:65537, JVM sub-agent 200000, hsflowd apps), interfaces and other counters join the host named by their
// host_parent, else the physical host of their agent address, else a device host standing for that address.
// A device host with interfaces and other counters only (a switch) is a network device: listed in
// Snapshot.Devices with its interfaces, not among the hosts, and in no group (devices.go).
// Datagram sequences are tracked per agent address, sub-agent and UDP source port, so two processes that both
// call themselves sub-agent 0 do not look like losses; a datagram up to 64 behind the newest is a late one
// (taken back from the loss count), further back or with the uptime going back is a restart.
//
// Counters. Rates come from deltas between consecutive counter samples of a data source over the agent's
// uptime (wall time across sub-agents): 32-bit counters wrap once, a counter that goes back or a sample
// sequence that goes back is a discontinuity (no rate for that interval, never a negative one), and the
// "unavailable" maximum values are no data. Series keep one float32 point per Options.Step for
// Options.History; a rate fills the steps of the interval it was measured over.
//
// Top-N. Talkers (by source, destination and pair; bytes = frame length × sampling rate), URLs (host + path)
// and memcache keys are counted in model/topk Filtered Space-Saving sketches, Options.Capacity keys per table,
// time bucket (Options.Window / Options.Buckets) and shard, weighted by sampling rate. Rates divide by the span
// from the oldest bucket's start (or the first datagram) to now. Each row's ErrBytes / ErrRate is its proven
// over-estimate bound; see model/topk for the guarantees.
//
// Rewind. Each Publish keeps a frame of its Snapshot for Options.Rewind (15 min): its top-N tables and health,
// and its Groups and Agents every stride (RewindGroupRows, RewindAgentRows); Fleet.Rewind rebuilds the
// Snapshot of a past second from them and from the hosts' series, and HostFlowsAt counts the flow store over
// its window. The bound is Options.RewindBytes (110 MB at the defaults; 59 MB measured at 20,000 hosts). Ingest
// does nothing for it.
//
// Ageing. A host is HostStale after 3 of its polling intervals without a counter sample, HostGone after 6,
// and dropped after 10 (Options.PollInterval until two samples have measured the interval); agents are
// dropped after Options.AgentTTL.
package model
