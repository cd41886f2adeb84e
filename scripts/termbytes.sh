#!/usr/bin/env bash
# termbytes.sh - how many bytes a fleettop screen writes to the terminal: the command runs in a pty of
# COLS x ROWS (script(1) from util-linux) for SECONDS, then is stopped; the bytes it wrote are counted per
# second from its first byte, and the rates for the first minute and after are printed.
#
#   scripts/termbytes.sh [COLS ROWS [SECONDS]] [-- COMMAND...]     (default: 160 48 150 -- fleettop demo)
#
#   COMMAND defaults to `fleettop demo` with the fleettop on $PATH (FLEETTOP=path overrides). The user's state
#   and config stay untouched: XDG_STATE_HOME and XDG_CONFIG_HOME point into a scratch directory.
#
# Output, one line per phase:  first-minute 312456 B 5.2 KB/s  /  after 110233 B 1.2 KB/s (90 s)
set -euo pipefail
cols=${1:-160} rows=${2:-48} secs=${3:-150}
while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift; done
[ $# -gt 0 ] && shift
if [ $# -eq 0 ]; then set -- "${FLEETTOP:-fleettop}" demo; fi
command -v script >/dev/null || { echo "termbytes: script(1) (util-linux) is needed" >&2; exit 2; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/state" "$scratch/config"
cmd=$(printf '%q ' "$@")
# timeout ends the command; script's own bound catches a command that ignores SIGTERM
timeout $((secs + 15)) script -q -T "$scratch/timing" -O "$scratch/out" -c \
	"stty rows $rows cols $cols; XDG_STATE_HOME=$scratch/state XDG_CONFIG_HOME=$scratch/config TERM=xterm-256color timeout -s INT $secs $cmd" \
	</dev/null >/dev/null 2>&1 || true
# timing: one "DELAY BYTES" line per write; the clock starts at the first write
awk -v cols="$cols" -v rows="$rows" '
	NR == 1 { t = 0; first = 0 }
	{ if (NR > 1) t += $1; if (t < 60) a += $2; else { b += $2; end = t } }
	END {
		after = end - 60
		printf "%dx%d first-minute %d B %.2f KB/s", cols, rows, a, a / 60 / 1000
		if (after > 0) printf "  after %d B %.2f KB/s (%.0f s)", b, b / after / 1000, after
		printf "\n"
	}' "$scratch/timing"
