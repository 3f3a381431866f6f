-- When each code's buyer-side status last changed, as the platform's codes feed reports it
-- (`changed_at`, RFC 3339 UTC text). NULL while the code has no status, and for statuses pulled
-- before this column existed. Adding a column rewrites no row, however many codes there are.
ALTER TABLE codes ADD COLUMN status_changed_at TEXT;

-- Only used codes, with the time they became used: redemptions per channel and day are read from
-- this index alone, without touching the table or any code that is not used. Building it reads
-- the table once, at the upgrade.
CREATE INDEX codes_used ON codes (batch_id, status, status_changed_at) WHERE status = 'used';
