//! A seller's local database for sync tests, with coupons, batches and outbox entries written as
//! the facade writes them (the facade depends on this crate, so its own functions are not used).

#![allow(clippy::unwrap_used, dead_code)]

use std::time::Duration;

use sellerdesk_core::Timestamp;
use sellerdesk_core::codes::DEFAULT_ALPHABET;
use sellerdesk_core::ids::{CouponId, StoreId};
use sellerdesk_core::money::Currency;
use sellerdesk_core::seller_coupon::{CouponState, SellerCouponRequest, SellerCouponTerms};
use sellerdesk_platform::api::RefundPreviewInput;
use sellerdesk_platform::change::{CodeBatchChange, OutboxChange, coupon_terms};
use sellerdesk_platform::{PageLimit, RetryPolicy, SyncOptions};
use sellerdesk_store::{
    ByteOrderMark, CouponRecord, ExportFilter, NewCodeBatch, OutboxRecord, OutboxState,
    StoreRecord, StoredCheckCharacter, StoredCodeFormat,
};
use tempfile::TempDir;

pub use sellerdesk_store::Store;

/// Options for tests: quick retries, small pages.
pub fn quick_options() -> SyncOptions {
    SyncOptions {
        retry: RetryPolicy {
            tries: 3,
            first_delay: Duration::from_millis(1),
            longest_delay: Duration::from_millis(4),
            longest_retry_after: Duration::from_secs(2),
        },
        page_limit: PageLimit::new(50).unwrap(),
        most_pages_per_feed: 1_000,
    }
}

pub fn usd() -> Currency {
    Currency::from_code("USD").unwrap()
}

/// A local database with one store.
pub struct Desk {
    pub directory: TempDir,
    pub store: Store,
    pub store_id: StoreId,
}

impl Desk {
    pub fn new() -> Desk {
        Desk::with_store("S1")
    }

    pub fn with_store(store_id: &str) -> Desk {
        let directory = tempfile::tempdir().unwrap();
        let store = Store::open(&directory.path().join("desk.db")).unwrap();
        let desk = Desk { directory, store, store_id: StoreId::parse("store", store_id).unwrap() };
        desk.add_store(store_id);
        desk
    }

    pub fn add_store(&self, store_id: &str) {
        self.store
            .write(|writer| {
                writer.add_store(&StoreRecord {
                    store_id: StoreId::parse("store", store_id).unwrap(),
                    name: format!("Store {store_id}"),
                    currency: usd(),
                    created_at: Timestamp::now(),
                })
            })
            .unwrap();
    }

    pub fn db_path(&self) -> std::path::PathBuf {
        self.directory.path().join("desk.db")
    }

    /// A coupon submitted for publication: pending, with its `create_coupon` entry.
    pub fn add_coupon(&self, coupon_id: &str, title: &str) -> CouponRecord {
        self.add_coupon_to(&self.store_id.clone(), coupon_id, title)
    }

    pub fn add_coupon_to(&self, store_id: &StoreId, coupon_id: &str, title: &str) -> CouponRecord {
        self.add_coupon_valid(
            store_id,
            coupon_id,
            title,
            ("2030-01-01T00:00:00Z", "2030-12-31T00:00:00Z"),
        )
    }

    /// A coupon valid from `validity.0` to `validity.1`, submitted for publication.
    pub fn add_coupon_valid(
        &self,
        store_id: &StoreId,
        coupon_id: &str,
        title: &str,
        validity: (&str, &str),
    ) -> CouponRecord {
        let now = Timestamp::now();
        let record = CouponRecord {
            coupon_id: CouponId::parse("coupon", coupon_id).unwrap(),
            store_id: store_id.clone(),
            terms: terms(title, validity.0, validity.1),
            state: CouponState::Pending,
            rejection_reason: None,
            platform_counts: Default::default(),
            created_at: now,
            updated_at: now,
        };
        self.store
            .write(|writer| {
                writer.insert_coupon(&record)?;
                writer.enqueue(
                    &OutboxChange::CreateCoupon(coupon_terms(&record)).entry(&record.store_id, now),
                )
            })
            .unwrap();
        record
    }

    /// Stops a coupon as the facade does: its validity ends, with a `stop_coupon` entry.
    pub fn stop_coupon(&self, coupon_id: &str) {
        let coupon_id = CouponId::parse("coupon", coupon_id).unwrap();
        self.store
            .write(|writer| {
                let mut coupon = writer.reader().coupon(&self.store_id, &coupon_id)?;
                let stop_at: Timestamp = "2030-06-01T00:00:00Z".parse().unwrap();
                coupon.terms = coupon.terms.stop(stop_at).unwrap();
                coupon.state = CouponState::Stopped;
                writer.update_coupon(&coupon)?;
                writer.enqueue(
                    &OutboxChange::StopCoupon(coupon_terms(&coupon))
                        .entry(&coupon.store_id, Timestamp::now()),
                )
            })
            .unwrap();
    }

    /// Queues a title change as the facade does for a published coupon.
    pub fn change_title(&self, coupon_id: &str, title: &str) {
        let coupon_id = CouponId::parse("coupon", coupon_id).unwrap();
        self.store
            .write(|writer| {
                let mut coupon = writer.reader().coupon(&self.store_id, &coupon_id)?;
                let terms = &coupon.terms;
                coupon.terms = SellerCouponTerms::restore(SellerCouponRequest {
                    title: title.to_owned(),
                    currency: terms.currency(),
                    discount: terms.discount(),
                    min_purchase: terms.min_purchase(),
                    valid_from: terms.valid_from(),
                    valid_to: terms.valid_to(),
                    quantity: terms.quantity(),
                })
                .unwrap();
                writer.update_coupon(&coupon)?;
                writer.enqueue(
                    &OutboxChange::UpdateCouponTitle(coupon_terms(&coupon))
                        .entry(&coupon.store_id, Timestamp::now()),
                )
            })
            .unwrap();
    }

    /// A batch of `count` distinct codes of eight characters, with its `upload_code_batch` entry.
    /// `first` makes the codes of different batches different.
    pub fn add_batch(&self, coupon_id: &str, count: usize, first: usize) -> (i64, Vec<String>) {
        let coupon_id = CouponId::parse("coupon", coupon_id).unwrap();
        let codes: Vec<String> = (first..first + count).map(code_number).collect();
        let batch_id = self
            .store
            .write(|writer| {
                let batch_id = writer.insert_code_batch(&NewCodeBatch {
                    store_id: self.store_id.clone(),
                    coupon_id: coupon_id.clone(),
                    channel: None,
                    format: StoredCodeFormat {
                        random_length: 8,
                        prefix: String::new(),
                        suffix: String::new(),
                        group_size: None,
                        alphabet: DEFAULT_ALPHABET.to_owned(),
                        check_character: StoredCheckCharacter::None,
                    },
                    created_at: Timestamp::now(),
                })?;
                let added = writer.add_codes(batch_id, codes.iter().map(String::as_str), |_| {})?;
                assert_eq!(added, count as u64);
                writer.set_batch_code_count(batch_id, count as u64)?;
                let change = OutboxChange::UploadCodeBatch(CodeBatchChange {
                    batch_id,
                    coupon_id: coupon_id.to_string(),
                    channel: None,
                    count: count as u64,
                });
                writer.enqueue(&change.entry(&self.store_id, Timestamp::now()))?;
                Ok::<_, sellerdesk_store::StoreError>(batch_id)
            })
            .unwrap();
        (batch_id, codes)
    }

    /// Records an export of the batch, as `sellerdesk codes export` does.
    pub fn export_batch(&self, coupon_id: &str, batch_id: i64) {
        let coupon_id = CouponId::parse("coupon", coupon_id).unwrap();
        self.store
            .write(|writer| {
                writer.record_export(
                    &self.store_id,
                    &coupon_id,
                    "/tmp/codes.csv",
                    &ExportFilter::default(),
                    &[batch_id],
                    ByteOrderMark::Absent,
                    1,
                    Timestamp::now(),
                )
            })
            .unwrap();
    }

    pub fn outbox(&self, state: OutboxState) -> Vec<OutboxRecord> {
        self.store.read(|reader| reader.outbox_entries(&self.store_id, state)).unwrap()
    }

    pub fn coupon(&self, coupon_id: &str) -> CouponRecord {
        let coupon_id = CouponId::parse("coupon", coupon_id).unwrap();
        self.store.read(|reader| reader.coupon(&self.store_id, &coupon_id)).unwrap()
    }

    /// Every code of the batch, in code order.
    pub fn batch_codes(&self, batch_id: i64) -> Vec<String> {
        self.store.read(|reader| reader.batch_codes_after(batch_id, None, usize::MAX)).unwrap()
    }
}

/// Terms in US dollars: 5.00 off 20.00.
pub fn terms(title: &str, valid_from: &str, valid_to: &str) -> SellerCouponTerms {
    SellerCouponTerms::restore(SellerCouponRequest {
        title: title.to_owned(),
        currency: usd(),
        discount: usd().parse_amount("5.00").unwrap(),
        min_purchase: usd().parse_amount("20.00").unwrap(),
        valid_from: valid_from.parse().unwrap(),
        valid_to: valid_to.parse().unwrap(),
        quantity: 100_000,
    })
    .unwrap()
}

/// The outbox entry the facade writes for a coupon (`catalog::outbox_entry`).
/// The code numbered `number`: eight characters of the default alphabet.
pub fn code_number(number: usize) -> String {
    let alphabet: Vec<char> = DEFAULT_ALPHABET.chars().collect();
    let mut rest = number;
    let mut code = vec![alphabet[0]; 8];
    for slot in code.iter_mut().rev() {
        *slot = alphabet[rest % alphabet.len()];
        rest /= alphabet.len();
    }
    code.into_iter().collect()
}

/// A refund-preview input, as a buyer's refund request carries it.
pub fn preview_input() -> RefundPreviewInput {
    serde_json::from_str(include_str!(
        "../../../../tests/scenarios/001-single-store-unit-refund.json"
    ))
    .unwrap()
}
