#!/usr/bin/env bash
# graphite-up.sh - install (Debian apt, when missing) and start a throw-away Graphite on loopback for
# fleettop's tests and demos.
#
#   scripts/graphite-up.sh [all|carbon|web]      (default: all)
#
#   carbon-cache  plaintext 127.0.0.1:$CARBON_LINE_PORT (2003), pickle :$CARBON_PICKLE_PORT (2004),
#                 CarbonLink cache query :$CARBON_QUERY_PORT (7002)
#   graphite-web  http://127.0.0.1:$GRAPHITE_WEB_PORT (8080): /render, /metrics/find
#
# Everything lives in one scratch tree, $GRAPHITE_SCRATCH (default /tmp/fleettop-graphite); nothing in /etc
# or /var/lib/graphite is used. The ports chosen the first time are remembered in $GRAPHITE_SCRATCH/ports,
# so `graphite-down.sh carbon; graphite-up.sh carbon` brings carbon back where the tests expect it.
#
# Idempotent: a running service is checked and left alone. On success stdout carries only eval-able lines
#   export FLEETTOP_CARBON=127.0.0.1:2003 ...
# (also written to $GRAPHITE_SCRATCH/env); progress and errors go to stderr. Exit 0 = the requested services
# answer; non-zero = something failed, with the relevant log tail on stderr. Stop with graphite-down.sh.
set -euo pipefail

what=${1:-all}
case $what in all | carbon | web) ;; *)
  echo "usage: $0 [all|carbon|web]" >&2
  exit 2
  ;;
esac

D=${GRAPHITE_SCRATCH:-/tmp/fleettop-graphite}
# Debian's graphite packages are built for the system interpreter, not whatever python3 is first on PATH.
PY=/usr/bin/python3

log() { printf '[graphite-up] %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
now_ms() { date +%s%3N; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { # port seconds pidfile: fails early when the process behind pidfile died
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    port_open "$1" && return 0
    [[ -n ${3:-} && -s $3 ]] && ! kill -0 "$(cat "$3")" 2>/dev/null && return 1
    sleep 0.1
  done
  return 1
}
# A pid file counts only while its process is alive and still the program we started (pids get reused).
pid_is() { # pidfile pattern
  local pid
  [[ -s $1 ]] || return 1
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

t_start=$(now_ms)

# ------------------------------------------------------------------------------------------- install
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
if ! installed graphite-carbon || ! installed graphite-web; then
  log "installing graphite-carbon graphite-web (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt_log="${TMPDIR:-/tmp}/fleettop-graphite-apt.log"
  # The lock timeout makes us queue behind an install that is already running instead of failing.
  apt_install() {
    apt-get -o DPkg::Lock::Timeout=600 install -y -q graphite-carbon graphite-web >>"$apt_log" 2>&1
  }
  if ! apt_install; then
    # a fresh machine may have no or stale package lists
    apt-get -o DPkg::Lock::Timeout=600 update -q >>"$apt_log" 2>&1 || true
    apt_install || {
      tail -20 "$apt_log" >&2
      die "apt-get install graphite-carbon graphite-web failed (log: $apt_log)"
    }
  fi
fi
[[ -x /usr/bin/carbon-cache ]] || die "/usr/bin/carbon-cache missing after install"
[[ -x /usr/bin/django-admin ]] || die "/usr/bin/django-admin missing after install"
t_installed=$(now_ms)

# ------------------------------------------------------------------------------------------- ports
mkdir -p "$D"/{conf,storage/whisper,storage/log/webapp,log,run}
if [[ -s $D/ports ]]; then
  # shellcheck disable=SC1091
  source "$D/ports"
fi
LINE_PORT=${CARBON_LINE_PORT:-${saved_line_port:-2003}}
PICKLE_PORT=${CARBON_PICKLE_PORT:-${saved_pickle_port:-2004}}
QUERY_PORT=${CARBON_QUERY_PORT:-${saved_query_port:-7002}}
WEB_PORT=${GRAPHITE_WEB_PORT:-${saved_web_port:-8080}}
cat >"$D/ports" <<EOF
saved_line_port=$LINE_PORT
saved_pickle_port=$PICKLE_PORT
saved_query_port=$QUERY_PORT
saved_web_port=$WEB_PORT
EOF

# ------------------------------------------------------------------------------------------- config
# Written every time so a changed port or a damaged file is repaired; the services read it at start.
cat >"$D/conf/carbon.conf" <<EOF
[cache]
STORAGE_DIR    = $D/storage/
LOCAL_DATA_DIR = $D/storage/whisper/
CONF_DIR       = $D/conf/
LOG_DIR        = $D/log/
PID_DIR        = $D/run/
DATABASE = whisper
ENABLE_LOGROTATION = False
USER =
MAX_CACHE_SIZE = inf
MAX_UPDATES_PER_SECOND = 1000
MAX_CREATES_PER_MINUTE = inf
MIN_TIMESTAMP_RESOLUTION = 1
LINE_RECEIVER_INTERFACE = 127.0.0.1
LINE_RECEIVER_PORT = $LINE_PORT
ENABLE_UDP_LISTENER = False
PICKLE_RECEIVER_INTERFACE = 127.0.0.1
PICKLE_RECEIVER_PORT = $PICKLE_PORT
USE_INSECURE_UNPICKLER = False
CACHE_QUERY_INTERFACE = 127.0.0.1
CACHE_QUERY_PORT = $QUERY_PORT
USE_FLOW_CONTROL = True
LOG_UPDATES = False
LOG_CREATES = False
CACHE_WRITE_STRATEGY = sorted
WHISPER_AUTOFLUSH = False
WHISPER_FALLOCATE_CREATE = False
# tagged series ("name;tag=value") are registered in graphite-web's tag DB over HTTP
ENABLE_TAGS = True
GRAPHITE_URL = http://127.0.0.1:$WEB_PORT
EOF

# 10 s resolution for 6 h so tests see their points at once, then 1 min for 7 days.
cat >"$D/conf/storage-schemas.conf" <<'EOF'
[default]
pattern = .*
retentions = 10s:6h,1m:7d
EOF

cat >"$D/conf/storage-aggregation.conf" <<'EOF'
[default]
pattern = .*
xFilesFactor = 0
aggregationMethod = average
EOF

# graphite-web reads this module through GRAPHITE_SETTINGS_MODULE (graphite/settings.py).
cat >"$D/conf/fleettop_graphite_settings.py" <<EOF
SECRET_KEY = 'fleettop-scratch-not-secret'
ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
TIME_ZONE = 'UTC'
LOG_ROTATION = False
DEFAULT_XFILES_FACTOR = 0
GRAPHITE_ROOT = '/usr/share/graphite-web'
STATIC_ROOT = '/usr/share/graphite-web/static'
CONF_DIR = '$D/conf'
STORAGE_DIR = '$D/storage'
WHISPER_DIR = '$D/storage/whisper'
STANDARD_DIRS = ['$D/storage/whisper']
INDEX_FILE = '$D/storage/index'
LOG_DIR = '$D/storage/log/webapp'
CARBONLINK_HOSTS = ['127.0.0.1:$QUERY_PORT']
CARBONLINK_TIMEOUT = 1.0
DATABASES = {'default': {'NAME': '$D/storage/graphite.db',
                         'ENGINE': 'django.db.backends.sqlite3',
                         'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': ''}}
FUNCTION_PLUGINS = []
EOF

export PYTHONPATH="$D/conf"
export GRAPHITE_SETTINGS_MODULE=fleettop_graphite_settings
export DJANGO_SETTINGS_MODULE=graphite.settings

# ------------------------------------------------------------------------------------------- carbon-cache
start_carbon() {
  local pidfile="$D/run/carbon-cache-a.pid"
  if pid_is "$pidfile" carbon-cache && port_open "$LINE_PORT"; then
    log "carbon-cache already running (pid $(cat "$pidfile"))"
    return
  fi
  if pid_is "$pidfile" carbon-cache; then
    # alive but not listening: either still starting or wedged
    wait_port "$LINE_PORT" 60 "$pidfile" && return
    die "carbon-cache pid $(cat "$pidfile") runs but does not listen on $LINE_PORT; run graphite-down.sh carbon"
  fi
  port_open "$LINE_PORT" && die "port $LINE_PORT is taken by another program"
  rm -f "$pidfile"
  # twistd daemonizes and writes the pid file itself
  $PY /usr/bin/carbon-cache --config="$D/conf/carbon.conf" --pidfile="$pidfile" --logdir="$D/log" start \
    >"$D/log/carbon-start.out" 2>&1 || {
    cat "$D/log/carbon-start.out" >&2
    die "carbon-cache start failed"
  }
  # generous: on a loaded 2-core machine Python alone can take many seconds to start
  wait_port "$LINE_PORT" 60 "$pidfile" && wait_port "$PICKLE_PORT" 10 "$pidfile" || {
    tail -20 "$D/log/console.log" "$D/log/carbon-start.out" >&2 2>/dev/null || true
    die "carbon-cache did not open $LINE_PORT/$PICKLE_PORT"
  }
  log "carbon-cache started (pid $(cat "$pidfile"))"
}

# ------------------------------------------------------------------------------------------- graphite-web
start_web() {
  local pidfile="$D/run/graphite-web.pid"
  if pid_is "$pidfile" graphite && port_open "$WEB_PORT"; then
    log "graphite-web already running (pid $(cat "$pidfile"))"
    return
  fi
  if pid_is "$pidfile" graphite; then
    wait_port "$WEB_PORT" 60 "$pidfile" && return
    die "graphite-web pid $(cat "$pidfile") runs but does not listen on $WEB_PORT; run graphite-down.sh web"
  fi
  port_open "$WEB_PORT" && die "port $WEB_PORT is taken by another program"
  rm -f "$pidfile"
  # /metrics/find?format=treejson reads the anonymous profile, so the Django tables must exist.
  if [[ ! -s $D/storage/graphite.db ]]; then
    /usr/bin/django-admin migrate --run-syncdb -v0 >"$D/log/migrate.out" 2>&1 || {
      rm -f "$D/storage/graphite.db"
      tail -20 "$D/log/migrate.out" >&2
      die "django-admin migrate failed"
    }
  fi
  # setsid: the server must outlive this script and its caller's process group (a test that restarts it).
  # The settings module name is on the command line so pid_is can tell this process from any other.
  setsid /usr/bin/django-admin runserver "127.0.0.1:$WEB_PORT" --noreload --nothreading \
    --settings=graphite.settings >"$D/log/web.out" 2>&1 </dev/null &
  echo $! >"$pidfile"
  wait_port "$WEB_PORT" 60 "$pidfile" || {
    tail -30 "$D/log/web.out" >&2
    die "graphite-web did not open $WEB_PORT"
  }
  log "graphite-web started (pid $(cat "$pidfile"))"
}

case $what in
all)
  start_carbon
  start_web
  ;;
carbon) start_carbon ;;
web) start_web ;;
esac

# ------------------------------------------------------------------------------------------- smoke check
if [[ $what != carbon ]]; then
  # the system Python is there whenever graphite is; curl may not be
  code=$($PY - "http://127.0.0.1:$WEB_PORT/metrics/find?query=*" "$D/log/smoke.out" <<'EOF'
import sys, urllib.error, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=30) as r:
        code, body = r.status, r.read()
except urllib.error.HTTPError as e:
    code, body = e.code, e.read()
except Exception as e:
    code, body = 0, str(e).encode()
open(sys.argv[2], 'wb').write(body)
print(code)
EOF
  ) || true
  [[ $code == 200 ]] || {
    tail -30 "$D/log/web.out" "$D/log/smoke.out" >&2 2>/dev/null || true
    die "graphite-web /metrics/find answered HTTP $code"
  }
fi
t_done=$(now_ms)

{
  echo "export FLEETTOP_CARBON=127.0.0.1:$LINE_PORT"
  echo "export FLEETTOP_CARBON_PICKLE=127.0.0.1:$PICKLE_PORT"
  echo "export FLEETTOP_GRAPHITE=http://127.0.0.1:$WEB_PORT"
  echo "export FLEETTOP_GRAPHITE_SCRATCH=$D"
} >"$D/env.tmp"
mv "$D/env.tmp" "$D/env"
log "install/check $((t_installed - t_start)) ms, start $((t_done - t_installed)) ms; env in $D/env"
cat "$D/env"
