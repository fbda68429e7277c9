#!/usr/bin/env bash
# tests/pg/pg_temp_server_test.sh — tests/pg/pg-temp-server starts a PostgreSQL server that
# answers `select 1` over its Unix socket only, and leaves neither a process nor its folder behind,
# both when its command ends and when it is stopped with SIGTERM; settings in
# LEADFLOW_PG_TEMP_OPTIONS override its own. Exits 77 (skipped) when
# PostgreSQL is not installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
server=$here/pg-temp-server
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Waits up to 30 s for process $1 to be gone.
gone() {
    local _
    for _ in $(seq 300); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.1
    done
    return 1
}

# 1. With a command: the URI comes first, the command sees the server, then it is removed.
set +e
# shellcheck disable=SC2016  # expanded by the inner shell
LEADFLOW_PG_TEMP_OPTIONS="-c fsync=on" "$server" bash -c '
    psql "$LEADFLOW_TEST_PG" -Atc "select 1" >"$0/answer" || exit 3
    head -n 1 "$LEADFLOW_TEST_PG_DIR/data/postmaster.pid" >"$0/pid"
    echo "$LEADFLOW_TEST_PG_DIR" >"$0/dir"
    # No TCP listener: the server was told to listen on none.
    psql "$LEADFLOW_TEST_PG" -Atc "show listen_addresses" >"$0/listen"
    psql "$LEADFLOW_TEST_PG" -Atc "show fsync" >"$0/fsync"
    exit 5' "$out" >"$out/stdout"
rc=$?
set -e
[ "$rc" = 77 ] && { echo "SKIP: PostgreSQL is not installed"; exit 77; }
[ "$rc" = 5 ] || fail "the command's status 5 was not passed on (got $rc)"
[ "$(cat "$out/answer")" = 1 ] || fail "select 1 answered '$(cat "$out/answer")'"
[ -z "$(cat "$out/listen")" ] || fail "listen_addresses is '$(cat "$out/listen")'"
[ "$(cat "$out/fsync")" = on ] || fail "LEADFLOW_PG_TEMP_OPTIONS not applied: fsync is '$(cat "$out/fsync")'"
uri=$(head -n 1 "$out/stdout")
case "$uri" in postgresql:///postgres\?host=*) ;; *) fail "first line is not a URI: $uri" ;; esac
gone "$(cat "$out/pid")" || fail "the server process $(cat "$out/pid") is still running"
[ ! -e "$(cat "$out/dir")" ] || fail "the folder $(cat "$out/dir") is still there"

# 2. Without a command: serves until SIGTERM, then stops and removes its folder.
"$server" >"$out/serve" 2>"$out/serve.err" &
script=$!
for _ in $(seq 600); do [ -s "$out/serve" ] && break; sleep 0.1; done
uri=$(head -n 1 "$out/serve")
[ -n "$uri" ] || fail "no URI printed: $(cat "$out/serve.err")"
[ "$(psql "$uri" -Atc 'select 1')" = 1 ] || fail "select 1 failed on $uri"
dir=${uri#*host=}
dir=${dir%%&*}
pid=$(head -n 1 "$dir/data/postmaster.pid")
kill -TERM "$script"
wait "$script" || true
gone "$pid" || fail "the server process $pid is still running after SIGTERM"
[ ! -e "$dir" ] || fail "the folder $dir is still there after SIGTERM"
echo "PASS"
