-- 014: attachments (电子档案: the scans of the papers, API.md "Attachments"),
-- agency checks on the worker's authorisation (家庭经济状况核对) and the
-- retention purge's marks.
--   attachments       metadata, kept after a delete (deleted_at) or a purge
--                     (purged_at); org_id is the owner's unit at upload (the
--                     scope), household_id the archive it belongs to, if any
--                     (documents of applications, the purge).
--   attachment_blobs  the bytes, one row per live attachment: BLOB on SQLite
--                     (written by incremental I/O), bytea on PostgreSQL.
--   household_checks  one check per agency, pending until its result.
CREATE TABLE attachments (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	owner_type TEXT NOT NULL CHECK (owner_type IN ('household', 'member', 'application', 'case', 'claim')),
	owner_id BIGINT NOT NULL,
	household_id BIGINT REFERENCES households(id),
	kind TEXT NOT NULL,
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
	size BIGINT NOT NULL CHECK (size > 0),
	sha256 TEXT NOT NULL,
	uploaded_by BIGINT REFERENCES users(id),
	uploaded_at TEXT NOT NULL,
	note TEXT,
	deleted_at TEXT,
	purged_at TEXT
);
CREATE INDEX attachments_owner ON attachments (owner_type, owner_id, id);
CREATE INDEX attachments_household ON attachments (household_id, kind);

-- @sqlite
CREATE TABLE attachment_blobs (
	attachment_id INTEGER PRIMARY KEY REFERENCES attachments(id),
	bytes BLOB NOT NULL
);
-- @end
-- @pg
CREATE TABLE attachment_blobs (
	attachment_id BIGINT PRIMARY KEY REFERENCES attachments(id),
	bytes BYTEA NOT NULL
);
ALTER TABLE attachment_blobs ALTER COLUMN bytes SET STORAGE EXTERNAL;
-- @end

CREATE TABLE household_checks (
	id {{ID}},
	household_id BIGINT NOT NULL REFERENCES households(id),
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	agency TEXT NOT NULL CHECK (agency IN ('civil_affairs', 'housing', 'vehicles', 'market',
		'social_security', 'tax', 'bank')),
	status TEXT NOT NULL CHECK (status IN ('pending', 'done')),
	requested_on TEXT NOT NULL,
	authorisation_id BIGINT NOT NULL REFERENCES attachments(id),
	result TEXT CHECK (result IN ('clear', 'found')),
	finding TEXT,
	result_on TEXT,
	requested_by BIGINT REFERENCES users(id),
	result_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK ((status = 'pending') = (result IS NULL))
);
CREATE INDEX household_checks_household ON household_checks (household_id, id);
CREATE INDEX household_checks_requested ON household_checks (requested_on);
CREATE INDEX household_checks_result ON household_checks (result_on);

-- RULE retention.purge: when an archive's personal fields were erased
ALTER TABLE households ADD COLUMN purged_at TEXT;
