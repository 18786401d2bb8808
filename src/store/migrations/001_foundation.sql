-- 001: org units, users, sessions, standards, calendar, audit log.
-- {{ID}} is the driver's auto-increment primary key.

CREATE TABLE orgs (
	id {{ID}},
	parent_id BIGINT REFERENCES orgs(id),
	name TEXT NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('city', 'district', 'street', 'grassroots')),
	region_code TEXT NOT NULL,
	path TEXT NOT NULL, -- '/1/4/17/': the ids from the root; scope = path prefix
	created_at TEXT NOT NULL
);
CREATE INDEX orgs_path ON orgs (path);
CREATE INDEX orgs_parent ON orgs (parent_id);

CREATE TABLE users (
	id {{ID}},
	username TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'reviewer', 'approver', 'finance', 'viewer')),
	password_hash TEXT NOT NULL,
	locked BIGINT NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
	must_change_password BIGINT NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
	created_at TEXT NOT NULL
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE sessions (
	id {{ID}},
	token_hash TEXT NOT NULL UNIQUE, -- BLAKE2b of the token; the token itself is never stored
	csrf_token TEXT NOT NULL,
	user_id BIGINT NOT NULL REFERENCES users(id),
	kind TEXT NOT NULL CHECK (kind IN ('web', 'cli')),
	created_at TEXT NOT NULL,
	last_seen TEXT, -- NULL: a CLI token not used yet (its idle timer starts at first use)
	revoked BIGINT NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
	id {{ID}},
	username TEXT NOT NULL,
	at TEXT NOT NULL,
	client TEXT
);
CREATE INDEX login_failures_user ON login_failures (username, at);

CREATE TABLE standards (
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	year BIGINT NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	monthly_fen BIGINT NOT NULL CHECK (monthly_fen > 0),
	updated_at TEXT NOT NULL,
	PRIMARY KEY (org_id, year)
);

CREATE TABLE calendar (
	date TEXT PRIMARY KEY,
	workday BIGINT NOT NULL CHECK (workday IN (0, 1)),
	note TEXT NOT NULL DEFAULT ''
);

-- Append-only, hash-chained.  ids are contiguous (taken from audit_head.seq
-- under its row lock), so a deleted entry shows as a gap.
CREATE TABLE audit_log (
	id BIGINT PRIMARY KEY,
	at TEXT NOT NULL,
	user_id BIGINT,
	org_id BIGINT,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id BIGINT,
	summary TEXT NOT NULL,
	client TEXT,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_user ON audit_log (user_id);

CREATE TABLE audit_head (
	one BIGINT PRIMARY KEY CHECK (one = 1),
	seq BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (one, seq, hash) VALUES (1, 0, '');
