-- 026: the quarterly report without reading every payment or archive of
-- the period (issue 18, docs/benchmarks.md "quarterly report").
-- Emergency aid paid in the period (found_report.c): the emergency
-- programmes are few, their payments few; by the payment time alone the
-- report read all 550,000 payments of the quarter at 100,000 archives
-- (0.18-0.29 s) to keep the few emergency ones.
CREATE INDEX applications_program_disbursed ON applications (program_code, disbursed_at);

-- The households part (services/reports.c) counted every archive of the
-- scope to rebuild its status at the period's end: 0.63 s at 100,000
-- archives.  An archive with no event after the end and created by it is
-- at the end in its status now; so the report takes the counts kept here
-- (archives per unit, status, category as the report reads it, the
-- category or else the suggested one, and causes) and corrects them by
-- the few archives with a later event or created after the end (found
-- by household_events_at and households_created).  RULE counts.kept: the
-- triggers keep it in the transaction of every change; `bangfu check`
-- counts again.
CREATE TABLE hh_report_counts (
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	status TEXT NOT NULL,
	cat TEXT NOT NULL,
	causes TEXT NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (org_id, status, cat, causes)
);
INSERT INTO hh_report_counts (org_id, status, cat, causes, n)
SELECT org_id, status, COALESCE(category, suggested_category, ''), COALESCE(causes, ''), COUNT(*) FROM households
GROUP BY org_id, status, COALESCE(category, suggested_category, ''), COALESCE(causes, '');
CREATE INDEX households_created ON households (created_at);
-- new and exited in the period, by unit, from the indexes alone
DROP INDEX households_entered;
CREATE INDEX households_entered ON households (entered_on, org_id);
DROP INDEX households_exited;
CREATE INDEX households_exited ON households (exited_on, org_id);
-- the review date an exit moved aside (017), for the overdue reviews of
-- the archives active now with one (none through the workflow)
CREATE INDEX households_before_exit ON households (status, org_id, review_before_exit, next_review_date)
	WHERE review_before_exit IS NOT NULL;

-- The funds' flows of the period (money in and out per account) summed
-- every ledger row of the period (0.15 s at 550,000 payments): now the
-- rows but transfers are summed per account and UTC month as they are
-- written, and the report corrects those months by the rows between the
-- zone's bounds and the months' (as aid_monthly, 008); the transfers,
-- whose other account decides whether they count, are read from their own
-- partial index.
CREATE TABLE ledger_monthly (
	account_id BIGINT NOT NULL REFERENCES fund_accounts(id),
	month TEXT NOT NULL,
	in_fen BIGINT NOT NULL,
	out_fen BIGINT NOT NULL,
	PRIMARY KEY (account_id, month)
);
INSERT INTO ledger_monthly (account_id, month, in_fen, out_fen)
SELECT account_id, SUBSTR(at, 1, 7), SUM(CASE WHEN amount_fen > 0 THEN amount_fen ELSE 0 END),
	SUM(CASE WHEN amount_fen < 0 THEN -amount_fen ELSE 0 END)
FROM ledger WHERE transfer_id IS NULL GROUP BY account_id, SUBSTR(at, 1, 7);
CREATE INDEX ledger_transfer_at ON ledger (at, account_id, amount_fen, transfer_id) WHERE transfer_id IS NOT NULL;

-- @sqlite
CREATE TRIGGER hh_report_counts_insert AFTER INSERT ON households BEGIN
	INSERT INTO hh_report_counts (org_id, status, cat, causes, n) VALUES (NEW.org_id, NEW.status,
		COALESCE(NEW.category, NEW.suggested_category, ''), COALESCE(NEW.causes, ''), 1)
	ON CONFLICT (org_id, status, cat, causes) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER hh_report_counts_update AFTER UPDATE OF org_id, status, category, suggested_category, causes ON households
WHEN OLD.org_id <> NEW.org_id OR OLD.status <> NEW.status
  OR COALESCE(OLD.category, OLD.suggested_category, '') <> COALESCE(NEW.category, NEW.suggested_category, '')
  OR COALESCE(OLD.causes, '') <> COALESCE(NEW.causes, '')
BEGIN
	UPDATE hh_report_counts SET n = n - 1 WHERE org_id = OLD.org_id AND status = OLD.status
	  AND cat = COALESCE(OLD.category, OLD.suggested_category, '') AND causes = COALESCE(OLD.causes, '');
	INSERT INTO hh_report_counts (org_id, status, cat, causes, n) VALUES (NEW.org_id, NEW.status,
		COALESCE(NEW.category, NEW.suggested_category, ''), COALESCE(NEW.causes, ''), 1)
	ON CONFLICT (org_id, status, cat, causes) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER hh_report_counts_delete AFTER DELETE ON households BEGIN
	UPDATE hh_report_counts SET n = n - 1 WHERE org_id = OLD.org_id AND status = OLD.status
	  AND cat = COALESCE(OLD.category, OLD.suggested_category, '') AND causes = COALESCE(OLD.causes, '');
END;
CREATE TRIGGER ledger_monthly_insert AFTER INSERT ON ledger WHEN NEW.transfer_id IS NULL BEGIN
	INSERT INTO ledger_monthly (account_id, month, in_fen, out_fen) VALUES (NEW.account_id, SUBSTR(NEW.at, 1, 7),
		CASE WHEN NEW.amount_fen > 0 THEN NEW.amount_fen ELSE 0 END,
		CASE WHEN NEW.amount_fen < 0 THEN -NEW.amount_fen ELSE 0 END)
	ON CONFLICT (account_id, month) DO UPDATE SET in_fen = in_fen + excluded.in_fen, out_fen = out_fen + excluded.out_fen;
END;
CREATE TRIGGER ledger_monthly_delete AFTER DELETE ON ledger WHEN OLD.transfer_id IS NULL BEGIN
	UPDATE ledger_monthly SET in_fen = in_fen - CASE WHEN OLD.amount_fen > 0 THEN OLD.amount_fen ELSE 0 END,
		out_fen = out_fen - CASE WHEN OLD.amount_fen < 0 THEN -OLD.amount_fen ELSE 0 END
	WHERE account_id = OLD.account_id AND month = SUBSTR(OLD.at, 1, 7);
END;
-- @end

-- @pg
CREATE FUNCTION hh_report_counts_add(o BIGINT, s TEXT, c TEXT, k TEXT, d BIGINT) RETURNS void LANGUAGE sql AS $$
	INSERT INTO hh_report_counts (org_id, status, cat, causes, n) VALUES (o, s, c, k, d)
	ON CONFLICT (org_id, status, cat, causes) DO UPDATE SET n = hh_report_counts.n + d;
$$;
-- The two rows a move touches are locked in key order (as hh_counts_move).
CREATE FUNCTION hh_report_counts_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	oc TEXT;
	nc TEXT;
	ok TEXT;
	nk TEXT;
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM hh_report_counts_add(NEW.org_id, NEW.status, COALESCE(NEW.category, NEW.suggested_category, ''),
			COALESCE(NEW.causes, ''), 1);
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM hh_report_counts_add(OLD.org_id, OLD.status, COALESCE(OLD.category, OLD.suggested_category, ''),
			COALESCE(OLD.causes, ''), -1);
	ELSE
		oc := COALESCE(OLD.category, OLD.suggested_category, '');
		nc := COALESCE(NEW.category, NEW.suggested_category, '');
		ok := COALESCE(OLD.causes, '');
		nk := COALESCE(NEW.causes, '');
		IF (OLD.org_id, OLD.status, oc, ok) = (NEW.org_id, NEW.status, nc, nk) THEN
			RETURN NULL;
		ELSIF (OLD.org_id, OLD.status, oc, ok) < (NEW.org_id, NEW.status, nc, nk) THEN
			PERFORM hh_report_counts_add(OLD.org_id, OLD.status, oc, ok, -1);
			PERFORM hh_report_counts_add(NEW.org_id, NEW.status, nc, nk, 1);
		ELSE
			PERFORM hh_report_counts_add(NEW.org_id, NEW.status, nc, nk, 1);
			PERFORM hh_report_counts_add(OLD.org_id, OLD.status, oc, ok, -1);
		END IF;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER hh_report_counts_row AFTER INSERT OR DELETE ON households
	FOR EACH ROW EXECUTE FUNCTION hh_report_counts_move();
CREATE TRIGGER hh_report_counts_update AFTER UPDATE OF org_id, status, category, suggested_category, causes
	ON households FOR EACH ROW EXECUTE FUNCTION hh_report_counts_move();
-- One grouped upsert per statement (a campaign's disbursement writes
-- every payment in one INSERT), in key order.
CREATE FUNCTION ledger_monthly_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO ledger_monthly (account_id, month, in_fen, out_fen)
	SELECT account_id, SUBSTR(at, 1, 7), SUM(CASE WHEN amount_fen > 0 THEN amount_fen ELSE 0 END),
		SUM(CASE WHEN amount_fen < 0 THEN -amount_fen ELSE 0 END)
	FROM nt WHERE transfer_id IS NULL GROUP BY account_id, SUBSTR(at, 1, 7) ORDER BY 1, 2
	ON CONFLICT (account_id, month) DO UPDATE SET in_fen = ledger_monthly.in_fen + excluded.in_fen,
		out_fen = ledger_monthly.out_fen + excluded.out_fen;
	RETURN NULL;
END $$;
CREATE FUNCTION ledger_monthly_sub() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE ledger_monthly m SET in_fen = m.in_fen - d.fin, out_fen = m.out_fen - d.fout
	FROM (SELECT account_id, SUBSTR(at, 1, 7) AS month, SUM(CASE WHEN amount_fen > 0 THEN amount_fen ELSE 0 END) AS fin,
		SUM(CASE WHEN amount_fen < 0 THEN -amount_fen ELSE 0 END) AS fout
		FROM ot WHERE transfer_id IS NULL GROUP BY account_id, SUBSTR(at, 1, 7)) d
	WHERE m.account_id = d.account_id AND m.month = d.month;
	RETURN NULL;
END $$;
CREATE TRIGGER ledger_monthly_insert AFTER INSERT ON ledger REFERENCING NEW TABLE AS nt
	FOR EACH STATEMENT EXECUTE FUNCTION ledger_monthly_add();
CREATE TRIGGER ledger_monthly_delete AFTER DELETE ON ledger REFERENCING OLD TABLE AS ot
	FOR EACH STATEMENT EXECUTE FUNCTION ledger_monthly_sub();
-- @end
