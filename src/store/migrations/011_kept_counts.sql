-- 011: counts kept as records move (RULE counts.kept, API.md "Lists at
-- scale").  A city-wide list counted its 600,000 active archives for every
-- page, and a campaign counted the archives its period covers.  Now:
--   hh_counts     archives per unit, status and category ('' for none);
--   cover_counts  active archives per unit with a live cover of a period
--                 (an application with cover_period, not rejected or
--                 withdrawn: RULE campaign.coverage);
--   campaigns     applications_n, amount_fen, disbursed_n (below).
-- Triggers keep both in the transaction of every change, whichever path
-- writes it (the API, both import ways, the demo, SQL of the benchmarks);
-- `bangfu check` counts again and names any drift.  On PostgreSQL the two
-- rows a move touches are locked in key order, so that two moves in
-- opposite directions cannot deadlock.
CREATE TABLE hh_counts (
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	status TEXT NOT NULL,
	category TEXT NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (org_id, status, category)
);
INSERT INTO hh_counts (org_id, status, category, n)
SELECT org_id, status, COALESCE(category, ''), COUNT(*) FROM households
GROUP BY org_id, status, COALESCE(category, '');

CREATE TABLE cover_counts (
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	period TEXT NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (org_id, period)
);
INSERT INTO cover_counts (org_id, period, n)
SELECT h.org_id, a.cover_period, COUNT(*) FROM applications a JOIN households h ON h.id = a.household_id
WHERE a.cover_period IS NOT NULL AND a.status NOT IN ('rejected', 'withdrawn') AND h.status = 'active'
GROUP BY h.org_id, a.cover_period;

-- A campaign's own figures, fixed at its creation but for the payments:
-- its applications and their amount (they start approved and never turn
-- rejected or withdrawn), and how many are paid (disbursed, receipted or
-- closed), moved by the campaign's disbursement and by a single one.
ALTER TABLE campaigns ADD COLUMN applications_n BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN amount_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN disbursed_n BIGINT NOT NULL DEFAULT 0;
UPDATE campaigns SET
	applications_n = (SELECT COUNT(*) FROM applications a WHERE a.campaign_id = campaigns.id),
	amount_fen = (SELECT COALESCE(SUM(a.approved_fen), 0) FROM applications a WHERE a.campaign_id = campaigns.id
		AND a.status NOT IN ('rejected', 'withdrawn')),
	disbursed_n = (SELECT COUNT(*) FROM applications a WHERE a.campaign_id = campaigns.id
		AND a.status IN ('disbursed', 'receipted', 'closed'));

-- @sqlite
CREATE TRIGGER hh_counts_insert AFTER INSERT ON households BEGIN
	INSERT INTO hh_counts (org_id, status, category, n) VALUES (NEW.org_id, NEW.status, COALESCE(NEW.category, ''), 1)
	ON CONFLICT (org_id, status, category) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER hh_counts_update AFTER UPDATE OF org_id, status, category ON households
WHEN OLD.org_id <> NEW.org_id OR OLD.status <> NEW.status OR COALESCE(OLD.category, '') <> COALESCE(NEW.category, '')
BEGIN
	UPDATE hh_counts SET n = n - 1
	WHERE org_id = OLD.org_id AND status = OLD.status AND category = COALESCE(OLD.category, '');
	INSERT INTO hh_counts (org_id, status, category, n) VALUES (NEW.org_id, NEW.status, COALESCE(NEW.category, ''), 1)
	ON CONFLICT (org_id, status, category) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER hh_counts_delete AFTER DELETE ON households BEGIN
	UPDATE hh_counts SET n = n - 1
	WHERE org_id = OLD.org_id AND status = OLD.status AND category = COALESCE(OLD.category, '');
END;
CREATE TRIGGER cover_counts_app_insert AFTER INSERT ON applications
WHEN NEW.cover_period IS NOT NULL AND NEW.status NOT IN ('rejected', 'withdrawn')
BEGIN
	INSERT INTO cover_counts (org_id, period, n)
	SELECT h.org_id, NEW.cover_period, 1 FROM households h WHERE h.id = NEW.household_id AND h.status = 'active'
	ON CONFLICT (org_id, period) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cover_counts_app_update AFTER UPDATE OF status, cover_period ON applications
WHEN COALESCE(OLD.cover_period, '') <> COALESCE(NEW.cover_period, '')
  OR (OLD.status IN ('rejected', 'withdrawn')) <> (NEW.status IN ('rejected', 'withdrawn'))
BEGIN
	UPDATE cover_counts SET n = n - 1
	WHERE OLD.cover_period IS NOT NULL AND OLD.status NOT IN ('rejected', 'withdrawn') AND period = OLD.cover_period
	  AND org_id = (SELECT h.org_id FROM households h WHERE h.id = OLD.household_id AND h.status = 'active');
	INSERT INTO cover_counts (org_id, period, n)
	SELECT h.org_id, NEW.cover_period, 1 FROM households h
	WHERE NEW.cover_period IS NOT NULL AND NEW.status NOT IN ('rejected', 'withdrawn')
	  AND h.id = NEW.household_id AND h.status = 'active'
	ON CONFLICT (org_id, period) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cover_counts_app_delete AFTER DELETE ON applications
WHEN OLD.cover_period IS NOT NULL AND OLD.status NOT IN ('rejected', 'withdrawn')
BEGIN
	UPDATE cover_counts SET n = n - 1 WHERE period = OLD.cover_period
	  AND org_id = (SELECT h.org_id FROM households h WHERE h.id = OLD.household_id AND h.status = 'active');
END;
CREATE TRIGGER cover_counts_hh_update AFTER UPDATE OF org_id, status ON households
WHEN (OLD.status = 'active') <> (NEW.status = 'active') OR (NEW.status = 'active' AND OLD.org_id <> NEW.org_id)
BEGIN
	UPDATE cover_counts SET n = n - (SELECT COUNT(*) FROM applications a WHERE a.household_id = OLD.id
	  AND a.cover_period = cover_counts.period AND a.status NOT IN ('rejected', 'withdrawn'))
	WHERE OLD.status = 'active' AND org_id = OLD.org_id;
	INSERT INTO cover_counts (org_id, period, n)
	SELECT NEW.org_id, a.cover_period, COUNT(*) FROM applications a
	WHERE NEW.status = 'active' AND a.household_id = NEW.id AND a.cover_period IS NOT NULL
	  AND a.status NOT IN ('rejected', 'withdrawn')
	GROUP BY a.cover_period
	ON CONFLICT (org_id, period) DO UPDATE SET n = n + excluded.n;
END;
-- @end

-- @pg
CREATE FUNCTION hh_counts_add(o BIGINT, s TEXT, c TEXT, d BIGINT) RETURNS void LANGUAGE sql AS $$
	INSERT INTO hh_counts (org_id, status, category, n) VALUES (o, s, c, d)
	ON CONFLICT (org_id, status, category) DO UPDATE SET n = hh_counts.n + d;
$$;
CREATE FUNCTION hh_counts_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	oc TEXT;
	nc TEXT;
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM hh_counts_add(NEW.org_id, NEW.status, COALESCE(NEW.category, ''), 1);
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM hh_counts_add(OLD.org_id, OLD.status, COALESCE(OLD.category, ''), -1);
	ELSE
		oc := COALESCE(OLD.category, '');
		nc := COALESCE(NEW.category, '');
		IF (OLD.org_id, OLD.status, oc) < (NEW.org_id, NEW.status, nc) THEN
			PERFORM hh_counts_add(OLD.org_id, OLD.status, oc, -1);
			PERFORM hh_counts_add(NEW.org_id, NEW.status, nc, 1);
		ELSE
			PERFORM hh_counts_add(NEW.org_id, NEW.status, nc, 1);
			PERFORM hh_counts_add(OLD.org_id, OLD.status, oc, -1);
		END IF;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER hh_counts_insert AFTER INSERT OR DELETE ON households
	FOR EACH ROW EXECUTE FUNCTION hh_counts_move();
CREATE TRIGGER hh_counts_update AFTER UPDATE OF org_id, status, category ON households FOR EACH ROW
	WHEN (OLD.org_id <> NEW.org_id OR OLD.status <> NEW.status
	      OR COALESCE(OLD.category, '') <> COALESCE(NEW.category, ''))
	EXECUTE FUNCTION hh_counts_move();

CREATE FUNCTION cover_counts_add(o BIGINT, p TEXT, d BIGINT) RETURNS void LANGUAGE sql AS $$
	INSERT INTO cover_counts (org_id, period, n) VALUES (o, p, d)
	ON CONFLICT (org_id, period) DO UPDATE SET n = cover_counts.n + d;
$$;
CREATE FUNCTION cover_counts_app() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	org BIGINT;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.cover_period IS NOT NULL
	   AND OLD.status NOT IN ('rejected', 'withdrawn') THEN
		SELECT h.org_id INTO org FROM households h WHERE h.id = OLD.household_id AND h.status = 'active';
		IF org IS NOT NULL THEN
			PERFORM cover_counts_add(org, OLD.cover_period, -1);
		END IF;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.cover_period IS NOT NULL
	   AND NEW.status NOT IN ('rejected', 'withdrawn') THEN
		SELECT h.org_id INTO org FROM households h WHERE h.id = NEW.household_id AND h.status = 'active';
		IF org IS NOT NULL THEN
			PERFORM cover_counts_add(org, NEW.cover_period, 1);
		END IF;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER cover_counts_app_insert AFTER INSERT OR DELETE ON applications FOR EACH ROW
	EXECUTE FUNCTION cover_counts_app();
CREATE TRIGGER cover_counts_app_update AFTER UPDATE OF status, cover_period ON applications FOR EACH ROW
	WHEN (COALESCE(OLD.cover_period, '') <> COALESCE(NEW.cover_period, '')
	      OR (OLD.status IN ('rejected', 'withdrawn')) <> (NEW.status IN ('rejected', 'withdrawn')))
	EXECUTE FUNCTION cover_counts_app();
CREATE FUNCTION cover_counts_hh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.status = 'active' THEN
		PERFORM cover_counts_add(OLD.org_id, a.cover_period, -COUNT(*)) FROM applications a
		WHERE a.household_id = OLD.id AND a.cover_period IS NOT NULL AND a.status NOT IN ('rejected', 'withdrawn')
		GROUP BY a.cover_period;
	END IF;
	IF NEW.status = 'active' THEN
		PERFORM cover_counts_add(NEW.org_id, a.cover_period, COUNT(*)) FROM applications a
		WHERE a.household_id = NEW.id AND a.cover_period IS NOT NULL AND a.status NOT IN ('rejected', 'withdrawn')
		GROUP BY a.cover_period;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER cover_counts_hh_update AFTER UPDATE OF org_id, status ON households FOR EACH ROW
	WHEN ((OLD.status = 'active') <> (NEW.status = 'active') OR (NEW.status = 'active' AND OLD.org_id <> NEW.org_id))
	EXECUTE FUNCTION cover_counts_hh();
-- @end
