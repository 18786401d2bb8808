-- 005: employment services (职业介绍、技能培训、招聘会) and partner cards
-- (爱心超市/药店/医院/学校, 困难职工证).

-- A hired referral of an archived worker: the date it was recorded, so
-- the quarterly report can count exits by re-employment.
ALTER TABLE households ADD COLUMN reemployed_on TEXT;

CREATE TABLE job_seekers (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	name TEXT NOT NULL,
	id_number TEXT NOT NULL,
	gender TEXT NOT NULL CHECK (gender IN ('male', 'female')),
	birth_date TEXT NOT NULL,
	phone TEXT,
	skills TEXT,
	wishes TEXT,
	certificates TEXT NOT NULL DEFAULT '[]',  -- JSON array of names (再就业优惠证, ...)
	status TEXT NOT NULL DEFAULT 'seeking' CHECK (status IN ('seeking', 'employed')),
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL
);
-- one registration per person
CREATE UNIQUE INDEX job_seekers_id_number ON job_seekers (id_number);
CREATE INDEX job_seekers_org ON job_seekers (org_id);
CREATE INDEX job_seekers_created ON job_seekers (created_at);

CREATE TABLE employers (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	name TEXT NOT NULL,
	industry TEXT,
	contact TEXT,
	phone TEXT,
	address TEXT,
	created_at TEXT NOT NULL
);
CREATE INDEX employers_org ON employers (org_id);

CREATE TABLE vacancies (
	id {{ID}},
	employer_id BIGINT NOT NULL REFERENCES employers(id),
	org_id BIGINT NOT NULL REFERENCES orgs(id),   -- the employer's unit
	title TEXT NOT NULL,
	positions BIGINT NOT NULL CHECK (positions >= 1),
	wage_min_fen BIGINT NOT NULL DEFAULT 0 CHECK (wage_min_fen >= 0),
	wage_max_fen BIGINT NOT NULL DEFAULT 0 CHECK (wage_max_fen >= wage_min_fen),
	requirements TEXT,
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
	created_at TEXT NOT NULL
);
CREATE INDEX vacancies_org ON vacancies (org_id, status);

CREATE TABLE referrals (
	id {{ID}},
	seeker_id BIGINT NOT NULL REFERENCES job_seekers(id),
	vacancy_id BIGINT NOT NULL REFERENCES vacancies(id),
	org_id BIGINT NOT NULL REFERENCES orgs(id),   -- the seeker's unit
	date TEXT NOT NULL,
	outcome TEXT NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'hired', 'rejected', 'no_show')),
	outcome_date TEXT,
	note TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL
);
CREATE INDEX referrals_org ON referrals (org_id, date);
CREATE INDEX referrals_seeker ON referrals (seeker_id);
-- a seeker is referred to one vacancy once while the outcome is pending
CREATE UNIQUE INDEX referrals_pending ON referrals (seeker_id, vacancy_id) WHERE outcome = 'pending';

CREATE TABLE trainings (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	name TEXT NOT NULL,
	provider TEXT,
	start_date TEXT NOT NULL,
	end_date TEXT NOT NULL CHECK (end_date >= start_date),
	capacity BIGINT NOT NULL CHECK (capacity >= 1),
	created_at TEXT NOT NULL
);
CREATE INDEX trainings_org ON trainings (org_id, start_date);

CREATE TABLE enrolments (
	id {{ID}},
	training_id BIGINT NOT NULL REFERENCES trainings(id),
	seeker_id BIGINT NOT NULL REFERENCES job_seekers(id),
	result TEXT NOT NULL DEFAULT 'pending' CHECK (result IN ('pending', 'passed', 'failed')),
	certificate TEXT,                             -- name or number of the certificate won
	result_date TEXT,
	created_at TEXT NOT NULL,
	UNIQUE (training_id, seeker_id)
);

CREATE TABLE job_fairs (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	name TEXT NOT NULL,
	date TEXT NOT NULL,
	place TEXT,
	employers BIGINT NOT NULL DEFAULT 0 CHECK (employers >= 0),
	vacancies BIGINT NOT NULL DEFAULT 0 CHECK (vacancies >= 0),
	visitors BIGINT NOT NULL DEFAULT 0 CHECK (visitors >= 0),
	agreements BIGINT NOT NULL DEFAULT 0 CHECK (agreements >= 0),
	created_at TEXT NOT NULL
);
CREATE INDEX job_fairs_org ON job_fairs (org_id, date);

-- Partners share the cost of purchases against a card: the union pays
-- union_share_bp / 10000 of each purchase from the partner's fund account.
CREATE TABLE partners (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('shop', 'pharmacy', 'hospital', 'school')),
	union_share_bp BIGINT NOT NULL CHECK (union_share_bp BETWEEN 0 AND 10000),
	account_id BIGINT NOT NULL REFERENCES fund_accounts(id),
	address TEXT,
	phone TEXT,
	created_at TEXT NOT NULL
);
CREATE INDEX partners_org ON partners (org_id);

CREATE TABLE cards (
	id {{ID}},
	household_id BIGINT NOT NULL REFERENCES households(id),
	org_id BIGINT NOT NULL REFERENCES orgs(id),   -- the household's unit
	card_no TEXT NOT NULL UNIQUE,
	id_number TEXT NOT NULL,                      -- the worker's, to find the card on re-archiving
	status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
	issued_on TEXT NOT NULL,
	suspended_on TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL
);
-- RULE cards.one_open: one card per household
CREATE UNIQUE INDEX cards_household ON cards (household_id);
CREATE INDEX cards_id_number ON cards (id_number);
CREATE INDEX cards_org ON cards (org_id, status);

CREATE TABLE purchases (
	id {{ID}},
	card_id BIGINT NOT NULL REFERENCES cards(id),
	partner_id BIGINT NOT NULL REFERENCES partners(id),
	household_id BIGINT NOT NULL REFERENCES households(id),
	org_id BIGINT NOT NULL REFERENCES orgs(id),   -- the card's unit
	account_id BIGINT NOT NULL REFERENCES fund_accounts(id),
	ledger_id BIGINT REFERENCES ledger(id),       -- NULL when the union's share is 0
	date TEXT NOT NULL,
	amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
	union_fen BIGINT NOT NULL CHECK (union_fen >= 0),
	partner_fen BIGINT NOT NULL CHECK (partner_fen >= 0 AND union_fen + partner_fen = amount_fen),
	items TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL
);
CREATE INDEX purchases_partner ON purchases (partner_id, date);
CREATE INDEX purchases_card ON purchases (card_id);
CREATE INDEX purchases_org ON purchases (org_id, date);
