#!/usr/bin/env bash
# verdict.sh DIR — memcheck's verdict over DIR/vg.PID.log (make valgrind).
# A process that ended normally must report 0 errors (a definite leak counts).
# A process ended by a signal cannot be judged (its "leaks" are whatever it
# held when it was stopped; a SIGKILLed one writes no summary at all).  The
# suite kills some on purpose (kill -9 of a crash test) and lists their pids
# in DIR/killed-on-purpose.pids (BANGFU_TEST_KILLED_LOG, tests/api/lib.mjs);
# any other process ended by a signal, or still running, was stopped by
# accident (a time limit, a hung test) and fails the verdict like an error.
# Exits 1 when a process had errors or was stopped by accident.
set -uo pipefail
dir=${1:-build/valgrind}
purpose_file="$dir/killed-on-purpose.pids"
n=0 ok=0 purpose=0 bad=() accident=()
for f in "$dir"/vg.*.log; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	pid=${f##*/vg.}
	pid=${pid%.log}
	if grep -q 'Process terminating with default action of signal' "$f" || ! grep -q 'ERROR SUMMARY' "$f"; then
		if [ -f "$purpose_file" ] && grep -qx "$pid" "$purpose_file"; then
			purpose=$((purpose + 1))
		else
			why=$(grep -o 'default action of signal [0-9]* ([A-Z]*)' "$f" | head -1)
			cmd=$(grep -m1 -o 'Command: .*' "$f" | cut -c10-130)
			accident+=("$f: ${why:-no summary (SIGKILL or still running)}: $cmd")
		fi
	elif grep -q 'ERROR SUMMARY: 0 errors' "$f"; then
		ok=$((ok + 1))
	else
		bad+=("$f")
	fi
done
echo "valgrind: $n bangfu processes: $ok clean, ${#bad[@]} with errors," \
	"$purpose killed on purpose (not judged), ${#accident[@]} stopped by accident"
[ ${#bad[@]} -gt 0 ] && printf '  errors: %s\n' "${bad[@]}"
[ ${#accident[@]} -gt 0 ] && printf '  stopped: %s\n' "${accident[@]}"
[ ${#bad[@]} -eq 0 ] && [ ${#accident[@]} -eq 0 ]
