-- How many buyers claimed a coupon on its platform, where the platform counts claims of the coupon
-- itself rather than of codes (AliExpress's `released_num`); NULL where the platform says nothing.
ALTER TABLE seller_coupons ADD COLUMN claimed_on_platform INTEGER CHECK (claimed_on_platform >= 0);
