#!/usr/bin/env bash
# nginx-proxy.sh DIR PORT... — starts Debian's nginx, unprivileged, as a
# round-robin proxy on a free 127.0.0.1 port in front of 127.0.0.1:PORT...;
# everything it writes (config, pid, logs, temp files) lives in DIR, which
# must not exist yet.  Prints one line: NGINX_PORT=N.  Stop it with
# kill "$(cat DIR/nginx.pid)".  As root it runs as pg-server.sh's user
# bangfu-test (start a PostgreSQL with tests/pg-server.sh first).
# DIR/access.log has one line per proxied request.  The refusals of nginx
# itself are configured as docs/deployment.md shows them (copied from there,
# so that the scale test checks the documented configuration).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 DIR PORT..." >&2; exit 2; }
dir=$1
shift
[ ! -e "$dir" ] || { echo "nginx-proxy.sh: $dir exists" >&2; exit 1; }
mkdir -p "$dir/tmp"
dir=$(cd "$dir" && pwd -P)
docs="$(cd "$(dirname "$0")/.." && pwd -P)/docs/deployment.md"
grep -q '# bangfu-json-errors: begin' "$docs" || { echo "nginx-proxy.sh: no error pages in $docs" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
{
	echo "worker_processes 2;"
	echo "pid $dir/nginx.pid;"
	echo "error_log $dir/error.log warn;"
	echo "events { worker_connections 1024; }"
	echo "http {"
	echo "	access_log $dir/access.log;"
	for t in client_body proxy fastcgi uwsgi scgi; do echo "	${t}_temp_path $dir/tmp/$t;"; done
	echo "	upstream bangfu {"
	for p in "$@"; do echo "		server 127.0.0.1:$p;"; done
	echo "		keepalive 64;"
	echo "	}"
	echo "	server {"
	echo "		listen 127.0.0.1:$port;"
	echo "		client_max_body_size 10m;"
	# nginx's own refusals in the API's error shape (docs/deployment.md)
	sed -n '/^    # bangfu-json-errors: begin/,/^    # bangfu-json-errors: end/p' "$docs" | sed 's/^    /\t\t/'
	echo "		location / {"
	echo "			proxy_pass http://bangfu;"
	echo "			proxy_http_version 1.1;"
	echo "			proxy_set_header Connection \"\";"
	echo "			proxy_set_header Host \$host;"
	echo "			proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
	echo "		}"
	echo "		location = /metrics { return 404; }"
	echo "	}"
	echo "}"
} >"$dir/nginx.conf"
cmd=(nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log")
if [ "$(id -u)" -eq 0 ]; then
	chown -R bangfu-test: "$dir"
	cmd=(runuser -u bangfu-test -- "${cmd[@]}")
fi
"${cmd[@]}" || { cat "$dir/error.log" >&2; exit 1; }
for _ in $(seq 1 100); do
	if curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then
		echo "NGINX_PORT=$port"
		exit 0
	fi
	sleep 0.1
done
cat "$dir/error.log" >&2
exit 1
