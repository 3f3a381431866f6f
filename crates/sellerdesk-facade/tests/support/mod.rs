//! What the fault and crash tests compare: the sandbox's state (its dump) against the local
//! database, read directly, coupon by coupon, code by code, mutation by mutation.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use sellerdesk_facade::SellerDesk;
use sellerdesk_platform::api::methods;
use sellerdesk_platform::sync::chunk_mutation_id;
use serde_json::Value;

/// The store the fault and crash tests work in.
pub const STORE: &str = "S1";

/// Everything the sandbox holds for the store is what the local database holds, and the sandbox
/// applied exactly the mutation ids the local outbox sent.
pub fn check_platform_matches_local(
    desk: &SellerDesk,
    database: &Path,
    dump: &Value,
    total_codes: u64,
    coupon_count: usize,
) {
    let local_coupons = desk.coupons(STORE).unwrap().coupons;
    for coupon in &local_coupons {
        assert_eq!(coupon.state, "published", "coupon {}", coupon.coupon_id);
    }
    let local_terms: Vec<CouponTerms> = local_coupons
        .iter()
        .map(|coupon| CouponTerms {
            coupon_id: coupon.coupon_id.clone(),
            title: coupon.title.clone(),
            currency: coupon.currency.clone(),
            discount: coupon.discount.clone(),
            min_purchase: coupon.min_purchase.clone(),
            valid_from: coupon.valid_from.clone(),
            valid_to: coupon.valid_to.clone(),
            quantity: u64::from(coupon.quantity),
            state: coupon.state.clone(),
        })
        .collect();
    let platform_terms: Vec<CouponTerms> = store_rows(dump, "coupons")
        .map(|row| CouponTerms {
            coupon_id: text(row, "coupon_id"),
            title: text(row, "title"),
            currency: text(row, "currency"),
            discount: text(row, "discount"),
            min_purchase: text(row, "min_purchase"),
            valid_from: text(row, "valid_from"),
            valid_to: text(row, "valid_to"),
            quantity: row["quantity"].as_u64().unwrap(),
            state: text(row, "state"),
        })
        .collect();
    assert_eq!(local_terms.len(), coupon_count);
    assert_same_rows("coupons", &local_terms, &platform_terms);

    let local_codes = local_codes(database);
    let platform_codes: Vec<CodeRow> = store_rows(dump, "codes")
        .map(|row| CodeRow {
            coupon_id: text(row, "coupon_id"),
            code: text(row, "code"),
            batch_id: row["batch_id"].as_i64().unwrap(),
            channel: row["channel"].as_str().map(str::to_owned),
            // An uploaded code nobody has claimed is valid on the platform but not in its codes
            // feed: the seller sees it as unclaimed.
            status: match (row["status"].as_str(), row["buyer_id"].as_str()) {
                (Some("valid"), None) => None,
                (status, _) => status.map(str::to_owned),
            },
        })
        .collect();
    assert_eq!(local_codes.len() as u64, total_codes, "codes held locally");
    assert_same_rows("codes", &local_codes, &platform_codes);

    // The platform's count of codes per coupon is the number of codes it holds for it.
    let mut codes_per_coupon: BTreeMap<String, u64> = BTreeMap::new();
    for code in &platform_codes {
        *codes_per_coupon.entry(code.coupon_id.clone()).or_default() += 1;
    }
    for row in store_rows(dump, "coupons") {
        let coupon_id = text(row, "coupon_id");
        let counted = codes_per_coupon.get(&coupon_id).copied().unwrap_or_default();
        assert_eq!(row["code_count"].as_u64(), Some(counted), "code_count of coupon {coupon_id}");
    }

    let outbox = local_outbox(database);
    for entry in &outbox {
        assert_eq!(entry.state, "sent", "{entry:?}");
        if entry.kind == "upload_code_batch" {
            let upload = entry.upload.as_ref().unwrap();
            assert_eq!(upload.accepted, upload.code_count, "{entry:?}");
            assert_eq!((upload.regenerated, upload.withdrawn), (0, 0), "{entry:?}");
            assert_eq!(upload.next_chunk, upload.code_count.div_ceil(1_000), "{entry:?}");
        }
    }
    let expected_mutations = expected_mutations(&outbox);
    let applied_mutations: Vec<(String, String)> = store_rows(dump, "mutations")
        .map(|row| (text(row, "mutation_id"), text(row, "method")))
        .collect();
    assert_same_rows("mutations", &expected_mutations, &applied_mutations);
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CouponTerms {
    pub coupon_id: String,
    pub title: String,
    pub currency: String,
    pub discount: String,
    pub min_purchase: String,
    pub valid_from: String,
    pub valid_to: String,
    pub quantity: u64,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CodeRow {
    pub coupon_id: String,
    pub code: String,
    pub batch_id: i64,
    pub channel: Option<String>,
    pub status: Option<String>,
}

#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub mutation_id: String,
    pub kind: String,
    pub state: String,
    /// Failed tries of the entry (503s and dropped answers alike).
    pub attempts: u64,
    pub upload: Option<UploadProgress>,
}

#[derive(Debug, Clone)]
pub struct UploadProgress {
    pub code_count: u64,
    pub next_chunk: u64,
    pub accepted: u64,
    pub regenerated: u64,
    pub withdrawn: u64,
}

pub fn store_rows<'a>(dump: &'a Value, table: &str) -> impl Iterator<Item = &'a Value> {
    dump[table].as_array().unwrap().iter().filter(|row| row["store_id"] == STORE)
}

pub fn text(row: &Value, field: &str) -> String {
    row[field].as_str().unwrap_or_else(|| panic!("{field} of {row}")).to_owned()
}

/// Equal as sets, and neither side holds a row twice. On failure, shows a few rows of each
/// difference rather than thousands.
pub fn assert_same_rows<Row: Ord + Clone + Debug>(what: &str, local: &[Row], platform: &[Row]) {
    let local_set: BTreeSet<Row> = local.iter().cloned().collect();
    let platform_set: BTreeSet<Row> = platform.iter().cloned().collect();
    assert_eq!(local_set.len(), local.len(), "{what}: the local database holds a row twice");
    assert_eq!(platform_set.len(), platform.len(), "{what}: the platform holds a row twice");
    let missing: Vec<&Row> = local_set.difference(&platform_set).take(5).collect();
    let extra: Vec<&Row> = platform_set.difference(&local_set).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}: {} local, {} on the platform; local only (first 5): {missing:?}; platform \
         only (first 5): {extra:?}",
        local_set.len(),
        platform_set.len(),
    );
}

pub fn open_read_only(database: &Path) -> Connection {
    Connection::open_with_flags(database, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// Every code of the store in the local database, with its coupon, batch, channel and status.
pub fn local_codes(database: &Path) -> Vec<CodeRow> {
    let connection = open_read_only(database);
    let mut statement = connection
        .prepare(
            "SELECT code_batches.coupon_id, codes.code, codes.batch_id, code_batches.channel,
                    codes.status
             FROM codes JOIN code_batches ON code_batches.batch_id = codes.batch_id
             WHERE code_batches.store_id = ?1",
        )
        .unwrap();
    statement
        .query_map([STORE], |row| {
            Ok(CodeRow {
                coupon_id: row.get(0)?,
                code: row.get(1)?,
                batch_id: row.get(2)?,
                channel: row.get(3)?,
                status: row.get(4)?,
            })
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The store's outbox, with the upload progress of code batches.
pub fn local_outbox(database: &Path) -> Vec<OutboxRow> {
    let connection = open_read_only(database);
    let mut statement = connection
        .prepare(
            "SELECT outbox.mutation_id, outbox.kind, outbox.state, code_batches.code_count,
                    code_uploads.next_chunk, code_uploads.accepted, code_uploads.regenerated,
                    code_uploads.withdrawn, outbox.attempts
             FROM outbox
             LEFT JOIN code_uploads ON code_uploads.sequence = outbox.sequence
             LEFT JOIN code_batches ON outbox.kind = 'upload_code_batch'
                 AND code_batches.batch_id = CAST(outbox.subject_id AS INTEGER)
             WHERE outbox.store_id = ?1
             ORDER BY outbox.sequence",
        )
        .unwrap();
    statement
        .query_map([STORE], |row| {
            // SQLite integers are signed; these counts are never negative.
            let count = |index: usize| {
                row.get::<_, Option<i64>>(index)
                    .map(|value| value.map(|value| u64::try_from(value).unwrap()))
            };
            Ok(OutboxRow {
                mutation_id: row.get(0)?,
                kind: row.get(1)?,
                state: row.get(2)?,
                attempts: count(8)?.unwrap(),
                upload: match (count(3)?, count(4)?) {
                    (Some(code_count), Some(next_chunk)) => Some(UploadProgress {
                        code_count,
                        next_chunk,
                        accepted: count(5)?.unwrap(),
                        regenerated: count(6)?.unwrap(),
                        withdrawn: count(7)?.unwrap(),
                    }),
                    _ => None,
                },
            })
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The mutation ids (with their methods) that the sent outbox entries went up under: one per
/// coupon, one per chunk of a batch.
pub fn expected_mutations(outbox: &[OutboxRow]) -> Vec<(String, String)> {
    let mut expected = Vec::new();
    for entry in outbox {
        match entry.kind.as_str() {
            "create_coupon" => {
                expected.push((entry.mutation_id.clone(), methods::COUPON_CREATE.to_owned()));
            }
            "upload_code_batch" => {
                let chunks = entry.upload.as_ref().unwrap().next_chunk;
                for index in 0..u32::try_from(chunks).unwrap() {
                    expected.push((
                        chunk_mutation_id(&entry.mutation_id, index),
                        methods::CODES_UPLOAD.to_owned(),
                    ));
                }
            }
            other => panic!("the fixture makes no {other} change"),
        }
    }
    expected
}
