#!/usr/bin/env bash
# verdict.sh DIR — memcheck's verdict over DIR/vg.PID.log (make valgrind).
# A process that ended normally must report 0 errors (a definite leak counts).
# One killed by a signal (a test's time limit, SIGKILL of a server) is
# counted apart: its "leaks" are whatever it held when it was stopped.
# Exits 1 when a normally ended process had errors.
set -uo pipefail
dir=${1:-build/valgrind}
n=0 ok=0 killed=0 bad=()
for f in "$dir"/vg.*.log; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	if grep -q 'Process terminating with default action of signal' "$f" || ! grep -q 'ERROR SUMMARY' "$f"; then
		killed=$((killed + 1))
	elif grep -q 'ERROR SUMMARY: 0 errors' "$f"; then
		ok=$((ok + 1))
	else
		bad+=("$f")
	fi
done
echo "valgrind: $n bangfu processes: $ok clean, ${#bad[@]} with errors, $killed stopped by a signal (not judged)"
if [ ${#bad[@]} -gt 0 ]; then
	printf '  %s\n' "${bad[@]}"
	exit 1
fi
