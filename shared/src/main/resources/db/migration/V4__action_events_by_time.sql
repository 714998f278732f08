-- A reconnecting client is sent what happened on its instance while it was away (RT-06): events by instance and time.
CREATE INDEX action_events_instance_created_idx ON action_events (instance_id, created_at);
