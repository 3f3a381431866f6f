-- Items of a platform's feed this desk cannot use (a status it does not know, a field out of
-- bounds): kept aside with why, so that the feed goes on past them. An item that later comes
-- usable leaves the list.
CREATE TABLE set_aside_items (
    store_id TEXT NOT NULL REFERENCES stores (store_id),
    stream   TEXT NOT NULL,
    item     TEXT NOT NULL,
    reason   TEXT NOT NULL,
    seen_at  TEXT NOT NULL,
    PRIMARY KEY (store_id, stream, item)
) STRICT, WITHOUT ROWID;
