#!/usr/bin/env bash
# run-ui.sh BIN — the browser tests (web/tests, playwright-core driving
# Debian's chromium) against BIN serving a fresh demo database, with the UI
# embedded in the binary.  Prints node's summary; exits with its status.
# BANGFU_UI_TESTS=REGEX runs only the tests whose names match (while working).
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
# The server reads "now" from a file the tests may move forward (notice periods);
# a fixed start date keeps the demo data and every screenshot the same run to run.
clock="$dir/clock"
echo "${BANGFU_UI_DATE:-2026-09-14}" > "$clock"
"$bin" init --clock-file "$clock" --db "$dir/ui.db" --admin-password Admin12345a --demo > "$dir/init.log" 2>&1 || {
	cat "$dir/init.log" >&2
	exit 1
}
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
"$bin" serve --clock-file "$clock" --db "$dir/ui.db" --listen "127.0.0.1:$port" 2> "$dir/serve.log" &
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
BANGFU_UI_CLOCK_FILE="$clock" BANGFU_UI_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 \
	${BANGFU_UI_TESTS:+--test-name-pattern="$BANGFU_UI_TESTS"} web/tests/
