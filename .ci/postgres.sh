#!/usr/bin/env bash
# Install (Debian packages) and start a local PostgreSQL server for the generated-project tests,
# then print the export line for STACKPICK_TEST_DATABASE_URL. Idempotent.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
su postgres -c "psql -q -v ON_ERROR_STOP=1" >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'stackpick') THEN
    CREATE ROLE stackpick LOGIN PASSWORD 'stackpick' CREATEDB;
  END IF;
END $$;
-- DROP DATABASE ... WITH (FORCE) also ends an autovacuum worker busy in that database.
GRANT pg_signal_backend TO stackpick;
SQL
echo "export STACKPICK_TEST_DATABASE_URL=postgresql://stackpick:stackpick@127.0.0.1:5432/postgres"
