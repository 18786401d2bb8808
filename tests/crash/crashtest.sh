#!/usr/bin/env bash
# crashtest.sh [BIN] — kill -9 crash rounds against bangfu serve on SQLite
# and PostgreSQL (a throwaway server from tests/pg-server.sh; CRASH_PG=0
# skips it).  See crashtest.mjs for what each round checks.
#   ROUNDS=N     rounds (default 4; `make crashtest` runs 40)
#   SEED=S       replay the rounds of an earlier run (printed in its output)
#   KILL_MAX_MS  the kill comes a random number of answers + 0..KILL_MAX_MS ms into the load
# Prints TAP with "# pass N" / "# fail N"; exits non-zero on a failed round.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
bin=${1:-build/bangfu}
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
export BANGFU_BIN="$bin"
unset BANGFU_DB BANGFU_TEST_PG_URL

pgdir=
cleanup() {
	[ -n "$pgdir" ] && bash tests/pg-server.sh stop "$pgdir" >/dev/null 2>&1
	[ -n "$pgdir" ] && rm -rf "$pgdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${CRASH_PG:-1}" != 0 ]; then
	pgdir=$(mktemp -d "${TMPDIR:-/tmp}/bangfu-crashpg.XXXXXX") || exit 1
	out=$(bash tests/pg-server.sh start "$pgdir") || { echo "crashtest.sh: PostgreSQL did not start" >&2; exit 1; }
	eval "$(printf '%s\n' "$out" | grep '^BANGFU_TEST_PG_URL=')"
	export BANGFU_TEST_PG_URL
fi
node tests/crash/crashtest.mjs
