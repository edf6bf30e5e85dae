#!/usr/bin/env bash
# `make run`: Redis, a Celery worker, the sweeper and Django's server, together.
# Ctrl-C stops them all. Redis keeps nothing on disk and writes outside the tree.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8000}
REDIS_PORT=${REDIS_PORT:-6390}
export DJANGO_DEBUG=${DJANGO_DEBUG:-True}
export DJANGO_SECURE_SSL_REDIRECT=False DJANGO_SECURE_COOKIES=False DJANGO_HSTS_SECONDS=0
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:$REDIS_PORT/0}
export GC6_SITE_URL=${GC6_SITE_URL:-http://127.0.0.1:$PORT}
PY=.venv/bin/python

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

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_demo

.venv/bin/celery -A gc6portal worker --loglevel INFO --concurrency 2 &
pids+=($!)
# The sweeper, as cron would run it in production.
( while sleep 60; do "$PY" manage.py requeue_stuck >/dev/null; done ) &
pids+=($!)

cat <<MSG

  The GC6 submissions portal is running at http://127.0.0.1:$PORT/
  Secretariat admin: http://127.0.0.1:$PORT/admin/  (login: ${GC6_DEMO_ADMIN:-admin} / ${GC6_DEMO_PASSWORD:-gc6-demo-password})
  Stop everything with Ctrl-C.

MSG
# In the background and waited for, so that a TERM reaches the trap at once.
"$PY" manage.py runserver "127.0.0.1:$PORT" --noreload &
pids+=($!)
wait "${pids[-1]}"
