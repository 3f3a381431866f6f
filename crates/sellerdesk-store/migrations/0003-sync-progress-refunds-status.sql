-- Synchronisation with the platform: how far each outbox entry got and what the platform said of
-- it, the upload progress of code batches, codes a seller must withdraw, buyers' refund requests,
-- and each store's sync status.

-- When an entry left the outbox (sent or rejected), and the platform's refusal code when it was
-- rejected (`last_error` then holds the platform's message).
ALTER TABLE outbox ADD COLUMN finished_at TEXT;
ALTER TABLE outbox ADD COLUMN rejection_code TEXT;

-- How far the upload of a batch's codes got. Codes go up in code order, in chunks: chunk `n` is
-- sent with the mutation id `{mutation_id}-{n}`, and `next_chunk` and `last_code` advance in the
-- same transaction that applies the chunk's answer, so a retried chunk always carries the same
-- codes under the same mutation id.
CREATE TABLE code_uploads (
    sequence    INTEGER PRIMARY KEY REFERENCES outbox (sequence),
    next_chunk  INTEGER NOT NULL CHECK (next_chunk >= 0),
    last_code   TEXT,
    accepted    INTEGER NOT NULL DEFAULT 0,
    regenerated INTEGER NOT NULL DEFAULT 0,
    withdrawn   INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Replacement codes that sort before `code_uploads.last_code`: the ordered pass has gone past
-- them, so they go up in chunks of their own once it is over.
CREATE TABLE code_reuploads (
    sequence INTEGER NOT NULL REFERENCES outbox (sequence),
    code     TEXT NOT NULL,
    PRIMARY KEY (sequence, code)
) STRICT, WITHOUT ROWID;

-- Codes of an exported batch that the platform says another seller already holds: they cannot be
-- replaced any more, so the seller is told to withdraw them.
CREATE TABLE withdrawn_codes (
    code        TEXT PRIMARY KEY REFERENCES codes (code),
    store_id    TEXT NOT NULL REFERENCES stores (store_id),
    coupon_id   TEXT NOT NULL,
    batch_id    INTEGER NOT NULL REFERENCES code_batches (batch_id),
    reported_at TEXT NOT NULL
) STRICT;

CREATE INDEX withdrawn_codes_by_store ON withdrawn_codes (store_id, coupon_id, code);

-- Buyers' refund requests, as the platform's feed delivers them, with the seller's decision.
-- `decision` and `decided_at` are the platform's; the `seller_` columns are a decision made here,
-- with where its upload stands (pending, sent, or rejected with the platform's reason).
CREATE TABLE refund_requests (
    store_id                  TEXT NOT NULL REFERENCES stores (store_id),
    request_id                TEXT NOT NULL,
    preview_input             TEXT NOT NULL,
    requested_at              TEXT NOT NULL,
    decision                  TEXT CHECK (decision IN ('approve', 'refuse')),
    decided_at                TEXT,
    seller_decision           TEXT CHECK (seller_decision IN ('approve', 'refuse')),
    seller_decided_at         TEXT,
    seller_decision_state     TEXT
        CHECK (seller_decision_state IN ('pending', 'sent', 'rejected')),
    seller_decision_rejection TEXT,
    received_at               TEXT NOT NULL,
    updated_at                TEXT NOT NULL,
    PRIMARY KEY (store_id, request_id),
    CHECK ((seller_decision IS NULL) = (seller_decision_state IS NULL))
) STRICT, WITHOUT ROWID;

CREATE INDEX refund_requests_by_time ON refund_requests (store_id, requested_at);

-- The last sync attempt of each store, so that another process can say where sync stands.
CREATE TABLE sync_status (
    store_id             TEXT PRIMARY KEY REFERENCES stores (store_id),
    online               INTEGER NOT NULL CHECK (online IN (0, 1)),
    last_attempt_at      TEXT NOT NULL,
    last_successful_sync TEXT,
    last_error           TEXT
) STRICT;
