#!/usr/bin/env bash
# bench/pg.sh — issue 18 item 7: the same reads as on SQLite, on PostgreSQL
# at 10 M archives, in the table of bench/run.sh.
#
#   make bench-pg                              (BENCH_PG_SIZE=10000000: hours of
#                                               generation and loading on 2 cores)
#   BENCH_PG_SIZE=100000 BENCH_SECONDS=2 bash bench/pg.sh     (a smoke run)
#   BENCH_PG=1 bash bench/run.sh               (after the SQLite sizes)
#
# Run alone, this file runs bench/run.sh with BENCH_PG=only; bench/run.sh
# sources it when BENCH_PG is set and calls bench_pg_size, so that the rows
# are measured and printed by run.sh's own functions (bench_url, row_p99,
# bench_lists, report_calls, agg_figures) in its one table; their size
# column reads "pg <size>".
#
# For BENCH_PG_SIZE households:
#   - a throwaway PostgreSQL (tests/pg-server.sh) in the run's temp dir, with
#     synchronous_commit off and max_wal_size 4GB (a benchmark's server: only
#     the load writes, and the figures are of reads); everything else at
#     PostgreSQL's defaults (shared_buffers 128MB: the rest is the OS's cache);
#   - `bangfu init --demo`, then bench/pg_households.sh: the households, ~3
#     people each, and BENCH_PAY_PER_HH payments per household (condolence
#     campaigns disbursed in the current quarter) in SQL, its time printed;
#   - VACUUM ANALYZE, `bangfu check` (BENCH_PG_CHECK=0 skips it);
#   - bangfu served on it: GET /households/{id} (random ids, bench/hh_get.lua,
#     -c$BENCH_CONNS), the searches and lists of bench_lists (-c16), each
#     against p99 < 50 ms;
#   - GET /reports/quarterly (city, current quarter; mean of 3 warm calls
#     after a restart) against pg_agg's three GROUP BYs (their mean times,
#     summed) on the same server, over pg_load's BENCH_PG_SIZE households and
#     BENCH_PAY_PER_HH x BENCH_PG_SIZE payments (with their indexes, VACUUM
#     ANALYZE): <= 2x.

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	BENCH_PG=only exec bash "$(dirname "${BASH_SOURCE[0]}")/run.sh" "$@"
fi

# pg_start NAME: a throwaway server in $DIR/NAME; sets PG_URL (its postgres
# database) and PG_SRV (its directory).
pg_start() {
	PG_SRV=$DIR/$1
	mkdir -p "$PG_SRV" && chmod 755 "$DIR" "$PG_SRV"
	eval "$(bash tests/pg-server.sh start "$PG_SRV/srv")" || die "PostgreSQL did not start"
	PGDIRS+=("$PG_SRV/srv")
	PG_URL=$BANGFU_TEST_PG_URL
	psql -X -q "$PG_URL" >/dev/null <<-SQL || die "cannot configure PostgreSQL"
		ALTER SYSTEM SET synchronous_commit = off;
		ALTER SYSTEM SET max_wal_size = '4GB';
		SELECT pg_reload_conf();
	SQL
}

# secs_since T0: seconds from $EPOCHREALTIME T0 to now, one decimal.
secs_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf("%.1f", b - a) }'; }

# bench_pg_report: the report on bangfu's database against pg_agg on the
# floor's own database of the same server.
bench_pg_report() {
	local pays=$((PAY_PER_HH * PG_N)) paid furl out r ok=0 t0 own hidx hnote
	paid=$(sql1 "SELECT COUNT(*) FROM applications WHERE disbursed_at IS NOT NULL")
	report_calls
	# a reference, not the floor: the payments' GROUP BY on bangfu's own tables
	t0=$EPOCHREALTIME
	psql -X -q "$HH_DB" >/dev/null <<-SQL
		SELECT a.org_id, a.program_code, COUNT(*), SUM(a.disbursed_fen - a.refunded_fen)
		FROM applications a WHERE a.disbursed_at >= '$(date -u +%Y)' GROUP BY a.org_id, a.program_code;
	SQL
	own=$(secs_since "$t0")
	log "floor: pg_load $PG_N households, $pays payments; pg_agg"
	psql -X -q "$PG_URL" -c 'CREATE DATABASE bench_floor' || die "cannot create the floor's database"
	furl=${PG_URL%/postgres}/bench_floor
	# the floor's ID numbers are unique for its first 1,020,000 rows only
	# (../shared/floors/gen.h): past that its households load without their
	# indexes (the UNIQUE ID number and the unit), which its GROUP BYs do
	# not use (they read every household); the payments keep theirs
	hidx=--index hnote=
	((PG_N <= 1020000)) || { hidx=; hnote=" (without their indexes: gen.h's ID numbers repeat)"; }
	"$FLOORS/pg_load" "$furl" household --rows "$PG_N" $hidx >&2 || die "pg_load household failed"
	"$FLOORS/pg_load" "$furl" payment --rows "$pays" --index >&2 || die "pg_load payment failed"
	psql -X -q "$furl" -c 'VACUUM ANALYZE' || die "VACUUM ANALYZE (floor) failed"
	out=$("$FLOORS/pg_agg" "$furl" --runs 3 --warmup 1) || die "pg_agg failed"
	agg_figures "$out"
	psql -X -q "$PG_URL" -c 'DROP DATABASE bench_floor' || true
	r=$(awk -v a="$REPORT_MEAN" -v b="$F_AGG_S" 'BEGIN { printf("%.2f", b > 0 ? a / b : 0) }')
	awk -v r="$r" 'BEGIN { exit !(r <= 2) }' && ok=1
	row "GET /reports/quarterly (city) vs pg_agg" "$F_AGG_S s" "$REPORT_MEAN s" "${r}x" "<= 2x" "$(verdict $ok)" \
		"$REPORT_PERIOD, $paid payments, mean of 3 warm calls after a restart; floor $F_AGG_NOTE over $PG_N households$hnote, $pays payments; ref: the payments' GROUP BY on bangfu's own tables $own s; dashboard $(printf %.3f "$REPORT_DASH") s"
}

# bench_pg_size N: the whole PostgreSQL block for N households.
bench_pg_size() {
	local t0 gen_s vac_s init_s db_size people check="not run"
	PG_N=$1
	[[ $PG_N =~ ^[0-9]+$ && $PG_N -ge 100 ]] || die "BENCH_PG_SIZE: bad size '$PG_N' (100 or more)"
	SIZE="pg $PG_N"
	pg_start pg
	psql -X -q "$PG_URL" -c 'CREATE DATABASE bench_hh' || die "cannot create the database"
	HH_DB=${PG_URL%/postgres}/bench_hh
	t0=$EPOCHREALTIME
	"$BANGFU" init --db "$HH_DB" --admin-password "$ADMIN_PW" --demo >/dev/null || die "bangfu init (PostgreSQL) failed"
	init_s=$(secs_since "$t0")
	GEN_LO=$(( $(sql1 "SELECT COALESCE(MAX(id), 0) FROM households") + 1 ))
	log "PostgreSQL: generating $PG_N households, $((PAY_PER_HH * PG_N)) payments"
	t0=$EPOCHREALTIME
	bash bench/pg_households.sh "$HH_DB" "$PG_N" "$PAY_PER_HH" >&2 || die "pg_households failed"
	gen_s=$(secs_since "$t0")
	t0=$EPOCHREALTIME
	psql -X -q "$HH_DB" -c 'VACUUM ANALYZE' || die "VACUUM ANALYZE failed"
	vac_s=$(secs_since "$t0")
	db_size=$(sql1 "SELECT pg_size_pretty(pg_database_size(current_database()))")
	people=$(sql1 "SELECT (SELECT COUNT(*) FROM households) + (SELECT COUNT(*) FROM members)")
	log "PostgreSQL: generated in $gen_s s, VACUUM ANALYZE $vac_s s, $people people, $db_size"
	if [[ ${BENCH_PG_CHECK:-1} == 1 ]]; then
		t0=$EPOCHREALTIME
		"$BANGFU" check --db "$HH_DB" >"$DIR/pg-check.log" 2>&1 || die "bangfu check failed: $(cat "$DIR/pg-check.log")"
		check="passed in $(secs_since "$t0") s"
	fi
	# the generated ids, without gaps (the demo's identity may have skipped
	# values of rolled-back inserts: those ids would answer 404)
	HH_LO=$GEN_LO
	HH_HI=$(sql1 "SELECT MAX(id) FROM households")
	serve_bangfu "$HH_DB" "$DIR/serve-pg.log"

	bench_hh_get
	row_p99 "GET /households/{id}" "-c$CONNS, ids $HH_LO..$HH_HI"
	hh_settle
	bench_lists
	if [[ ${BENCH_REPORT:-1} == 1 ]]; then
		bench_pg_report
	fi
	stop_pid "$SERVE_PID"
	SERVE_PID=
	PG_FOOTER="PostgreSQL ($(psql -X -qtA "$PG_URL" -c 'SHOW server_version')): init --demo $init_s s; $PG_N households,"
	PG_FOOTER+=" $people people, $((PAY_PER_HH * PG_N)) payments generated in $gen_s s (bench/pg_households.sh),"
	PG_FOOTER+=" VACUUM ANALYZE $vac_s s, $db_size; bangfu check $check; floor pg_load + pg_agg on the same server."
	log "$PG_FOOTER"
	bash tests/pg-server.sh stop "$PG_SRV/srv" >&2 || true
}
