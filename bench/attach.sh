#!/usr/bin/env bash
# bench/attach.sh — the attachment rows of `make bench` (issue 19):
#   upload and download throughput of 1 MiB and 10 MiB scans through
#   POST /attachments and GET /attachments/{id}/content (one client: one
#   curl process for all the files of a row, one kept-alive connection),
#   against bench/blob_floor.c copying the same bytes into and out of a
#   SQLite blob: target >= 0.50;
#   peak RSS of bangfu serve while 16 clients download, then upload, 10 MiB
#   scans at once: bounded (streamed per request, not copied whole several
#   times): target <= 64 MiB + 16 x 2 x 10 MiB.
# Prints a Markdown table on stdout; logs on stderr.
#   BENCH_BANGFU (default build/bangfu), BENCH_ATTACH_COUNT (default 20)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BANGFU=${BENCH_BANGFU:-$PWD/build/bangfu}
COUNT=${BENCH_ATTACH_COUNT:-20}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/bangfu-attach.XXXXXX")
pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT
log() { echo "attach: $*" >&2; }

cc -O2 -o "$DIR/blob_floor" bench/blob_floor.c -lsqlite3
# a PDF of n bytes (padding in a comment line; startxref and %%EOF at the end)
mkpdf() { { printf '%%PDF-1.4\n%%'; head -c "$(($1 - 64))" /dev/zero | tr '\0' 'x'; printf '\nstartxref\n9\n%%%%EOF\n'; } > "$2"; }
mkpdf $((1 << 20)) "$DIR/1m.pdf"
mkpdf $((10 << 20)) "$DIR/10m.pdf"

"$BANGFU" init --db "$DIR/b.db" --admin-password Admin12345a --demo > "$DIR/init.log" 2>&1
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
"$BANGFU" serve --db "$DIR/b.db" --listen "127.0.0.1:$port" 2> "$DIR/serve.log" &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
tok=$("$BANGFU" token create --db "$DIR/b.db" --user city_staff)
hid=$(sqlite3 "$DIR/b.db" "SELECT id FROM households WHERE status = 'active' ORDER BY id LIMIT 1")
url="http://127.0.0.1:$port/api/v1/attachments?owner_type=household&owner_id=$hid&kind=%E5%85%B6%E4%BB%96"

# The server's CPU time so far (user + system, in clock ticks).
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
# One curl process for all COUNT transfers over one kept-alive connection;
# each transfer writes "T <seconds>" (curl's time_total: from the request
# to the last byte, the connection's set-up in the first), and the rate is
# of their sum: the curl process's start-up (about 12 ms here, 0.6 ms per
# 1 MiB file of a row of 20) is not the server's, and the floor does not
# pay its own either (it is timed after sqlite3_open).  A curl started per
# file measured curl's start-up and a TCP handshake per file.  The log
# keeps the process's wall-clock rate beside it.
# Prints "MB/s server-CPU-ms-per-request wall-clock-MB/s".
rate() {
	local t0 t1 c0 c1 mb=$(( $1 * COUNT ))
	c0=$(cpu)
	t0=$(date +%s.%N)
	curl -sf -K "$2" > "$3"
	t1=$(date +%s.%N)
	c1=$(cpu)
	awk -v mb="$mb" -v t0="$t0" -v t1="$t1" -v c0="$c0" -v c1="$c1" -v tck="$(getconf CLK_TCK)" -v n="$COUNT" \
		'/^T [0-9.]+$/ { t += $2; k++ }
		 END { if (k != n) exit 1; printf "%.1f %.1f %.1f\n", mb / 1048576 / t, (c1 - c0) * 1000 / tck / n, mb / 1048576 / (t1 - t0) }' "$3"
}
# MB/s of COUNT uploads of file $1; the ids go to $DIR/ids
upload_rate() {
	local k
	for k in $(seq 1 "$COUNT"); do
		[[ $k -gt 1 ]] && echo next
		printf 'url = "%s"\nheader = "Authorization: Bearer %s"\nheader = "Expect:"\n' "$url" "$tok"
		printf 'header = "Content-Type: application/pdf"\ndata-binary = "@%s"\nwrite-out = "\\nT %%{time_total}\\n"\n' "$1"
	done > "$DIR/up.cfg"
	rate "$(stat -c %s "$1")" "$DIR/up.cfg" "$DIR/up.out"
	sed -nE 's/^\{"id":([0-9]+).*/\1/p' "$DIR/up.out" > "$DIR/ids"
}
download_rate() {
	{
		printf 'header = "Authorization: Bearer %s"\n' "$tok"
		while read -r id; do
			printf 'url = "http://127.0.0.1:%s/api/v1/attachments/%s/content"\noutput = "/dev/null"\n' "$port" "$id"
			printf 'write-out = "T %%{time_total}\\n"\n'
		done < "$DIR/ids"
	} > "$DIR/down.cfg"
	rate "$1" "$DIR/down.cfg" "$DIR/down.out"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# met A B: A / B >= 0.50, unrounded (the ratio column has 2 decimals)
met() { awk -v a="$1" -v b="$2" 'BEGIN { print (b > 0 && a / b >= 0.5) ? "met" : "**missed**" }'; }

echo "| attachments | bangfu | floor | ratio | target | |"
echo "|---|---|---|---|---|---|"
for f in 1m 10m; do
	size=$(stat -c %s "$DIR/$f.pdf")
	read -r fw fr < <("$DIR/blob_floor" "$DIR/floor-$f.db" "$size" "$COUNT")
	upload_rate "$DIR/$f.pdf" > "$DIR/rate" || { log "uploads failed: $(head -c 300 "$DIR/up.out")"; exit 1; }
	read -r up upcpu upwall < "$DIR/rate"
	[[ $(wc -l < "$DIR/ids") -eq $COUNT ]] || { log "uploads failed: $(head -c 300 "$DIR/up.out")"; exit 1; }
	download_rate "$size" > "$DIR/rate" || { log "downloads failed"; exit 1; }
	read -r down downcpu downwall < "$DIR/rate"
	log "$f: upload $up MB/s (floor $fw, server CPU $upcpu ms each, $upwall MB/s with curl's start-up), download $down MB/s (floor $fr, server CPU $downcpu ms each, $downwall MB/s with curl's start-up)"
	echo "| upload $f (MB/s) | $up | $fw | $(ratio "$up" "$fw") | >= 0.50 | $(met "$up" "$fw") |"
	echo "| download $f (MB/s) | $down | $fr | $(ratio "$down" "$fr") | >= 0.50 | $(met "$down" "$fr") |"
done

# 16 clients at once, 10 MiB each: the peak memory of a server started
# afresh (what the rows above left in malloc's free lists is not
# theirs), for downloads (the last row's files) and then uploads.
limit=$((64 + 16 * 2 * 10))
restart() {
	kill "$pid" && wait "$pid" 2>/dev/null || true
	"$BANGFU" serve --db "$DIR/b.db" --listen "127.0.0.1:$port" 2>> "$DIR/serve.log" &
	pid=$!
	for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
}
# The peaks, once the clients are done: VmHWM, and private memory
# (RssAnon, sampled every 10 ms).  VmHWM also counts the pages of SQLite's
# mmap of the database (page cache, shared with the kernel), once per
# pooled connection that maps them: a streamed download reads its blocks on
# whichever connection is free, so its row gives private memory, which is
# what a copy of the file per download would raise.
peak() {
	local hwm anon=0 a
	while [[ $(jobs -rp | grep -cv "^$pid$") -gt 0 ]]; do
		a=$(awk '/RssAnon/ {print $2}' "/proc/$pid/status")
		[[ $a -gt $anon ]] && anon=$a
		sleep 0.01
	done
	wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
	hwm=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
	anon=$((anon / 1024))
	log "16 x 10 MiB $1: peak RSS (VmHWM) $hwm MiB, private (RssAnon, sampled) $anon MiB"
	[[ $2 == private ]] && hwm=$anon
	echo "| peak $( [[ $2 == private ]] && echo 'private memory' || echo RSS), 16 × 10 MiB $1 at once (MiB) | $hwm | | | <= $limit | $( [[ $hwm -le $limit ]] && echo met || echo '**missed**') |"
}
restart
while read -r id; do
	curl -sf -o /dev/null -H "Authorization: Bearer $tok" "http://127.0.0.1:$port/api/v1/attachments/$id/content" &
done < <(head -16 "$DIR/ids")
peak downloads private
restart
for _ in $(seq 1 16); do
	curl -sf -o /dev/null -H "Authorization: Bearer $tok" -H 'Expect:' -H 'Content-Type: application/pdf' --data-binary "@$DIR/10m.pdf" "$url" &
done
peak uploads rss
