#!/usr/bin/env bash
# Install headless Chromium from Debian's packages for the browser checks (tests/browser.py),
# which drive it with Playwright and never download a browser of their own. Idempotent.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
fi
/usr/bin/chromium --version >&2
