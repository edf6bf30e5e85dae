#!/usr/bin/env bash
# `make run`: Redis, clamd, a Celery worker, the sweeper and Django's server, together,
# with the demo data; then a tour of what to open. Ctrl-C stops them all. Redis and
# clamd keep nothing on disk and write outside the tree. The demo's clamd knows only
# the EICAR test signature the project ships (tests/data/clamav/): production runs
# freshclam for the real database.
#
# The portal runs as it does in production, DEBUG off: the site's own error pages
# (a missing page is templates/404.html, not Django's list of URL patterns), static
# files collected under var/ and served by WhiteNoise. Only what plain HTTP on
# localhost needs differs: no HTTPS redirect, no secure-only cookies, no HSTS.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8000}
REDIS_PORT=${REDIS_PORT:-6390}
CLAMD_PORT=${CLAMD_PORT:-3390}
export DJANGO_DEBUG=${DJANGO_DEBUG:-False}
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
export DJANGO_STATIC_ROOT=${DJANGO_STATIC_ROOT:-$PWD/var/staticfiles}
export DJANGO_SECURE_SSL_REDIRECT=False DJANGO_SECURE_COOKIES=False DJANGO_HSTS_SECONDS=0
export DJANGO_HSTS_INCLUDE_SUBDOMAINS=False
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:$REDIS_PORT/0}
export GC6_CACHE_URL=${GC6_CACHE_URL:-redis://127.0.0.1:$REDIS_PORT/1}
export GC6_SITE_URL=${GC6_SITE_URL:-http://127.0.0.1:$PORT}
PY=.venv/bin/python
# DEBUG off needs a real secret key: one of this checkout's own, made at the first run
# and kept in var/ (git ignores it), so that logged-in sessions survive a restart.
if [ -z "${DJANGO_SECRET_KEY:-}" ] && [ -z "${DJANGO_SECRET_KEY_FILE:-}" ]; then
  key_file=${GC6_VAR_DIR:-$PWD/var}/secret-key
  if [ ! -s "$key_file" ]; then
    mkdir -p "$(dirname "$key_file")"
    (umask 077 && "$PY" -c "import secrets; print(secrets.token_urlsafe(50))" >"$key_file")
  fi
  export DJANGO_SECRET_KEY_FILE=$key_file
fi

port_taken() {
  "$PY" -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $1)) != 0)"
}
if port_taken "$PORT"; then
  echo "Port $PORT is in use: stop what listens there, or run PORT=8001 make run" >&2
  exit 1
fi

redis_bin=$(bash scripts/ensure-redis.sh)
redis_dir=$(mktemp -d -t gc6-redis-XXXXXX)
pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$redis_dir"
}
trap cleanup EXIT INT TERM

"$redis_bin" --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$redis_dir" --save "" \
  --appendonly no --loglevel warning &
pids+=($!)
for _ in $(seq 50); do
  "$PY" -c "import redis,sys; redis.Redis(port=$REDIS_PORT).ping()" 2>/dev/null && break
  sleep 0.1
done

# Every file is scanned before it is checked: a clamd of the demo's own.
clamd_bin=$(bash scripts/ensure-clamd.sh || true)
if [ -n "$clamd_bin" ]; then
  mkdir -p "$redis_dir/clamd/tmp"
  cp -r tests/data/clamav "$redis_dir/clamd/db"
  cat >"$redis_dir/clamd/clamd.conf" <<CONF
Foreground yes
LogFile $redis_dir/clamd/clamd.log
PidFile $redis_dir/clamd/clamd.pid
TemporaryDirectory $redis_dir/clamd/tmp
DatabaseDirectory $redis_dir/clamd/db
TCPSocket $CLAMD_PORT
TCPAddr 127.0.0.1
StreamMaxLength 25M
Bytecode no
CONF
  "$clamd_bin" --config-file="$redis_dir/clamd/clamd.conf" &
  pids+=($!)
  export GC6_SCAN_ENABLED=True GC6_CLAMD_HOST=127.0.0.1 GC6_CLAMD_PORT=$CLAMD_PORT
  for _ in $(seq 100); do
    "$PY" -c "import socket,sys; s=socket.create_connection(('127.0.0.1', $CLAMD_PORT), 1); s.sendall(b'zPING\0'); sys.exit(s.recv(8) != b'PONG\0')" 2>/dev/null && break
    sleep 0.1
  done
else
  echo "no clamd here (and no apt): the demo runs with malware scanning OFF" >&2
  export GC6_SCAN_ENABLED=False
fi

"$PY" manage.py migrate --noinput -v0
# DEBUG off: WhiteNoise serves what collectstatic gathered (hashed, compressed).
"$PY" manage.py collectstatic --noinput -v0
# The tour (with the demo submissions' private links) is printed once all is up.
"$PY" manage.py load_demo >"$redis_dir/tour.txt"

.venv/bin/celery -A gc6portal worker --loglevel INFO --concurrency 2 &
pids+=($!)
# The sweeper, as cron would run it in production.
( while sleep 20; do "$PY" manage.py requeue_stuck >/dev/null; done ) &
pids+=($!)

# In the background and waited for, so that a TERM reaches the trap at once.
"$PY" manage.py runserver "127.0.0.1:$PORT" --noreload &
pids+=($!)
for _ in $(seq 100); do
  port_taken "$PORT" && break
  sleep 0.2
done
echo
sed 's/^/  /' "$redis_dir/tour.txt"
echo
echo "  Stop everything with Ctrl-C."
echo
wait "${pids[-1]}"
