#!/usr/bin/env bash
# run-ui.sh BIN — the browser tests (web/tests, playwright-core driving
# Debian's chromium) against BIN serving a fresh demo database, with the UI
# embedded in the binary.  Prints node's summary; exits with its status.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
bin=${1:-build/bangfu}
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
dir=$(mktemp -d "${TMPDIR:-/tmp}/bangfu-ui.XXXXXX") || exit 1
pid=
cleanup() {
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x /usr/bin/chromium ]; then
	echo "run-ui.sh: /usr/bin/chromium missing (make deps installs it)" >&2
	exit 1
fi
"$bin" init --db "$dir/ui.db" --admin-password Admin12345a --demo > "$dir/init.log" 2>&1 || {
	cat "$dir/init.log" >&2
	exit 1
}
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
"$bin" serve --db "$dir/ui.db" --listen "127.0.0.1:$port" 2> "$dir/serve.log" &
pid=$!
for _ in $(seq 1 100); do
	curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
	sleep 0.2
done
if ! grep -q 'type="module"' < <(curl -s "http://127.0.0.1:$port/"); then
	echo "run-ui.sh: the binary serves no built UI (is package.json there and npm ci done?)" >&2
	exit 1
fi
# screenshots go to a temp dir unless asked for (make screenshots → docs/)
export BANGFU_SHOTS=${BANGFU_SHOTS:-$dir/shots}
BANGFU_UI_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 web/tests/
