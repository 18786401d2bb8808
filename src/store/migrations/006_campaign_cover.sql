-- 006: a household is covered at most once per campaign period, enforced by
-- the database.  The NOT EXISTS of campaign_create alone let two campaigns
-- of one period, created at the same moment by two app processes on
-- PostgreSQL, both cover every household (tests/scale).  cover_period is the
-- campaign's period on its applications; the partial unique index refuses
-- the second cover and campaign_create skips it (ON CONFLICT DO NOTHING).
ALTER TABLE applications ADD COLUMN cover_period TEXT;
-- existing covers: the first live one of each household and period keeps it
UPDATE applications SET cover_period = (SELECT c.period FROM campaigns c WHERE c.id = applications.campaign_id)
	WHERE campaign_id IS NOT NULL AND NOT (status NOT IN ('rejected', 'withdrawn') AND EXISTS (
		SELECT 1 FROM applications b JOIN campaigns cb ON cb.id = b.campaign_id
		JOIN campaigns ca ON ca.id = applications.campaign_id
		WHERE b.household_id = applications.household_id AND cb.period = ca.period AND b.id < applications.id
		AND b.status NOT IN ('rejected', 'withdrawn')));
CREATE UNIQUE INDEX applications_cover_period ON applications (household_id, cover_period)
	WHERE cover_period IS NOT NULL AND status NOT IN ('rejected', 'withdrawn');
