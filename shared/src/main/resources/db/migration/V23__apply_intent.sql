-- One intent in one round trip (issue 15): lock the character, read the session's last seq, decide by the rules of
-- RT-03 (replay / order) and RT-04 (one tile, on the map, not a wall), and write the log row with the new position.
-- Called as a single statement in autocommit, so it commits or leaves nothing, exactly like the transaction of four
-- round trips it replaces. Each statement of a PL/pgSQL function takes its own snapshot in READ COMMITTED: the reads
-- after the lock see whatever the lock's previous holder committed (its seq, its position).
-- outcome: APPLIED (x, y the new position), REPLAYED, OUT_OF_ORDER (last_seq the stored one), BAD_STEP, OFF_MAP or
-- WALL (x, y the refused target), NO_CHARACTER, NO_INSTANCE.
CREATE FUNCTION tilemud_apply_intent(p_session VARCHAR, p_seq BIGINT, p_character UUID, p_instance VARCHAR,
                                     p_kind VARCHAR, p_dx INTEGER, p_dy INTEGER, p_extra JSONB, p_at TIMESTAMPTZ)
    RETURNS TABLE (outcome TEXT, last_seq BIGINT, x INTEGER, y INTEGER)
    LANGUAGE plpgsql AS
$$
#variable_conflict use_column
DECLARE
    cx     INTEGER;
    cy     INTEGER;
    last   BIGINT;
    w      INTEGER;
    h      INTEGER;
    nx     INTEGER;
    ny     INTEGER;
    moving BOOLEAN := p_kind = 'move';
BEGIN
    SELECT c.x, c.y INTO cx, cy FROM characters c WHERE c.id = p_character FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'NO_CHARACTER', 0::BIGINT, 0, 0;
        RETURN;
    END IF;
    SELECT coalesce(max(e.seq), 0) INTO last FROM action_events e WHERE e.session_id = p_session;
    IF p_seq <= last THEN
        RETURN QUERY SELECT 'REPLAYED', last, cx, cy;
        RETURN;
    END IF;
    IF p_seq <> last + 1 THEN
        RETURN QUERY SELECT 'OUT_OF_ORDER', last, cx, cy;
        RETURN;
    END IF;
    nx := cx;
    ny := cy;
    IF moving THEN
        SELECT i.width, i.height INTO w, h FROM instances i WHERE i.id = p_instance;
        IF NOT FOUND THEN
            RETURN QUERY SELECT 'NO_INSTANCE', last, cx, cy;
            RETURN;
        END IF;
        -- Not abs(): abs of the smallest integer overflows.
        IF p_dx < -1 OR p_dx > 1 OR p_dy < -1 OR p_dy > 1 OR (p_dx = 0 AND p_dy = 0) THEN
            RETURN QUERY SELECT 'BAD_STEP', last, cx, cy;
            RETURN;
        END IF;
        nx := cx + p_dx;
        ny := cy + p_dy;
        IF nx < 0 OR ny < 0 OR nx >= w OR ny >= h THEN
            RETURN QUERY SELECT 'OFF_MAP', last, nx, ny;
            RETURN;
        END IF;
        IF EXISTS (SELECT 1 FROM world_walls ww WHERE ww.instance_id = p_instance AND ww.x = nx AND ww.y = ny) THEN
            RETURN QUERY SELECT 'WALL', last, nx, ny;
            RETURN;
        END IF;
        UPDATE characters SET x = nx, y = ny WHERE id = p_character;
    END IF;
    -- Where it happened, so a resume can tell who would have seen it (RT-06).
    INSERT INTO action_events (session_id, seq, character_id, instance_id, kind, payload, created_at)
    VALUES (p_session, p_seq, p_character, p_instance, p_kind,
            p_extra || CASE WHEN moving THEN jsonb_build_object('dx', p_dx, 'dy', p_dy) ELSE '{}'::JSONB END
                || jsonb_build_object('x', nx, 'y', ny),
            p_at);
    RETURN QUERY SELECT 'APPLIED', p_seq, nx, ny;
END
$$;
