-- 004: reception and cases (信访接待、12351 热线、来信、网上; 法律援助、欠薪、劳动争议):
-- intake by channel, assignment, deadline in working days, status trail,
-- result, money recovered for wage arrears.

CREATE TABLE cases (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),   -- the handling unit
	version BIGINT NOT NULL DEFAULT 1,
	status TEXT NOT NULL CHECK (status IN ('received', 'assigned', 'in_progress', 'resolved',
		'closed', 'referred')),
	channel TEXT NOT NULL CHECK (channel IN ('window', 'hotline', 'letter', 'online')),
	category TEXT NOT NULL CHECK (category IN ('petition', 'consultation', 'legal_aid',
		'wage_arrears', 'labour_dispute', 'other')),
	household_id BIGINT REFERENCES households(id), -- an archived worker, or NULL
	person_name TEXT NOT NULL,
	phone TEXT,
	id_number TEXT,
	work_unit TEXT,
	migrant_worker BIGINT NOT NULL DEFAULT 0 CHECK (migrant_worker IN (0, 1)),
	subject TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	received_on TEXT NOT NULL,
	deadline TEXT NOT NULL,                        -- received_on + N working days
	assigned_to BIGINT REFERENCES users(id),
	referred_to TEXT,                              -- the unit or agency (转办)
	result TEXT,
	-- RULE cases.recovered: wage arrears only, never negative
	recovered_fen BIGINT NOT NULL DEFAULT 0 CHECK (recovered_fen >= 0
		AND (category = 'wage_arrears' OR recovered_fen = 0)),
	finished_at TEXT,                              -- reached resolved or referred (办结)
	closed_at TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK (status <> 'referred' OR referred_to IS NOT NULL)
);
CREATE INDEX cases_org_status ON cases (org_id, status);
CREATE INDEX cases_status_deadline ON cases (status, deadline);
CREATE INDEX cases_received ON cases (received_on);
CREATE INDEX cases_assigned ON cases (assigned_to);
CREATE INDEX cases_household ON cases (household_id);

CREATE TABLE case_events (
	id {{ID}},
	case_id BIGINT NOT NULL REFERENCES cases(id),
	at TEXT NOT NULL,
	user_id BIGINT REFERENCES users(id),
	action TEXT NOT NULL,
	from_status TEXT,
	to_status TEXT,
	comment TEXT
);
CREATE INDEX case_events_case ON case_events (case_id, id);
