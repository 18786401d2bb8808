-- 026: the quarterly report without reading every payment or archive of
-- the period (issue 18, docs/benchmarks.md "quarterly report").
-- Emergency aid paid in the period (found_report.c): the emergency
-- programmes are few, their payments few; by the payment time alone the
-- report read all 550,000 payments of the quarter at 100,000 archives
-- (0.18-0.29 s) to keep the few emergency ones.
CREATE INDEX applications_program_disbursed ON applications (program_code, disbursed_at);
