-- What the platform counts of a coupon, as the last sync brought it down (NULL where the platform
-- says nothing):
-- - claimed_on_platform: how many buyers claimed it, where the platform counts claims of the
--   coupon itself rather than of codes (AliExpress's `released_num`);
-- - codes_on_platform: how many codes the platform holds for it, made on every desk of the store,
--   so that a desk counts its teammates' codes against the coupon's quantity (CODES-1).
ALTER TABLE seller_coupons ADD COLUMN claimed_on_platform INTEGER CHECK (claimed_on_platform >= 0);
ALTER TABLE seller_coupons ADD COLUMN codes_on_platform INTEGER CHECK (codes_on_platform >= 0);

-- How many codes of the chosen batches an export left out because the platform refused them (they
-- never went up, so no buyer could redeem them).
ALTER TABLE exports ADD COLUMN left_out INTEGER NOT NULL DEFAULT 0 CHECK (left_out >= 0);
