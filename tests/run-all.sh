#!/usr/bin/env bash
# run-all.sh — every test suite: unit (cmocka), API on SQLite, API on
# PostgreSQL, API on SQLite under ASan/UBSan, kill -9 crash rounds, two
# processes behind nginx on PostgreSQL, 5 s of each fuzzer, the web UI in
# Chromium.  Prints each suite's output, a
# line per suite and, as the very last line, "N passed, N failed".  Exits
# non-zero when any suite failed or counted no tests.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
shopt -s nullglob

logdir=$(mktemp -d "${TMPDIR:-/tmp}/bangfu-all.XXXXXX") || exit 1
trap 'rm -rf "$logdir"' EXIT

names=()
results=()
total_pass=0
total_fail=0
bad=0

# count_cmocka LOG → "PASS FAIL"
count_cmocka() {
	awk '
		/^\[  PASSED  \] [0-9]+ test/ { p += $4 }
		/^\[  FAILED  \] [0-9]+ test/ { f += $4 }
		END { printf "%d %d\n", p, f }' "$1"
}
# count_node LOG → "PASS FAIL" (cancelled tests count as failed)
count_node() {
	awk '
		/^# pass [0-9]+$/      { p += $3 }
		/^# fail [0-9]+$/      { f += $3 }
		/^# cancelled [0-9]+$/ { f += $3 }
		END { printf "%d %d\n", p, f }' "$1"
}

# run_suite NAME KIND CMD... — KIND is cmocka or node
run_suite() {
	local name=$1 kind=$2
	shift 2
	local log="$logdir/${name}.log"
	echo
	echo "==== $name: $*"
	"$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	local counts pass fail note=""
	if [ "$kind" = cmocka ]; then counts=$(count_cmocka "$log"); else counts=$(count_node "$log"); fi
	read -r pass fail <<<"$counts"
	if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		fail=1   # the suite failed without a counted test failure: count the suite
		note=" (exit status $rc without a failed test: counted as 1 failure)"
	fi
	if [ $((pass + fail)) -eq 0 ]; then
		note=" (no tests counted)"
		bad=1
	fi
	[ "$rc" -ne 0 ] && bad=1
	[ "$fail" -ne 0 ] && bad=1
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	names+=("$name")
	results+=("$(printf '%-12s %5d passed, %4d failed, exit %d%s' "$name:" "$pass" "$fail" "$rc" "$note")")
}

# the cmocka binaries (build/tests/ also holds the compiler's .d files)
unit_bins=()
for f in build/tests/test_*; do
	case "$f" in *.d | *.o | *.dSYM) continue ;; esac
	[ -f "$f" ] && [ -x "$f" ] && unit_bins+=("$f")
done
# nothing built: hand run-unit.sh the pattern itself so that it says so
[ ${#unit_bins[@]} -gt 0 ] || unit_bins=('build/tests/test_*')
run_suite unit cmocka bash tests/run-unit.sh "${unit_bins[@]}"
run_suite api-sqlite node bash tests/run-api.sh sqlite build/bangfu
run_suite api-pg node bash tests/run-api.sh pg build/bangfu
run_suite api-asan node bash tests/run-api.sh sqlite build/asan/bangfu
run_suite crash node env ROUNDS=3 bash tests/crash/crashtest.sh build/bangfu
run_suite scale node bash tests/scale/scale.sh build/bangfu
run_suite fuzz node bash -c 'make -s $(printf "build/fuzz/%s " fuzz_csv fuzz_xlsx fuzz_http fuzz_parse fuzz_filetype) >/dev/null &&
	bash tests/fuzz/run.sh 5 fuzz_csv fuzz_xlsx fuzz_http fuzz_parse fuzz_filetype'
run_suite ui node bash tests/run-ui.sh build/bangfu

echo
echo "==== summary"
for r in "${results[@]}"; do
	echo "$r"
done
echo "$total_pass passed, $total_fail failed"
exit $bad
