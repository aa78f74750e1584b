#!/usr/bin/env bash
# The workspace's and the web's tests again on PostgreSQL: the Debian package when it is missing,
# then a throw-away server on a private port (55432) and socket, started, used and stopped here.
# The last step of the README's second command; run from anywhere: bash scripts/postgres-tests.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# PostgreSQL: the Debian package when it is missing, then a throw-away cluster.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ]; then
    echo "installing PostgreSQL (Debian package postgresql)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
port=55432
run_pg=()
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    run_pg=(runuser -u postgres --)
fi
cluster=$(mktemp -d /tmp/roster-pg.XXXXXX)
chmod 755 "$cluster"
[ "$(id -u)" = 0 ] && chown postgres "$cluster"
stop() { "${run_pg[@]}" "$bindir/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$cluster"; }
trap stop EXIT
"${run_pg[@]}" "$bindir/initdb" -D "$cluster/data" -U roster --auth=trust -E UTF8 >/dev/null
"${run_pg[@]}" "$bindir/pg_ctl" -D "$cluster/data" -w -l "$cluster/log" \
    -o "-p $port -k $cluster -c listen_addresses='' -c fsync=off" start >/dev/null
"${run_pg[@]}" "$bindir/createdb" -h "$cluster" -p $port -U roster roster
echo "workspace tests on PostgreSQL (port $port)"
DATABASE_URL="postgresql://roster@/roster?host=$cluster&port=$port" \
    python3 -m pytest -q -p no:cacheprovider tests/test_workspace_*.py tests/test_web_*.py
