#!/usr/bin/env bash
# run-api.sh KIND BIN — runs the node API tests (tests/api/*.test.mjs)
# against BIN on a SQLite (KIND=sqlite) or PostgreSQL (KIND=pg) database.
# Prints node's TAP output with its summary; exits with node's status.
set -uo pipefail

usage() { echo "usage: $0 sqlite|pg BIN" >&2; exit 2; }
[ $# -eq 2 ] || usage
kind=$1
bin=$2
case "$kind" in sqlite|pg) ;; *) usage ;; esac

cd "$(dirname "$0")/.." || exit 1
if [ ! -x "$bin" ]; then
	echo "run-api.sh: $bin is not an executable" >&2
	exit 1
fi
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac

export BANGFU_BIN="$bin"
export BANGFU_TEST_DB_KIND="$kind"
unset BANGFU_DB

case "$bin" in
*asan*)
	export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
	;;
esac

pgdir=
cleanup() {
	if [ -n "$pgdir" ]; then
		bash tests/pg-server.sh stop "$pgdir" >/dev/null 2>&1
		rm -rf "$pgdir"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$kind" = pg ]; then
	pgdir=$(mktemp -d "${TMPDIR:-/tmp}/bangfu-pg.XXXXXX") || exit 1
	out=$(bash tests/pg-server.sh start "$pgdir") || {
		echo "run-api.sh: could not start PostgreSQL (tests/pg-server.sh start)" >&2
		printf '%s\n' "$out" >&2
		exit 1
	}
	eval "$(printf '%s\n' "$out" | grep '^BANGFU_TEST_PG_URL=')"
	if [ -z "${BANGFU_TEST_PG_URL:-}" ]; then
		echo "run-api.sh: tests/pg-server.sh start printed no BANGFU_TEST_PG_URL" >&2
		exit 1
	fi
	export BANGFU_TEST_PG_URL
fi

echo "# api tests: db=$kind bin=$bin"
# BANGFU_TESTS picks some files (e.g. tests/api/cases.test.mjs) while working.
node --test --test-concurrency=2 --test-reporter=tap ${BANGFU_TESTS:-tests/api/}
status=$?
exit $status
