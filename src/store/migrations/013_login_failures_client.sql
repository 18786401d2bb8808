-- 013: failed logins by client address (RULE login.spray: the limit on
-- failures from one address across usernames counts them at every login).
CREATE INDEX IF NOT EXISTS login_failures_client ON login_failures (client, at);
