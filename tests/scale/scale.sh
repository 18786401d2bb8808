#!/usr/bin/env bash
# scale.sh [BIN] — scale-out on one PostgreSQL: two `bangfu serve` processes
# on their own loopback ports and nginx (Debian's, unprivileged: its own
# config, pid and temp paths in a temp dir) round-robin in front of them;
# then tests/scale/scale.test.mjs (sessions on either process, concurrent
# approvals, debits, edits and campaigns, pg_dump/pg_restore).  Prints
# node's TAP; exits non-zero when a test failed.  SCALE_KEEP=1 keeps the
# temp dir (logs of both processes and nginx).  Beside them, a streaming
# standby of the database (tests/pg-server.sh standby) and a third process
# reading its reports there (`serve --report-db`, RULE report.replica):
# tests/scale/replica.test.mjs.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
bin=${1:-build/bangfu}
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
export BANGFU_BIN="$bin"
unset BANGFU_DB

dir=$(mktemp -d "${TMPDIR:-/tmp}/bangfu-scale.XXXXXX") || exit 1
chmod 755 "$dir" # pg-server.sh and nginx may run as an unprivileged user
pgdir="$dir/pg"
standbydir="$dir/pg-standby"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	[ -f "$dir/nginx/nginx.pid" ] && kill "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null
	bash tests/pg-server.sh stop "$standbydir" >/dev/null 2>&1
	bash tests/pg-server.sh stop "$pgdir" >/dev/null 2>&1
	[ "${SCALE_KEEP:-0}" = 1 ] && echo "# kept $dir" || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() { echo "scale.sh: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { # URL PID
	for _ in $(seq 1 200); do
		curl -fsS -o /dev/null "$1/healthz" 2>/dev/null && return 0
		[ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null && return 1
		sleep 0.1
	done
	return 1
}

out=$(bash tests/pg-server.sh start "$pgdir") || die "PostgreSQL did not start"
eval "$(printf '%s\n' "$out" | grep '^BANGFU_TEST_PG_URL=')"
export BANGFU_TEST_PG_URL
psql "$BANGFU_TEST_PG_URL" -qc 'CREATE DATABASE scale' || die "CREATE DATABASE failed"
db="${BANGFU_TEST_PG_URL%/*}/scale"
"$bin" init --db "$db" --admin-user admin --admin-password Admin12345a >"$dir/init.log" 2>&1 ||
	{ cat "$dir/init.log" >&2; die "bangfu init failed"; }
echo "2026-03-02T09:00:00Z" >"$dir/clock"

ports=()
for name in a b; do
	port=$(free_port)
	"$bin" serve --db "$db" --listen "127.0.0.1:$port" --clock-file "$dir/clock" --threads 4 \
		--trusted-proxy 127.0.0.1 >"$dir/serve-$name.log" 2>&1 &
	pids+=($!)
	wait_up "http://127.0.0.1:$port" $! || { tail -20 "$dir/serve-$name.log" >&2; die "serve $name did not start"; }
	ports+=("$port")
done

# the standby, caught up with the primary, and a process whose reports read it
out=$(bash tests/pg-server.sh standby "$BANGFU_TEST_PG_URL" "$standbydir") || die "the standby did not start"
eval "$(printf '%s\n' "$out" | grep '^BANGFU_TEST_PG_URL=' | sed 's/^/STANDBY_/')"
standby_db="${STANDBY_BANGFU_TEST_PG_URL%/*}/scale"
lsn=$(psql -XqtA "$db" -c 'SELECT pg_current_wal_lsn()')
for _ in $(seq 1 200); do
	[ "$(psql -XqtA "$standby_db" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'" 2>/dev/null)" = t ] && break
	sleep 0.1
done
port=$(free_port)
"$bin" serve --db "$db" --report-db "$standby_db" --listen "127.0.0.1:$port" --clock-file "$dir/clock" \
	--threads 4 >"$dir/serve-r.log" 2>&1 &
pids+=($!)
wait_up "http://127.0.0.1:$port" $! || { tail -20 "$dir/serve-r.log" >&2; die "serve r did not start"; }
export SCALE_R="http://127.0.0.1:$port" SCALE_STANDBY_DB="$standby_db"

# nginx, unprivileged: everything it writes lives in $dir/nginx
ng="$dir/nginx"
out=$(bash tests/nginx-proxy.sh "$ng" "${ports[@]}") || die "nginx did not start"
proxy=${out#NGINX_PORT=}

export SCALE_A="http://127.0.0.1:${ports[0]}" SCALE_B="http://127.0.0.1:${ports[1]}"
export SCALE_PROXY="http://127.0.0.1:$proxy" SCALE_DB="$db" SCALE_CLOCK="$dir/clock" SCALE_NGINX_LOG="$ng/access.log"
export SCALE_SERVE_LOGS="$dir/serve-a.log:$dir/serve-b.log"
export BANGFU_TEST_DB_KIND=pg
echo "# scale: serve a=$SCALE_A b=$SCALE_B, nginx $SCALE_PROXY, db $db"
node --test --test-concurrency=1 --test-reporter=tap tests/scale/
status=$?
for name in a b r; do
	if grep -E 'AddressSanitizer|runtime error:|^error:' "$dir/serve-$name.log"; then
		echo "# serve $name logged errors (above)"
		status=1
	fi
done
exit $status
