-- 036: a generation number for the calendar's known years (RULE
-- calendar.cache), as 022's for the org tree.  Every deadline and notice
-- date an answer carries is flagged provisional when its year is not
-- known (RULE calendar.provisional); the years were read from the
-- database by two statements in every such answer (opening an archive:
-- two round trips of five to PostgreSQL).  They are now kept in memory
-- while this number, read with the session, is the one they were read
-- at; triggers move it in the transaction of every change to
-- calendar_years, whichever process or path makes it.
INSERT INTO kept_gen (name, n) VALUES ('calendar', 1);

-- @sqlite
CREATE TRIGGER calendar_gen_insert AFTER INSERT ON calendar_years BEGIN
	UPDATE kept_gen SET n = n + 1 WHERE name = 'calendar';
END;
CREATE TRIGGER calendar_gen_update AFTER UPDATE ON calendar_years BEGIN
	UPDATE kept_gen SET n = n + 1 WHERE name = 'calendar';
END;
CREATE TRIGGER calendar_gen_delete AFTER DELETE ON calendar_years BEGIN
	UPDATE kept_gen SET n = n + 1 WHERE name = 'calendar';
END;
-- @pg
CREATE FUNCTION calendar_gen_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE kept_gen SET n = n + 1 WHERE name = 'calendar';
	RETURN NULL;
END;
$$;
CREATE TRIGGER calendar_gen AFTER INSERT OR UPDATE OR DELETE ON calendar_years
FOR EACH STATEMENT EXECUTE FUNCTION calendar_gen_bump();
-- @end
