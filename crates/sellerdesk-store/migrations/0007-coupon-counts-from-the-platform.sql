-- What the platform counts of a coupon, as the last sync brought it down (NULL where the platform
-- says nothing):
-- - claimed_on_platform: how many buyers claimed it, where the platform counts claims of the
--   coupon itself rather than of codes (AliExpress's `released_num`);
-- - codes_on_platform: how many codes the platform holds for it, made on every desk of the store,
--   so that a desk counts its teammates' codes against the coupon's quantity (CODES-1).
ALTER TABLE seller_coupons ADD COLUMN claimed_on_platform INTEGER CHECK (claimed_on_platform >= 0);
ALTER TABLE seller_coupons ADD COLUMN codes_on_platform INTEGER CHECK (codes_on_platform >= 0);
