#!/usr/bin/env bash
# Install Debian's redis-server for the generated-project tests (each test starts its own
# private server on 127.0.0.1 with it). Idempotent.
set -euo pipefail
if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >&2
fi
