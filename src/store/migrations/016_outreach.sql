-- 016: outreach (API.md "Outreach", DESIGN.md §2.10): activities with
-- partners and their attendance by household, donations of a donation drive
-- (a ledger row names its activity), unit pairings (县区结对), projects with
-- a budget funded by fund transfers (一县一项目), referrals of households to
-- government services (转介) and their outcome.

CREATE TABLE activities (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	kind TEXT NOT NULL CHECK (kind IN ('legal_outreach', 'free_clinic', 'job_fair', 'training',
		'donation_drive', 'handout', 'enterprise_visit', 'other')),
	title TEXT NOT NULL,
	date TEXT NOT NULL,
	place TEXT,
	partner TEXT,
	note TEXT,
	attendance BIGINT NOT NULL DEFAULT 0 CHECK (attendance >= 0),
	donated_fen BIGINT NOT NULL DEFAULT 0 CHECK (donated_fen >= 0),
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL
);
CREATE INDEX activities_org ON activities (org_id, date);
CREATE INDEX activities_date ON activities (date);

CREATE TABLE activity_attendance (
	activity_id BIGINT NOT NULL REFERENCES activities(id),
	household_id BIGINT NOT NULL REFERENCES households(id),
	created_at TEXT NOT NULL,
	PRIMARY KEY (activity_id, household_id)
);
CREATE INDEX activity_attendance_household ON activity_attendance (household_id);

-- A donation into a fund account: its ledger row names the activity.
ALTER TABLE ledger ADD COLUMN activity_id BIGINT REFERENCES activities(id);

CREATE TABLE activity_donations (
	id {{ID}},
	activity_id BIGINT NOT NULL REFERENCES activities(id),
	account_id BIGINT NOT NULL REFERENCES fund_accounts(id),
	amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
	donor TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL
);
CREATE INDEX activity_donations_activity ON activity_donations (activity_id);

CREATE TABLE org_pairings (
	id {{ID}},
	helper_org_id BIGINT NOT NULL REFERENCES orgs(id),
	helped_org_id BIGINT NOT NULL REFERENCES orgs(id),
	org_id BIGINT NOT NULL REFERENCES orgs(id),     -- the unit above both that made it
	from_date TEXT NOT NULL,
	to_date TEXT,
	note TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL,
	CHECK (helper_org_id <> helped_org_id),
	CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX org_pairings_org ON org_pairings (org_id);

CREATE TABLE projects (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	name TEXT NOT NULL,
	year BIGINT NOT NULL,
	budget_fen BIGINT NOT NULL CHECK (budget_fen > 0),
	funded_fen BIGINT NOT NULL DEFAULT 0 CHECK (funded_fen >= 0),
	description TEXT,
	status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'running', 'done')),
	outcome TEXT,
	version BIGINT NOT NULL DEFAULT 0,
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK (funded_fen <= budget_fen)
);
CREATE INDEX projects_org ON projects (org_id, year);
CREATE INDEX projects_year ON projects (year);

CREATE TABLE project_fundings (
	id {{ID}},
	project_id BIGINT NOT NULL REFERENCES projects(id),
	transfer_id BIGINT NOT NULL REFERENCES fund_transfers(id),
	amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL
);
CREATE INDEX project_fundings_project ON project_fundings (project_id);

CREATE TABLE agency_referrals (
	id {{ID}},
	household_id BIGINT NOT NULL REFERENCES households(id),
	org_id BIGINT NOT NULL REFERENCES orgs(id),     -- the household's unit when referred
	member_id BIGINT,
	agency TEXT NOT NULL CHECK (agency IN ('civil_affairs', 'housing', 'education', 'health',
		'human_resources', 'legal_aid', 'other')),
	service TEXT NOT NULL CHECK (service IN ('dibao', 'public_housing', 'tuition_waiver', 'medical_aid',
		'job', 'legal_aid', 'other')),
	referred_on TEXT NOT NULL,
	note TEXT,
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'granted', 'refused')),
	decided_on TEXT,
	amount_fen BIGINT CHECK (amount_fen IS NULL OR amount_fen >= 0),
	dibao_cert_no TEXT,
	outcome_note TEXT,
	followed_up_on TEXT,                            -- the last follow-up while pending
	follow_up_note TEXT,
	version BIGINT NOT NULL DEFAULT 0,
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX agency_referrals_org ON agency_referrals (org_id, status, referred_on);
CREATE INDEX agency_referrals_household ON agency_referrals (household_id);
