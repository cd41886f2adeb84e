// Package ui is fleettop's dashboard: a Bubble Tea v2 program over two published values it pulls on its own
// tick and never changes.
//
//   - The model's *model.Snapshot (Fleet.Snapshot), one a second with a new Version: the ranked tables (groups,
//     talkers, URLs, memcache keys), the drill-down to a group's hosts and one host, the Agents pane and the
//     status line are formatted from it, once per Version.
//   - The command line's *Windows (Console.Windows), each drawing with a new Version: the Windows pane and its
//     charts are plotted again only when it changed.
//
// Paused over a RewindSource (model.Fleet), ←/→ and [/] step through the seconds the model keeps: the Snapshot
// of that second (Fleet.Rewind) is formatted like any other, with a REWIND badge and its time in the status
// line, and end returns to live (RewindKeys).
//
// The ":" prompt hands each line to Console.Run; what a line asks of the dashboard (a theme, a filter, a
// refresh, a one-off chart, the windows pane) comes back as Actions in its Reply, so this package knows nothing
// of the command language. ↑ and ↓ browse the Console's query.History. The group-by picker is the only thing
// the dashboard changes in the model (Fleet.SetGroupBy).
//
// The status line has a fixed head (datagram rate, ENC, graphite and carbon, always at the same places),
// counters that shorten, then go, when the line is narrow, and badges at its right end (Model.badges: REC,
// PAUSED, STALE, KIOSK; a new badge is one line there). Options.Banner has a line of its own under it. The
// ranked top lists take a new snapshot's figures every 5 s (their window is a minute), which keeps the bytes
// sent to the terminal low (scripts/termbytes.sh measures them); everything else follows every refresh.
//
// Model is the root tea.Model; panes render strings and only Model builds the frame, recomposed only when
// something shown changed and capped at Options.FPS. Run starts it on a terminal; New builds it for tests
// (teatest and goldens drive it without one).
package ui
