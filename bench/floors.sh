#!/usr/bin/env bash
# bench/floors.sh [OUT] — builds the performance floors of ../shared/floors
# (srv, mk_http_db, sqlite_insert, sqlite_agg, pg_load, pg_agg) into OUT
# (default build/floors) with their own build.sh, when a source is newer
# than the binaries or one is missing.  Prints OUT.
#
# The floors are the bare libraries doing the same kind of work as bangfu;
# `make bench` measures them in the same run (../shared/floors/README.md).
# BENCH_FLOORS_SRC sets where they are (default ../shared/floors beside the
# repository).  They need libmicrohttpd-dev, libjansson-dev, libsqlite3-dev
# and libpq-dev (mk/deps.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
SRC=${BENCH_FLOORS_SRC:-$PWD/../shared/floors}
OUT=${1:-$PWD/build/floors}
[[ $OUT == /* ]] || OUT=$PWD/$OUT # build.sh changes into its own directory
[[ -f $SRC/build.sh ]] || { echo "floors: $SRC/build.sh not found (set BENCH_FLOORS_SRC)" >&2; exit 1; }

stale=0
for b in srv mk_http_db sqlite_insert sqlite_agg pg_load pg_agg; do
	[[ -x $OUT/$b ]] || stale=1
done
if ((!stale)); then
	for f in "$SRC"/*.c "$SRC"/*.h "$SRC"/build.sh; do
		[[ $f -nt $OUT/srv ]] && stale=1
	done
fi
if ((stale)); then
	echo "floors: building $SRC into $OUT" >&2
	mkdir -p "$OUT"
	OUT=$OUT bash "$SRC/build.sh" >&2 2>"$OUT/build.log" || { cat "$OUT/build.log" >&2; exit 1; }
fi
echo "$OUT"
