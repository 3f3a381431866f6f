//! Reads. Every one names a store: nothing of one store is visible from another.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::Path;

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params};
use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::{Channel, CouponId, StoreId};
use sellerdesk_core::money::{Currency, Money};
use sellerdesk_core::seller_coupon::{CouponState, SellerCouponRequest, SellerCouponTerms};
use sellerdesk_core::status::CouponStatus;

use crate::error::StoreError;
use crate::records::{
    ByteOrderMark, CodeBatchRecord, CodeCounts, CodeLookup, CodeStatusFilter, CouponRecord,
    ExportCount, ExportFilter, ExportRecord, ExportRow, PlatformCounts, StoreRecord,
    StoredCheckCharacter, StoredCodeFormat,
};

/// Read access inside one transaction (a read snapshot, or the writer's own transaction).
#[derive(Debug)]
pub struct Reader<'a> {
    pub(crate) connection: &'a Connection,
    pub(crate) path: &'a Path,
}

const COUPON_COLUMNS: &str = "c.coupon_id, c.store_id, c.title, s.currency, c.discount_minor, \
     c.min_purchase_minor, c.valid_from, c.valid_to, c.quantity, c.state, c.rejection_reason, \
     c.created_at, c.updated_at, c.claimed_on_platform, c.codes_on_platform";

const BATCH_COLUMNS: &str = "batch_id, store_id, coupon_id, channel, code_count, random_length, \
     prefix, suffix, group_size, alphabet, check_character, created_at, first_exported_at";

impl<'a> Reader<'a> {
    pub(crate) fn new(connection: &'a Connection, path: &'a Path) -> Reader<'a> {
        Reader { connection, path }
    }

    pub(crate) fn sql_error(&self, error: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(self.path, error)
    }

    pub(crate) fn unreadable(&self, message: String) -> StoreError {
        unreadable(self.path, message)
    }

    pub fn stores(&self) -> Result<Vec<StoreRecord>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT store_id, name, currency, created_at FROM stores ORDER BY store_id",
            )
            .map_err(|error| self.sql_error(error))?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })
            .map_err(|error| self.sql_error(error))?;
        let mut stores = Vec::new();
        for row in rows {
            let (store_id, name, currency, created_at) =
                row.map_err(|error| self.sql_error(error))?;
            stores.push(StoreRecord {
                store_id: self.store_id(&store_id)?,
                name,
                currency: self.currency(&currency)?,
                created_at: self.timestamp(&created_at)?,
            });
        }
        Ok(stores)
    }

    pub fn store(&self, store_id: &StoreId) -> Result<StoreRecord, StoreError> {
        self.stores()?
            .into_iter()
            .find(|store| &store.store_id == store_id)
            .ok_or_else(|| StoreError::NotFound { what: format!("store {store_id}") })
    }

    pub fn coupons(&self, store_id: &StoreId) -> Result<Vec<CouponRecord>, StoreError> {
        let sql = format!(
            "SELECT {COUPON_COLUMNS} FROM seller_coupons c JOIN stores s USING (store_id) \
             WHERE c.store_id = ?1 ORDER BY c.created_at, c.coupon_id"
        );
        let mut statement =
            self.connection.prepare_cached(&sql).map_err(|error| self.sql_error(error))?;
        let rows = statement
            .query_map(params![store_id.as_str()], raw_coupon)
            .map_err(|error| self.sql_error(error))?;
        let mut coupons = Vec::new();
        for row in rows {
            coupons.push(self.coupon_record(row.map_err(|error| self.sql_error(error))?)?);
        }
        Ok(coupons)
    }

    pub fn coupon(
        &self,
        store_id: &StoreId,
        coupon_id: &CouponId,
    ) -> Result<CouponRecord, StoreError> {
        let sql = format!(
            "SELECT {COUPON_COLUMNS} FROM seller_coupons c JOIN stores s USING (store_id) \
             WHERE c.store_id = ?1 AND c.coupon_id = ?2"
        );
        let mut statement =
            self.connection.prepare_cached(&sql).map_err(|error| self.sql_error(error))?;
        let raw = statement
            .query_row(params![store_id.as_str(), coupon_id.as_str()], raw_coupon)
            .optional()
            .map_err(|error| self.sql_error(error))?
            .ok_or_else(|| StoreError::NotFound {
                what: format!("coupon {coupon_id} of store {store_id}"),
            })?;
        self.coupon_record(raw)
    }

    /// Code counts of every coupon of the store that has codes.
    pub fn code_counts(
        &self,
        store_id: &StoreId,
    ) -> Result<HashMap<CouponId, CodeCounts>, StoreError> {
        let mut counts: HashMap<CouponId, CodeCounts> = HashMap::new();
        let mut generated = self
            .connection
            .prepare_cached(
                "SELECT coupon_id, code_count, first_exported_at IS NOT NULL FROM code_batches \
                 WHERE store_id = ?1",
            )
            .map_err(|error| self.sql_error(error))?;
        let rows = generated
            .query_map(params![store_id.as_str()], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?, row.get::<_, bool>(2)?))
            })
            .map_err(|error| self.sql_error(error))?;
        for row in rows {
            let (coupon_id, code_count, exported) = row.map_err(|error| self.sql_error(error))?;
            let code_count = u64::try_from(code_count).unwrap_or_default();
            counts.entry(self.coupon_id(&coupon_id)?).or_default().add_batch(code_count, exported);
        }
        let mut claimed = self
            .connection
            .prepare_cached(
                "SELECT b.coupon_id, k.status, count(*) FROM code_batches b \
                 JOIN codes k ON k.batch_id = b.batch_id AND k.status IS NOT NULL \
                 WHERE b.store_id = ?1 GROUP BY b.coupon_id, k.status",
            )
            .map_err(|error| self.sql_error(error))?;
        let rows = claimed
            .query_map(params![store_id.as_str()], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, i64>(2)?))
            })
            .map_err(|error| self.sql_error(error))?;
        for row in rows {
            let (coupon_id, status, count) = row.map_err(|error| self.sql_error(error))?;
            let count = u64::try_from(count).unwrap_or_default();
            let entry = counts.entry(self.coupon_id(&coupon_id)?).or_default();
            match self.status(Some(status))? {
                Some(status) => entry.add_claimed(status, count),
                None => entry.claimed += count,
            }
        }
        Ok(counts)
    }

    pub fn code_batches(
        &self,
        store_id: &StoreId,
        coupon_id: &CouponId,
    ) -> Result<Vec<CodeBatchRecord>, StoreError> {
        let sql = format!(
            "SELECT {BATCH_COLUMNS} FROM code_batches WHERE store_id = ?1 AND coupon_id = ?2 ORDER BY batch_id"
        );
        let mut statement =
            self.connection.prepare_cached(&sql).map_err(|error| self.sql_error(error))?;
        let rows = statement
            .query_map(params![store_id.as_str(), coupon_id.as_str()], raw_batch)
            .map_err(|error| self.sql_error(error))?;
        let mut batches = Vec::new();
        for row in rows {
            batches.push(self.batch_record(row.map_err(|error| self.sql_error(error))?)?);
        }
        Ok(batches)
    }

    /// How many codes of the coupon exist, in every batch.
    pub fn code_count(&self, store_id: &StoreId, coupon_id: &CouponId) -> Result<u64, StoreError> {
        let total: i64 = self
            .connection
            .prepare_cached(
                "SELECT coalesce(sum(code_count), 0) FROM code_batches WHERE store_id = ?1 AND coupon_id = ?2",
            )
            .and_then(|mut statement| {
                statement.query_row(params![store_id.as_str(), coupon_id.as_str()], |row| row.get(0))
            })
            .map_err(|error| self.sql_error(error))?;
        Ok(u64::try_from(total).unwrap_or_default())
    }

    /// How many live codes (unclaimed, valid, inactive or pending) share a code space, across
    /// every store: a guess in that space could hit any of them.
    pub fn live_codes_in_space(&self, format: &StoredCodeFormat) -> Result<u64, StoreError> {
        let total: i64 = self
            .connection
            .prepare_cached(
                "SELECT count(*) FROM codes k JOIN code_batches b USING (batch_id) \
                 WHERE b.random_length = ?1 AND b.prefix = ?2 AND b.suffix = ?3 AND b.alphabet = ?4 \
                   AND b.check_character = ?5 \
                   AND (k.status IS NULL OR k.status IN ('valid', 'inactive', 'pending'))",
            )
            .and_then(|mut statement| {
                statement.query_row(
                    params![
                        format.random_length,
                        format.prefix,
                        format.suffix,
                        format.alphabet,
                        format.check_character == StoredCheckCharacter::Appended
                    ],
                    |row| row.get(0),
                )
            })
            .map_err(|error| self.sql_error(error))?;
        Ok(u64::try_from(total).unwrap_or_default())
    }

    /// Finds a normalised code among the store's codes.
    pub fn find_code(
        &self,
        store_id: &StoreId,
        code: &str,
    ) -> Result<Option<CodeLookup>, StoreError> {
        let sql = format!(
            "SELECT k.code, k.status, k.status_changed_at, {} FROM codes k \
             JOIN code_batches b USING (batch_id) WHERE k.code = ?1 AND b.store_id = ?2",
            BATCH_COLUMNS
                .split(", ")
                .map(|column| format!("b.{column}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut statement =
            self.connection.prepare_cached(&sql).map_err(|error| self.sql_error(error))?;
        let found = statement
            .query_row(params![code, store_id.as_str()], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    raw_batch_at(row, 3)?,
                ))
            })
            .optional()
            .map_err(|error| self.sql_error(error))?;
        let Some((code, status, status_changed_at, raw_batch)) = found else { return Ok(None) };
        let batch = self.batch_record(raw_batch)?;
        Ok(Some(CodeLookup {
            code,
            coupon_id: batch.coupon_id,
            batch_id: batch.batch_id,
            channel: batch.channel,
            format: batch.format,
            status: self.status(status)?,
            status_changed_at: status_changed_at.map(|text| self.timestamp(&text)).transpose()?,
        }))
    }

    /// Batches of the coupon that an export with `filter` takes codes from.
    pub fn export_batches(
        &self,
        store_id: &StoreId,
        coupon_id: &CouponId,
        filter: &ExportFilter,
    ) -> Result<Vec<CodeBatchRecord>, StoreError> {
        Ok(self
            .code_batches(store_id, coupon_id)?
            .into_iter()
            .filter(|batch| {
                filter
                    .channel
                    .as_ref()
                    .is_none_or(|channel| batch.channel.as_ref() == Some(channel))
            })
            .filter(|batch| filter.batch_id.is_none_or(|id| batch.batch_id == id))
            .collect())
    }

    /// How many codes an export with `filter` would write, and how many of the chosen batches'
    /// codes it leaves out because the platform refused them (they never went up).
    pub fn count_export_rows(
        &self,
        store_id: &StoreId,
        coupon_id: &CouponId,
        filter: &ExportFilter,
    ) -> Result<ExportCount, StoreError> {
        let batches = self.export_batches(store_id, coupon_id, filter)?;
        let mut count = ExportCount::default();
        let mut all = self
            .connection
            .prepare_cached(&format!(
                "SELECT count(*) FROM codes WHERE batch_id = ?1 AND {}",
                status_condition(filter.status)
            ))
            .map_err(|error| self.sql_error(error))?;
        let mut kept = self
            .connection
            .prepare_cached(&format!(
                "SELECT count(*) FROM codes WHERE batch_id = ?1 AND {} AND {WENT_UP}",
                status_condition(filter.status)
            ))
            .map_err(|error| self.sql_error(error))?;
        let status = status_parameter(filter.status);
        for batch in &batches {
            let of_batch = if filter.status.is_none() {
                batch.code_count
            } else {
                let total: i64 = all
                    .query_row(params![batch.batch_id, status], |row| row.get(0))
                    .map_err(|error| self.sql_error(error))?;
                u64::try_from(total).unwrap_or_default()
            };
            let went_up = match self.refused_upload(batch.batch_id)? {
                None => of_batch,
                Some(refused) => {
                    let total: i64 = kept
                        .query_row(
                            params![batch.batch_id, status, refused.sequence, refused.last_code],
                            |row| row.get(0),
                        )
                        .map_err(|error| self.sql_error(error))?;
                    u64::try_from(total).unwrap_or_default()
                }
            };
            count.rows += went_up;
            count.left_out += of_batch.saturating_sub(went_up);
        }
        Ok(count)
    }

    /// Streams the codes an export with `filter` takes, batch by batch, in code order, until
    /// `visit` says to stop. Memory stays constant whatever the number of codes. The codes of a
    /// batch the platform refused that never went up are left out: no buyer could redeem them.
    pub fn for_each_export_row(
        &self,
        batches: &[CodeBatchRecord],
        status: Option<CodeStatusFilter>,
        mut visit: impl FnMut(ExportRow<'_>) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>, StoreError> {
        let sql = format!(
            "SELECT code, status FROM codes WHERE batch_id = ?1 AND {} AND {WENT_UP} \
             ORDER BY batch_id, code",
            status_condition(status)
        );
        let mut statement =
            self.connection.prepare_cached(&sql).map_err(|error| self.sql_error(error))?;
        for batch in batches {
            let refused = self.refused_upload(batch.batch_id)?;
            let (sequence, last_code) =
                refused.map_or((None, None), |refused| (Some(refused.sequence), refused.last_code));
            let mut rows = statement
                .query(params![batch.batch_id, status_parameter(status), sequence, last_code])
                .map_err(|error| self.sql_error(error))?;
            while let Some(row) = rows.next().map_err(|error| self.sql_error(error))? {
                let code = row
                    .get_ref(0)
                    .and_then(|value| Ok(value.as_str()?))
                    .map_err(|error| self.sql_error(error))?;
                let status =
                    match row.get_ref(1).map_err(|error| self.sql_error(error))?.as_str_or_null() {
                        Ok(Some(text)) => Some(
                            text.parse::<CouponStatus>()
                                .map_err(|error| self.unreadable(error.to_string()))?,
                        ),
                        Ok(None) => None,
                        Err(error) => return Err(self.unreadable(error.to_string())),
                    };
                if visit(ExportRow { code, batch_id: batch.batch_id, status }).is_break() {
                    return Ok(ControlFlow::Break(()));
                }
            }
        }
        Ok(ControlFlow::Continue(()))
    }

    pub fn exports(
        &self,
        store_id: &StoreId,
        coupon_id: &CouponId,
    ) -> Result<Vec<ExportRecord>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT export_id, path, channel_filter, batch_filter, status_filter, byte_order_mark, \
                   row_count, exported_at, left_out FROM exports WHERE store_id = ?1 AND coupon_id = ?2 \
                 ORDER BY exported_at, export_id",
            )
            .map_err(|error| self.sql_error(error))?;
        let rows = statement
            .query_map(params![store_id.as_str(), coupon_id.as_str()], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<i64>>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, bool>(5)?,
                    row.get::<_, i64>(6)?,
                    row.get::<_, String>(7)?,
                    row.get::<_, i64>(8)?,
                ))
            })
            .map_err(|error| self.sql_error(error))?;
        let mut exports = Vec::new();
        for row in rows {
            let (export_id, path, channel, batch_id, status, bom, row_count, exported_at, left_out) =
                row.map_err(|error| self.sql_error(error))?;
            exports.push(ExportRecord {
                export_id,
                store_id: store_id.clone(),
                coupon_id: coupon_id.clone(),
                path,
                filter: ExportFilter {
                    channel: channel.map(|text| self.channel(&text)).transpose()?,
                    batch_id,
                    status: status
                        .map(|text| {
                            CodeStatusFilter::parse(&text).ok_or_else(|| {
                                self.unreadable(format!("export status filter {text}"))
                            })
                        })
                        .transpose()?,
                },
                byte_order_mark: if bom { ByteOrderMark::Present } else { ByteOrderMark::Absent },
                row_count: u64::try_from(row_count).unwrap_or_default(),
                left_out: u64::try_from(left_out).unwrap_or_default(),
                exported_at: self.timestamp(&exported_at)?,
            });
        }
        Ok(exports)
    }

    fn coupon_record(&self, raw: RawCoupon) -> Result<CouponRecord, StoreError> {
        let currency = self.currency(&raw.currency)?;
        let money = |minor: i64| Money::from_minor_units(currency, i128::from(minor));
        let terms = SellerCouponTerms::restore(SellerCouponRequest {
            title: raw.title,
            currency,
            discount: money(raw.discount_minor),
            min_purchase: money(raw.min_purchase_minor),
            valid_from: self.timestamp(&raw.valid_from)?,
            valid_to: self.timestamp(&raw.valid_to)?,
            quantity: raw.quantity,
        })
        .map_err(|error| self.unreadable(format!("coupon {}: {error}", raw.coupon_id)))?;
        Ok(CouponRecord {
            coupon_id: self.coupon_id(&raw.coupon_id)?,
            store_id: self.store_id(&raw.store_id)?,
            terms,
            state: CouponState::parse(&raw.state)
                .ok_or_else(|| self.unreadable(format!("coupon state {}", raw.state)))?,
            rejection_reason: raw.rejection_reason,
            platform_counts: PlatformCounts {
                claimed: self.count("claimed_on_platform", raw.claimed_on_platform)?,
                codes: self.count("codes_on_platform", raw.codes_on_platform)?,
            },
            created_at: self.timestamp(&raw.created_at)?,
            updated_at: self.timestamp(&raw.updated_at)?,
        })
    }

    fn batch_record(&self, raw: RawBatch) -> Result<CodeBatchRecord, StoreError> {
        Ok(CodeBatchRecord {
            batch_id: raw.batch_id,
            store_id: self.store_id(&raw.store_id)?,
            coupon_id: self.coupon_id(&raw.coupon_id)?,
            channel: raw.channel.map(|text| self.channel(&text)).transpose()?,
            code_count: u64::try_from(raw.code_count).unwrap_or_default(),
            format: StoredCodeFormat {
                random_length: raw.random_length,
                prefix: raw.prefix,
                suffix: raw.suffix,
                group_size: raw.group_size,
                alphabet: raw.alphabet,
                check_character: if raw.check_character {
                    StoredCheckCharacter::Appended
                } else {
                    StoredCheckCharacter::None
                },
            },
            created_at: self.timestamp(&raw.created_at)?,
            first_exported_at: raw
                .first_exported_at
                .map(|text| self.timestamp(&text))
                .transpose()?,
        })
    }

    /// A count column read back: never negative.
    fn count(&self, column: &str, value: Option<i64>) -> Result<Option<u64>, StoreError> {
        value
            .map(|count| {
                u64::try_from(count).map_err(|_| self.unreadable(format!("{column} {count}")))
            })
            .transpose()
    }

    pub(crate) fn timestamp(&self, text: &str) -> Result<Timestamp, StoreError> {
        parse_timestamp(self.path, text)
    }

    fn currency(&self, code: &str) -> Result<Currency, StoreError> {
        Currency::from_code(code).map_err(|error| self.unreadable(error.to_string()))
    }

    fn store_id(&self, text: &str) -> Result<StoreId, StoreError> {
        StoreId::parse("store_id", text).map_err(|error| self.unreadable(error.to_string()))
    }

    fn coupon_id(&self, text: &str) -> Result<CouponId, StoreError> {
        CouponId::parse("coupon_id", text).map_err(|error| self.unreadable(error.to_string()))
    }

    pub(crate) fn channel(&self, text: &str) -> Result<Channel, StoreError> {
        Channel::parse("channel", text).map_err(|error| self.unreadable(error.to_string()))
    }

    pub(crate) fn status(&self, text: Option<String>) -> Result<Option<CouponStatus>, StoreError> {
        text.map(|text| {
            text.parse().map_err(|error: sellerdesk_core::status::UnknownStatus| {
                self.unreadable(error.to_string())
            })
        })
        .transpose()
    }
}

/// Whether a code went up, or will: true unless its batch's upload was refused (`?3`, the refused
/// entry's sequence, is set) and the code lies past the last chunk the platform took (`?4`, in
/// code order) or is a replacement that never went up.
const WENT_UP: &str = "NOT (?3 IS NOT NULL AND ((?4 IS NULL OR code > ?4) \
     OR code IN (SELECT code FROM code_reuploads WHERE sequence = ?3)))";

fn status_condition(status: Option<CodeStatusFilter>) -> &'static str {
    match status {
        None => "?2 IS NULL",
        Some(CodeStatusFilter::Unclaimed) => "status IS NULL AND ?2 IS NULL",
        Some(CodeStatusFilter::Claimed(_)) => "status = ?2",
    }
}

fn status_parameter(status: Option<CodeStatusFilter>) -> SqlValue {
    match status {
        Some(CodeStatusFilter::Claimed(status)) => SqlValue::Text(status.as_str().to_owned()),
        None | Some(CodeStatusFilter::Unclaimed) => SqlValue::Null,
    }
}

struct RawCoupon {
    coupon_id: String,
    store_id: String,
    title: String,
    currency: String,
    discount_minor: i64,
    min_purchase_minor: i64,
    valid_from: String,
    valid_to: String,
    quantity: u32,
    state: String,
    rejection_reason: Option<String>,
    created_at: String,
    updated_at: String,
    claimed_on_platform: Option<i64>,
    codes_on_platform: Option<i64>,
}

fn raw_coupon(row: &Row<'_>) -> rusqlite::Result<RawCoupon> {
    Ok(RawCoupon {
        coupon_id: row.get(0)?,
        store_id: row.get(1)?,
        title: row.get(2)?,
        currency: row.get(3)?,
        discount_minor: row.get(4)?,
        min_purchase_minor: row.get(5)?,
        valid_from: row.get(6)?,
        valid_to: row.get(7)?,
        quantity: row.get(8)?,
        state: row.get(9)?,
        rejection_reason: row.get(10)?,
        created_at: row.get(11)?,
        updated_at: row.get(12)?,
        claimed_on_platform: row.get(13)?,
        codes_on_platform: row.get(14)?,
    })
}

struct RawBatch {
    batch_id: i64,
    store_id: String,
    coupon_id: String,
    channel: Option<String>,
    code_count: i64,
    random_length: u32,
    prefix: String,
    suffix: String,
    group_size: Option<u32>,
    alphabet: String,
    check_character: bool,
    created_at: String,
    first_exported_at: Option<String>,
}

fn raw_batch(row: &Row<'_>) -> rusqlite::Result<RawBatch> {
    raw_batch_at(row, 0)
}

fn raw_batch_at(row: &Row<'_>, first: usize) -> rusqlite::Result<RawBatch> {
    Ok(RawBatch {
        batch_id: row.get(first)?,
        store_id: row.get(first + 1)?,
        coupon_id: row.get(first + 2)?,
        channel: row.get(first + 3)?,
        code_count: row.get(first + 4)?,
        random_length: row.get(first + 5)?,
        prefix: row.get(first + 6)?,
        suffix: row.get(first + 7)?,
        group_size: row.get(first + 8)?,
        alphabet: row.get(first + 9)?,
        check_character: row.get(first + 10)?,
        created_at: row.get(first + 11)?,
        first_exported_at: row.get(first + 12)?,
    })
}

/// A value read back from the database that does not hold what its column should.
pub(crate) fn unreadable(path: &Path, message: String) -> StoreError {
    StoreError::UnreadableValue { path: path.to_owned(), message }
}

pub(crate) fn parse_timestamp(path: &Path, text: &str) -> Result<Timestamp, StoreError> {
    text.parse().map_err(|_| unreadable(path, format!("time \"{text}\"")))
}

pub(crate) fn parse_coupon_id(path: &Path, text: &str) -> Result<CouponId, StoreError> {
    CouponId::parse("coupon_id", text).map_err(|error| unreadable(path, error.to_string()))
}
