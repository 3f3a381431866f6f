//! The store against real database files: upgrades, refusals that leave files untouched, and
//! store isolation.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

use std::ops::ControlFlow;
use std::path::Path;

use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::{Channel, CouponId, StoreId};
use sellerdesk_core::money::Currency;
use sellerdesk_core::seller_coupon::{CouponState, SellerCouponRequest};
use sellerdesk_core::status::CouponStatus;
use sellerdesk_store::{
    CouponRecord, ExportFilter, NewCodeBatch, SCHEMA_VERSION, Store, StoreError, StoreRecord,
    StoredCheckCharacter, StoredCodeFormat, create_schema_at_version, describe_schema,
};

fn now() -> Timestamp {
    "2026-11-24T12:00:00Z".parse().unwrap()
}

fn store_id(text: &str) -> StoreId {
    StoreId::parse("store", text).unwrap()
}

fn coupon_id(text: &str) -> CouponId {
    CouponId::parse("coupon", text).unwrap()
}

fn add_store_with_coupon(store: &Store, shop: &str, coupon: &str) {
    let usd = Currency::from_code("USD").unwrap();
    let terms = SellerCouponRequest {
        title: format!("{coupon} title"),
        currency: usd,
        discount: usd.parse_amount("3.00").unwrap(),
        min_purchase: usd.parse_amount("20.00").unwrap(),
        valid_from: "2026-11-25T00:00:00Z".parse().unwrap(),
        valid_to: "2026-12-25T00:00:00Z".parse().unwrap(),
        quantity: 100,
    }
    .validate(now())
    .unwrap();
    store
        .write(|writer| {
            writer.add_store(&StoreRecord {
                store_id: store_id(shop),
                name: shop.into(),
                currency: usd,
                created_at: now(),
            })?;
            writer.insert_coupon(&CouponRecord {
                coupon_id: coupon_id(coupon),
                store_id: store_id(shop),
                terms,
                state: CouponState::Pending,
                rejection_reason: None,
                platform_counts: Default::default(),
                created_at: now(),
                updated_at: now(),
            })?;
            let batch_id = writer.insert_code_batch(&NewCodeBatch {
                store_id: store_id(shop),
                coupon_id: coupon_id(coupon),
                channel: Some(Channel::parse("channel", "facebook").unwrap()),
                format: format(),
                created_at: now(),
            })?;
            let codes = [format!("{shop}CODE1"), format!("{shop}CODE2")];
            let added = writer.add_codes(batch_id, codes.iter().map(String::as_str), |_| {})?;
            writer.set_batch_code_count(batch_id, added)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

fn format() -> StoredCodeFormat {
    StoredCodeFormat {
        random_length: 5,
        prefix: String::new(),
        suffix: String::new(),
        group_size: None,
        alphabet: "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".into(),
        check_character: StoredCheckCharacter::None,
    }
}

#[test]
fn upgrading_every_earlier_schema_gives_the_fresh_schema() {
    let directory = tempfile::tempdir().unwrap();
    let fresh = directory.path().join("fresh.db");
    drop(Store::open(&fresh).unwrap());
    let expected = describe_schema(&fresh).unwrap();
    assert!(expected.iter().any(|line| line.contains("TABLE codes")), "{expected:#?}");
    for version in 0..SCHEMA_VERSION {
        let old = directory.path().join(format!("v{version}.db"));
        create_schema_at_version(&old, version).unwrap();
        drop(Store::open(&old).unwrap());
        assert_eq!(describe_schema(&old).unwrap(), expected, "upgraded from version {version}");
    }
}

#[test]
fn upgrading_keeps_the_data() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("v1.db");
    create_schema_at_version(&path, 1).unwrap();
    // Written the way version 1 wrote it, then opened by this version.
    {
        let store = Store::open(&path).unwrap();
        add_store_with_coupon(&store, "S1", "C1");
    }
    let store = Store::open(&path).unwrap();
    let coupons = store.read(|reader| reader.coupons(&store_id("S1"))).unwrap();
    assert_eq!(coupons.len(), 1);
}

fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_alone() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("newer.db");
    create_schema_at_version(&path, SCHEMA_VERSION).unwrap();
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection.pragma_update(None, "user_version", SCHEMA_VERSION + 7).unwrap();
    }
    let before = file_bytes(&path);
    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, StoreError::NewerSchema { found, .. } if found == SCHEMA_VERSION + 7));
    assert!(error.to_string().contains("newer Seller Desk"), "{error}");
    assert!(file_bytes(&path) == before, "the file was changed");
}

#[test]
fn a_corrupt_file_is_refused_and_left_alone() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("corrupt.db");
    std::fs::write(&path, b"this is not a database, but it is somebody's file".repeat(100))
        .unwrap();
    let before = file_bytes(&path);
    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error:?}");
    assert!(error.to_string().contains("left untouched"), "{error}");
    assert!(file_bytes(&path) == before, "the file was changed");
}

#[test]
fn a_database_locked_by_another_process_is_a_clear_error() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("locked.db");
    drop(Store::open(&path).unwrap());
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;").unwrap();
    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, StoreError::Locked { .. }), "{error:?}");
    assert!(error.to_string().contains("in use by another"), "{error}");
    holder.execute_batch("COMMIT").unwrap();
}

#[test]
fn wal_mode_and_foreign_keys_are_on() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("wal.db");
    drop(Store::open(&path).unwrap());
    let connection = rusqlite::Connection::open(&path).unwrap();
    let mode: String =
        connection.pragma_query_value(None, "journal_mode", |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal");
    // A coupon of a store that does not exist is refused by the foreign key.
    let store = Store::open(&path).unwrap();
    add_store_with_coupon(&store, "S1", "C1");
    let orphan = store.write(|writer| {
        let mut coupon = writer.reader().coupon(&store_id("S1"), &coupon_id("C1"))?;
        coupon.store_id = store_id("NOPE");
        coupon.coupon_id = coupon_id("C2");
        writer.insert_coupon(&coupon)
    });
    assert!(orphan.is_err());
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    let directory = tempfile::tempdir().unwrap();
    let store = Store::open(&directory.path().join("atomic.db")).unwrap();
    add_store_with_coupon(&store, "S1", "C1");
    let result = store.write(|writer| {
        let batch_id = writer.insert_code_batch(&NewCodeBatch {
            store_id: store_id("S1"),
            coupon_id: coupon_id("C1"),
            channel: None,
            format: format(),
            created_at: now(),
        })?;
        writer.add_codes(batch_id, ["FRESH1", "FRESH2"], |_| {})?;
        Err::<(), StoreError>(StoreError::NotFound { what: "a reason to stop".into() })
    });
    assert!(result.is_err());
    let batches =
        store.read(|reader| reader.code_batches(&store_id("S1"), &coupon_id("C1"))).unwrap();
    assert_eq!(batches.len(), 1, "only the first batch exists");
    assert_eq!(store.read(|reader| reader.find_code(&store_id("S1"), "FRESH1")).unwrap(), None);
}

#[test]
fn codes_are_unique_across_stores() {
    let directory = tempfile::tempdir().unwrap();
    let store = Store::open(&directory.path().join("unique.db")).unwrap();
    add_store_with_coupon(&store, "S1", "C1");
    add_store_with_coupon(&store, "S2", "C2");
    let mut taken = Vec::new();
    store
        .write(|writer| {
            let batch_id = writer.insert_code_batch(&NewCodeBatch {
                store_id: store_id("S2"),
                coupon_id: coupon_id("C2"),
                channel: None,
                format: format(),
                created_at: now(),
            })?;
            let added =
                writer.add_codes(batch_id, ["S1CODE1", "NEWONE"], |code| taken.push(code))?;
            assert_eq!(added, 1);
            Ok::<_, StoreError>(())
        })
        .unwrap();
    assert_eq!(taken, ["S1CODE1"]);
}

#[test]
fn nothing_of_store_a_can_be_read_changed_or_exported_from_store_b() {
    let directory = tempfile::tempdir().unwrap();
    let store = Store::open(&directory.path().join("isolation.db")).unwrap();
    add_store_with_coupon(&store, "A", "CA");
    add_store_with_coupon(&store, "B", "CB");
    let (a, b, coupon_of_a) = (store_id("A"), store_id("B"), coupon_id("CA"));

    store
        .read(|reader| {
            assert!(matches!(reader.coupon(&b, &coupon_of_a), Err(StoreError::NotFound { .. })));
            assert_eq!(reader.coupons(&b)?.len(), 1);
            assert!(reader.coupons(&b)?.iter().all(|coupon| coupon.store_id == b));
            assert_eq!(reader.find_code(&b, "ACODE1")?, None);
            assert!(reader.find_code(&a, "ACODE1")?.is_some());
            assert!(reader.code_batches(&b, &coupon_of_a)?.is_empty());
            assert!(reader.export_batches(&b, &coupon_of_a, &ExportFilter::default())?.is_empty());
            assert_eq!(
                reader.count_export_rows(&b, &coupon_of_a, &ExportFilter::default())?.rows,
                0
            );
            assert!(!reader.code_counts(&b)?.contains_key(&coupon_of_a));
            Ok::<_, StoreError>(())
        })
        .unwrap();

    let changed = store.write(|writer| {
        let mut coupon = writer.reader().coupon(&a, &coupon_of_a)?;
        coupon.store_id = b.clone();
        coupon.rejection_reason = Some("moved".into());
        writer.update_coupon(&coupon)
    });
    assert!(matches!(changed, Err(StoreError::NotFound { .. })));
    let status =
        store.write(|writer| writer.set_code_status(&b, "ACODE1", CouponStatus::Used, now()));
    assert!(matches!(status, Err(StoreError::NotFound { .. })));

    let batches_of_a = store.read(|reader| reader.code_batches(&a, &coupon_of_a)).unwrap();
    let mut rows = 0;
    let _ = store
        .read(|reader| {
            reader.for_each_export_row(&batches_of_a, None, |_| {
                rows += 1;
                ControlFlow::Continue(())
            })
        })
        .unwrap();
    assert_eq!(rows, 2);
    let coupon = store.read(|reader| reader.coupon(&a, &coupon_of_a)).unwrap();
    assert_eq!(coupon.rejection_reason, None, "store B's write changed nothing");
}

#[test]
fn coupons_written_before_they_were_keyed_by_store_come_through_the_upgrade() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("v4.db");
    create_schema_at_version(&path, 4).unwrap();
    // What version 4 held: a coupon with a batch of codes and an export that refer to it.
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "INSERT INTO stores VALUES ('S1', 'Shop', 'USD', '2026-11-24T12:00:00Z');
                 INSERT INTO seller_coupons VALUES ('c-1', 'S1', 'Spring', 300, 2000,
                   '2026-11-25T00:00:00Z', '2026-12-25T00:00:00Z', 100, 'published', NULL,
                   '2026-11-24T12:00:00Z', '2026-11-24T12:00:00Z');
                 INSERT INTO code_batches VALUES (1, 'S1', 'c-1', 'facebook', 1, 5, '', '', NULL,
                   'ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 0, '2026-11-24T12:00:00Z', NULL);
                 INSERT INTO codes (code, batch_id) VALUES ('S1CODE', 1);
                 INSERT INTO exports VALUES (1, 'S1', 'c-1', '/tmp/x.csv', NULL, NULL, NULL, 0, 1,
                   '2026-11-24T12:00:00Z');",
            )
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let coupon = store.read(|reader| reader.coupon(&store_id("S1"), &coupon_id("c-1"))).unwrap();
    assert_eq!(coupon.terms.title(), "Spring");
    let batches =
        store.read(|reader| reader.code_batches(&store_id("S1"), &coupon_id("c-1"))).unwrap();
    assert_eq!(batches.len(), 1);
    // Another store may now have a coupon of the same id.
    add_store_with_coupon(&store, "S2", "c-1");
    let other = store.read(|reader| reader.coupon(&store_id("S2"), &coupon_id("c-1"))).unwrap();
    assert_eq!(other.terms.title(), "c-1 title");
    assert_eq!(
        store.read(|reader| reader.coupon(&store_id("S1"), &coupon_id("c-1"))).unwrap(),
        coupon
    );
}

#[test]
fn two_stores_may_each_have_a_coupon_of_the_same_id() {
    let directory = tempfile::tempdir().unwrap();
    let store = Store::open(&directory.path().join("desk.db")).unwrap();
    add_store_with_coupon(&store, "A", "c-1");
    add_store_with_coupon(&store, "B", "c-1");
    for shop in ["A", "B"] {
        let coupons = store.read(|reader| reader.coupons(&store_id(shop))).unwrap();
        assert_eq!(coupons.len(), 1, "store {shop}");
        assert_eq!(coupons[0].store_id, store_id(shop));
    }
}

#[cfg(unix)]
#[test]
fn the_data_folder_and_the_database_are_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let directory = tempfile::tempdir().unwrap();
    let folder = directory.path().join("data").join("sellerdesk");
    let path = folder.join("desk.db");
    let store = Store::open(&path).unwrap();
    add_store_with_coupon(&store, "S1", "c-1");
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(folder.parent().unwrap()), 0o700);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&folder.join("desk.db-wal")), 0o600, "the journal too");
}
