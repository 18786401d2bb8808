#!/usr/bin/env bash
# bench/pg_households.sh URL N [PAY] — bulk-generates N households and PAY x N
# payments on PostgreSQL for the benchmark at 10 M archives (bench/pg.sh).
#
# URL must be a PostgreSQL database made by
#     build/bangfu init --db URL --admin-password ... --demo
# and the role must be a superuser (tests/pg-server.sh's is): the load runs
# with session_replication_role = replica, so that no row trigger fires
# (neither the kept counts of migration 011 nor the foreign keys' checks);
# everything those triggers keep is filled afterwards, set-based, with
# INSERT ... SELECT ... GROUP BY.  ONE transaction, generate_series, no
# round trip per row; the secondary indexes of the loaded tables are dropped
# first and built again at the end (from pg_indexes' own definitions).
#
# The rows have the shape of bench/gen_households.sh's (SQLite), ported:
#   - org spread over the regions and, inside one, over its street and
#     grassroots unions; status ~60 % active, 10 % exited, 8 % rejected, ...;
#   - name: 25 common surnames (王 李 张 刘 陈 twice as often) + 24 given names;
#   - id_number valid GB 11643 (check character), distinct; 16 region codes
#     330106..330185 not used by the demo, so that 10 M workers and their
#     members fit the 3-digit sequence (at most 11,000,000 households);
#   - members: 1, 2 or 3 per household (spouse, child or parent first, then
#     a child, then a parent): about 3 people per household (30 M at 10 M),
#     one more on average than the SQLite generator;
#   - archive_no = <region><year><5 digits> over 30 years (1997–2026), so
#     that 10 M archives fit the 5 digits with the demo's 4 districts (at
#     most 4 x 30 x 98,999); archive_seqs moved past them;
#   - next_review_date from 30 days ago to 180 days on (~15 % due);
#   - archive_people (worker and members, closed when exited), name_grams
#     (migration 010's SQL), hh_counts (011) counted again over all rows.
# Payments (PAY per household, default 5), as run.sh makes them through the
# API: condolence campaigns of the city ("报表基准k", period pg-bench-k), each
# covering every generated active archive (the last one part of them), as
# many as PAY x N payments need, all disbursed in the current quarter (the
# k-th campaign at its own instant between the quarter's start and now)
# from one union account "报表基准账户": applications (disbursed), one
# ledger row each after one deposit, the account's balance, the campaigns'
# applications_n / amount_fen / disbursed_n, cover_counts, aid_monthly,
# review_counts (023), hh_report_counts and ledger_monthly (026), gram_counts (028),
# hh_condolence (037),
# archive_counts (029), review_tally (031),
# so that `bangfu check --db URL` passes.
#
# Prints the time taken.  Runs ANALYZE (bench/pg.sh runs VACUUM ANALYZE).
set -euo pipefail

usage() { echo "usage: $0 URL N [PAY]" >&2; exit 2; }
[[ $# == 2 || $# == 3 ]] || usage
URL=$1
N=$2
PAY=${3:-5}
[[ $N =~ ^[0-9]+$ && $N -ge 1 && $N -le 11000000 ]] || { echo "pg_households: N must be 1..11000000" >&2; usage; }
[[ $PAY =~ ^[0-9]+$ ]] || usage
command -v psql >/dev/null || { echo "pg_households: psql not found (apt-get install -y postgresql-client)" >&2; exit 1; }

# check_char EXPR [CAST]: the ID number's check character in SQL
# shellcheck source=bench/idcard_sql.sh
source "$(dirname "${BASH_SOURCE[0]}")/idcard_sql.sh"
REGIONS="'330106330108330109330110330111330112330113330114330122330127330182330183330185330186330187330188'"

start=$(date +%s.%N)
psql -X -q -v ON_ERROR_STOP=1 -1 "$URL" >/dev/null <<SQL
SET session_replication_role = replica;
SET temp_buffers = '1GB';  -- the temp tables of 10 M rows (before the first one)
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';
SET work_mem = '256MB';
SET TIME ZONE 'UTC';

CREATE TEMP TABLE g_reg AS
	SELECT (row_number() OVER (ORDER BY region_code) - 1)::int AS r, region_code, count(*)::int AS n
	FROM orgs WHERE level IN ('street', 'grassroots') GROUP BY region_code;
CREATE TEMP TABLE g_org AS
	SELECT g.r, (row_number() OVER (PARTITION BY o.region_code ORDER BY o.id) - 1)::int AS k, o.id AS org_id
	FROM orgs o JOIN g_reg g USING (region_code) WHERE o.level IN ('street', 'grassroots');
CREATE TEMP TABLE g_causes (k int PRIMARY KEY, causes text, sudden int);
INSERT INTO g_causes VALUES
	(0, 'low_income', 0), (1, 'unemployment,low_income', 0), (2, 'single_parent', 0),
	(3, 'disability_self,low_income', 0), (4, 'illness_self,low_income', 1),
	(5, 'illness_family,low_income', 1), (6, 'disability_self', 0), (7, 'accident,low_income', 1),
	(8, 'illness_family', 1), (9, 'education,low_income', 0), (10, 'work_injury', 1),
	(11, 'disaster', 1), (12, 'disability_family,education', 0), (13, 'other', 0);

-- 30 archive years of 98,999 numbers per region
DO \$\$ BEGIN
	IF (SELECT count(*) FROM g_reg) * 30 * 98999 < $N THEN
		RAISE EXCEPTION 'too many households for the archive numbers of % regions', (SELECT count(*) FROM g_reg);
	END IF;
END \$\$;

-- the secondary indexes (not those of a constraint), built again at the end
CREATE TEMP TABLE g_idx AS
	SELECT i.indexname, i.indexdef FROM pg_indexes i
	WHERE i.schemaname = current_schema()
	  AND i.tablename IN ('households', 'members', 'archive_people', 'name_grams', 'applications', 'ledger')
	  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname);
SELECT format('DROP INDEX %I', indexname) FROM g_idx \gexec

CREATE TEMP TABLE g AS
WITH
	k AS MATERIALIZED (SELECT (SELECT count(*) FROM g_reg)::int AS nreg,
		     (SELECT COALESCE(MAX(id), 0) FROM households) AS base,
		     (SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1) AS admin,
		     (SELECT monthly_fen FROM standards WHERE org_id = (SELECT MIN(id) FROM orgs)
		      ORDER BY year DESC LIMIT 1) AS std,
		     current_date AS today),
	h AS (SELECT i,
		     ((i * 2654435761 + 12345) % 4294967296) / 65536 AS x1,
		     ((i * 2246822519 + 7777) % 4294967296) / 65536 AS x2,
		     ((i * 3266489917 + 99991) % 4294967296) / 65536 AS x3,
		     ((i * 668265263 + 3141592) % 4294967296) / 65536 AS x4
	      FROM generate_series(0::bigint, $N - 1) i),
	a AS (SELECT h.*, k.*, gr.region_code, go.org_id,
		     h.i / k.nreg AS j,
		     CASE WHEN x1 % 100 < 60 THEN 'active' WHEN x1 % 100 < 70 THEN 'exited'
			  WHEN x1 % 100 < 75 THEN 'draft' WHEN x1 % 100 < 80 THEN 'submitted'
			  WHEN x1 % 100 < 84 THEN 'verified' WHEN x1 % 100 < 88 THEN 'in_notice'
			  WHEN x1 % 100 < 92 THEN 'approved' ELSE 'rejected' END AS status,
		     -- members: 1, 2 or 3; the first is a spouse, child or parent
		     1 + x3 % 3 AS mc,
		     CASE (x3 / 3) % 4 WHEN 2 THEN 'child' WHEN 3 THEN 'parent' ELSE 'spouse' END AS rel0,
		     -- worker's ID: region i%16, birth day and sequence from i/16, parity → gender
		     substr($REGIONS, (6 * (i % 16) + 1)::int, 6)
			|| to_char(date '1960-01-01' + ((i / 16) % 14610)::int, 'YYYYMMDD')
			|| lpad((2 * ((i / 16) / 14610) + (x2 / 7) % 2)::text, 3, '0') AS idn17,
		     date '1960-01-01' + ((i / 16) % 14610)::int AS birth,
		     substr('王王李李张张刘刘陈陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐', (x2 % 30 + 1)::int, 1)
			|| substr('建国国华秀英玉兰志强卫东丽娟海燕文军桂英德明春梅红霞永刚淑珍晓燕小军建华俊杰秀兰金凤振华雪梅明辉',
				  (2 * ((x4 / 5) % 24) + 1)::int, 2) AS name,
		     (x4 % 240) * 1000 + (x2 % 1000) AS income,
		     c.causes, c.sudden,
		     (1997 + (h.i / k.nreg) % 30)::int AS year
	      FROM h CROSS JOIN k
	      JOIN g_reg gr ON gr.r = h.i % k.nreg
	      JOIN g_org go ON go.r = gr.r AND go.k = (h.i / k.nreg) % gr.n
	      JOIN g_causes c ON c.k = x4 % 14),
	b AS (SELECT a.*, idn17 || $(check_char idn17 ::int) AS id_number,
		     -- entered (录入) in the archive year, never after yesterday
		     LEAST(make_date(year, 1, 1) + (x2 % 365)::int, today - 1) AS entered,
		     -- member incomes: spouse 0 or 800–2,000 yuan, parent a small pension, child 0
		     CASE WHEN rel0 = 'spouse' THEN CASE WHEN x3 % 2 = 0 THEN 0 ELSE 80000 + (x1 % 120) * 1000 END
			  WHEN rel0 = 'parent' THEN 60000 + (x2 % 50) * 1000 ELSE 0 END AS m_income
	      FROM a)
SELECT base + i + 1 AS id, i, org_id, region_code, status, name, id_number,
       CASE WHEN substr(id_number, 17, 1)::int % 2 = 1 THEN 'male' ELSE 'female' END AS gender,
       birth,
       '1' || substr('3578', (x2 % 4 + 1)::int, 1) || lpad(((x1 * 65536 + x3) % 1000000000)::text, 9, '0') AS phone,
       income, causes, mc, rel0, m_income,
       1 + mc AS size,
       ((income + m_income) * 2 + (1 + mc)) / (2 * (1 + mc)) AS pc,
       std,
       CASE WHEN ((income + m_income) * 2 + (1 + mc)) / (2 * (1 + mc)) <= std THEN 'dibao'
	    WHEN ((income + m_income) * 2 + (1 + mc)) / (2 * (1 + mc)) * 100 <= std * 150 THEN 'marginal'
	    WHEN sudden = 1 THEN 'accident' ELSE 'none' END AS suggested,
       CASE WHEN status IN ('active', 'exited') THEN
		region_code || year || lpad((1000 + j / 30)::text, 5, '0') END AS archive_no,
       year,
       1000 + j / 30 AS seq,
       CASE WHEN status IN ('active', 'exited') THEN entered END AS entered_on,
       CASE WHEN status = 'active' THEN today + ((x4 % 211) - 30)::int
	    WHEN status = 'exited' THEN (entered + interval '6 months')::date END AS next_review,
       CASE WHEN status = 'exited' THEN LEAST(entered + (30 + x3 % 700)::int, today) END AS exited_on,
       CASE WHEN status = 'in_notice' THEN today + (1 + x3 % 7)::int END AS notice_end,
       CASE WHEN status IN ('active', 'exited') THEN entered ELSE today - (x2 % 700)::int END AS day0,
       admin, x1, x2, x3, x4
FROM b;

INSERT INTO households (id, org_id, version, status, name, id_number, gender, birth_date, phone,
	employer, address, monthly_income_fen, causes, living_conditions, household_size,
	per_capita_income_fen, standard_fen, suggested_category, category, archive_no, notice_end,
	next_review_date, last_review_date, exit_reason, submitted_by, entered_on, exited_on,
	review_before_exit, monitor_until, created_by, created_at, updated_at)
SELECT id, org_id, 1, status, name, id_number, gender, birth::text, phone,
	substr('机械厂纺织厂化工厂公交司食品厂建筑司环卫所商贸司', (3 * (x3 % 8) + 1)::int, 3),
	'幸福路' || (1 + x4 % 300) || '号', income, causes, '家庭生活困难，收入来源单一', size,
	pc, std, suggested,
	CASE WHEN status IN ('verified', 'in_notice', 'approved', 'active', 'exited') THEN suggested END,
	archive_no, notice_end::text, CASE WHEN status <> 'exited' THEN next_review::text
	     WHEN exited_on > (current_date - interval '12 months')::date THEN (exited_on + interval '6 months')::date::text END,
	CASE WHEN status = 'active' AND (next_review - interval '6 months')::date > entered_on
	     THEN (next_review - interval '6 months')::date::text END,
	CASE WHEN status = 'exited' THEN '实现再就业，家庭收入稳定，解困脱困' END,
	CASE WHEN status <> 'draft' THEN admin END,
	entered_on::text, exited_on::text,
	CASE WHEN status = 'exited' THEN next_review::text END,
	CASE WHEN status = 'exited' AND exited_on > (current_date - interval '12 months')::date THEN (exited_on + interval '12 months')::date::text END, admin,
	(day0 - 20)::text || 'T0' || (x1 % 10) || ':' || lpad((x2 % 60)::text, 2, '0') || ':00Z',
	COALESCE(exited_on, day0)::text || 'T1' || (x3 % 10) || ':' || lpad((x4 % 60)::text, 2, '0') || ':00Z'
FROM g ORDER BY id;
SELECT setval(pg_get_serial_sequence('households', 'id'), (SELECT MAX(id) FROM households));

-- Members: slot 0..2 for the first member (spouse, child, parent), 3 for a
-- second child, 4 for a parent; the slot is in the ID's sequence (500 +
-- 10 x block + 2 x slot + parity) so IDs never collide.
CREATE TEMP TABLE gm AS
WITH m AS (
	SELECT g.id AS household_id, m.m, g.x1, g.x2, g.x4, g.i,
	       CASE WHEN m.m = 0 THEN g.m_income ELSE 0 END AS income,
	       CASE m.m WHEN 1 THEN 'child' WHEN 2 THEN 'parent' ELSE g.rel0 END AS relation,
	       CASE m.m WHEN 1 THEN 3 WHEN 2 THEN 4 ELSE CASE g.rel0 WHEN 'spouse' THEN 0 WHEN 'child' THEN 1 ELSE 2 END END AS slot
	FROM g JOIN generate_series(0, 2) m (m) ON m.m < g.mc),
n AS (
	SELECT m.*,
	       CASE relation WHEN 'spouse' THEN date '1960-01-01' WHEN 'child' THEN date '1985-01-01'
		    ELSE date '1930-01-01' END + ((i / 16) % 14610)::int AS birth,
	       substr($REGIONS, (6 * (i % 16) + 1)::int, 6) AS region,
	       500 + 10 * ((i / 16) / 14610) + 2 * slot + (x4 / 3 + m) % 2 AS seq
	FROM m),
o AS (
	SELECT household_id, relation, income, birth,
	       region || to_char(birth, 'YYYYMMDD') || lpad(seq::text, 3, '0') AS idn17,
	       substr('王李张刘陈杨黄赵吴周徐孙马朱胡', ((x1 + m) % 15 + 1)::int, 1)
		 || substr('桂英志刚小红小明秀珍海涛丽华文斌', (2 * ((x2 + m) % 8) + 1)::int, 2) AS name
	FROM n)
SELECT o.*, idn17 || $(check_char o.idn17 ::int) AS id_number FROM o;

INSERT INTO members (household_id, name, id_number, relation, gender, birth_date,
	monthly_income_fen, health, school_stage)
SELECT household_id, name, id_number,
       relation, CASE WHEN substr(id_number, 17, 1)::int % 2 = 1 THEN 'male' ELSE 'female' END, birth::text,
       income, '健康',
       CASE WHEN relation <> 'child' THEN 'none'
	    WHEN birth >= date '2020-01-01' THEN 'preschool' WHEN birth >= date '2014-01-01' THEN 'primary'
	    WHEN birth >= date '2011-01-01' THEN 'junior' WHEN birth >= date '2008-01-01' THEN 'senior'
	    WHEN birth >= date '2004-01-01' THEN 'university' ELSE 'none' END
FROM gm ORDER BY household_id, relation;

-- The open-archive index: the worker and each member (closed when exited).
INSERT INTO archive_people (id_number, household_id, is_open)
SELECT id_number, id, (status <> 'exited')::int FROM g ORDER BY id;
INSERT INTO archive_people (id_number, household_id, is_open)
SELECT m.id_number, m.household_id, (g.status <> 'exited')::int
FROM members m JOIN g ON g.id = m.household_id ORDER BY m.household_id, m.id;

-- The name grams of the search (migrations 010 and 034, RULE list.q): its own SQL.
INSERT INTO name_grams (gram, household_id, org_id, name)
SELECT DISTINCT CASE WHEN k.i = 0 THEN '^' || substr(g.name, 1, 1) ELSE substr(g.name, k.i, w.w) END, g.id, g.org_id, g.name
FROM g JOIN generate_series(0, 49) k (i) ON k.i < length(g.name)
JOIN (SELECT 2 AS w UNION ALL SELECT 3) w ON (k.i = 0 AND w.w = 2) OR (k.i > 0 AND k.i + w.w - 1 <= length(g.name));

-- Keep the archive number sequences past the generated numbers.
INSERT INTO archive_seqs (region_code, year, last)
SELECT region_code, year, MAX(seq) FROM g WHERE archive_no IS NOT NULL GROUP BY region_code, year
ON CONFLICT (region_code, year) DO UPDATE SET last = GREATEST(archive_seqs.last, excluded.last);

-- --- payments: condolence campaigns over the generated active archives -----
CREATE TEMP TABLE g_act AS
	SELECT (row_number() OVER (ORDER BY id) - 1) AS r, id, org_id, suggested AS cat
	FROM g WHERE status = 'active';  -- an active archive's category is its suggested one here
CREATE TEMP TABLE g_k AS
	SELECT (SELECT count(*) FROM g_act) AS nact, $PAY::bigint * $N AS want,
	       date_trunc('quarter', now()) AS q0, now() AS q1,
	       (SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1) AS admin,
	       (SELECT id FROM orgs WHERE level = 'city' ORDER BY id LIMIT 1) AS city;
CREATE TEMP TABLE g_camp AS
	SELECT k, g_k.q0 + (g_k.q1 - g_k.q0) * ((k + 1)::float8 / (ceil(want::numeric / nact)::float8 + 1)) AS paid_at
	FROM g_k, generate_series(0, CASE WHEN nact = 0 THEN -1 ELSE ceil(want::numeric / nact)::int - 1 END) k;
-- the amounts of run.sh's campaigns and the approval level they need
CREATE TEMP TABLE g_amt AS
	SELECT a.cat, a.fen, COALESCE((SELECT t->>'level' FROM programs p, jsonb_array_elements(p.tiers::jsonb) t
		WHERE p.code = 'condolence' AND (t->>'max_fen')::bigint >= a.fen
		ORDER BY (t->>'max_fen')::bigint LIMIT 1), 'city') AS lvl
	FROM (VALUES ('dibao', 100000), ('marginal', 80000), ('accident', 80000), ('none', 50000)) a (cat, fen);

INSERT INTO fund_accounts (org_id, source, year, name, balance_fen, created_by, created_at)
SELECT city, 'union', extract(year FROM now())::int, '报表基准账户', 0, admin,
       to_char(q0, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM g_k;
CREATE TEMP TABLE g_acct AS SELECT MAX(id) AS acct FROM fund_accounts;

INSERT INTO campaigns (org_id, name, period, amounts, created_by, created_at)
SELECT city, '报表基准' || (k + 1), 'pg-bench-' || (k + 1),
       '{"accident":80000,"dibao":100000,"marginal":80000,"none":50000}', admin,
       to_char(paid_at - interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM g_camp, g_k ORDER BY k;
CREATE TEMP TABLE g_c AS
	SELECT c.id, c.name, c.period, g_camp.k, to_char(g_camp.paid_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at
	FROM campaigns c JOIN g_camp ON c.period = 'pg-bench-' || (g_camp.k + 1);

INSERT INTO applications (household_id, org_id, program_code, program_version, program_snapshot,
	campaign_id, cover_period, status, requested_fen, approved_fen, disbursed_fen, reason, documents,
	year, due_date, required_level, account_id, submitted_by, approved_by, created_at, updated_at,
	disbursed_at)
SELECT a.id, a.org_id, 'condolence', p.version,
       COALESCE((SELECT program_snapshot FROM applications WHERE program_code = 'condolence' ORDER BY id DESC LIMIT 1),
		row_to_json(p)::text),
       c.id, c.period, 'disbursed', m.fen, m.fen, m.fen, c.name, '[]',
       extract(year FROM now())::int, substr(c.at, 1, 10), m.lvl, g_acct.acct, g_k.admin, g_k.admin,
       c.at, c.at, c.at
FROM g_c c CROSS JOIN g_k CROSS JOIN g_acct
JOIN g_act a ON c.k * g_k.nact + a.r < g_k.want
JOIN g_amt m ON m.cat = a.cat
JOIN programs p ON p.code = 'condolence'
ORDER BY c.k, a.id;

-- the money: one deposit of all of it, then one ledger row per payment
INSERT INTO ledger (account_id, at, kind, amount_fen, balance_fen, note, user_id)
SELECT g_acct.acct, to_char(q0, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'deposit', s.fen, s.fen, '报表基准存入', admin
FROM g_k, g_acct, (SELECT SUM(disbursed_fen) AS fen FROM applications a JOIN g_c c ON c.id = a.campaign_id) s
WHERE s.fen > 0;
INSERT INTO ledger (account_id, at, kind, amount_fen, balance_fen, application_id, note, user_id)
SELECT g_acct.acct, a.disbursed_at, 'disbursement', -a.disbursed_fen,
       SUM(a.disbursed_fen) OVER () - SUM(a.disbursed_fen) OVER (ORDER BY a.id ROWS UNBOUNDED PRECEDING),
       a.id, '两节送温暖慰问金', g_k.admin
FROM applications a JOIN g_c c ON c.id = a.campaign_id CROSS JOIN g_acct CROSS JOIN g_k
ORDER BY a.id;

-- --- what the triggers keep, counted again over all rows ------------------
UPDATE campaigns c SET applications_n = s.n, amount_fen = s.fen, disbursed_n = s.n
FROM (SELECT campaign_id, COUNT(*) AS n, SUM(approved_fen) AS fen FROM applications
      WHERE campaign_id IN (SELECT id FROM g_c) GROUP BY campaign_id) s
WHERE c.id = s.campaign_id;

DELETE FROM hh_counts;
INSERT INTO hh_counts (org_id, status, category, n)
SELECT org_id, status, COALESCE(category, ''), COUNT(*) FROM households
GROUP BY org_id, status, COALESCE(category, '');

DELETE FROM cover_counts;
INSERT INTO cover_counts (org_id, period, n)
SELECT h.org_id, a.cover_period, COUNT(*) FROM applications a JOIN households h ON h.id = a.household_id
WHERE a.cover_period IS NOT NULL AND a.status NOT IN ('rejected', 'withdrawn') AND h.status = 'active'
GROUP BY h.org_id, a.cover_period;

DELETE FROM aid_monthly;
INSERT INTO aid_monthly (org_id, month, program_code, paid_count, net_fen)
SELECT org_id, SUBSTR(disbursed_at, 1, 7), program_code, COUNT(*), SUM(disbursed_fen - refunded_fen)
FROM applications WHERE disbursed_at IS NOT NULL
GROUP BY org_id, SUBSTR(disbursed_at, 1, 7), program_code;

DELETE FROM review_counts;
INSERT INTO review_counts (org_id, due, n)
SELECT org_id, next_review_date, COUNT(*) FROM households
WHERE status = 'active' AND next_review_date IS NOT NULL
GROUP BY org_id, next_review_date;

DELETE FROM review_tally;
INSERT INTO review_tally (org_id, kind, day, n) SELECT org_id, kind, day, n FROM review_tally_fresh;

DELETE FROM hh_condolence;
INSERT INTO hh_condolence (household_id, org_id, active, last_at)
SELECT household_id, org_id, active, last_at FROM hh_condolence_fresh;

DELETE FROM hh_report_counts;
INSERT INTO hh_report_counts (org_id, status, cat, causes, n)
SELECT org_id, status, COALESCE(category, suggested_category, ''), COALESCE(causes, ''), COUNT(*) FROM households
GROUP BY org_id, status, COALESCE(category, suggested_category, ''), COALESCE(causes, '');

DELETE FROM gram_counts;
INSERT INTO gram_counts (gram, org_id, n)
SELECT gram, org_id, COUNT(*) FROM name_grams GROUP BY gram, org_id;

DELETE FROM archive_counts;
INSERT INTO archive_counts (prefix, org_id, n)
SELECT substr(archive_no, 1, 10), org_id, COUNT(*) FROM households
WHERE archive_no IS NOT NULL GROUP BY substr(archive_no, 1, 10), org_id;

DELETE FROM ledger_monthly;
INSERT INTO ledger_monthly (account_id, month, in_fen, out_fen)
SELECT account_id, SUBSTR(at, 1, 7), SUM(CASE WHEN amount_fen > 0 THEN amount_fen ELSE 0 END),
	SUM(CASE WHEN amount_fen < 0 THEN -amount_fen ELSE 0 END)
FROM ledger WHERE transfer_id IS NULL GROUP BY account_id, SUBSTR(at, 1, 7);

SELECT indexdef FROM g_idx \gexec

DROP TABLE g, gm, g_reg, g_org, g_causes, g_idx, g_act, g_k, g_camp, g_amt, g_acct, g_c;
SQL
psql -X -q -v ON_ERROR_STOP=1 "$URL" -c 'ANALYZE' >/dev/null
end=$(date +%s.%N)

# Sanity: the columns the benchmarks filter on are filled in.
bad=$(psql -X -qtA "$URL" -c "SELECT COUNT(*) FROM households WHERE status IN ('active', 'exited')
	AND (archive_no IS NULL OR entered_on IS NULL OR (status = 'active' AND next_review_date IS NULL))")
[[ $bad == 0 ]] || { echo "pg_households: $bad archived households lack archive_no or entered_on, or active ones next_review_date" >&2; exit 1; }

awk -v n="$N" -v p="$PAY" -v s="$start" -v e="$end" \
	'BEGIN { printf("pg_households: %d households, %d payments wanted, in %.1f s\n", n, n * p, e - s) }'
