-- Cheaper writes on the move path (issue 15), measured with pg_stat_statements at 500 moves/s: the INSERT into
-- action_events was 0.110 ms of a move's 0.42 ms in tilemud_apply_intent, the UPDATE of characters 0.062 ms.

-- No query reads action_events by (instance_id, id): the resume window (seenFrom) reads by (instance_id, created_at)
-- (V4) and replay by (session_id, seq). Every acknowledged action paid for maintaining it.
DROP INDEX action_events_instance_id_idx;

-- A move rewrites its character's row. With free space left in the page PostgreSQL updates it in place (a heap-only
-- tuple: neither of the table's indexes is touched, since x and y are in none); a full page makes every move write
-- two index entries too. Applies to pages written from now on; existing pages gain room as rows move.
ALTER TABLE characters SET (fillfactor = 70);
