-- A coupon is named by its store: two stores (on two platforms, or two shops of one seller) may
-- both have a coupon `c-1`. The table is rebuilt with the key (store_id, coupon_id), as SQLite's
-- documented procedure for changing a key does (the upgrade runs with foreign keys off and checks
-- them before it commits). Nothing else changes: code batches and exports already name a coupon
-- by (store_id, coupon_id).

CREATE TABLE seller_coupons_keyed (
    coupon_id          TEXT NOT NULL,
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
    PRIMARY KEY (store_id, coupon_id)
) STRICT, WITHOUT ROWID;

INSERT INTO seller_coupons_keyed
    SELECT coupon_id, store_id, title, discount_minor, min_purchase_minor, valid_from, valid_to,
           quantity, state, rejection_reason, created_at, updated_at
    FROM seller_coupons;

DROP INDEX seller_coupons_by_store;
DROP TABLE seller_coupons;
ALTER TABLE seller_coupons_keyed RENAME TO seller_coupons;

CREATE INDEX seller_coupons_by_store ON seller_coupons (store_id, created_at);
