#!/usr/bin/env bash
# bench/scale.sh — scale-out and backup figures (called by bench/run.sh, or
# alone: bash bench/scale.sh):
#   1. throughput of ONE and of TWO `bangfu serve` processes on one
#      PostgreSQL database, each time behind nginx (round robin), for the
#      mixed load of bench/mixed.lua (MIXED_WRITES of 10 requests are
#      deposits, the rest reads);
#   2. the time to back up and restore a database of BACKUP_SIZE households
#      (default 1,000,000; bench/gen_households.sh): SQLite with `bangfu
#      backup` / `bangfu restore`, PostgreSQL with pg_dump / pg_restore (via
#      `bangfu backup` / `restore`), each followed by `bangfu check`.
# Settings: BENCH_SECONDS (10), BENCH_THREADS (2), BENCH_CONNS (64),
# MIXED_WRITES (2), BACKUP_SIZE (1000000; 0 skips part 2), BENCH_KEEP=1,
# SCALE_DEMO=0 (no demo city: quicker, but the reads list no households).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BANGFU=${BENCH_BANGFU:-$ROOT/build/bangfu}
SECS=${BENCH_SECONDS:-10}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNS:-64}
WRITES=${MIXED_WRITES:-2}
SIZE=${BACKUP_SIZE:-1000000}
PW=Bench12345a
DIR=$(mktemp -d "${TMPDIR:-/tmp}/bangfu-bscale.XXXXXX")
chmod 755 "$DIR"
PIDS=()
log() { printf 'bench-scale: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	[[ -f $DIR/ng/nginx.pid ]] && kill "$(cat "$DIR/ng/nginx.pid")" 2>/dev/null || true
	bash tests/pg-server.sh stop "$DIR/pg" >/dev/null 2>&1 || true
	[[ ${BENCH_KEEP:-0} == 1 ]] && log "kept $DIR" || rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up() { for _ in $(seq 1 100); do curl -fs -o /dev/null "$1/healthz" && return 0; sleep 0.1; done; return 1; }
secs_of() { local t0=$EPOCHREALTIME; "$@" >/dev/null 2>>"$DIR/err.log" || die "failed: $* ($(tail -3 "$DIR/err.log"))"; awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

cp "$BANGFU" "$DIR/bangfu"
BANGFU=$DIR/bangfu
eval "$(bash tests/pg-server.sh start "$DIR/pg")" || die "PostgreSQL did not start"
psql -q "$BANGFU_TEST_PG_URL" -c 'CREATE DATABASE bench_scale'
DB=${BANGFU_TEST_PG_URL%/postgres}/bench_scale
if [[ ${SCALE_DEMO:-1} == 1 ]]; then
	log "init --demo on PostgreSQL"
	"$BANGFU" init --db "$DB" --admin-password "$PW" --demo >/dev/null
else # quick: no demo city, the reads see an empty household list
	"$BANGFU" init --db "$DB" --admin-password "$PW" >/dev/null
	"$BANGFU" user add --db "$DB" --username fin --name 财务 --org-id 1 --role finance --password "$PW" >/dev/null
fi
FIN=$(psql -qAt "$DB" -c "SELECT username FROM users WHERE role = 'finance' ORDER BY id LIMIT 1")
TOKEN=$("$BANGFU" token create --db "$DB" --user "$FIN")
ADMIN_TOKEN=$("$BANGFU" token create --db "$DB" --user admin)

# nginx_start PORT... : a round-robin proxy in front of the given ports
nginx_start() {
	rm -rf "$DIR/ng"
	local out
	out=$(bash tests/nginx-proxy.sh "$DIR/ng" "$@") || die "nginx did not start"
	PROXY_PORT=${out#NGINX_PORT=}
	# the benchmark logs nothing per request
	sed -i 's|access_log .*;|access_log off;|' "$DIR/ng/nginx.conf"
	kill -HUP "$(cat "$DIR/ng/nginx.pid")"
}
nginx_stop() { kill "$(cat "$DIR/ng/nginx.pid")"; sleep 0.5; }

ACCOUNT=
ROWS=()
run_mixed() { # NAME NPROC
	local name=$1 n=$2 ports=() i pids=()
	for ((i = 0; i < n; i++)); do
		local p; p=$(port)
		"$BANGFU" serve --db "$DB" --listen "127.0.0.1:$p" 2>"$DIR/serve-$n-$i.log" &
		pids+=($!); PIDS+=($!)
		up "http://127.0.0.1:$p" || die "serve did not start"
		ports+=("$p")
	done
	nginx_start "${ports[@]}"
	local base=http://127.0.0.1:$PROXY_PORT
	if [[ -z $ACCOUNT ]]; then
		ACCOUNT=$(curl -sf -X POST "$base/api/v1/fund-accounts" -H "Authorization: Bearer $TOKEN" \
			-H 'Content-Type: application/json' -d '{"org_id":1,"source":"union","year":2026,"name":"压测账户"}' | jq -r .id)
		[[ $ACCOUNT =~ ^[0-9]+$ ]] || die "no fund account"
	fi
	log "wrk ${SECS}s -t$THREADS -c$CONNS mixed ($WRITES/10 writes), $name"
	local out
	out=$(wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" -H "Authorization: Bearer $TOKEN" -s bench/mixed.lua "$base/" -- "$ACCOUNT" "$WRITES")
	ROWS+=("$name|$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")|$(awk '$1 == "Latency" {print $2; exit}' <<<"$out")|$(grep '^MIXED' <<<"$out")")
	nginx_stop
	for p in "${pids[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done
	"$BANGFU" funds reconcile --db "$DB" >/dev/null || die "the ledger does not reconcile after $name"
}
run_mixed "1 process behind nginx" 1
run_mixed "2 processes behind nginx" 2

BROWS=()
if [[ $SIZE != 0 ]]; then
	log "backup: generating $SIZE households (SQLite)"
	"$BANGFU" init --db "$DIR/big.db" --admin-password "$PW" --demo >/dev/null
	bash bench/gen_households.sh "$DIR/big.db" "$SIZE" >&2
	BROWS+=("SQLite database file|$(du -m "$DIR/big.db" | cut -f1) MB|")
	BROWS+=("SQLite bangfu backup|$(secs_of "$BANGFU" backup --db "$DIR/big.db" -o "$DIR/big.bak") s|$(du -m "$DIR/big.bak" | cut -f1) MB")
	BROWS+=("SQLite bangfu restore|$(secs_of "$BANGFU" restore --db "$DIR/restored.db" "$DIR/big.bak") s|")
	BROWS+=("SQLite bangfu check (restored)|$(secs_of "$BANGFU" check --db "$DIR/restored.db") s|")
	rm -f "$DIR/big.bak" "$DIR/restored.db"*
	log "backup: copying them into PostgreSQL"
	psql -q "$BANGFU_TEST_PG_URL" -c 'CREATE DATABASE bench_big'
	BIG=${BANGFU_TEST_PG_URL%/postgres}/bench_big
	"$BANGFU" init --db "$BIG" --admin-password "$PW" --demo >/dev/null
	max=$(psql -qAt "$BIG" -c 'SELECT MAX(id) FROM households')
	for t in households members archive_people; do
		cols=$(sqlite3 "$DIR/big.db" "SELECT group_concat(name, ',') FROM pragma_table_info('$t')")
		where="id > $max"; [[ $t == households ]] || where="household_id > $max"
		sqlite3 -csv "$DIR/big.db" "SELECT $cols FROM $t WHERE $where" >"$DIR/$t.csv"
		psql -q "$BIG" -c "\\copy $t ($cols) FROM '$DIR/$t.csv' CSV"
		psql -qAt "$BIG" -c "SELECT setval(pg_get_serial_sequence('$t', 'id'), (SELECT MAX(id) FROM $t))" >/dev/null
		rm -f "$DIR/$t.csv"
	done
	rm -f "$DIR/big.db"*
	BROWS+=("PostgreSQL households|$(psql -qAt "$BIG" -c 'SELECT COUNT(*) FROM households')|")
	BROWS+=("PostgreSQL bangfu backup (pg_dump)|$(secs_of "$BANGFU" backup --db "$BIG" -o "$DIR/big.dump") s|$(du -m "$DIR/big.dump" | cut -f1) MB")
	psql -q "$BANGFU_TEST_PG_URL" -c 'CREATE DATABASE bench_restored'
	RES=${BANGFU_TEST_PG_URL%/postgres}/bench_restored
	BROWS+=("PostgreSQL bangfu restore (pg_restore)|$(secs_of "$BANGFU" restore --db "$RES" "$DIR/big.dump") s|")
	BROWS+=("PostgreSQL bangfu check (restored)|$(secs_of "$BANGFU" check --db "$RES") s|")
fi

echo
echo "Scale-out: mixed load ($WRITES of 10 requests write), PostgreSQL, nginx round robin, wrk -t$THREADS -c$CONNS -d${SECS}s on $(nproc) CPU(s)"
for r in "${ROWS[@]}"; do IFS='|' read -r a b c d <<<"$r"; printf '%-28s %10s req/s %10s   %s\n' "$a" "$b" "$c" "$d"; done
if ((${#BROWS[@]})); then
	echo
	echo "Backup and restore, $SIZE generated households (+ the demo)"
	for r in "${BROWS[@]}"; do IFS='|' read -r a b c <<<"$r"; printf '%-40s %12s   %s\n' "$a" "$b" "$c"; done
fi
