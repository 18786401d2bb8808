-- 022: a generation number for the org tree (RULE orgs.cache).  GET /orgs
-- answers from a cache of its text while the tree is unchanged; the number
-- moves in the transaction of every change to orgs, whichever process or
-- path makes it (the API, `init --demo`, SQL), and each request reads it
-- with its session (services/auth.c), so that a cached answer is never
-- older than the request's own view of the database, on either engine and
-- with any number of processes.
CREATE TABLE kept_gen (
	name TEXT PRIMARY KEY,
	n BIGINT NOT NULL
);
INSERT INTO kept_gen (name, n) VALUES ('orgs', 1);

-- @sqlite
CREATE TRIGGER orgs_gen_insert AFTER INSERT ON orgs BEGIN
	UPDATE kept_gen SET n = n + 1 WHERE name = 'orgs';
END;
CREATE TRIGGER orgs_gen_update AFTER UPDATE ON orgs BEGIN
	UPDATE kept_gen SET n = n + 1 WHERE name = 'orgs';
END;
CREATE TRIGGER orgs_gen_delete AFTER DELETE ON orgs BEGIN
	UPDATE kept_gen SET n = n + 1 WHERE name = 'orgs';
END;
-- @pg
CREATE FUNCTION orgs_gen_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE kept_gen SET n = n + 1 WHERE name = 'orgs';
	RETURN NULL;
END;
$$;
CREATE TRIGGER orgs_gen AFTER INSERT OR UPDATE OR DELETE ON orgs
FOR EACH STATEMENT EXECUTE FUNCTION orgs_gen_bump();
-- @end
