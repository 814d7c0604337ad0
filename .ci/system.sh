#!/usr/bin/env bash
# Install, in one apt transaction, the Debian packages the tests need and the machine lacks:
# PostgreSQL (generated projects), git (update, git templates), Chromium (browser checks)
# and Redis (shared rate limits). Idempotent: nothing is fetched when all are there.
set -euo pipefail
missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  missing+=(postgresql)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
