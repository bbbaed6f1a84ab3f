-- One function for every table and channel: the channel comes as the trigger's argument, the payload is
-- the name of the table that changed. Statement-level, so a bulk change sends one notification, and
-- PostgreSQL folds identical notifications of one transaction into one.
-- The second notification carries the transaction's start time too (microseconds since the epoch), for the
-- invalidation latency meter; it is the same for every statement of the transaction, so it folds as well. It is
-- a notification of its own, not a new payload of the first, so that an instance of an older version, which
-- takes every payload for a table name, still invalidates on the first and ignores the second (no such table).
CREATE OR REPLACE FUNCTION dx_db_teleport_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], TG_TABLE_NAME);
    PERFORM pg_notify(TG_ARGV[0], TG_TABLE_NAME || ' '
            || (extract(epoch FROM transaction_timestamp()) * 1000000)::bigint);
    RETURN NULL;
END
$fn$;
