-- Purge of expired token records (SPEC §5): whole weekly partitions are
-- dropped once every record in them expired more than the retention period
-- ago, so the purge costs the same at ten thousand or ten million rows and
-- never deletes row by row from the partitions issuance writes to.
--
-- A week's tokens were all issued before the week ended and none lives
-- longer than `max_ttl`, so a week that ended `max_ttl` before
-- `expired_before` needs no look inside. A week that ended before
-- `expired_before` but more recently is dropped early when a look finds no
-- record still inside its retention (short-lived tokens, the usual case).
-- Rows in the default partition (a clock far off) are deleted in batches.
--
-- A procedure, so that each step commits on its own: a week is emptied with
-- TRUNCATE, which locks only that partition (issuance into this week goes
-- on while its files are removed), then detached by DROP TABLE, which locks
-- all of `tokens` but has nothing left to remove. `dropped` returns the
-- number of weeks dropped. Call it outside a transaction block:
--   CALL tessera_purge_tokens(now() - interval '7 days', interval '30 days');
CREATE PROCEDURE tessera_purge_tokens(expired_before timestamptz, max_ttl interval,
                                      INOUT dropped integer DEFAULT 0)
LANGUAGE plpgsql AS $$
DECLARE
  part text;
  week_end timestamptz;
  still_kept boolean;
BEGIN
  dropped := 0;
  FOR part IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'tokens'::regclass AND c.relname ~ '^tokens_p[0-9]{8}$'
    ORDER BY c.relname
  LOOP
    week_end := (to_date(substr(part, 9), 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC')
                + interval '1 week';
    CONTINUE WHEN week_end > expired_before;
    IF week_end + max_ttl > expired_before THEN
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE expires_at > %L)', part, expired_before)
        INTO still_kept;
      CONTINUE WHEN still_kept;
    END IF;
    EXECUTE format('TRUNCATE %I', part);
    COMMIT;
    -- Never queue issuance behind a long wait for the table lock: the next
    -- round drops the (empty) week instead.
    PERFORM set_config('lock_timeout', '2s', true);
    EXECUTE format('DROP TABLE %I', part);
    COMMIT;
    dropped := dropped + 1;
  END LOOP;
  DELETE FROM tokens_default WHERE ctid = ANY (ARRAY(
    SELECT ctid FROM tokens_default WHERE expires_at <= expired_before LIMIT 10000));
END
$$;
