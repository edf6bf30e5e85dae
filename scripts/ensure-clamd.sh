#!/usr/bin/env bash
# Print the path of a clamd binary, installing Debian's clamav-daemon when we may use
# apt; print nothing when there is none (the demo then runs with scanning off, and says so).
set -euo pipefail
for candidate in "$(command -v clamd 2>/dev/null || true)" /usr/sbin/clamd; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing clamav-daemon with apt" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clamav-daemon >&2
  [ -x /usr/sbin/clamd ] && echo /usr/sbin/clamd
fi
