-- 037: the quarterly report's condolence coverage without a probe per
-- archive (issue 18, docs/benchmarks.md).  The report counts the archives
-- active at the period's end that had a condolence application filed in
-- the period and approved by its end.  For an archive none of whose
-- applications has an event after the end (services/reports.c, hh_active)
-- it read the applications' status now, with one probe of
-- applications_household per active archive: 0.96 s of the 1.1 s report
-- at 300,000 archives on PostgreSQL, and 6,000,000 probes read from the
-- disk at 10 M.  Such an archive's applications were all filed by the end
-- (filing writes an event), so it is covered if and only if the latest
-- filing time of its condolence applications approved now is in the
-- period: kept here per archive, with its unit and whether it is active
-- now, and counted from one index range.  RULE counts.kept: the triggers
-- keep it in the transaction of every change; `bangfu check` reads it
-- again from the applications.
CREATE TABLE hh_condolence (
	household_id BIGINT PRIMARY KEY REFERENCES households(id),
	org_id BIGINT NOT NULL,
	active INTEGER NOT NULL,
	last_at TEXT NOT NULL
);
-- the rows as they should be, read afresh (the triggers' reading again,
-- `bangfu check`, the benchmark's loader)
CREATE VIEW hh_condolence_fresh AS
SELECT h.id AS household_id, h.org_id, CASE WHEN h.status = 'active' THEN 1 ELSE 0 END AS active, m.last_at
FROM households h JOIN (SELECT household_id, MAX(created_at) AS last_at FROM applications
	WHERE program_code = 'condolence' AND household_id IS NOT NULL
	  AND status IN ('approved', 'disbursed', 'receipted', 'closed')
	GROUP BY household_id) m ON m.household_id = h.id;
INSERT INTO hh_condolence (household_id, org_id, active, last_at)
SELECT household_id, org_id, active, last_at FROM hh_condolence_fresh;
-- per unit of the scope, the range from the period's start: read from the
-- index alone (the archives with a late event are left out by id)
CREATE INDEX hh_condolence_count ON hh_condolence (active, org_id, last_at, household_id);

-- An application enters the set (approved, or filed approved): the latest
-- filing time moves up to its own.  One leaves it (deleted; no step of
-- the workflow leaves it): read again from the applications.  A campaign
-- files one application per active archive of the city in one statement
-- and then moves the latest filings itself, set-based (campaigns.c): the
-- insert triggers leave its rows (campaign_id set) alone.  At 300,000
-- archives on PostgreSQL, a trigger per row, or one per statement with
-- its new rows (a transition table of wide rows), made a campaign 35-40 s
-- slower than its 65 s; the statement takes 2 s.
-- @sqlite
CREATE TRIGGER hh_condolence_app_insert AFTER INSERT ON applications
WHEN NEW.program_code = 'condolence' AND NEW.household_id IS NOT NULL AND NEW.campaign_id IS NULL
  AND NEW.status IN ('approved', 'disbursed', 'receipted', 'closed')
BEGIN
	INSERT INTO hh_condolence (household_id, org_id, active, last_at)
	SELECT h.id, h.org_id, CASE WHEN h.status = 'active' THEN 1 ELSE 0 END, NEW.created_at
	FROM households h WHERE h.id = NEW.household_id
	ON CONFLICT (household_id) DO UPDATE SET last_at = MAX(last_at, excluded.last_at);
END;
CREATE TRIGGER hh_condolence_app_update AFTER UPDATE OF status ON applications
WHEN NEW.program_code = 'condolence' AND NEW.household_id IS NOT NULL
  AND (OLD.status IN ('approved', 'disbursed', 'receipted', 'closed'))
   <> (NEW.status IN ('approved', 'disbursed', 'receipted', 'closed'))
BEGIN
	DELETE FROM hh_condolence WHERE household_id = NEW.household_id;
	INSERT INTO hh_condolence (household_id, org_id, active, last_at)
	SELECT household_id, org_id, active, last_at FROM hh_condolence_fresh WHERE household_id = NEW.household_id;
END;
CREATE TRIGGER hh_condolence_app_delete AFTER DELETE ON applications
WHEN OLD.program_code = 'condolence' AND OLD.household_id IS NOT NULL
  AND OLD.status IN ('approved', 'disbursed', 'receipted', 'closed')
BEGIN
	DELETE FROM hh_condolence WHERE household_id = OLD.household_id;
	INSERT INTO hh_condolence (household_id, org_id, active, last_at)
	SELECT household_id, org_id, active, last_at FROM hh_condolence_fresh WHERE household_id = OLD.household_id;
END;
CREATE TRIGGER hh_condolence_hh_update AFTER UPDATE OF org_id, status ON households
WHEN OLD.org_id <> NEW.org_id OR (OLD.status = 'active') <> (NEW.status = 'active')
BEGIN
	UPDATE hh_condolence SET org_id = NEW.org_id, active = CASE WHEN NEW.status = 'active' THEN 1 ELSE 0 END
	WHERE household_id = NEW.id;
END;
-- @pg
-- Read again, as SQLite's triggers do: the kept row is locked first, so
-- that an entry of another transaction that upserted it has committed
-- before the applications are read (each statement here reads what has
-- committed before it).
CREATE FUNCTION hh_condolence_again(hid BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM 1 FROM hh_condolence WHERE household_id = hid FOR UPDATE;
	DELETE FROM hh_condolence WHERE household_id = hid;
	INSERT INTO hh_condolence (household_id, org_id, active, last_at)
	SELECT household_id, org_id, active, last_at FROM hh_condolence_fresh WHERE household_id = hid;
END $$;
-- An entry reads the archive FOR SHARE: a change of its status or unit in
-- another transaction either commits first (and is read here) or waits
-- for this one (and its trigger then finds the row).
CREATE FUNCTION hh_condolence_app() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		PERFORM hh_condolence_again(OLD.household_id);
	ELSIF NEW.status IN ('approved', 'disbursed', 'receipted', 'closed') THEN
		INSERT INTO hh_condolence (household_id, org_id, active, last_at)
		SELECT h.id, h.org_id, CASE WHEN h.status = 'active' THEN 1 ELSE 0 END, NEW.created_at
		FROM (SELECT id, org_id, status FROM households WHERE id = NEW.household_id FOR SHARE) h
		ON CONFLICT (household_id) DO UPDATE SET last_at = GREATEST(hh_condolence.last_at, EXCLUDED.last_at);
	ELSE
		PERFORM hh_condolence_again(NEW.household_id);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER hh_condolence_app_insert AFTER INSERT ON applications FOR EACH ROW
	WHEN (NEW.program_code = 'condolence' AND NEW.household_id IS NOT NULL AND NEW.campaign_id IS NULL
	      AND NEW.status IN ('approved', 'disbursed', 'receipted', 'closed'))
	EXECUTE FUNCTION hh_condolence_app();
CREATE TRIGGER hh_condolence_app_update AFTER UPDATE OF status ON applications FOR EACH ROW
	WHEN (NEW.program_code = 'condolence' AND NEW.household_id IS NOT NULL
	      AND (OLD.status IN ('approved', 'disbursed', 'receipted', 'closed'))
	       <> (NEW.status IN ('approved', 'disbursed', 'receipted', 'closed')))
	EXECUTE FUNCTION hh_condolence_app();
CREATE TRIGGER hh_condolence_app_delete AFTER DELETE ON applications FOR EACH ROW
	WHEN (OLD.program_code = 'condolence' AND OLD.household_id IS NOT NULL
	      AND OLD.status IN ('approved', 'disbursed', 'receipted', 'closed'))
	EXECUTE FUNCTION hh_condolence_app();
CREATE FUNCTION hh_condolence_hh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE hh_condolence SET org_id = NEW.org_id, active = CASE WHEN NEW.status = 'active' THEN 1 ELSE 0 END
	WHERE household_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER hh_condolence_hh_update AFTER UPDATE OF org_id, status ON households FOR EACH ROW
	WHEN (OLD.org_id <> NEW.org_id OR (OLD.status = 'active') <> (NEW.status = 'active'))
	EXECUTE FUNCTION hh_condolence_hh();
-- @end
