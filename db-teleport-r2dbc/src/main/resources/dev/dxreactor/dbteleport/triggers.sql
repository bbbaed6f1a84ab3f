-- One function for every table and channel: the channel comes as the trigger's argument, the payload is
-- the name of the table that changed. Statement-level, so a bulk change sends one notification, and
-- PostgreSQL folds identical notifications of one transaction into one.
CREATE OR REPLACE FUNCTION dx_db_teleport_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], TG_TABLE_NAME);
    RETURN NULL;
END
$fn$;
