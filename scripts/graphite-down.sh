#!/usr/bin/env bash
# graphite-down.sh - stop what graphite-up.sh started, by its pid files only (never by process name).
#
#   scripts/graphite-down.sh [all|carbon|web] [--purge]     (default: all)
#
# --purge also removes $GRAPHITE_SCRATCH (whisper data, logs, config). Idempotent: stopping a service that
# is not running is not an error. Exit 0 = the requested services are stopped.
set -uo pipefail

what=all
purge=false
for arg in "$@"; do
  case $arg in
  all | carbon | web) what=$arg ;;
  --purge) purge=true ;;
  *)
    echo "usage: $0 [all|carbon|web] [--purge]" >&2
    exit 2
    ;;
  esac
done

if $purge && [[ $what != all ]]; then
  echo "$0: --purge only with all: the other service would keep using the scratch tree" >&2
  exit 2
fi

D=${GRAPHITE_SCRATCH:-/tmp/fleettop-graphite}
rc=0
log() { printf '[graphite-down] %s\n' "$*" >&2; }

stop_pidfile() { # name pidfile cmdline-pattern
  local pid
  if [[ ! -s $2 ]]; then
    log "$1: not running (no pid file)"
    return 0
  fi
  pid=$(cat "$2")
  # the pid may have been reused by an unrelated process since: only signal our own program
  if ! kill -0 "$pid" 2>/dev/null || ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$3"; then
    log "$1: pid $pid is gone"
    rm -f "$2"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null
  # carbon-cache writes its cache to whisper before it exits: give it time
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$1: pid $pid ignored SIGTERM for 10 s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null
    sleep 0.2
  fi
  if kill -0 "$pid" 2>/dev/null; then
    log "$1: pid $pid still alive"
    rc=1
    return
  fi
  rm -f "$2"
  log "$1: stopped pid $pid"
}

case $what in
all)
  stop_pidfile graphite-web "$D/run/graphite-web.pid" graphite
  stop_pidfile carbon-cache "$D/run/carbon-cache-a.pid" carbon-cache
  ;;
web) stop_pidfile graphite-web "$D/run/graphite-web.pid" graphite ;;
carbon) stop_pidfile carbon-cache "$D/run/carbon-cache-a.pid" carbon-cache ;;
esac

if $purge && [[ $rc == 0 ]]; then
  rm -rf "$D" && log "removed $D"
fi
exit $rc
