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
-- Returns the number of partitions dropped.
CREATE FUNCTION tessera_purge_tokens(expired_before timestamptz, max_ttl interval)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  part text;
  week_end timestamptz;
  still_kept boolean;
  dropped integer := 0;
BEGIN
  -- Dropping a partition locks the whole table: never queue inserts behind
  -- a long wait; the next round tries again.
  PERFORM set_config('lock_timeout', '2s', true);
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
    EXECUTE format('DROP TABLE %I', part);
    dropped := dropped + 1;
  END LOOP;
  DELETE FROM tokens_default WHERE ctid = ANY (ARRAY(
    SELECT ctid FROM tokens_default WHERE expires_at <= expired_before LIMIT 10000));
  RETURN dropped;
END
$$;
