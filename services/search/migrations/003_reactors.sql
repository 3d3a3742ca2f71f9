-- Who reacted with each emoji (the change events carry it), so a result's `reactions[].me` is
-- the reader's own, not that of whoever the event was relayed for.
ALTER TABLE messages ADD COLUMN reactors jsonb NOT NULL DEFAULT '{}'::jsonb;
