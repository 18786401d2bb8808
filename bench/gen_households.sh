#!/usr/bin/env bash
# bench/gen_households.sh DB N — bulk-generates N households for the read benchmarks.
#
# DB must be a SQLite database made by
#     build/bangfu init --db DB --admin-password ... --demo
# (the generator needs the demo's street and grassroots unions and the city's
# living standard).  Everything is written with the sqlite3 CLI in ONE
# transaction from a recursive CTE: no per-row round trips.  1,000,000
# households cost about 50 s of CPU (one core of a 2-vCPU VM); the wall time
# is about that on an idle machine and grows with the machine's load.
#
# What the rows look like (deterministic: the same N gives the same data):
#   - org: spread evenly over the regions (district codes) and, inside a
#     region, over its street and grassroots unions;
#   - status: ~60 % active, 10 % exited, 8 % rejected, 5 % draft, 5 %
#     submitted, 4 % verified, 4 % in_notice, 4 % approved;
#   - active and exited: archive_no = <region><year><5 digits>, unique (the
#     sequence starts at 01000, above the demo's; archive_seqs is moved past
#     the generated numbers so a later `enter` cannot collide), entered_on in
#     that year, next_review_date from 30 days ago to 180 days on (~15 % of
#     the active ones are due), exited ones with exited_on and exit_reason, and, as an exit
#     leaves them (migration 017, watch.c), the review date kept aside in
#     review_before_exit; those exited in the last 12 months under watch
#     (monitor_until, a visit due 6 months after the exit);
#   - name: one of 25 common surnames (王, 李, 张, 刘, 陈 twice as often: 王
#     is ~6.7 %) + one of 24 given names;
#   - id_number: 18 characters, valid GB 11643 (region, birth date, sequence,
#     check character), distinct from each other and from the demo's (the
#     region codes 330106..330114 are not used by the demo); gender and
#     birth_date agree with it;
#   - members: 0, 1 or 2 per household (1 on average; spouse, child or
#     parent), each with its own distinct valid id_number;
#   - name_grams: the name search's grams (migration 010);
#   - archive_people: one row per worker and per member (RULE archive.precise:
#     members stand in the index too), is_open = 0 for exited households;
#   - household_size, per_capita_income_fen (half up), standard_fen (the
#     city's latest standard), suggested_category (same rule as
#     category_suggest, factor 150 %), category once verified; version 1.
# Prints the time taken.  Runs ANALYZE at the end.
set -euo pipefail

usage() { echo "usage: $0 DB N" >&2; exit 2; }
[[ $# == 2 ]] || usage
DB=$1
N=$2
[[ $N =~ ^[0-9]+$ && $N -ge 1 ]] || usage
[[ -f $DB ]] || { echo "gen_households: $DB does not exist (run bangfu init --demo first)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "gen_households: sqlite3 not found (apt-get install -y sqlite3)" >&2; exit 1; }

# check_char EXPR [CAST]: the ID number's check character in SQL
# shellcheck source=bench/idcard_sql.sh
source "$(dirname "${BASH_SOURCE[0]}")/idcard_sql.sh"
HH_CHECK=$(check_char idn17)

# Bulk-load trick: the secondary indexes of the three tables are dropped inside
# the transaction and created again (from their own SQL in sqlite_master) after
# the inserts: sorting once is several times faster than 1M random B-tree
# inserts per index.  All or nothing: a failure rolls the drops back too.
IDX_Q="FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
       AND tbl_name IN ('households', 'members', 'archive_people', 'name_grams') ORDER BY name"
DROP_IDX=$(sqlite3 "$DB" "SELECT 'DROP INDEX ' || name || ';' $IDX_Q")
MAKE_IDX=$(sqlite3 "$DB" "SELECT sql || ';' $IDX_Q")

start=$(date +%s.%N)
sqlite3 -bail "$DB" >/dev/null <<SQL
PRAGMA foreign_keys = OFF;
PRAGMA cache_size = -1000000;
PRAGMA temp_store = MEMORY;
PRAGMA synchronous = OFF;
-- WAL would write every page twice (log, then checkpoint); an in-memory
-- rollback journal keeps the load atomic and writes each page once.  The
-- database goes back to WAL (bangfu's mode) at the end.
PRAGMA journal_mode = MEMORY;
BEGIN IMMEDIATE;

-- Regions (the unions' region codes) and the street/grassroots unions in each.
CREATE TEMP TABLE g_reg AS
	SELECT row_number() OVER (ORDER BY region_code) - 1 AS r, region_code, count(*) AS n
	FROM orgs WHERE level IN ('street', 'grassroots') GROUP BY region_code;
CREATE TEMP TABLE g_org (r INTEGER, k INTEGER, org_id INTEGER, PRIMARY KEY (r, k)) WITHOUT ROWID;
INSERT INTO g_org
	SELECT g.r, row_number() OVER (PARTITION BY o.region_code ORDER BY o.id) - 1, o.id
	FROM orgs o JOIN g_reg g USING (region_code) WHERE o.level IN ('street', 'grassroots');

-- Typical cause combinations; sudden = one of the causes that make a household 'accident'.
CREATE TEMP TABLE g_causes (k INTEGER PRIMARY KEY, causes TEXT, sudden INTEGER);
INSERT INTO g_causes VALUES
	(0, 'low_income', 0), (1, 'unemployment,low_income', 0), (2, 'single_parent', 0),
	(3, 'disability_self,low_income', 0), (4, 'illness_self,low_income', 1),
	(5, 'illness_family,low_income', 1), (6, 'disability_self', 0), (7, 'accident,low_income', 1),
	(8, 'illness_family', 1), (9, 'education,low_income', 0), (10, 'work_injury', 1),
	(11, 'disaster', 1), (12, 'disability_family,education', 0), (13, 'other', 0);

$DROP_IDX

-- One row per household with every value computed; x1..x4 are independent
-- multiplicative hashes of i (only their high bits are used).
CREATE TEMP TABLE g AS
WITH RECURSIVE
	c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i + 1 < $N),
	k AS MATERIALIZED (SELECT (SELECT count(*) FROM g_reg) AS nreg,
		     (SELECT COALESCE(MAX(id), 0) FROM households) AS base,
		     (SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1) AS admin,
		     (SELECT monthly_fen FROM standards WHERE org_id = (SELECT MIN(id) FROM orgs)
		      ORDER BY year DESC LIMIT 1) AS std,
		     date('now') AS today),
	h AS MATERIALIZED (SELECT i,
		     ((i * 2654435761 + 12345) % 4294967296) / 65536 AS x1,
		     ((i * 2246822519 + 7777) % 4294967296) / 65536 AS x2,
		     ((i * 3266489917 + 99991) % 4294967296) / 65536 AS x3,
		     ((i * 668265263 + 3141592) % 4294967296) / 65536 AS x4
	      FROM c),
	a AS MATERIALIZED (SELECT h.*, k.*, gr.region_code, go.org_id,
		     h.i / k.nreg AS j,
		     CASE WHEN x1 % 100 < 60 THEN 'active' WHEN x1 % 100 < 70 THEN 'exited'
			  WHEN x1 % 100 < 75 THEN 'draft' WHEN x1 % 100 < 80 THEN 'submitted'
			  WHEN x1 % 100 < 84 THEN 'verified' WHEN x1 % 100 < 88 THEN 'in_notice'
			  WHEN x1 % 100 < 92 THEN 'approved' ELSE 'rejected' END AS status,
		     -- members: 0, 1 or 2; the first is a spouse, child or parent
		     x3 % 3 AS mc,
		     CASE (x3 / 3) % 4 WHEN 2 THEN 'child' WHEN 3 THEN 'parent' ELSE 'spouse' END AS rel0,
		     -- worker's ID: region i%8, birth day and sequence from i/8, parity → gender
		     substr('330106330108330109330110330111330112330113330114', 6 * (i % 8) + 1, 6)
			|| strftime('%Y%m%d', '1960-01-01', '+' || ((i / 8) % 14610) || ' days')
			|| printf('%03d', 2 * ((i / 8) / 14610) + (x2 / 7) % 2) AS idn17,
		     date('1960-01-01', '+' || ((i / 8) % 14610) || ' days') AS birth,
		     substr('王王李李张张刘刘陈陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐', x2 % 30 + 1, 1)
			|| substr('建国国华秀英玉兰志强卫东丽娟海燕文军桂英德明春梅红霞永刚淑珍晓燕小军建华俊杰秀兰金凤振华雪梅明辉',
				  2 * ((x4 / 5) % 24) + 1, 2) AS name,
		     (x4 % 240) * 1000 + (x2 % 1000) AS income,
		     (SELECT causes FROM g_causes WHERE g_causes.k = x4 % 14) AS causes,
		     (SELECT sudden FROM g_causes WHERE g_causes.k = x4 % 14) AS sudden,
		     2017 + (h.i / k.nreg) % 10 AS year
	      FROM h, k
	      JOIN g_reg gr ON gr.r = h.i % k.nreg
	      JOIN g_org go ON go.r = gr.r AND go.k = (h.i / k.nreg) % gr.n),
	b AS MATERIALIZED (SELECT a.*, idn17 || $HH_CHECK AS id_number,
		     -- entered (录入) in the archive year, never after yesterday
		     min(date(year || '-01-01', '+' || (x2 % 365) || ' days'), date(today, '-1 day')) AS entered,
		     -- member incomes: spouse 0 or 800–2,000 yuan, parent a small pension, child 0
		     CASE WHEN mc = 0 THEN 0
			  WHEN rel0 = 'spouse' THEN CASE WHEN x3 % 2 = 0 THEN 0 ELSE 80000 + (x1 % 120) * 1000 END
			  WHEN rel0 = 'parent' THEN 60000 + (x2 % 50) * 1000 ELSE 0 END AS m_income
	      FROM a)
SELECT base + i + 1 AS id, i, org_id, region_code, status, name, id_number,
       CASE WHEN substr(id_number, 17, 1) % 2 = 1 THEN 'male' ELSE 'female' END AS gender,
       birth,
       '1' || substr('3578', x2 % 4 + 1, 1) || printf('%09d', (x1 * 65536 + x3) % 1000000000) AS phone,
       income, causes, mc, rel0, m_income,
       1 + mc AS size,
       ((income + m_income) * 2 + (1 + mc)) / (2 * (1 + mc)) AS pc,
       std,
       CASE WHEN ((income + m_income) * 2 + (1 + mc)) / (2 * (1 + mc)) <= std THEN 'dibao'
	    WHEN ((income + m_income) * 2 + (1 + mc)) / (2 * (1 + mc)) * 100 <= std * 150 THEN 'marginal'
	    WHEN sudden THEN 'accident' ELSE 'none' END AS suggested,
       CASE WHEN status IN ('active', 'exited') THEN
		region_code || year || printf('%05d', 1000 + j / 10) END AS archive_no,
       year,
       1000 + j / 10 AS seq,
       CASE WHEN status IN ('active', 'exited') THEN entered END AS entered_on,
       CASE WHEN status = 'active' THEN date(today, printf('%+d days', (x4 % 211) - 30))
	    WHEN status = 'exited' THEN date(entered, '+6 months') END AS next_review,
       CASE WHEN status = 'exited' THEN
		min(date(entered, '+' || (30 + x3 % 700) || ' days'), today) END AS exited_on,
       CASE WHEN status = 'in_notice' THEN date(today, '+' || (1 + x3 % 7) || ' days') END AS notice_end,
       CASE WHEN status IN ('active', 'exited') THEN entered
	    ELSE date(today, '-' || (x2 % 700) || ' days') END AS day0,
       admin, x1, x2, x3, x4
FROM b;

INSERT INTO households (id, org_id, version, status, name, id_number, gender, birth_date, phone,
	employer, address, monthly_income_fen, causes, living_conditions, household_size,
	per_capita_income_fen, standard_fen, suggested_category, category, archive_no, notice_end,
	next_review_date, last_review_date, exit_reason, submitted_by, entered_on, exited_on,
	review_before_exit, monitor_until, created_by, created_at, updated_at)
SELECT id, org_id, 1, status, name, id_number, gender, birth, phone,
	substr('机械厂纺织厂化工厂公交司食品厂建筑司环卫所商贸司', 3 * (x3 % 8) + 1, 3),
	'幸福路' || (1 + x4 % 300) || '号', income, causes, '家庭生活困难，收入来源单一', size,
	pc, std, suggested,
	CASE WHEN status IN ('verified', 'in_notice', 'approved', 'active', 'exited') THEN suggested END,
	archive_no, notice_end, CASE WHEN status <> 'exited' THEN next_review
	     WHEN exited_on > date('now', '-12 months') THEN date(exited_on, '+6 months') END,
	CASE WHEN status = 'active' AND date(next_review, '-6 months') > entered_on
	     THEN date(next_review, '-6 months') END,
	CASE WHEN status = 'exited' THEN '实现再就业，家庭收入稳定，解困脱困' END,
	CASE WHEN status <> 'draft' THEN admin END,
	entered_on, exited_on,
	CASE WHEN status = 'exited' THEN next_review END,
	CASE WHEN status = 'exited' AND exited_on > date('now', '-12 months') THEN date(exited_on, '+12 months') END, admin,
	date(day0, '-20 days') || 'T0' || (x1 % 10) || ':' || printf('%02d', x2 % 60) || ':00Z',
	COALESCE(exited_on, day0) || 'T1' || (x3 % 10) || ':' || printf('%02d', x4 % 60) || ':00Z'
FROM g ORDER BY id;

-- Members: slot 0..2 for the first member (spouse, child, parent), 3 for a
-- second child; the slot is in the ID's sequence so IDs never collide.
CREATE TEMP TABLE gm AS
SELECT g.id AS household_id, m.m, g.x1, g.x2, g.x3, g.x4, g.m_income,
       CASE WHEN m.m = 1 THEN 'child' ELSE g.rel0 END AS relation,
       CASE WHEN m.m = 1 THEN 3 WHEN g.rel0 = 'spouse' THEN 0 WHEN g.rel0 = 'child' THEN 1 ELSE 2 END AS slot,
       g.i
FROM g JOIN (SELECT 0 AS m UNION ALL SELECT 1) m ON m.m < g.mc;

CREATE TEMP TABLE gm2 AS
SELECT household_id, relation, m, x1, x2, x4,
       CASE relation WHEN 'spouse' THEN '1960-01-01' WHEN 'child' THEN '1985-01-01' ELSE '1930-01-01' END AS base,
       substr('330106330108330109330110330111330112330113330114', 6 * (i % 8) + 1, 6) AS region,
       (i / 8) % 14610 AS day,
       500 + 8 * ((i / 8) / 14610) + 2 * slot + (x4 / 3 + m) % 2 AS seq,
       CASE WHEN m = 0 THEN m_income ELSE 0 END AS income
FROM gm;

CREATE TEMP TABLE gm3 AS
SELECT household_id, relation, income,
       date(base, '+' || day || ' days') AS birth,
       region || strftime('%Y%m%d', base, '+' || day || ' days') || printf('%03d', seq) AS idn17,
       substr('王李张刘陈杨黄赵吴周徐孙马朱胡', (x1 + m) % 15 + 1, 1)
	 || substr('桂英志刚小红小明秀珍海涛丽华文斌', 2 * ((x2 + m) % 8) + 1, 2) AS name
FROM gm2;

INSERT INTO members (household_id, name, id_number, relation, gender, birth_date,
	monthly_income_fen, health, school_stage)
SELECT household_id, name, id_number,
       relation, CASE WHEN substr(id_number, 17, 1) % 2 = 1 THEN 'male' ELSE 'female' END, birth,
       income, '健康',
       CASE WHEN relation <> 'child' THEN 'none'
	    WHEN birth >= '2020' THEN 'preschool' WHEN birth >= '2014' THEN 'primary'
	    WHEN birth >= '2011' THEN 'junior' WHEN birth >= '2008' THEN 'senior'
	    WHEN birth >= '2004' THEN 'university' ELSE 'none' END
FROM (SELECT gm3.*, idn17 || $(check_char gm3.idn17) AS id_number FROM gm3 ORDER BY household_id)
ORDER BY household_id;

-- The open-archive index: the worker and each member (closed when exited).
INSERT INTO archive_people (id_number, household_id, is_open)
SELECT id_number, id, status <> 'exited' FROM g ORDER BY id;
INSERT INTO archive_people (id_number, household_id, is_open)
SELECT m.id_number, m.household_id, g.status <> 'exited'
FROM members m JOIN g ON g.id = m.household_id ORDER BY m.household_id, m.id;

-- The name grams of the search (migrations 010 and 034, RULE list.q).
INSERT INTO name_grams (gram, household_id, org_id, name)
SELECT DISTINCT CASE WHEN k.i = 0 THEN '^' || substr(g.name, 1, 1) ELSE substr(g.name, k.i, w.w) END, g.id, g.org_id, g.name
FROM g JOIN (WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49) SELECT i FROM n) k ON k.i < length(g.name)
JOIN (SELECT 2 AS w UNION ALL SELECT 3) w ON (k.i = 0 AND w.w = 2) OR (k.i > 0 AND k.i + w.w - 1 <= length(g.name));

-- Keep the archive number sequences past the generated numbers.
INSERT INTO archive_seqs (region_code, year, last)
SELECT region_code, year, MAX(seq) FROM g WHERE archive_no IS NOT NULL GROUP BY region_code, year
ON CONFLICT (region_code, year) DO UPDATE SET last = MAX(last, excluded.last);

$MAKE_IDX

DROP TABLE g; DROP TABLE gm; DROP TABLE gm2; DROP TABLE gm3;
DROP TABLE g_reg; DROP TABLE g_org; DROP TABLE g_causes;
COMMIT;
ANALYZE;
PRAGMA journal_mode = WAL;
SQL
end=$(date +%s.%N)

# Sanity: the columns the benchmarks filter on are filled in.
bad=$(sqlite3 "$DB" "SELECT COUNT(*) FROM households WHERE status IN ('active', 'exited')
	AND (archive_no IS NULL OR entered_on IS NULL OR (status = 'active' AND next_review_date IS NULL))")
[[ $bad == 0 ]] || { echo "gen_households: $bad archived households lack archive_no or entered_on, or an active one its next_review_date" >&2; exit 1; }

awk -v n="$N" -v s="$start" -v e="$end" -v db="$DB" \
	'BEGIN { printf("gen_households: %d households into %s in %.1f s\n", n, db, e - s) }'
