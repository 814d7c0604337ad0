#!/usr/bin/env bash
# Install the Redis server from Debian's packages for the generated-project tests (shared rate
# limits across gunicorn workers). The tests start their own server on a free port on 127.0.0.1;
# this only makes sure `redis-server` is there. Idempotent.
set -euo pipefail
if ! command -v redis-server >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >&2
fi
redis-server --version >&2
