#!/usr/bin/env bash
# bench/run.sh — `make bench`: bangfu's throughput against the floor.
#
# The floor (bench/floor.c) is a bare libmicrohttpd server configured like
# bangfu's that answers a fixed JSON body: the most bangfu could do on this
# machine.  Each bangfu endpoint is measured with the same wrk load and shown
# as a percentage of the floor; the target is >= 50 %.
#
# Settings (environment):
#   BENCH_SECONDS  wrk duration per endpoint (default 10)
#   BENCH_THREADS  wrk threads (default 2)
#   BENCH_CONNS    wrk connections (default 64)
#   BENCH_TARGET   target, percent of the floor (default 50)
#   BENCH_STRICT=1 exit 1 when an endpoint misses the target
#   BENCH_KEEP=1   keep the temp dir (database, serve.log with the access log)
#   BENCH_BANGFU   the binary to measure (default build/bangfu)
#
# Adding a benchmark: write a function that calls `bench_http NAME PATH`
# (authenticated GET) or `bench_url NAME URL [wrk args...]`, and call it from
# main() below.  Each call appends one row to the table.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BANGFU=${BENCH_BANGFU:-$ROOT/build/bangfu}
FLOOR=$ROOT/build/bench/floor

SECONDS_PER=${BENCH_SECONDS:-10}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNS:-64}
TARGET=${BENCH_TARGET:-50}
ADMIN_PW=Bench12345a

DIR=
PIDS=()
ROWS=()          # "name|req/s|latency|errors"
FLOOR_RPS=
MISSED=0

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	if [[ -n $DIR && -d $DIR ]]; then
		if [[ ${BENCH_KEEP:-0} == 1 ]]; then
			log "kept $DIR"
		else
			rm -rf "$DIR"
		fi
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- helpers ---------------------------------------------------------------

need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found (apt-get install -y $2)"; }

build_floor() {
	mkdir -p "$(dirname "$FLOOR")"
	if [[ ! -x $FLOOR || bench/floor.c -nt $FLOOR ]]; then
		# shellcheck disable=SC2046
		${CC:-cc} -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -o "$FLOOR" bench/floor.c \
			$(pkg-config --cflags --libs libmicrohttpd) -lpthread
	fi
}

# A TCP port nobody listens on (random in 20000–59999, checked with ss).
free_port() {
	local p i
	for ((i = 0; i < 100; i++)); do
		p=$((20000 + RANDOM % 40000))
		if ! ss -Hltn "sport = :$p" | grep -q .; then
			echo "$p"
			return 0
		fi
	done
	die "no free port found"
}

# wait_http URL PID: until URL answers 200 (or PID dies / 10 s pass).
wait_http() {
	local url=$1 pid=$2 i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || return 1
		[[ $(curl -s -o /dev/null -w '%{http_code}' "$url" || true) == 200 ]] && return 0
		sleep 0.1
	done
	return 1
}

# keepalive_check NAME URL [curl args...]: warns when the server closes the
# connection after the answer (MHD's "Connection: close" — a big slowdown).
keepalive_check() {
	local name=$1 url=$2
	shift 2
	local hdrs
	hdrs=$(curl -s -D - -o /dev/null "$@" "$url")
	if grep -qi '^connection: *close' <<<"$hdrs"; then
		log "WARNING: $name answers 'Connection: close' (no keep-alive)"
	fi
}

# bench_url NAME URL [wrk args...]: runs wrk, appends a row, echoes req/s.
bench_url() {
	local name=$1 url=$2
	shift 2
	local out rps lat errs non2xx
	log "wrk ${SECONDS_PER}s -t$THREADS -c$CONNS  $name"
	out=$(wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_PER}s" "$@" "$url" 2>&1) ||
		die "wrk failed on $name: $out"
	rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
	lat=$(awk '$1 == "Latency" {print $2; exit}' <<<"$out")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
	errs=$(awk '/Socket errors:/ {sub(/.*Socket errors: */, ""); print}' <<<"$out")
	[[ -n $rps ]] || die "cannot parse wrk output for $name: $out"
	local note=""
	[[ -n $non2xx ]] && note="non-2xx=$non2xx "
	[[ -n $errs ]] && note+="socket errors: $errs"
	ROWS+=("$name|$rps|${lat:--}|$note")
	LAST_RPS=$rps
}

# bench_http NAME PATH: authenticated GET on bangfu.
bench_http() {
	local name=$1 path=$2
	keepalive_check "$name" "$BASE$path" -H "Authorization: Bearer $TOKEN"
	bench_url "$name" "$BASE$path" -H "Authorization: Bearer $TOKEN"
}

# bench_public NAME PATH: unauthenticated GET on bangfu.
bench_public() {
	local name=$1 path=$2
	keepalive_check "$name" "$BASE$path"
	bench_url "$name" "$BASE$path"
}

print_table() {
	local row name rps lat note pct verdict
	printf '\n%-24s %12s %10s %9s %8s  %s\n' endpoint req/s latency "vs floor" target ""
	printf '%s\n' "--------------------------------------------------------------------------"
	for row in "${ROWS[@]}"; do
		IFS='|' read -r name rps lat note <<<"$row"
		if [[ $name == floor ]]; then
			printf '%-24s %12.0f %10s %8s %8s  %s\n' "$name" "$rps" "$lat" "100 %" "-" "$note"
			continue
		fi
		pct=$(awk -v a="$rps" -v b="$FLOOR_RPS" 'BEGIN { printf("%.1f", (b > 0) ? 100 * a / b : 0) }')
		if awk -v p="$pct" -v t="$TARGET" 'BEGIN { exit !(p >= t) }'; then
			verdict=ok
		else
			verdict=BELOW
			MISSED=1
		fi
		printf '%-24s %12.0f %10s %6s %% %5s %%  %s %s\n' "$name" "$rps" "$lat" "$pct" \
			">=$TARGET" "$verdict" "$note"
	done
	printf '\nwrk -t%s -c%s -d%ss on %s CPU(s); floor = bench/floor.c (bare libmicrohttpd, fixed JSON)\n' \
		"$THREADS" "$CONNS" "$SECONDS_PER" "$(nproc)"
	printf 'latency = wrk mean; target = >= %s %% of the floor\n' "$TARGET"
}

# --- servers ---------------------------------------------------------------

start_floor() {
	local port
	port=$(free_port)
	"$FLOOR" "$port" 2>"$DIR/floor.log" &
	PIDS+=($!)
	FLOOR_URL=http://127.0.0.1:$port/
	wait_http "$FLOOR_URL" "$!" || die "floor did not start: $(cat "$DIR/floor.log")"
}

start_bangfu() {
	local port
	"$BANGFU" init --db "$DIR/b.db" --admin-password "$ADMIN_PW" --demo >/dev/null ||
		die "bangfu init failed"
	port=$(free_port)
	"$BANGFU" serve --db "$DIR/b.db" --listen "127.0.0.1:$port" 2>"$DIR/serve.log" &
	PIDS+=($!)
	BASE=http://127.0.0.1:$port
	wait_http "$BASE/healthz" "$!" || die "bangfu did not start: $(cat "$DIR/serve.log")"
	TOKEN=$(curl -sf -X POST "$BASE/api/v1/login" \
		-d "{\"username\":\"admin\",\"password\":\"$ADMIN_PW\"}" | jq -r .token) ||
		die "login failed"
	[[ ${#TOKEN} == 64 ]] || die "login gave no token"
}

# --- benchmarks --------------------------------------------------------------

bench_floor() {
	keepalive_check floor "$FLOOR_URL"
	bench_url floor "$FLOOR_URL"
	FLOOR_RPS=$LAST_RPS
}

bench_basics() {
	bench_public "GET /healthz" /healthz
	bench_http "GET /api/v1/me" /api/v1/me
	bench_http "GET /api/v1/orgs" /api/v1/orgs
}

main() {
	need wrk wrk
	need curl curl
	need jq jq
	need ss iproute2
	[[ -x $BANGFU ]] || die "$BANGFU missing (run make)"
	build_floor
	local load
	load=$(cut -d' ' -f1 /proc/loadavg)
	if awk -v l="$load" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
		log "WARNING: load average $load on $(nproc) CPU(s) — other work will skew the figures"
	fi
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/bangfu-bench.XXXXXX")
	start_floor
	start_bangfu

	bench_floor
	bench_basics

	print_table
	if [[ $MISSED == 1 && ${BENCH_STRICT:-0} == 1 ]]; then
		exit 1
	fi
}

main "$@"
