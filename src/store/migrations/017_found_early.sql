-- 017: found early, helped at once, watched after exit (API.md "Found
-- early").  The informant role, clues, emergency aid naming a person
-- instead of a household, the follow-up of an emergency payment, the watch
-- after exit and the `monitoring` visit.
--
-- Three constraints of older tables widen: users.role (informant),
-- visits.kind (monitoring) and applications.household_id (null for an
-- emergency application).  PostgreSQL alters them; SQLite, which cannot,
-- edits the table's text in sqlite_schema, the way its documentation gives
-- for removing NOT NULL and changing CHECK constraints (the stored rows are
-- unchanged), and reloads the schema.
-- @sqlite
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''finance'', ''viewer'')', '''finance'', ''viewer'', ''informant'')')
WHERE type = 'table' AND name = 'users';
UPDATE sqlite_master SET sql = replace(sql, '''pairing'', ''review'')', '''pairing'', ''review'', ''monitoring'')')
WHERE type = 'table' AND name = 'visits';
UPDATE sqlite_master SET sql = replace(sql, 'household_id BIGINT NOT NULL REFERENCES households(id)',
	'household_id BIGINT REFERENCES households(id)')
WHERE type = 'table' AND name = 'applications';
PRAGMA writable_schema = RESET;
-- @end
-- @pg
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
	CHECK (role IN ('admin', 'staff', 'reviewer', 'approver', 'finance', 'viewer', 'informant'));
ALTER TABLE visits DROP CONSTRAINT visits_kind_check;
ALTER TABLE visits ADD CONSTRAINT visits_kind_check
	CHECK (kind IN ('verification', 'condolence', 'pairing', 'review', 'monitoring'));
ALTER TABLE applications ALTER COLUMN household_id DROP NOT NULL;
-- @end

-- Clues (线索): filed by an informant (or staff), acted on within 5
-- working days, resolved once.
CREATE TABLE clues (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
	name TEXT NOT NULL,
	id_number TEXT,
	phone TEXT,
	address TEXT NOT NULL,
	situation TEXT NOT NULL,
	causes TEXT NOT NULL DEFAULT '',
	received_on TEXT NOT NULL,
	due_date TEXT NOT NULL,
	outcome TEXT CHECK (outcome IN ('archived', 'emergency_aid', 'referred', 'not_in_difficulty', 'duplicate')),
	household_id BIGINT REFERENCES households(id),
	application_id BIGINT REFERENCES applications(id),
	comment TEXT,
	resolved_on TEXT,
	resolved_by BIGINT REFERENCES users(id),
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK ((status = 'open') = (outcome IS NULL))
);
CREATE INDEX clues_org_status ON clues (org_id, status, due_date);
CREATE INDEX clues_created_by ON clues (created_by, id);
CREATE INDEX clues_received ON clues (received_on);
CREATE INDEX clues_resolved ON clues (resolved_on);

-- Emergency aid (临时救助): the programme flag, the person named by the
-- application and its follow-up after the payment.
ALTER TABLE programs ADD COLUMN emergency BIGINT NOT NULL DEFAULT 0 CHECK (emergency IN (0, 1));
ALTER TABLE applications ADD COLUMN person_name TEXT;
ALTER TABLE applications ADD COLUMN person_id_number TEXT;
ALTER TABLE applications ADD COLUMN person_phone TEXT;
ALTER TABLE applications ADD COLUMN person_address TEXT;
ALTER TABLE applications ADD COLUMN follow_up_due TEXT;
ALTER TABLE applications ADD COLUMN follow_up_outcome TEXT CHECK (follow_up_outcome IN ('archived', 'closed'));
ALTER TABLE applications ADD COLUMN follow_up_household_id BIGINT REFERENCES households(id);
ALTER TABLE applications ADD COLUMN follow_up_comment TEXT;
ALTER TABLE applications ADD COLUMN follow_up_on TEXT;
ALTER TABLE applications ADD COLUMN follow_up_by BIGINT REFERENCES users(id);
CREATE INDEX applications_person ON applications (person_id_number, disbursed_at);
CREATE INDEX applications_follow_up ON applications (follow_up_due);

INSERT INTO programs (code, name, description, standard_fen, max_fen, deadline_workdays, documents, tiers, rules,
	emergency, updated_at) VALUES
('emergency', '临时救助', '遭遇突发性灾难、事故等急难情形、尚未建档的职工：先行救助，事后跟进建档', 100000, 500000, 2,
 '["身份证"]',
 '[{"level":"street","max_fen":100000},{"level":"district","max_fen":500000},{"level":"city","max_fen":null}]',
 '{"requires_active":false}', 1, '2026-01-01T00:00:00Z');

-- Watching after exit (返困监测): an exit keeps the archive under watch.
-- review_before_exit keeps the review date of the active archive that the
-- exit replaces with the watch's visit date, for the quarterly report's
-- overdue reviews of a period when the archive was still active.
ALTER TABLE households ADD COLUMN monitor_until TEXT;
ALTER TABLE households ADD COLUMN review_before_exit TEXT;
-- Archives exited before this migration are not under watch: their review
-- date moves aside, so that the reviews due (GET /households?review_due=true)
-- read only active and watched archives from households_review.
UPDATE households SET review_before_exit = next_review_date, next_review_date = NULL
WHERE status = 'exited' AND next_review_date IS NOT NULL;
CREATE INDEX households_monitor ON households (status, monitor_until);
