#!/usr/bin/env bash
# bangfu-vg.sh — runs build/bangfu under valgrind memcheck; `make valgrind`
# hands it to the API suite as the binary (BANGFU_BIN).  A memcheck error
# makes the process exit 99, which the API tests report as a failure (a
# server must exit 0 on SIGTERM, a command with its expected code).  Each
# process's report goes to $BANGFU_VG_LOGS/vg.PID.log (default build/valgrind).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
logs=${BANGFU_VG_LOGS:-$here/build/valgrind}
mkdir -p "$logs"
exec valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \
	--track-origins=no --num-callers=30 --log-file="$logs/vg.%p.log" \
	--soname-synonyms=somalloc=libjemalloc.so* \
	--suppressions="$here/tests/valgrind/bangfu.supp" \
	"${BANGFU_VG_BIN:-$here/build/bangfu}" "$@"
