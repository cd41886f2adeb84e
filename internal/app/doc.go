// Package app is fleettop assembled: the parts wired together the way every mode uses them, driven by a Config
// (cmd/fleettop turns flags and the config file into one and holds nothing else).
//
// The data flows one way, and each stage publishes an immutable value that the next one pulls:
//
//	sFlow datagrams ─▶ feeds/sflow (listener, decoder) ─▶ model.Fleet ─▶ *model.Snapshot (Version)
//	                                        ENC (feeds/enc) ─┘                │
//	                    carbon push (feeds/graphite) ◀── model/tree ◀─────────┤
//	                                                                          ▼
//	        Console (model/query over model/tree and graphite-web) ─▶ *ui.Windows (Version) ─▶ ui dashboard
//
// App owns the ingest side: New builds the model and its feeds (ENC resolver, carbon client, graphite-web
// client, pcap recorder), Listen binds the UDP listener and starts the decoding pipeline, Start runs the
// publisher (one Snapshot a second) and the carbon push, Close stops them in order, flushing carbon and the
// recording. Replay and Simulate feed the same model from a capture or from the demo fleet on virtual time
// instead of the network.
//
// Console owns the command side: a query.Session whose effects it applies (group by goes to the model; theme,
// filter, refresh and charts come back to the dashboard as ui.Actions in the ui.Reply of Run). It draws the
// windows in the background and publishes each drawing as a *ui.Windows with a new Version, the way the model
// publishes Snapshots, so the dashboard redraws a window only when its Version changed and a slow graphite-web
// never holds the screen. One query.History serves the ↑/↓ keys of the prompt and `!prefix` recall.
//
// Dashboard runs the ui over both. HealthLine is the headless modes' one-line summary of a Snapshot.
package app
