-- 002: household archives, members, the open-archive people index,
-- workflow events, visits, objections, pairings, archive number sequences.

CREATE TABLE households (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	version BIGINT NOT NULL DEFAULT 1,
	status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'verified', 'in_notice',
		'approved', 'active', 'rejected', 'exited')),
	name TEXT NOT NULL,
	id_number TEXT NOT NULL,
	gender TEXT NOT NULL CHECK (gender IN ('male', 'female')),
	birth_date TEXT NOT NULL,
	phone TEXT,
	employer TEXT,
	address TEXT,
	monthly_income_fen BIGINT NOT NULL CHECK (monthly_income_fen >= 0),
	causes TEXT NOT NULL DEFAULT '',          -- cause codes joined by ','
	housing TEXT,
	living_conditions TEXT,                   -- 五清: family situation
	illness TEXT,                             -- illness and medication
	mental_state TEXT,                        -- 五清: state of mind
	employment_needs TEXT,                    -- 五清: employment needs
	skills TEXT,                              -- 五清: skills
	measures TEXT,                            -- measures taken
	dibao_cert_no TEXT,                       -- 低保证号 when receiving the allowance
	receives_dibao BIGINT NOT NULL DEFAULT 0 CHECK (receives_dibao IN (0, 1)),
	migrant_worker BIGINT NOT NULL DEFAULT 0 CHECK (migrant_worker IN (0, 1)),
	model_worker BIGINT NOT NULL DEFAULT 0 CHECK (model_worker IN (0, 1)),
	disability BIGINT NOT NULL DEFAULT 0 CHECK (disability IN (0, 1)),
	notes TEXT,
	household_size BIGINT NOT NULL CHECK (household_size >= 1),
	per_capita_income_fen BIGINT NOT NULL CHECK (per_capita_income_fen >= 0),
	standard_fen BIGINT,
	suggested_category TEXT NOT NULL CHECK (suggested_category IN ('dibao', 'marginal', 'accident', 'none')),
	category TEXT CHECK (category IN ('dibao', 'marginal', 'accident', 'none')),
	archive_no TEXT UNIQUE,
	notice_end TEXT,
	next_review_date TEXT,
	last_review_date TEXT,
	above_marginal_since TEXT,                -- first of the consecutive reviews above the marginal line
	exit_suggested BIGINT NOT NULL DEFAULT 0 CHECK (exit_suggested IN (0, 1)),
	exit_reason TEXT,
	submitted_by BIGINT REFERENCES users(id),
	entered_on TEXT,
	exited_on TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX households_org_status ON households (org_id, status);
CREATE INDEX households_status ON households (status, org_id);
CREATE INDEX households_name ON households (name);
CREATE INDEX households_review ON households (status, next_review_date, org_id);
CREATE INDEX households_archive_no ON households (archive_no, org_id);
CREATE INDEX households_entered ON households (entered_on);
CREATE INDEX households_exited ON households (exited_on);

CREATE TABLE members (
	id {{ID}},
	household_id BIGINT NOT NULL REFERENCES households(id),
	name TEXT NOT NULL,
	id_number TEXT NOT NULL,
	relation TEXT NOT NULL CHECK (relation IN ('spouse', 'child', 'parent', 'sibling',
		'grandparent', 'grandchild', 'other')),
	gender TEXT,
	birth_date TEXT,
	monthly_income_fen BIGINT NOT NULL DEFAULT 0 CHECK (monthly_income_fen >= 0),
	health TEXT,
	school_stage TEXT NOT NULL DEFAULT 'none' CHECK (school_stage IN ('none', 'preschool',
		'primary', 'junior', 'senior', 'vocational', 'university')),
	disability BIGINT NOT NULL DEFAULT 0 CHECK (disability IN (0, 1)),
	occupation TEXT
);
CREATE INDEX members_household ON members (household_id);

-- RULE archive.precise: one ID number stands in at most one open archive,
-- as worker or member, across all units.  The partial unique index makes
-- the database refuse the second of two concurrent creates.
CREATE TABLE archive_people (
	id {{ID}},
	id_number TEXT NOT NULL,
	household_id BIGINT NOT NULL REFERENCES households(id),
	is_open BIGINT NOT NULL DEFAULT 1 CHECK (is_open IN (0, 1))
);
CREATE UNIQUE INDEX archive_people_open ON archive_people (id_number) WHERE is_open = 1;
CREATE INDEX archive_people_household ON archive_people (household_id);

CREATE TABLE household_events (
	id {{ID}},
	household_id BIGINT NOT NULL REFERENCES households(id),
	at TEXT NOT NULL,
	user_id BIGINT REFERENCES users(id),
	action TEXT NOT NULL,
	from_status TEXT,
	to_status TEXT,
	comment TEXT,
	data TEXT                                 -- JSON: values before a review, etc.
);
CREATE INDEX household_events_household ON household_events (household_id, id);

CREATE TABLE visits (
	id {{ID}},
	household_id BIGINT NOT NULL REFERENCES households(id),
	date TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('verification', 'condolence', 'pairing', 'review')),
	visitor TEXT NOT NULL,
	notes TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL
);
CREATE INDEX visits_household ON visits (household_id, kind);
CREATE INDEX visits_date ON visits (date);

CREATE TABLE objections (
	id {{ID}},
	household_id BIGINT NOT NULL REFERENCES households(id),
	text TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'dismissed')),
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL,
	resolved_by BIGINT REFERENCES users(id),
	resolved_at TEXT,
	comment TEXT
);
CREATE INDEX objections_household ON objections (household_id, status);

CREATE TABLE pairings (
	id {{ID}},
	household_id BIGINT NOT NULL REFERENCES households(id),
	cadre_name TEXT NOT NULL,
	cadre_unit TEXT,
	phone TEXT,
	plan TEXT NOT NULL,                       -- 一户一法
	visits_per_year BIGINT NOT NULL CHECK (visits_per_year BETWEEN 1 AND 12),
	start_date TEXT NOT NULL,
	end_date TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL
);
CREATE INDEX pairings_household ON pairings (household_id);

-- RULE archive.number: gap-free sequence per region and year.
CREATE TABLE archive_seqs (
	region_code TEXT NOT NULL,
	year BIGINT NOT NULL,
	last BIGINT NOT NULL,
	PRIMARY KEY (region_code, year)
);

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('marginal_factor_pct', '150');
INSERT INTO settings (key, value) VALUES ('notice_workdays', '5');
