#!/usr/bin/env bash
# The tests, as CI runs them: install what they need, the static checks, every test on SQLite,
# then the workspace tests again on a private PostgreSQL server (port 55432, its own socket),
# which this script starts, uses and stops. Run from anywhere: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install -q -e '.[test]'
ruff check .
ruff format --check .
mypy
lint-imports
python3 -m pytest

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
