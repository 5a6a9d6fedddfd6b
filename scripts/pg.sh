#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the store's tests, on 127.0.0.1 only.
#
#   scripts/pg.sh start   start it (initdb on first use), create nbjournal_test, print its URL
#   scripts/pg.sh url     print the URL when it is running (nothing otherwise)
#   scripts/pg.sh stop    stop it fast (the data stays under .pg/ for the next start)
#   scripts/pg.sh purge   stop it and delete .pg/
#
# The data lives in .pg/ of the checkout, or in /tmp/nbjournal-pg-<checksum of its path>
# when the checkout is in a folder the `postgres` user cannot enter.
#
# Only the URL goes to stdout, so `NBJOURNAL_TEST_PG_URL=$(scripts/pg.sh start)` works.
# When PostgreSQL cannot be installed or started, `start` says so loudly on
# stderr and exits 0 with no URL: the PostgreSQL tests then skip, and say so.
# As root, initdb and the server run as the `postgres` user (PostgreSQL refuses root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGHOME="$ROOT/.pg"
DB=nbjournal_test
RUNAS=()

say() { echo "pg.sh: $*" >&2; }

loud() {
    {
        echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
        echo "!!! pg.sh: $*"
        echo "!!! No PostgreSQL: the PostgreSQL journal tests will be SKIPPED."
        echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
    } >&2
}

find_pgbin() {
    local initdb
    initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -z "$initdb" ]] && command -v initdb >/dev/null 2>&1; then
        initdb="$(command -v initdb)"
    fi
    [[ -n "$initdb" ]] && dirname "$(readlink -f "$initdb")"
}

install_postgresql() {
    # A fresh CI machine gets PostgreSQL from the distribution, like any other tool.
    if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        return 1
    fi
    say "PostgreSQL is not installed: apt-get install -y postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2 && apt-get install -y -q postgresql >&2
}

as_owner() {
    # Run a PostgreSQL binary as the owner of the data directory (from /, which it can enter).
    if ((${#RUNAS[@]})); then
        (cd / && "${RUNAS[@]}" "$@")
    else
        "$@"
    fi
}

setup_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || return 1
        if command -v runuser >/dev/null 2>&1; then
            RUNAS=(runuser -u postgres --)
        else
            RUNAS=(su postgres -s /bin/sh -c '"$0" "$@"')
        fi
    fi
}

place_home() {
    # The server's user must reach its data: a checkout in a private folder (as root,
    # under `mktemp -d`, mode 0700) keeps its cluster under /tmp instead, one per checkout.
    if ((${#RUNAS[@]})) && ! as_owner test -x "$ROOT"; then
        PGHOME="/tmp/nbjournal-pg-$(printf %s "$ROOT" | cksum | cut -d' ' -f1)"
    fi
    DATA="$PGHOME/data"
    LOG="$PGHOME/postgres.log"
    PORT_FILE="$PGHOME/port"
}

free_port() {
    python3 - <<'EOF' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
EOF
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

running() {
    [[ -n "${PGBIN:-}" && -f "$DATA/PG_VERSION" ]] && as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

url() {
    echo "postgresql+psycopg://postgres@127.0.0.1:$(cat "$PORT_FILE")/$DB"
}

psql_admin() {
    "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$(cat "$PORT_FILE")" -U postgres -d postgres "$@"
}

start() {
    PGBIN="$(find_pgbin || true)"
    if [[ -z "$PGBIN" ]]; then
        if ! install_postgresql; then
            loud "PostgreSQL is not installed and could not be installed (apt-get as root)."
            return 0
        fi
        PGBIN="$(find_pgbin || true)"
        if [[ -z "$PGBIN" ]]; then
            loud "apt-get installed postgresql but no initdb was found."
            return 0
        fi
    fi
    if ! setup_owner; then
        loud "running as root but there is no 'postgres' user to run the server."
        return 0
    fi
    place_home
    mkdir -p "$PGHOME"
    if ((${#RUNAS[@]})); then
        chown postgres:postgres "$PGHOME"
    fi
    if ! running; then
        if [[ ! -f "$DATA/PG_VERSION" ]]; then
            rm -rf "$DATA"
            if ! as_owner "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 \
                --no-locale --no-sync >"$PGHOME/initdb.log" 2>&1; then
                cat "$PGHOME/initdb.log" >&2
                loud "initdb failed (see above)."
                return 0
            fi
        fi
        if [[ ! -s "$PORT_FILE" ]] || port_in_use "$(cat "$PORT_FILE")"; then
            free_port >"$PORT_FILE"
        fi
        # A test cluster: durability is not needed, speed is (fsync off).
        if ! as_owner "$PGBIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 start -o \
            "-c listen_addresses=127.0.0.1 -p $(cat "$PORT_FILE") -k '' -c fsync=off -c max_connections=200" \
            >/dev/null; then
            tail -n 20 "$LOG" >&2 || true
            loud "the PostgreSQL server did not start (log above)."
            return 0
        fi
        say "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$(cat "$PORT_FILE"), data in $DATA"
    fi
    if [[ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]]; then
        psql_admin -c "CREATE DATABASE $DB" >/dev/null
    fi
    url
}

stop() {
    PGBIN="$(find_pgbin || true)"
    setup_owner || true
    place_home
    if running; then
        as_owner "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        say "PostgreSQL stopped"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url)
        PGBIN="$(find_pgbin || true)"
        setup_owner || true
        place_home
        if running; then url; fi
        ;;
    purge)
        stop
        rm -rf "$PGHOME"
        ;;
    *)
        echo "usage: $0 start|stop|url|purge" >&2
        exit 2
        ;;
esac
