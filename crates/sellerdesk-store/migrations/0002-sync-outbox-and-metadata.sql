-- Room for synchronisation with the platform: an outbox of local changes that must reach the
-- platform, written in the same transaction as the change, and per-store sync metadata.

CREATE TABLE outbox (
    sequence    INTEGER PRIMARY KEY,
    store_id    TEXT NOT NULL REFERENCES stores (store_id),
    mutation_id TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    subject_id  TEXT NOT NULL,
    payload     TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'rejected')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    created_at  TEXT NOT NULL
) STRICT;

CREATE INDEX outbox_pending ON outbox (store_id, state, sequence);

CREATE TABLE sync_state (
    store_id   TEXT NOT NULL REFERENCES stores (store_id),
    stream     TEXT NOT NULL,
    cursor     TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (store_id, stream)
) STRICT, WITHOUT ROWID;
