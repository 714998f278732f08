-- Session ids are opaque random tokens issued by admission, not UUIDs.
ALTER TABLE action_events ALTER COLUMN session_id TYPE VARCHAR(64) USING session_id::text;
ALTER TABLE session_audit ALTER COLUMN session_id TYPE VARCHAR(64) USING session_id::text;
