-- 008: aid paid per unit, month and programme, kept with every payment and
-- refund (RULE aid.monthly), so that the dashboard reads twelve months of
-- payments without scanning them: at 1,000,000 archives and 5,400,000
-- payments that scan took 6 to 14 seconds (docs/benchmarks.md).  month is
-- the YYYY-MM of applications.disbursed_at; paid_count counts the
-- applications disbursed in it, net_fen their disbursed_fen less what has
-- been refunded of them since.  `bangfu check` proves it against the
-- applications.  (Rebuilt whole if the migration runs again on a database
-- taken back to an earlier version, as tests/api/campaigns-cover does.)
DROP TABLE IF EXISTS aid_monthly;
CREATE TABLE aid_monthly (
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	month TEXT NOT NULL,
	program_code TEXT NOT NULL,
	paid_count BIGINT NOT NULL CHECK (paid_count >= 0),
	net_fen BIGINT NOT NULL CHECK (net_fen >= 0),
	PRIMARY KEY (org_id, month, program_code)
);
INSERT INTO aid_monthly (org_id, month, program_code, paid_count, net_fen)
	SELECT org_id, SUBSTR(disbursed_at, 1, 7), program_code, COUNT(*), SUM(disbursed_fen - refunded_fen)
	FROM applications WHERE disbursed_at IS NOT NULL
	GROUP BY org_id, SUBSTR(disbursed_at, 1, 7), program_code;
