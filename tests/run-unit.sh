#!/usr/bin/env bash
# run-unit.sh BIN... — runs each cmocka test binary, prints its output and
# exits non-zero when any binary failed (or none was given, or one is
# missing).  A binary that dies before cmocka's summary is reported as
# "[  FAILED  ] 1 test(s)" so that counters see it.
set -uo pipefail

if [ $# -eq 0 ]; then
	echo "run-unit.sh: no test binaries given" >&2
	exit 1
fi

export CMOCKA_MESSAGE_OUTPUT=stdout
unset CMOCKA_TEST_ABORT
log=$(mktemp "${TMPDIR:-/tmp}/bangfu-unit.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT

failed=0
for t in "$@"; do
	if [ ! -x "$t" ] || [ -d "$t" ]; then
		echo "run-unit.sh: $t is not an executable test binary" >&2
		echo "[  FAILED  ] 1 test(s), listed below:"
		echo "[  FAILED  ] $t (missing)"
		failed=1
		continue
	fi
	echo "# $t"
	# cmocka prints its report on stdout and stderr; keep both, in order.
	"$t" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ]; then
		echo "run-unit.sh: $t exited with status $rc" >&2
		failed=1
		if ! grep -Eq '^\[  FAILED  \] [0-9]+ test' "$log"; then
			echo "[  FAILED  ] 1 test(s), listed below:"
			echo "[  FAILED  ] $t (exited with status $rc before its summary)"
		fi
	fi
done
exit $failed
