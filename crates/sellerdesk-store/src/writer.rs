//! Writes, always inside the one transaction that [`crate::Store::write`] opened.

use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{Transaction, params, params_from_iter};
use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::{CouponId, StoreId};
use sellerdesk_core::status::CouponStatus;

use crate::error::StoreError;
use crate::reader::Reader;
use crate::records::{
    ByteOrderMark, CouponRecord, ExportCount, ExportFilter, NewCodeBatch, OutboxEntry, StoreRecord,
    StoredCheckCharacter,
};

/// Whether a code could be added, or another store or batch already holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeInsertion {
    Added,
    AlreadyTaken,
}

/// Write access inside one transaction, which [`crate::Store::write`] commits when its closure
/// succeeds and rolls back otherwise.
#[derive(Debug)]
pub struct Writer<'a> {
    pub(crate) transaction: Transaction<'a>,
    pub(crate) path: &'a Path,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(transaction: Transaction<'a>, path: &'a Path) -> Writer<'a> {
        Writer { transaction, path }
    }

    pub(crate) fn commit(self) -> Result<(), StoreError> {
        self.transaction.commit().map_err(|error| StoreError::from_sqlite(self.path, error))
    }

    pub(crate) fn sql_error(&self, error: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(self.path, error)
    }

    /// Runs one statement (prepared once per connection), returning how many rows it changed.
    pub(crate) fn execute(
        &self,
        sql: &str,
        parameters: impl rusqlite::Params,
    ) -> Result<usize, StoreError> {
        self.transaction
            .prepare_cached(sql)
            .and_then(|mut statement| statement.execute(parameters))
            .map_err(|error| self.sql_error(error))
    }

    /// Reads inside this transaction, seeing its own writes.
    pub fn reader(&self) -> Reader<'_> {
        Reader::new(&self.transaction, self.path)
    }

    pub fn add_store(&mut self, store: &StoreRecord) -> Result<(), StoreError> {
        let added = self
            .transaction
            .execute(
                "INSERT INTO stores (store_id, name, currency, created_at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (store_id) DO NOTHING",
                params![
                    store.store_id.as_str(),
                    store.name,
                    store.currency.code(),
                    store.created_at.to_string()
                ],
            )
            .map_err(|error| self.sql_error(error))?;
        if added == 0 {
            return Err(StoreError::AlreadyExists { what: format!("store {}", store.store_id) });
        }
        Ok(())
    }

    pub fn insert_coupon(&mut self, coupon: &CouponRecord) -> Result<(), StoreError> {
        self.transaction
            .execute(
                "INSERT INTO seller_coupons (coupon_id, store_id, title, discount_minor, \
                   min_purchase_minor, valid_from, valid_to, quantity, state, rejection_reason, \
                   created_at, updated_at, claimed_on_platform, codes_on_platform) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params_from_iter(coupon_columns(coupon)),
            )
            .map_err(|error| self.sql_error(error))?;
        Ok(())
    }

    /// Replaces the coupon's terms and state. The coupon must belong to its store.
    pub fn update_coupon(&mut self, coupon: &CouponRecord) -> Result<(), StoreError> {
        // The columns of `coupon_columns`, by number; its creation time (?11) stays as it was.
        let changed = self
            .transaction
            .execute(
                "UPDATE seller_coupons SET title = ?3, discount_minor = ?4, min_purchase_minor = ?5, \
                   valid_from = ?6, valid_to = ?7, quantity = ?8, state = ?9, rejection_reason = ?10, \
                   updated_at = ?12, claimed_on_platform = ?13, codes_on_platform = ?14 \
                 WHERE coupon_id = ?1 AND store_id = ?2",
                params_from_iter(coupon_columns(coupon)),
            )
            .map_err(|error| self.sql_error(error))?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: format!("coupon {} of store {}", coupon.coupon_id, coupon.store_id),
            });
        }
        Ok(())
    }

    /// Adds an empty batch and returns its id; its codes follow with [`Writer::add_codes`].
    pub fn insert_code_batch(&mut self, batch: &NewCodeBatch) -> Result<i64, StoreError> {
        let format = &batch.format;
        self.transaction
            .execute(
                "INSERT INTO code_batches (store_id, coupon_id, channel, code_count, random_length, \
                   prefix, suffix, group_size, alphabet, check_character, created_at) \
                 VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    batch.store_id.as_str(),
                    batch.coupon_id.as_str(),
                    batch.channel.as_ref().map(|channel| channel.as_str()),
                    format.random_length,
                    format.prefix,
                    format.suffix,
                    format.group_size,
                    format.alphabet,
                    format.check_character == StoredCheckCharacter::Appended,
                    batch.created_at.to_string(),
                ],
            )
            .map_err(|error| self.sql_error(error))?;
        Ok(self.transaction.last_insert_rowid())
    }

    /// Adds normalised codes to a batch, reporting each code that another batch already holds.
    ///
    /// Codes are unique across every store; a code already taken is left out and reported, so the
    /// caller can make another one. The codes given must be distinct from each other. Returns how
    /// many were added.
    pub fn add_codes<'c>(
        &mut self,
        batch_id: i64,
        codes: impl IntoIterator<Item = &'c str>,
        mut on_taken: impl FnMut(&'c str),
    ) -> Result<u64, StoreError> {
        let path = self.path;
        let in_context = |error| StoreError::from_sqlite(path, error);
        let mut many = self
            .transaction
            .prepare_cached(&insert_codes_sql(CODES_PER_STATEMENT))
            .map_err(in_context)?;
        let mut one = self.transaction.prepare_cached(&insert_codes_sql(1)).map_err(in_context)?;
        let mut owner = self
            .transaction
            .prepare_cached("SELECT batch_id FROM codes WHERE code = ?1")
            .map_err(in_context)?;
        let mut added = 0_u64;
        let mut chunk: Vec<&'c str> = Vec::with_capacity(CODES_PER_STATEMENT);
        let mut codes = codes.into_iter().peekable();
        while codes.peek().is_some() {
            chunk.clear();
            chunk.extend(codes.by_ref().take(CODES_PER_STATEMENT));
            // Many rows per statement: one trip through SQLite's machinery for the whole chunk.
            let changed = if chunk.len() == CODES_PER_STATEMENT {
                let parameters = chunk.iter().flat_map(|code| {
                    [code as &dyn rusqlite::ToSql, &batch_id as &dyn rusqlite::ToSql]
                });
                many.execute(rusqlite::params_from_iter(parameters)).map_err(in_context)?
            } else {
                let mut changed = 0;
                for code in &chunk {
                    changed += one.execute(params![code, batch_id]).map_err(in_context)?;
                }
                changed
            };
            added += changed as u64;
            if changed < chunk.len() {
                // Rare: find which codes of the chunk belong to someone else.
                for code in &chunk {
                    let holder: i64 =
                        owner.query_row(params![code], |row| row.get(0)).map_err(in_context)?;
                    if holder != batch_id {
                        on_taken(code);
                    }
                }
            }
        }
        Ok(added)
    }

    /// Records how many codes the batch ended up with.
    pub fn set_batch_code_count(
        &mut self,
        batch_id: i64,
        code_count: u64,
    ) -> Result<(), StoreError> {
        self.transaction
            .execute(
                "UPDATE code_batches SET code_count = ?2 WHERE batch_id = ?1",
                params![batch_id, i64::try_from(code_count).unwrap_or(i64::MAX)],
            )
            .map_err(|error| self.sql_error(error))?;
        Ok(())
    }

    /// Sets the buyer-side status of one of the store's codes, which it took at `changed_at`.
    pub fn set_code_status(
        &mut self,
        store_id: &StoreId,
        code: &str,
        status: CouponStatus,
        changed_at: Timestamp,
    ) -> Result<(), StoreError> {
        let changed = self
            .transaction
            .execute(
                "UPDATE codes SET status = ?3, status_changed_at = ?4 WHERE code = ?2 AND batch_id IN \
                   (SELECT batch_id FROM code_batches WHERE store_id = ?1)",
                params![store_id.as_str(), code, status.as_str(), changed_at.to_string()],
            )
            .map_err(|error| self.sql_error(error))?;
        if changed == 0 {
            return Err(StoreError::NotFound { what: format!("code {code} of store {store_id}") });
        }
        Ok(())
    }

    /// Records an export and marks its batches as exported.
    #[allow(clippy::too_many_arguments)]
    pub fn record_export(
        &mut self,
        store_id: &StoreId,
        coupon_id: &CouponId,
        path: &str,
        filter: &ExportFilter,
        batch_ids: &[i64],
        byte_order_mark: ByteOrderMark,
        row_count: u64,
        exported_at: Timestamp,
    ) -> Result<i64, StoreError> {
        self.transaction
            .execute(
                "INSERT INTO exports (store_id, coupon_id, path, channel_filter, batch_filter, \
                   status_filter, byte_order_mark, row_count, exported_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    store_id.as_str(),
                    coupon_id.as_str(),
                    path,
                    filter.channel.as_ref().map(|channel| channel.as_str()),
                    filter.batch_id,
                    filter.status.map(|status| status.as_str()),
                    byte_order_mark == ByteOrderMark::Present,
                    i64::try_from(row_count).unwrap_or(i64::MAX),
                    exported_at.to_string(),
                ],
            )
            .map_err(|error| self.sql_error(error))?;
        let export_id = self.transaction.last_insert_rowid();
        let mut statement = self
            .transaction
            .prepare_cached(
                "UPDATE code_batches SET first_exported_at = ?3 \
                 WHERE batch_id = ?1 AND store_id = ?2 AND first_exported_at IS NULL",
            )
            .map_err(|error| StoreError::from_sqlite(self.path, error))?;
        for batch_id in batch_ids {
            statement
                .execute(params![batch_id, store_id.as_str(), exported_at.to_string()])
                .map_err(|error| StoreError::from_sqlite(self.path, error))?;
        }
        Ok(export_id)
    }

    /// What an export recorded before it wrote its file finally wrote.
    pub fn finish_export(&mut self, export_id: i64, count: ExportCount) -> Result<(), StoreError> {
        self.execute(
            "UPDATE exports SET row_count = ?2, left_out = ?3 WHERE export_id = ?1",
            params![
                export_id,
                i64::try_from(count.rows).unwrap_or(i64::MAX),
                i64::try_from(count.left_out).unwrap_or(i64::MAX)
            ],
        )?;
        Ok(())
    }

    /// Forgets an export that wrote no file (cancelled, or its file could not be written), with
    /// the marks it put on batches exported for the first time: nothing of it left the desk. A
    /// desk stopped in the middle of an export never gets here, and its batches stay marked.
    pub fn forget_export(
        &mut self,
        export_id: i64,
        batch_ids: &[i64],
        exported_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.execute("DELETE FROM exports WHERE export_id = ?1", params![export_id])?;
        for batch_id in batch_ids {
            self.execute(
                "UPDATE code_batches SET first_exported_at = NULL \
                 WHERE batch_id = ?1 AND first_exported_at = ?2",
                params![batch_id, exported_at.to_string()],
            )?;
        }
        Ok(())
    }

    /// Queues a change for the platform, in the same transaction as the change.
    pub fn enqueue(&mut self, entry: &OutboxEntry) -> Result<(), StoreError> {
        self.transaction
            .execute(
                "INSERT INTO outbox (store_id, mutation_id, kind, subject_id, payload, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    entry.store_id.as_str(),
                    entry.mutation_id,
                    entry.kind,
                    entry.subject_id,
                    entry.payload,
                    entry.created_at.to_string(),
                ],
            )
            .map_err(|error| self.sql_error(error))?;
        Ok(())
    }
}

/// How many codes one insert statement carries (two parameters each, far below SQLite's limit).
const CODES_PER_STATEMENT: usize = 256;

fn insert_codes_sql(rows: usize) -> String {
    let values = vec!["(?, ?)"; rows].join(", ");
    format!("INSERT INTO codes (code, batch_id) VALUES {values} ON CONFLICT (code) DO NOTHING")
}

/// Minor units as SQLite stores them. Coupon amounts are bounded far below `i64::MAX`.
/// A count as its column holds it (checked non-negative by the schema).
/// A coupon's row, in the order of the columns `insert_coupon` names (`?1` to `?14`).
fn coupon_columns(coupon: &CouponRecord) -> [Value; 14] {
    let terms = &coupon.terms;
    [
        Value::from(coupon.coupon_id.as_str().to_owned()),
        Value::from(coupon.store_id.as_str().to_owned()),
        Value::from(terms.title().to_owned()),
        Value::from(minor_units(terms.discount().minor_units())),
        Value::from(minor_units(terms.min_purchase().minor_units())),
        Value::from(terms.valid_from().to_string()),
        Value::from(terms.valid_to().to_string()),
        Value::from(terms.quantity()),
        Value::from(coupon.state.as_str().to_owned()),
        Value::from(coupon.rejection_reason.clone()),
        Value::from(coupon.created_at.to_string()),
        Value::from(coupon.updated_at.to_string()),
        Value::from(count_column(coupon.platform_counts.claimed)),
        Value::from(count_column(coupon.platform_counts.codes)),
    ]
}

fn count_column(count: Option<u64>) -> Option<i64> {
    count.map(|count| i64::try_from(count).unwrap_or(i64::MAX))
}

pub(crate) fn minor_units(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use sellerdesk_core::money::Currency;
    use sellerdesk_core::seller_coupon::{CouponState, SellerCouponRequest};

    use super::*;
    use crate::Store;
    use crate::records::StoredCodeFormat;

    fn now() -> Timestamp {
        "2026-11-24T12:00:00Z".parse().unwrap()
    }

    /// The database may not grow: SQLite then fails as on a disk with no room left
    /// (`SQLITE_FULL`), and the change must be said to be that, with nothing of it written.
    #[test]
    fn a_full_disk_is_called_that_and_nothing_of_the_change_is_written() {
        let directory = tempfile::tempdir().unwrap();
        let store = Store::open(&directory.path().join("desk.db")).unwrap();
        let usd = Currency::from_code("USD").unwrap();
        let store_id = StoreId::parse("store", "S1").unwrap();
        let coupon_id = CouponId::parse("coupon", "C1").unwrap();
        let terms = SellerCouponRequest {
            title: "Full disk".into(),
            currency: usd,
            discount: usd.parse_amount("3.00").unwrap(),
            min_purchase: usd.parse_amount("20.00").unwrap(),
            valid_from: "2026-11-25T00:00:00Z".parse().unwrap(),
            valid_to: "2026-12-25T00:00:00Z".parse().unwrap(),
            quantity: 1_000_000,
        }
        .validate(now())
        .unwrap();
        let batch_id = store
            .write(|writer| {
                writer.add_store(&StoreRecord {
                    store_id: store_id.clone(),
                    name: "S1".into(),
                    currency: usd,
                    created_at: now(),
                })?;
                writer.insert_coupon(&CouponRecord {
                    coupon_id: coupon_id.clone(),
                    store_id: store_id.clone(),
                    terms,
                    state: CouponState::Pending,
                    rejection_reason: None,
                    platform_counts: Default::default(),
                    created_at: now(),
                    updated_at: now(),
                })?;
                writer.insert_code_batch(&NewCodeBatch {
                    store_id: store_id.clone(),
                    coupon_id: coupon_id.clone(),
                    channel: None,
                    format: StoredCodeFormat {
                        random_length: 12,
                        prefix: String::new(),
                        suffix: String::new(),
                        group_size: None,
                        alphabet: "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".into(),
                        check_character: StoredCheckCharacter::None,
                    },
                    created_at: now(),
                })
            })
            .unwrap();
        store
            .write(|writer| {
                let pages: i64 = writer
                    .transaction
                    .query_row("PRAGMA page_count", [], |row| row.get(0))
                    .map_err(|error| writer.sql_error(error))?;
                writer
                    .transaction
                    .query_row(&format!("PRAGMA max_page_count = {}", pages + 2), [], |_| Ok(()))
                    .map_err(|error| writer.sql_error(error))
            })
            .unwrap();

        let codes: Vec<String> = (0..50_000).map(|n| format!("CODE{n:08}")).collect();
        let error = store
            .write(|writer| writer.add_codes(batch_id, codes.iter().map(String::as_str), |_| {}))
            .unwrap_err();
        assert!(matches!(error, StoreError::DiskFull { .. }), "{error:?}");
        assert!(
            error.to_string().contains("is full; nothing of this change was written"),
            "{error}"
        );
        let kept = store.read(|reader| reader.batch_codes_after(batch_id, None, 10)).unwrap();
        assert!(kept.is_empty(), "the batch's codes are all there or none: {kept:?}");
    }
}
