#!/usr/bin/env bash
# Install and start a local PostgreSQL with a role `app` (password `app`) that may create the
# test database. Idempotent; needs root. Used by `make test` under CI=true.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters --no-header | awk '{print $1, $2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q" && break
  sleep 1
done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'app'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB\""
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'app'\"" | grep -q 1 ||
  su postgres -c "createdb -O app app"
echo "PostgreSQL $version is up: postgres://app:app@127.0.0.1:5432/app"
