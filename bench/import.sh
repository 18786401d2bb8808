#!/usr/bin/env bash
# bench/import.sh — roster import at scale (issue #5), beside its floor.
#
# For each size (person rows), bench/gen_roster.py writes the same roster as
# CSV, as XLSX with shared strings (as Excel writes it) and as XLSX with
# inline strings (as libxlsxwriter's constant_memory mode writes it); each
# is imported by `bangfu import households` into a fresh SQLite database
# made by `bangfu init`, timed with /usr/bin/time (wall and CPU seconds,
# peak RSS); rows/s are per CPU second, which other load does not skew.
# The floor is ../shared/floors' `sqlite_insert DB household --rows N
# --index` (built by bench/floors.sh): N households in one transaction with
# one prepared statement, a UNIQUE ID-number index and an org index, timed
# the same way (its own wall rate, rows_per_s, is in the note).  Targets:
# >= 30 % of the floor's rows/s, and peak memory flat in file size (compare
# the sizes).  The sqlite3 CLI's `.import` of the CSV into a plain table is
# kept as a reference row (the "ref: bangfu tables" row reads from it).
#
#   bash bench/import.sh            (make bench runs it for its table)
#
# Settings (environment):
#   BENCH_IMPORT_SIZES  person rows (default "100000 1000000")
#   BENCH_IMPORT_XLSX   0 skips the XLSX files (default 1)
#   BENCH_IMPORT_RESULTS  a file to append the result rows to, one a line:
#                       size|what|wall-s|cpu-s|rows/cpu-s|peak MiB|note
#   BENCH_BANGFU        the binary (default build/bangfu)
#   BENCH_FLOORS        the built floors (default: bench/floors.sh builds them)
#   BENCH_KEEP=1        keep the temp dir (rosters, databases, logs)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BANGFU=${BENCH_BANGFU:-$PWD/build/bangfu}
SIZES=${BENCH_IMPORT_SIZES:-100000 1000000}
ROWS=() # "size|what|seconds|cpu-s|rows/s|peak MiB|note"

log() { printf 'bench-import: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[[ -x $BANGFU ]] || die "$BANGFU missing (run make)"
command -v sqlite3 >/dev/null || die "sqlite3 not found (apt-get install -y sqlite3)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (apt-get install -y time)"
FLOORS=${BENCH_FLOORS:-$(bash bench/floors.sh)} || die "cannot build the floors"
DIR=$(mktemp -d "${TMPDIR:-/tmp}/bangfu-import.XXXXXX")
cleanup() { [[ ${BENCH_KEEP:-0} == 1 ]] && log "kept $DIR" || rm -rf "$DIR"; }
trap cleanup EXIT
cp "$BANGFU" "$DIR/bangfu"
BANGFU=$DIR/bangfu

# timed LOG CMD...: runs CMD, sets SECS (wall), CPU (user + system seconds:
# the rates use it, so that other work on the machine does not skew the
# ratio) and MIB (peak resident set).
timed() {
	local out=$1 user sys
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$DIR/time" "$@" >"$out" 2>&1 || { cat "$out" >&2; die "failed: $*"; }
	read -r SECS user sys KB <"$DIR/time"
	CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf("%.2f", u + s) }')
	MIB=$(awk -v k="$KB" 'BEGIN { printf("%.1f", k / 1024) }')
}

# row SIZE|WHAT|...: keeps a result row and logs it at once.
row() {
	ROWS+=("$1")
	log "result: $1"
	[[ -z ${BENCH_IMPORT_RESULTS:-} ]] || printf '%s\n' "$1" >>"$BENCH_IMPORT_RESULTS"
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf("%.0f", s > 0 ? n / s : 0) }'; }

# import_one SIZE WHAT FILE FLOOR_RATE
import_one() {
	local size=$1 what=$2 file=$3 floor=$4 db=$DIR/import.db
	rm -f "$db" "$db-wal" "$db-shm"
	"$BANGFU" init --db "$db" --admin-password Bench12345a >/dev/null || die "init failed"
	log "$size rows: importing $what"
	timed "$DIR/import-$what-$size.log" "$BANGFU" import households --db "$db" --org-id 1 "$file"
	grep -q "已导入" "$DIR/import-$what-$size.log" || { cat "$DIR/import-$what-$size.log" >&2; die "import $what failed"; }
	local r
	r=$(rate "$size" "$CPU")
	row "$size|bangfu import ($what)|$SECS|$CPU|$r|$MIB|$(awk -v a="$r" -v b="$floor" 'BEGIN { printf("%.1f %% of floor", b > 0 ? 100 * a / b : 0) }'), $(du -m "$file" | cut -f1) MB file"
	rm -f "$db" "$db-wal" "$db-shm"
}

# schema_floor SIZE ROSTER_DB FLOOR_RATE: what bangfu's own tables cost for
# the same rows, with nothing checked: set-based INSERT ... SELECT from the
# plain table into a fresh bangfu database (households, their people in
# archive_people, members, one event and one audit row per household, with
# every index and constraint of the schema), through the sqlite3 CLI with
# bangfu's pragmas.  Not the target's floor: a reference for how much of
# the import is the schema's own writing.
schema_floor() {
	local size=$1 roster=$2 floor=$3 db=$DIR/schema.db r
	rm -f "$db" "$db-wal" "$db-shm"
	"$BANGFU" init --db "$db" --admin-password Bench12345a >/dev/null || die "init failed"
	cat >"$DIR/schema.sql" <<SQL
PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768;
ATTACH '$roster' AS r;
BEGIN IMMEDIATE;
INSERT INTO households (org_id, status, name, id_number, gender, birth_date, monthly_income_fen, causes,
	household_size, per_capita_income_fen, suggested_category, created_at, updated_at, phone, employer,
	address, illness)
	SELECT 1, 'draft', name, id_number, 'male', '1970-01-01', CAST(income * 100 AS INTEGER), causes, 1, 0,
	'none', '2026', '2026', phone, employer, address, health FROM r.roster WHERE relation = '本人';
CREATE TEMP TABLE hm AS SELECT id, id_number FROM households;
CREATE INDEX temp.hm_i ON hm (id_number);
INSERT INTO archive_people (id_number, household_id) SELECT id_number, id FROM households;
INSERT INTO members (household_id, name, id_number, relation, gender, birth_date, monthly_income_fen,
	health, school_stage, disability, occupation)
	SELECT hm.id, x.name, x.id_number, 'child', 'male', '1970-01-01', 0, x.health, 'none', 0, x.employer
	FROM r.roster x JOIN hm ON hm.id_number = x.head_id WHERE x.relation <> '本人';
INSERT INTO archive_people (id_number, household_id) SELECT id_number, household_id FROM members;
INSERT INTO household_events (household_id, at, action, to_status) SELECT id, '2026', 'create', 'draft' FROM households;
INSERT INTO audit_log (id, at, action, entity, entity_id, summary, prev_hash, hash)
	SELECT id + 1000, '2026', 'create', 'household', id, '新建困难职工档案（草稿）：' || name, '', '' FROM households;
COMMIT;
SQL
	timed "$DIR/schema-$size.log" sqlite3 "$db" ".read $DIR/schema.sql"
	local n
	n=$(sqlite3 "$db" "SELECT COUNT(*) FROM archive_people")
	[[ $n == "$size" ]] || die "schema floor wrote $n people of $size"
	r=$(rate "$size" "$CPU")
	row "$size|ref: same rows, bangfu tables|$SECS|$CPU|$r|$MIB|$(awk -v a="$r" -v b="$floor" 'BEGIN { printf("%.1f %% of floor", b > 0 ? 100 * a / b : 0) }'), SQL only, nothing checked"
	rm -f "$db" "$db-wal" "$db-shm"
}

bench_size() {
	local size=$1 csv=$DIR/roster-$1.csv db=$DIR/floor.db
	log "$size rows: generating"
	python3 bench/gen_roster.py "$size" "$csv"
	# the floor: sqlite_insert of as many households, with its two indexes
	timed "$DIR/floor-$size.log" "$FLOORS/sqlite_insert" "$DIR/insert.db" household --rows "$size" --index
	local n floor wall
	wall=$(sed -n 's/.* rows_per_s=\([0-9]*\) .*/\1/p' "$DIR/floor-$size.log")
	[[ -n $wall ]] || { cat "$DIR/floor-$size.log" >&2; die "sqlite_insert printed no rows_per_s"; }
	rm -f "$DIR/insert.db" "$DIR/insert.db-wal" "$DIR/insert.db-shm"
	floor=$(rate "$size" "$CPU")
	row "$size|floor: sqlite_insert --index|$SECS|$CPU|$floor|$MIB|its own rows_per_s=$wall (wall, BEGIN..COMMIT)"
	# a reference: sqlite3 .import of the same CSV into one plain table
	rm -f "$db"
	sqlite3 "$db" "CREATE TABLE roster (head_id TEXT, name TEXT, id_number TEXT, relation TEXT,
		income TEXT, health TEXT, school TEXT, phone TEXT, employer TEXT, address TEXT, causes TEXT)"
	timed "$DIR/dotimport-$size.log" sqlite3 "$db" ".import --csv --skip 1 $csv roster"
	n=$(sqlite3 "$db" "SELECT COUNT(*) FROM roster")
	[[ $n == "$size" ]] || die ".import imported $n rows of $size"
	row "$size|ref: sqlite3 .import|$SECS|$CPU|$(rate "$size" "$CPU")|$MIB|$(awk -v a="$(rate "$size" "$CPU")" -v b="$floor" 'BEGIN { printf("%.1f %% of floor", b > 0 ? 100 * a / b : 0) }'), one plain table, no index"
	schema_floor "$size" "$db" "$floor"
	rm -f "$db"
	import_one "$size" csv "$csv" "$floor"
	if [[ ${BENCH_IMPORT_XLSX:-1} == 1 ]]; then
		python3 bench/gen_roster.py "$size" "$DIR/roster-$size.xlsx"
		import_one "$size" "xlsx, shared strings" "$DIR/roster-$size.xlsx" "$floor"
		rm -f "$DIR/roster-$size.xlsx"
		python3 bench/gen_roster.py "$size" "$DIR/roster-$size-inline.xlsx" --inline
		import_one "$size" "xlsx, inline strings" "$DIR/roster-$size-inline.xlsx" "$floor"
		rm -f "$DIR/roster-$size-inline.xlsx"
	fi
	rm -f "$csv"
}

for size in $SIZES; do
	[[ $size =~ ^[0-9]+$ && $size -ge 10 ]] || die "BENCH_IMPORT_SIZES: bad size '$size'"
	bench_size "$size"
done

echo
echo "Roster import (bangfu import households, SQLite) — target >= 30 % of sqlite_insert --index, memory flat"
printf '%9s  %-30s %8s %8s %12s %9s   %s\n' rows what wall-s cpu-s "rows/cpu-s" "peak MiB" note
for r in "${ROWS[@]}"; do
	IFS='|' read -r a b c d e f g <<<"$r"
	printf '%9s  %-30s %8s %8s %12s %9s   %s\n' "$a" "$b" "$c" "$d" "$e" "$f" "$g"
done
