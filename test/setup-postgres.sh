#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with trust auth and a `test` database, for the tests
# that need a real one (SKEIN_TEST_DATABASE_URL). These machines run one already; on a machine without it, this
# installs Debian's postgresql, starts its cluster and opens loopback to trust auth. Never touches a running server.
set -euo pipefail
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2> /dev/null; }
if command -v pg_isready > /dev/null && ready; then exit 0; fi

if ! command -v pg_ctlcluster > /dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
fi
version=$(ls /etc/postgresql | sort -n | tail -1)
hba=/etc/postgresql/$version/main/pg_hba.conf
# Loopback only, for the tests; the local socket keeps Debian's peer auth.
grep -q "^host all all 127.0.0.1/32 trust" "$hba" || sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
pg_ctlcluster --skip-systemctl-redirect "$version" main start 2> /dev/null || pg_ctlcluster --skip-systemctl-redirect "$version" main reload
for _ in $(seq 50); do ready && break; sleep 0.2; done
ready || { echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 || createdb -h 127.0.0.1 -U postgres test
