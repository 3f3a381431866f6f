//! Campaign results as the store reads them: codes per channel and status, and redemptions per
//! UTC day, from statuses set by hand on known days.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::{Channel, CouponId, StoreId};
use sellerdesk_core::money::Currency;
use sellerdesk_core::seller_coupon::{CouponState, SellerCouponRequest};
use sellerdesk_core::status::CouponStatus;
use sellerdesk_store::{
    ByteOrderMark, ChannelCodeResults, CodeCounts, CouponRecord, DailyRedemptions, ExportFilter,
    NewCodeBatch, Store, StoreError, StoreRecord, StoredCheckCharacter, StoredCodeFormat,
};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn store_id(text: &str) -> StoreId {
    StoreId::parse("store", text).unwrap()
}

fn coupon_id(text: &str) -> CouponId {
    CouponId::parse("coupon", text).unwrap()
}

fn channel(text: &str) -> Channel {
    Channel::parse("channel", text).unwrap()
}

fn add_store(store: &Store, shop: &str, coupons: &[&str]) {
    let usd = Currency::from_code("USD").unwrap();
    let created = at("2029-12-01T00:00:00Z");
    store
        .write(|writer| {
            writer.add_store(&StoreRecord {
                store_id: store_id(shop),
                name: shop.into(),
                currency: usd,
                created_at: created,
            })?;
            for coupon in coupons {
                let terms = SellerCouponRequest {
                    title: format!("{coupon} title"),
                    currency: usd,
                    discount: usd.parse_amount("3.00").unwrap(),
                    min_purchase: usd.parse_amount("20.00").unwrap(),
                    valid_from: at("2030-01-01T00:00:00Z"),
                    valid_to: at("2030-03-01T00:00:00Z"),
                    quantity: 100,
                }
                .validate(created)
                .unwrap();
                writer.insert_coupon(&CouponRecord {
                    coupon_id: coupon_id(coupon),
                    store_id: store_id(shop),
                    terms,
                    state: CouponState::Published,
                    rejection_reason: None,
                    platform_counts: Default::default(),
                    created_at: created,
                    updated_at: created,
                })?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

/// Adds a batch of `codes` for the coupon; exports it when `exported`. Returns its id.
fn add_batch(
    store: &Store,
    shop: &str,
    coupon: &str,
    for_channel: Option<&str>,
    codes: &[&str],
    exported: bool,
) -> i64 {
    store
        .write(|writer| {
            let batch_id = writer.insert_code_batch(&NewCodeBatch {
                store_id: store_id(shop),
                coupon_id: coupon_id(coupon),
                channel: for_channel.map(channel),
                format: StoredCodeFormat {
                    random_length: 6,
                    prefix: String::new(),
                    suffix: String::new(),
                    group_size: None,
                    alphabet: "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".into(),
                    check_character: StoredCheckCharacter::None,
                },
                created_at: at("2029-12-02T00:00:00Z"),
            })?;
            let added = writer.add_codes(batch_id, codes.iter().copied(), |_| {})?;
            writer.set_batch_code_count(batch_id, added)?;
            if exported {
                writer.record_export(
                    &store_id(shop),
                    &coupon_id(coupon),
                    "/tmp/codes.csv",
                    &ExportFilter { batch_id: Some(batch_id), ..ExportFilter::default() },
                    &[batch_id],
                    ByteOrderMark::Absent,
                    added,
                    at("2029-12-03T00:00:00Z"),
                )?;
            }
            Ok::<_, StoreError>(batch_id)
        })
        .unwrap()
}

fn set_statuses(store: &Store, shop: &str, changes: &[(&str, CouponStatus, &str)]) {
    store
        .write(|writer| {
            for (code, status, changed_at) in changes {
                writer.set_code_status(&store_id(shop), code, *status, at(changed_at))?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

fn day(text: &str, used: u64) -> DailyRedemptions {
    DailyRedemptions { day: at(&format!("{text}T00:00:00Z")), used }
}

#[test]
fn codes_and_redemptions_are_counted_per_channel_and_utc_day() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("campaign.db");
    let store = Store::open(&path).unwrap();
    add_store(&store, "S1", &["C1", "C2"]);
    add_store(&store, "S2", &["CX"]);
    add_batch(&store, "S1", "C1", Some("facebook"), &["FB1", "FB2", "FB3", "FB4"], true);
    add_batch(&store, "S1", "C1", Some("facebook"), &["FB5", "FB6"], false);
    add_batch(&store, "S1", "C1", Some("newsletter"), &["NL1", "NL2", "NL3", "NL4"], false);
    add_batch(&store, "S1", "C1", None, &["NO1", "NO2"], false);
    add_batch(&store, "S1", "C2", Some("facebook"), &["WEB1", "WEB2"], true);
    // Another store's used codes are never counted.
    add_batch(&store, "S2", "CX", Some("facebook"), &["OTHER1"], true);

    use CouponStatus::*;
    set_statuses(
        &store,
        "S1",
        &[
            // The last second of 5 January and the first of 6 January (UTC) are two days.
            ("FB1", Used, "2030-01-05T23:59:59Z"),
            ("FB2", Used, "2030-01-06T00:00:00Z"),
            ("FB3", Inactive, "2030-01-05T08:00:00Z"),
            // Used, then returned by a full refund: no longer a redemption.
            ("FB4", Used, "2030-01-05T09:00:00Z"),
            ("FB4", Valid, "2030-01-06T09:00:00Z"),
            ("FB5", Used, "2030-01-06T12:30:00.5Z"),
            ("NL1", Used, "2030-01-05T10:00:00Z"),
            ("NL2", Pending, "2030-01-05T11:00:00Z"),
            ("NL3", Expired, "2030-01-06T00:00:00Z"),
            ("NL4", Used, "2030-01-06T01:00:00Z"),
            ("NO1", Valid, "2030-01-04T00:00:00Z"),
            ("WEB1", Used, "2030-01-09T15:00:00Z"),
        ],
    );
    set_statuses(&store, "S2", &[("OTHER1", Used, "2030-01-07T00:00:00Z")]);
    // A status pulled before Seller Desk kept times has none.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE codes SET status_changed_at = NULL WHERE code = 'NL4'", [])
        .unwrap();

    let results = store.read(|reader| reader.campaign_results(&store_id("S1"), None)).unwrap();

    let facebook = ChannelCodeResults {
        channel: Some(channel("facebook")),
        counts: CodeCounts {
            generated: 8,
            exported: 6,
            claimed: 6,
            valid: 1,
            inactive: 1,
            used: 4,
            expired: 0,
            pending: 0,
        },
        used_of_exported: 3,
        redemptions: vec![day("2030-01-05", 1), day("2030-01-06", 2), day("2030-01-09", 1)],
        undated_redemptions: 0,
    };
    let newsletter = ChannelCodeResults {
        channel: Some(channel("newsletter")),
        counts: CodeCounts {
            generated: 4,
            exported: 0,
            claimed: 4,
            valid: 0,
            inactive: 0,
            used: 2,
            expired: 1,
            pending: 1,
        },
        used_of_exported: 0,
        redemptions: vec![day("2030-01-05", 1)],
        undated_redemptions: 1,
    };
    let without_channel = ChannelCodeResults {
        channel: None,
        counts: CodeCounts { generated: 2, claimed: 1, valid: 1, ..CodeCounts::default() },
        ..ChannelCodeResults::default()
    };
    assert_eq!(results, [facebook, newsletter, without_channel]);

    // One coupon only.
    let of_c2 = store
        .read(|reader| reader.campaign_results(&store_id("S1"), Some(&coupon_id("C2"))))
        .unwrap();
    let web = ChannelCodeResults {
        channel: Some(channel("facebook")),
        counts: CodeCounts {
            generated: 2,
            exported: 2,
            claimed: 1,
            used: 1,
            ..CodeCounts::default()
        },
        used_of_exported: 1,
        redemptions: vec![day("2030-01-09", 1)],
        undated_redemptions: 0,
    };
    assert_eq!(of_c2, [web]);

    // Nothing of another store, even when its coupon is named.
    let foreign = store
        .read(|reader| reader.campaign_results(&store_id("S1"), Some(&coupon_id("CX"))))
        .unwrap();
    assert_eq!(foreign, []);
    let empty = store.read(|reader| reader.campaign_results(&store_id("S3"), None)).unwrap();
    assert_eq!(empty, []);
}

#[test]
fn the_time_of_a_status_is_the_time_of_its_last_change() {
    let directory = tempfile::tempdir().unwrap();
    let store = Store::open(&directory.path().join("times.db")).unwrap();
    add_store(&store, "S1", &["C1"]);
    add_batch(&store, "S1", "C1", None, &["CODE1", "CODE2"], false);
    set_statuses(
        &store,
        "S1",
        &[
            ("CODE1", CouponStatus::Inactive, "2030-01-05T08:00:00Z"),
            ("CODE1", CouponStatus::Used, "2030-01-07T20:15:00.125Z"),
        ],
    );
    let find = |code: &str| {
        let found = store.read(|reader| reader.find_code(&store_id("S1"), code)).unwrap().unwrap();
        (found.status, found.status_changed_at)
    };
    assert_eq!(find("CODE1"), (Some(CouponStatus::Used), Some(at("2030-01-07T20:15:00.125Z"))));
    assert_eq!(find("CODE2"), (None, None), "an unclaimed code has no time");
}
