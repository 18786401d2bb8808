#!/usr/bin/env bash
# bench/mutual_roster.sh — issue 20's measure: enrol N people in a mutual-aid
# plan from one roster file (POST /mutual-aid/plans/{id}/enrolments/import,
# SQLite), beside the floor `sqlite_insert DB household --rows N --index`.
# The server's CPU seconds for the request (from /proc, so other load does
# not skew the rate) and its peak RSS are reported.  Target: >= 30 % of the
# floor's rows/cpu-s, memory flat.  bench/run.sh (make bench) runs it at
# BENCH_MUTUAL_SIZES for its table row (BENCH_MUTUAL=0 skips that).
#
#   bash bench/mutual_roster.sh [N]     (default 100000; the 10 MiB body
#                                        limit allows about 240,000)
# BENCH_BANGFU: the binary (default build/bangfu); BENCH_FLOORS: the built
# floors (default: bench/floors.sh builds them); BENCH_MUTUAL_RESULTS: a
# file to append "N|cpu-s|rows/cpu-s|floor rows/cpu-s|ratio|peak MiB|body MiB"
# to.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
N=${1:-100000}
BANGFU=${BENCH_BANGFU:-$PWD/build/bangfu}
[[ -x $BANGFU ]] || { echo "mutual_roster: $BANGFU missing (run make)" >&2; exit 1; }
FLOORS=${BENCH_FLOORS:-$(bash bench/floors.sh)}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/bangfu-roster.XXXXXX")
pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT

# the roster: N valid ID numbers (GB 11643), one person a row
python3 - "$N" "$DIR/roster.csv" <<'PY'
import datetime, sys
n, out = int(sys.argv[1]), sys.argv[2]
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]; C = "10X98765432"
rows, d, k = ["姓名,身份证号,联系电话"], datetime.date(1970, 1, 1), 0
while k < n:
    for seq in range(0, 1000, 2):
        s17 = "330102" + d.strftime("%Y%m%d") + "%03d" % seq
        rows.append(f"职工{k},{s17}{C[sum(int(a) * b for a, b in zip(s17, W)) % 11]},13800000000")
        k += 1
        if k >= n:
            break
    d += datetime.timedelta(days=1)
open(out, "w").write("\n".join(rows) + "\n")
PY

echo 2026-03-02 >"$DIR/clock"
"$BANGFU" init --db "$DIR/b.db" --admin-password Bench12345a >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BANGFU" serve --db "$DIR/b.db" --clock-file "$DIR/clock" --listen "127.0.0.1:$port" 2>"$DIR/serve.log" &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
api="http://127.0.0.1:$port/api/v1"
tok=$(curl -sf -XPOST "$api/login" -H 'Content-Type: application/json' \
	-d '{"username":"admin","password":"Bench12345a"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -sf -XPOST "$api/mutual-aid/plans" -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -d \
	'{"org_id":1,"code":"bench","name":"测试计划","kind":"medical","year":2026,"premium_fen":3000,"enrol_from":"2026-01-01","enrol_to":"2026-12-31","cover_from":"2026-01-01","cover_to":"2026-12-31","annual_cap_fen":1000000,"women_only":false,"age_max":null,"benefits":[{"code":"major","name":"重大疾病","max_fen":800000}]}' >/dev/null
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks)
start=$(date +%s.%N)
answer=$(curl -s -XPOST "$api/mutual-aid/plans/1/enrolments/import?org_id=1&paid_by=member&dry_run=false" \
	-H "Authorization: Bearer $tok" -H 'Content-Type: text/csv' --data-binary @"$DIR/roster.csv")
wall=$(echo "$(date +%s.%N) - $start" | bc)
cpu=$(echo "scale=2; ($(ticks) - $t0) / $hz" | bc)
peak=$(awk '/VmHWM/ { printf("%.1f", $2 / 1024) }' "/proc/$pid/status")
grep -q "\"enrolled\":$N" <<<"$answer" || { echo "mutual_roster: import failed: ${answer:0:300}" >&2; exit 1; }

/usr/bin/time -f '%U %S' -o "$DIR/ftime" "$FLOORS/sqlite_insert" "$DIR/insert.db" household --rows "$N" --index >/dev/null 2>&1
read -r fu fs <"$DIR/ftime"
fcpu=$(echo "$fu + $fs" | bc)
rate=$(echo "$N / $cpu" | bc)
frate=$(echo "$N / $fcpu" | bc)
printf 'mutual-aid roster, %d rows: %s s wall, %s cpu-s, %d rows/cpu-s, peak %s MiB\n' "$N" "$wall" "$cpu" "$rate" "$peak"
ratio=$(echo "scale=4; $rate / $frate" | bc)
body=$(awk -v b="$(stat -c %s "$DIR/roster.csv")" 'BEGIN { printf("%.1f", b / 1048576) }')
printf 'floor sqlite_insert --index:      %s cpu-s, %d rows/cpu-s; ratio %.2f (target >= 0.30); body %s MiB\n' \
	"$fcpu" "$frate" "$ratio" "$body"
if [[ -n ${BENCH_MUTUAL_RESULTS:-} ]]; then
	printf '%d|%s|%d|%d|%.2f|%s|%s\n' "$N" "$cpu" "$rate" "$frate" "$ratio" "$peak" "$body" >>"$BENCH_MUTUAL_RESULTS"
fi
