#!/usr/bin/env bash
# pg-server.sh — a throwaway PostgreSQL server for tests.
#
#   bash tests/pg-server.sh start DIR   initdb in DIR/data, start on a free
#                                       127.0.0.1 port, print one line:
#                                       BANGFU_TEST_PG_URL=postgresql://...
#   bash tests/pg-server.sh standby URL DIR
#                                       a streaming standby of the server at
#                                       URL (pg_basebackup -R) in DIR/data,
#                                       started on a free port; prints its
#                                       BANGFU_TEST_PG_URL line too
#   bash tests/pg-server.sh stop DIR    stop it (fast) and remove DIR;
#                                       idempotent.
#
# Trust authentication, loopback only; the socket lives in DIR.  As root the
# server runs as the system user `bangfu-test` (created when missing); the
# superuser role is always `bangfu-test`.  Everything but the URL line goes
# to stderr or DIR/log.
set -euo pipefail

PG_USER=bangfu-test
MARKER=.bangfu-test-pg

die() {
	echo "pg-server.sh: $*" >&2
	exit 1
}

usage() {
	echo "usage: bash tests/pg-server.sh start|stop DIR | standby URL DIR" >&2
	exit 2
}

cmd=${1:-}
if [ "$cmd" = standby ]; then
	[ $# -eq 3 ] || usage
	primary=$2
	shift
fi
[ $# -eq 2 ] || usage
dir=$2
[ -n "$dir" ] || usage
case "$dir" in
/ | /. | /.. | //*) die "refusing to use $dir" ;;
esac

find_bindir() {
	local b=""
	if command -v pg_config >/dev/null 2>&1; then
		b=$(pg_config --bindir 2>/dev/null || true)
	fi
	if [ -n "$b" ] && [ -x "$b/initdb" ] && [ -x "$b/pg_ctl" ]; then
		echo "$b"
	elif [ -x /usr/lib/postgresql/15/bin/initdb ]; then
		echo /usr/lib/postgresql/15/bin
	else
		die "PostgreSQL server binaries not found (install postgresql)"
	fi
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a PostgreSQL binary as the server's user, in C locale.
as_pg() {
	if is_root; then
		(cd "$dir" && runuser -u "$PG_USER" -- env LC_ALL=C LANG=C "$@")
	else
		(cd "$dir" && env LC_ALL=C LANG=C "$@")
	fi
}

free_port() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
		return
	fi
	local used p
	used=$(ss -Htln 2>/dev/null | awk '{print $4}' | sed 's/.*://' || true)
	for _ in $(seq 1 200); do
		p=$((20000 + RANDOM % 40000))
		if ! grep -qx "$p" <<<"$used"; then
			echo "$p"
			return
		fi
	done
	die "no free port found"
}

# DIR made ready: the marker, the socket path's length, its owner
prepare_dir() {
	mkdir -p "$dir" || die "cannot create $dir"
	dir=$(cd "$dir" && pwd -P)
	[ ! -e "$dir/data" ] || die "$dir/data already exists; run 'stop $dir' first"
	touch "$dir/$MARKER"
	# The socket path must fit in sockaddr_un (107 bytes).
	[ ${#dir} -le 80 ] || die "directory path too long for a unix socket: $dir"

	if is_root; then
		if ! id -u "$PG_USER" >/dev/null 2>&1; then
			useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER" >&2 ||
				die "cannot create user $PG_USER"
		fi
		chown -R "$PG_USER:" "$dir" || die "cannot chown $dir"
		runuser -u "$PG_USER" -- test -w "$dir" ||
			die "$PG_USER cannot write $dir (is a parent directory closed to other users?)"
	fi
}

# run_server BIN KEEP: starts the server of DIR/data on a free port, its
# postgresql.auto.conf written anew with the line KEEP first (a standby's
# primary_conninfo, or nothing); prints the URL line.
run_server() {
	local bin=$1 keep=$2 port ok=0
	for _ in 1 2 3; do
		port=$(free_port)
		{
			echo "# Written by tests/pg-server.sh"
			[ -z "$keep" ] || printf '%s\n' "$keep"
			echo "listen_addresses = '127.0.0.1'"
			echo "port = $port"
			echo "unix_socket_directories = '$dir'"
			echo "max_connections = 200"
			echo "timezone = 'UTC'"
			echo "log_timezone = 'UTC'"
		} >"$dir/data/postgresql.auto.conf"
		if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start >&2; then
			ok=1
			break
		fi
		echo "pg-server.sh: start on port $port failed, retrying" >&2
		as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
	done
	if [ "$ok" -ne 1 ]; then
		tail -n 30 "$dir/log" >&2 2>/dev/null || true
		die "PostgreSQL did not start"
	fi
	echo "BANGFU_TEST_PG_URL=postgresql://$PG_USER@127.0.0.1:$port/postgres"
}

start() {
	local bin
	bin=$(find_bindir)
	prepare_dir
	if ! as_pg "$bin/initdb" -D "$dir/data" -U "$PG_USER" -E UTF8 --locale=C \
		--auth=trust >"$dir/initdb.log" 2>&1; then
		cat "$dir/initdb.log" >&2
		die "initdb failed"
	fi

	cat >"$dir/data/pg_hba.conf" <<'EOF'
# Throwaway test server: trust, loopback only.
local   all   all                 trust
host    all   all   127.0.0.1/32  trust
host    all   all   ::1/128       trust
local   replication   all                 trust
host    replication   all   127.0.0.1/32  trust
EOF
	run_server "$bin" ""
}

# standby: a copy of the primary at $primary, the WAL streamed while it is
# taken, with standby.signal and its primary_conninfo (pg_basebackup -R)
standby() {
	local bin conninfo
	bin=$(find_bindir)
	prepare_dir
	if ! as_pg "$bin/pg_basebackup" -d "$primary" -D "$dir/data" -R -X stream -c fast \
		>"$dir/basebackup.log" 2>&1; then
		cat "$dir/basebackup.log" >&2
		die "pg_basebackup failed"
	fi
	conninfo=$(grep '^primary_conninfo' "$dir/data/postgresql.auto.conf") ||
		die "pg_basebackup -R wrote no primary_conninfo"
	run_server "$bin" "$conninfo"
}

stop() {
	[ -e "$dir" ] || return 0
	[ -d "$dir" ] || die "$dir is not a directory"
	dir=$(cd "$dir" && pwd -P)
	[ "$dir" != / ] || die "refusing to remove /"
	if [ ! -e "$dir/$MARKER" ] && [ -n "$(ls -A "$dir")" ]; then
		die "$dir was not made by pg-server.sh start; not removing it"
	fi
	if [ -f "$dir/data/postmaster.pid" ]; then
		local bin
		bin=$(find_bindir)
		as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2 ||
			echo "pg-server.sh: pg_ctl stop failed (already stopped?)" >&2
	fi
	rm -rf "$dir" || die "cannot remove $dir"
}

case "$cmd" in
start) start ;;
standby) standby ;;
stop) stop ;;
*) usage ;;
esac
