-- 015: mutual-aid plans (职工医疗互助, 女职工"四病"/防癌保障), their
-- enrolments and claims, and the household's primary aid item (帮扶主项).
-- API.md "Mutual aid", DESIGN.md §2.9.
--   ma_plans        one plan of one unit and year; seen and used by its
--                   unit and every unit below it.  enrolled_n, claims_n and
--                   paid_fen are kept as enrolments and claims move.
--   ma_enrolments   one person in one plan (RULE ma.once: never twice),
--                   belonging to the enrolling unit; approved_fen is the
--                   sum approved on its claims, guarded against the cap in
--                   the approving UPDATE itself (RULE ma.cap).
--   ma_claims       submitted → verified → approved → paid, or rejected;
--                   a claim belongs to its enrolment's unit.
CREATE TABLE ma_plans (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('medical', 'women', 'other')),
	year BIGINT NOT NULL,
	premium_fen BIGINT NOT NULL CHECK (premium_fen >= 0),
	enrol_from TEXT NOT NULL,
	enrol_to TEXT NOT NULL CHECK (enrol_to >= enrol_from),
	cover_from TEXT NOT NULL,
	cover_to TEXT NOT NULL CHECK (cover_to >= cover_from),
	annual_cap_fen BIGINT NOT NULL CHECK (annual_cap_fen > 0),
	women_only BIGINT NOT NULL DEFAULT 0 CHECK (women_only IN (0, 1)),
	age_max BIGINT,
	benefits TEXT NOT NULL,                  -- JSON [{"code","name","max_fen"}]
	deadline_workdays BIGINT NOT NULL DEFAULT 10,
	enrolled_n BIGINT NOT NULL DEFAULT 0,
	premium_total_fen BIGINT NOT NULL DEFAULT 0,
	claims_n BIGINT NOT NULL DEFAULT 0,
	paid_fen BIGINT NOT NULL DEFAULT 0,
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL,
	UNIQUE (org_id, code)
);

CREATE TABLE ma_enrolments (
	id {{ID}},
	plan_id BIGINT NOT NULL REFERENCES ma_plans(id),
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	name TEXT NOT NULL,
	id_number TEXT NOT NULL,
	gender TEXT NOT NULL,
	birth_date TEXT NOT NULL,
	phone TEXT,
	household_id BIGINT REFERENCES households(id),
	paid_by TEXT NOT NULL CHECK (paid_by IN ('member', 'union', 'employer')),
	premium_fen BIGINT NOT NULL,
	account_id BIGINT REFERENCES fund_accounts(id),
	ledger_id BIGINT REFERENCES ledger(id),
	approved_fen BIGINT NOT NULL DEFAULT 0 CHECK (approved_fen >= 0),
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL,
	UNIQUE (plan_id, id_number)
);
CREATE INDEX ma_enrolments_id_number ON ma_enrolments (id_number);
CREATE INDEX ma_enrolments_org ON ma_enrolments (org_id, plan_id);
CREATE INDEX ma_enrolments_plan_name ON ma_enrolments (plan_id, name);

CREATE TABLE ma_claims (
	id {{ID}},
	enrolment_id BIGINT NOT NULL REFERENCES ma_enrolments(id),
	plan_id BIGINT NOT NULL REFERENCES ma_plans(id),
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	benefit_code TEXT NOT NULL,
	benefit_name TEXT NOT NULL,
	event_date TEXT NOT NULL,
	claimed_fen BIGINT NOT NULL CHECK (claimed_fen > 0),
	approved_fen BIGINT,
	paid_fen BIGINT NOT NULL DEFAULT 0,
	diagnosis TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('submitted', 'verified', 'approved', 'paid', 'rejected')),
	version BIGINT NOT NULL DEFAULT 1,
	due_date TEXT NOT NULL,
	required_level TEXT NOT NULL,
	account_id BIGINT REFERENCES fund_accounts(id),
	ledger_id BIGINT REFERENCES ledger(id),
	submitted_by BIGINT REFERENCES users(id),
	approved_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	paid_at TEXT
);
CREATE INDEX ma_claims_org_status ON ma_claims (org_id, status);
CREATE INDEX ma_claims_plan ON ma_claims (plan_id, status);
CREATE INDEX ma_claims_enrolment ON ma_claims (enrolment_id);
CREATE INDEX ma_claims_paid_at ON ma_claims (paid_at);

CREATE TABLE ma_claim_events (
	id {{ID}},
	claim_id BIGINT NOT NULL REFERENCES ma_claims(id),
	at TEXT NOT NULL,
	user_id BIGINT REFERENCES users(id),
	action TEXT NOT NULL,
	from_status TEXT,
	to_status TEXT NOT NULL,
	comment TEXT
);
CREATE INDEX ma_claim_events_claim ON ma_claim_events (claim_id, id);

-- 帮扶主项: a programme code, or employment, legal, medical_mutual
ALTER TABLE households ADD COLUMN primary_aid TEXT;
CREATE INDEX households_primary_aid ON households (primary_aid, org_id) WHERE primary_aid IS NOT NULL;
