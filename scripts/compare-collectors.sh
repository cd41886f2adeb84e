#!/usr/bin/env bash
# compare-collectors.sh - fleettop collect, goflow2 and pmacct's sfacctd side by side on loopback: the same
# recorded fleet offered to each at rising rates, and a table of what each lost and the CPU it used.
#
#   scripts/compare-collectors.sh [--quick] [RATE ...]
#
# RATEs are datagrams per second (default 50000 75000 100000 150000 200000 300000). At each rate every collector
# is started afresh and first offered WARM seconds of the fleet (default 5; its loss there is the cold% column:
# what a collector just started loses while it grows its memory), then, once it is idle again, SECS seconds
# (default 10) that every other column measures: the collector as it runs once started. Both are sent by `fleettop sim --pcap` (sendmmsg batches from 8 sockets, every sequence renumbered per
# round) replaying a recording of a HOSTS-host simulated fleet (default 600, LOOP of it, default 60s).
# --quick is one low rate (2000/s) for 2 s of a 100-host fleet: CI runs it to keep the script working.
# COLLECTORS picks some of them (default "fleettop goflow2 sfacctd").
# FLEETTOP and GOFLOW2 name binaries to use instead of building them (CI has them built already).
#
# Every collector gets the same receive buffer, RCVBUF bytes (default 64 MiB): as root the script raises
# net.core.rmem_max and net.core.rmem_default to it (goflow2 asks for no size of its own) and restores both
# when it ends. goflow2 (go install of its release) writes JSON to /dev/null; sfacctd (Debian's pmacct) feeds
# its print plugin (to /dev/null). Loss comes from the kernel's counters (the drops column of /proc/net/udp for the
# collector's sockets, and the change of UDP RcvbufErrors in /proc/net/snmp, which counts the whole machine)
# and from each collector's own (fleettop's health line, goflow2's /metrics; sfacctd has none to read, so its
# own is what its socket delivered).
# CPU is the collector's processes' user+system time from the start of the sending until it is idle with its
# socket drained (at least 1 s, at most 20 s after), as % of one core and per datagram it took. The sender runs on the same machine.
#
# It installs what it lacks (pmacct with apt-get, goflow2 with go install), sends only to 127.0.0.1, kills
# what it started and removes its files. Exit 0 when every collector ran at every rate.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH

GOFLOW2_VERSION=v2.2.6
secs=${SECS:-10}
warm=${WARM:-5}
hosts=${HOSTS:-600}
loop=${LOOP:-60s}
rcvbuf=${RCVBUF:-67108864}
settle_max=40 # half seconds a collector may take to drain its socket and go idle after the sending
rates=()
for a in "$@"; do
  case $a in
    --quick) secs=2; warm=1; rates=(2000); loop=10s; hosts=100; settle_max=10 ;;
    -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]* | '') echo "compare-collectors: bad rate $a" >&2; exit 2 ;;
    *) rates+=("$a") ;;
  esac
done
[ ${#rates[@]} -gt 0 ] || rates=(50000 75000 100000 150000 200000 300000)

tmp=$(mktemp -d)
pids=()
saved_max="" saved_def=""
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  if [ -n "$saved_max" ]; then
    sysctl -qw net.core.rmem_max="$saved_max" net.core.rmem_default="$saved_def" || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "compare-collectors: $*" >&2; }

# --- what it needs
if [ -x "${FLEETTOP:-}" ]; then
  cp "$FLEETTOP" "$tmp/fleettop"
else
  go build -o "$tmp/fleettop" ./cmd/fleettop
fi
if ! command -v sfacctd >/dev/null; then
  say "installing pmacct"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pmacct >/dev/null 2>&1; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pmacct >/dev/null
  fi
fi
if [ ! -x "${GOFLOW2:-}" ]; then
  say "installing goflow2 $GOFLOW2_VERSION"
  GOBIN="$tmp" GOFLAGS=-mod=mod go install "github.com/netsampler/goflow2/v2/cmd/goflow2@$GOFLOW2_VERSION"
  GOFLOW2=$tmp/goflow2
fi

# --- the fleet, recorded once
"$tmp/fleettop" sim --hosts "$hosts" --loop "$loop" --write-pcap "$tmp/fleet.pcap" >&2

# --- the same receive buffer for everyone
if [ "$(id -u)" = 0 ]; then
  saved_max=$(sysctl -n net.core.rmem_max) saved_def=$(sysctl -n net.core.rmem_default)
  sysctl -qw net.core.rmem_max="$rcvbuf" net.core.rmem_default="$rcvbuf"
else
  say "not root: receive buffers are what net.core.rmem_max ($(sysctl -n net.core.rmem_max)) allows"
fi

# cputicks PID: user+system clock ticks of PID and its children processes (threads included)
cputicks() {
  local total=0 p f
  for p in "$1" $(pgrep -P "$1" || true); do
    f=$(cut -d')' -f2- "/proc/$p/stat" 2>/dev/null) || continue
    set -- $f
    total=$((total + ${12} + ${13}))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)

# udpdrops PORT: the drops column summed over the sockets bound to 127.0.0.1:PORT
udpdrops() {
  local hex
  hex=$(printf '0100007F:%04X' "$1")
  awk -v a="$hex" '$2 == a { d += $NF } END { print d + 0 }' /proc/net/udp
}
# rcvbuferrs: UDP RcvbufErrors of the whole machine
rcvbuferrs() { awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i; h = 1 } else print $c }' /proc/net/snmp; }
# bound PORT: whether something listens on 127.0.0.1:PORT
bound() { [ "$(awk -v a="$(printf '0100007F:%04X' "$1")" '$2 == a' /proc/net/udp | wc -l)" -gt 0 ]; }

# rxqueue PORT: how many of the sockets bound to 127.0.0.1:PORT have datagrams waiting
rxqueue() { awk -v a="$(printf '0100007F:%04X' "$1")" '$2 == a && $5 !~ /:0+$/ { n++ } END { print n + 0 }' /proc/net/udp; }
# settle PORT PID: wait (1 s at least, settle_max half seconds at most: 20 s, 5 s with --quick) until the
# collector's socket queue is empty and it used at most one clock tick of CPU in half a second (idle but for its timers: fleettop publishes every second):
# what it had not processed by then it has lost
settle() {
  local prev now
  sleep 1
  prev=$(cputicks "$2")
  for _ in $(seq "$settle_max"); do
    sleep 0.5
    now=$(cputicks "$2")
    if [ "$(rxqueue "$1")" = 0 ] && [ $((now - prev)) -le 1 ]; then return 0; fi
    prev=$now
  done
}

port=$((30000 + RANDOM % 20000))
metrics=$((port + 1))

start_collector() { # NAME: starts it on $port, sets pid
  case $1 in
    fleettop)
      "$tmp/fleettop" collect --listen "127.0.0.1:$port" --interval 1s --recv-buffer "$rcvbuf" --config /dev/null \
        >"$tmp/fleettop.out" 2>"$tmp/fleettop.err" &
      ;;
    goflow2)
      "$GOFLOW2" -listen "sflow://127.0.0.1:$port?workers=2" -addr "127.0.0.1:$metrics" -format json \
        -transport file -transport.file /dev/null -loglevel warn >"$tmp/goflow2.out" 2>&1 &
      ;;
    sfacctd)
      cat >"$tmp/sfacctd.conf" <<EOF
daemonize: false
sfacctd_ip: 127.0.0.1
sfacctd_port: $port
sfacctd_pipe_size: $rcvbuf
plugins: print
print_output_file: /dev/null
print_refresh_time: 5
aggregate: src_host, dst_host, proto
plugin_pipe_size: 268435456
plugin_buffer_size: 65536
logfile: $tmp/sfacctd.log
EOF
      sfacctd -f "$tmp/sfacctd.conf" >"$tmp/sfacctd.out" 2>&1 &
      ;;
  esac
  pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do bound "$port" && return 0; sleep 0.1; done
  say "$1 did not bind 127.0.0.1:$port"; cat "$tmp/$1".* >&2 || true
  return 1
}

# own_count NAME [final]: datagrams the collector says it took in and processed so far; with final, fleettop is
# stopped first so that its last health line counts everything
own_count() {
  case $1 in
    fleettop)
      if [ "${2:-}" = final ]; then kill -INT "$pid"; wait_gone "$pid"; else sleep 1.2; fi # a line a second
      sed -nE 's/.* datagrams=([0-9]+) .*/\1/p' "$tmp/fleettop.out" | tail -1
      ;;
    goflow2)
      curl -s "http://127.0.0.1:$metrics/metrics" | awk '
        /^goflow2_flow_traffic_packets_total/ { got += $NF } /^goflow2_flow_dropped_packets_total/ { dropped += $NF }
        END { printf "%d\n", got - dropped }'
      ;;
    sfacctd) echo - ;; # it reports no count of its own that could be read here (SIGUSR1 printed nothing)
  esac
}

# wait_gone PID [TENTHS]: wait until PID has exited, at most TENTHS tenths of a second (default 100), then kill it
wait_gone() { for _ in $(seq "${2:-100}"); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -KILL "$1" 2>/dev/null || true; }

stop_collector() {
  local c
  for c in $(pgrep -P "$pid" || true); do kill -KILL "$c" 2>/dev/null || true; done # sfacctd's plugin
  kill -TERM "$pid" 2>/dev/null || true
  wait_gone "$pid" 20 # its counts are read already: sfacctd takes over 10 s to stop
  wait "$pid" 2>/dev/null || true
}

# offer RATE SECS: send the fleet to the collector, print how many datagrams were sent
offer() { "$tmp/fleettop" sim --pcap "$tmp/fleet.pcap" --to "127.0.0.1:$port" --rate "$1" --duration "${2}s" | sed -E 's/sent ([0-9]+) .*/\1/'; }

say "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %-9s %9s %9s %9s %9s %9s %8s %8s %6s %9s %7s\n' rate collector sent kdrops rcvbuferr own own_loss kern_loss loss% cpu% ns/dgram cold% >"$tmp/table"
for r in "${rates[@]}"; do
  for c in ${COLLECTORS:-fleettop goflow2 sfacctd}; do
    start_collector "$c" || exit 1
    sleep 0.5
    # Warm-up: the collector's first WARM seconds at this rate, counted apart (cold%): a collector just started
    # grows its memory (fleettop: table buckets, its queue's buffers) while it takes its first flood.
    cold=-
    if [ "$warm" -gt 0 ]; then
      d0=$(udpdrops "$port") o0=$(own_count "$c")
      wsent=$(offer "$r" "$warm")
      settle "$port" "$pid"
      d1=$(udpdrops "$port") o1=$(own_count "$c")
      cold=$(awk -v s="$wsent" -v kd=$((d1 - d0)) -v o0="${o0:-0}" -v o1="$o1" 'BEGIN {
        got = (o1 == "-") ? s - kd : o1 - o0; lost = s - got; if (lost < 0) lost = 0; printf "%.1f", 100 * lost / s }')
    fi
    d0=$(udpdrops "$port") e0=$(rcvbuferrs) o0=$(own_count "$c") c0=$(cputicks "$pid") t0=$(date +%s.%N)
    sent=$(offer "$r" "$secs")
    settle "$port" "$pid"
    d1=$(udpdrops "$port") e1=$(rcvbuferrs) c1=$(cputicks "$pid") t1=$(date +%s.%N)
    own=$(own_count "$c" final)
    stop_collector
    awk -v r="$r" -v c="$c" -v sent="$sent" -v kd=$((d1 - d0)) -v re=$((e1 - e0)) -v own="$own" -v o0="${o0:-0}" \
      -v cpu=$((c1 - c0)) -v hz="$hz" -v t0="$t0" -v t1="$t1" -v cold="$cold" 'BEGIN {
        if (own == "-") own = sent - kd; else own -= o0 # what its socket delivered; or its count since the warm-up
        lost = sent - own; if (lost < 0) lost = 0
        secs = cpu / hz
        printf "%-9s %-9s %9d %9d %9d %9d %9d %8.1f %8.1f %6.0f %9.0f %7s\n", r, c, sent, kd, re, own, lost,
          100 * kd / sent, 100 * lost / sent, 100 * secs / (t1 - t0), (own > 0 ? secs * 1e9 / own : 0), cold
      }' >>"$tmp/table"
    port=$((port + 2)) metrics=$((port + 1))
  done
done
say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sent: datagrams offered; kdrops: /proc/net/udp drops of the collector's sockets; rcvbuferr: UDP RcvbufErrors"
echo "of the machine; own: datagrams the collector says it processed; own_loss = sent - own; kern_loss%: kdrops"
echo "of sent; loss%: own_loss of sent; cpu%: of one core while sending and settling; ns/dgram: CPU per datagram processed;"
echo "cold%: what the collector lost of the WARM seconds at the same rate it took first, just started (not in the other columns)"
cat "$tmp/table"
awk 'NR > 1 && $8 + 0 == 0 && $9 + 0 == 0 { best[$2] = $1 } NR > 1 { seen[$2] = 1 }
  END { for (c in seen) printf "highest rate with 0 loss: %-9s %s\n", c, (c in best) ? best[c] "/s" : "none" }' "$tmp/table" | sort
