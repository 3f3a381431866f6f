-- Stores, seller coupons, code batches, codes and exports.
-- Money is stored in whole minor units of the store's currency; times as RFC 3339 UTC text.

CREATE TABLE stores (
    store_id   TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    currency   TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE seller_coupons (
    coupon_id          TEXT PRIMARY KEY,
    store_id           TEXT NOT NULL REFERENCES stores (store_id),
    title              TEXT NOT NULL,
    discount_minor     INTEGER NOT NULL CHECK (discount_minor > 0),
    min_purchase_minor INTEGER NOT NULL CHECK (min_purchase_minor > discount_minor),
    valid_from         TEXT NOT NULL,
    valid_to           TEXT NOT NULL CHECK (valid_to >= valid_from),
    quantity           INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    state              TEXT NOT NULL
        CHECK (state IN ('draft', 'pending', 'published', 'rejected', 'stopped')),
    rejection_reason   TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (store_id, coupon_id)
) STRICT;

CREATE INDEX seller_coupons_by_store ON seller_coupons (store_id, created_at);

CREATE TABLE code_batches (
    batch_id        INTEGER PRIMARY KEY,
    store_id        TEXT NOT NULL,
    coupon_id       TEXT NOT NULL,
    channel         TEXT,
    code_count      INTEGER NOT NULL CHECK (code_count >= 1),
    random_length   INTEGER NOT NULL,
    prefix          TEXT NOT NULL,
    suffix          TEXT NOT NULL,
    group_size      INTEGER,
    alphabet        TEXT NOT NULL,
    check_character INTEGER NOT NULL CHECK (check_character IN (0, 1)),
    created_at      TEXT NOT NULL,
    first_exported_at TEXT,
    FOREIGN KEY (store_id, coupon_id) REFERENCES seller_coupons (store_id, coupon_id)
) STRICT;

CREATE INDEX code_batches_by_coupon ON code_batches (store_id, coupon_id, channel);

-- Codes are stored normalised (upper case, no dashes) and are unique across every store.
-- `status` is the buyer-side status once a buyer has claimed the code; NULL while unclaimed.
CREATE TABLE codes (
    code     TEXT PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES code_batches (batch_id),
    status   TEXT CHECK (status IN ('valid', 'inactive', 'used', 'expired', 'pending'))
) STRICT, WITHOUT ROWID;

CREATE INDEX codes_by_batch ON codes (batch_id, code);

-- Only claimed codes: keeps status counts cheap without indexing every unclaimed code.
CREATE INDEX codes_claimed ON codes (batch_id, status) WHERE status IS NOT NULL;

CREATE TABLE exports (
    export_id      INTEGER PRIMARY KEY,
    store_id       TEXT NOT NULL REFERENCES stores (store_id),
    coupon_id      TEXT NOT NULL,
    path           TEXT NOT NULL,
    channel_filter TEXT,
    batch_filter   INTEGER,
    status_filter  TEXT,
    byte_order_mark INTEGER NOT NULL CHECK (byte_order_mark IN (0, 1)),
    row_count      INTEGER NOT NULL,
    exported_at    TEXT NOT NULL,
    FOREIGN KEY (store_id, coupon_id) REFERENCES seller_coupons (store_id, coupon_id)
) STRICT;

CREATE INDEX exports_by_coupon ON exports (store_id, coupon_id, exported_at);
