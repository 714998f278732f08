-- ROOM-02 performance (issue 12): a room.chat line was six statements in six round trips — find the room, lock it,
-- read it, read its members, insert the event, update the room — five of them under the room's row lock. This
-- function does them in one call, so the lock is held for one round trip (plus COMMIT) instead of five.
--
-- Guarantees, as before (JdbcRoomRepository.chat):
--  * roomSeq without gaps: the rooms row is locked FOR UPDATE before last_seq is read and bumped.
--  * membership is re-checked under that lock, in a statement of its own. In READ COMMITTED every statement of a
--    VOLATILE PL/pgSQL function takes a fresh snapshot, so the members read after the lock include a join or leave
--    committed while this call waited: a member who left cannot post, one who joined is a recipient. (One CTE
--    would not do: its other reads keep the snapshot taken before the lock wait.) Do not mark this STABLE.
--  * refusals change nothing and keep their precedence: NOT_FOUND (in no room, or left meanwhile) before
--    DISCORD_QUEUE_FULL (p_queue_full, asked by the caller of VoiceCommands.full(), which owns the outbox cap).
--
-- Returns one row. refusal is null on success; then room_seq is the new event's roomSeq and the member_* arrays are
-- the members (the event's recipients) longest-standing first, the author among them.
CREATE FUNCTION room_chat(p_user_id UUID, p_text TEXT, p_at TIMESTAMPTZ, p_queue_full BOOLEAN)
    RETURNS TABLE (refusal TEXT, room_id UUID, owner_id UUID, room_seq BIGINT, last_activity_at TIMESTAMPTZ,
                   member_ids UUID[], member_characters UUID[], member_names TEXT[], member_joined TIMESTAMPTZ[])
    LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    v_room       UUID;
    v_owner      UUID;
    v_seq        BIGINT;
    v_activity   TIMESTAMPTZ;
    v_ids        UUID[];
    v_characters UUID[];
    v_names      TEXT[];
    v_joined     TIMESTAMPTZ[];
    v_me         INT;
BEGIN
    -- The room's row lock: every change of a room takes it first, so changes to one room are serialized.
    SELECT r.id, r.owner_id, r.last_seq INTO v_room, v_owner, v_seq
    FROM rooms r
    WHERE r.id = (SELECT m.room_id FROM room_members m WHERE m.user_id = p_user_id) AND r.deleted_at IS NULL
    FOR UPDATE OF r;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'NOT_FOUND'::TEXT, NULL::UUID, NULL::UUID, NULL::BIGINT, NULL::TIMESTAMPTZ,
                            NULL::UUID[], NULL::UUID[], NULL::TEXT[], NULL::TIMESTAMPTZ[];
        RETURN;
    END IF;

    -- Fresh snapshot (see the header): the members now, under the lock.
    SELECT array_agg(m.user_id ORDER BY m.joined_at, m.joined_order),
           array_agg(m.character_id ORDER BY m.joined_at, m.joined_order),
           array_agg(ch.name::TEXT ORDER BY m.joined_at, m.joined_order),
           array_agg(m.joined_at ORDER BY m.joined_at, m.joined_order)
    INTO v_ids, v_characters, v_names, v_joined
    FROM room_members m JOIN characters ch ON ch.id = m.character_id
    WHERE m.room_id = v_room;
    v_me := array_position(v_ids, p_user_id);
    IF v_me IS NULL OR p_queue_full THEN
        RETURN QUERY SELECT CASE WHEN v_me IS NULL THEN 'NOT_FOUND' ELSE 'DISCORD_QUEUE_FULL' END::TEXT,
                            NULL::UUID, NULL::UUID, NULL::BIGINT, NULL::TIMESTAMPTZ,
                            NULL::UUID[], NULL::UUID[], NULL::TEXT[], NULL::TIMESTAMPTZ[];
        RETURN;
    END IF;

    v_seq := v_seq + 1;
    -- The payload JsonMapper wrote before (RoomMember fields + text); jsonb keeps no key order either way.
    INSERT INTO room_events (room_id, room_seq, type, payload, recipients, source, at)
    VALUES (v_room, v_seq, 'chat.message',
            jsonb_build_object('userId', p_user_id, 'characterId', v_characters[v_me], 'name', v_names[v_me],
                               'text', p_text),
            v_ids, 'game', p_at);
    -- A line is member activity: it also calls off an idle warning (ROOM-04), in the same write as last_seq.
    UPDATE rooms r SET last_seq = v_seq, last_activity_at = greatest(r.last_activity_at, p_at), closing_at = NULL
    WHERE r.id = v_room
    RETURNING r.last_activity_at INTO v_activity;

    RETURN QUERY SELECT NULL::TEXT, v_room, v_owner, v_seq, v_activity, v_ids, v_characters, v_names, v_joined;
END
$$;
