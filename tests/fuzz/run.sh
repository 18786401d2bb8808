#!/usr/bin/env bash
# run.sh SECONDS NAME... — runs each libFuzzer harness build/fuzz/NAME for
# SECONDS on its corpus (build/fuzz/corpus-NAME, seeded from tests/fuzz/seeds
# and docs/samples); prints TAP, one line per harness with its executions,
# and "# pass N" / "# fail N".  A crash leaves its input in build/fuzz/.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
secs=$1
shift
pass=0 fail=0 n=0
echo "TAP version 13"
for name in "$@"; do
	n=$((n + 1))
	corpus=build/fuzz/corpus-$name
	mkdir -p "$corpus"
	case "$name" in
	fuzz_csv) cp docs/samples/*.csv "$corpus/" ;;
	fuzz_xlsx) printf '\001<sst><si><t>户主身份证号</t></si></sst>\000<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="2"><c r="A2"><f>SUM(1)</f><v>1</v></c><c r="B2"><v>1.5</v></c></row></sheetData></worksheet>' >"$corpus/seed" ;;
	esac
	[ -d "tests/fuzz/seeds/$name" ] && cp "tests/fuzz/seeds/$name"/* "$corpus/"
	log=build/fuzz/$name.log
	if "build/fuzz/$name" -max_total_time="$secs" -rss_limit_mb=2048 -artifact_prefix=build/fuzz/ \
		-print_final_stats=1 "$corpus" >"$log" 2>&1; then
		execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
		echo "ok $n - $name: ${execs:-?} executions in ${secs} s, no crash"
		pass=$((pass + 1))
	else
		echo "not ok $n - $name (log: $log)"
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 | sed 's/^/  # /'
		fail=$((fail + 1))
	fi
done
echo "1..$n"
echo "# pass $pass"
echo "# fail $fail"
[ "$fail" -eq 0 ]
