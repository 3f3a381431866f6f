//! Synchronisation with the platform, as the database sees it: the outbox read in order and marked
//! sent or rejected, the upload progress of code batches, codes to withdraw, pulled changes applied
//! together with their feed's cursor, buyers' refund requests with the seller's decisions, and each
//! store's sync status.
//!
//! The store knows no platform and no rules: the sync engine (`sellerdesk-platform`) decides, and
//! these methods write what it decided, each inside the caller's one transaction. Every method
//! names a store, or an outbox entry that belongs to one.

use std::path::Path;

use rusqlite::{OptionalExtension, params};
use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::{CouponId, StoreId};
use sellerdesk_core::seller_coupon::{CouponState, SellerCouponTerms};
use sellerdesk_core::status::CouponStatus;

use crate::error::StoreError;
use crate::reader::Reader;
use crate::records::{CouponRecord, OutboxEntry};
use crate::writer::{CodeInsertion, Writer, minor_units};

/// What an outbox entry asks the platform to do, as `outbox.kind` files it. The change itself is
/// the platform crate's (`sellerdesk_platform::change::OutboxChange`); the store keeps its payload
/// as text and reads nothing of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxKind {
    CreateCoupon,
    StopCoupon,
    UpdateCouponTitle,
    UploadCodeBatch,
    DecideRefund,
}

impl OutboxKind {
    pub const ALL: [OutboxKind; 5] = [
        OutboxKind::CreateCoupon,
        OutboxKind::StopCoupon,
        OutboxKind::UpdateCouponTitle,
        OutboxKind::UploadCodeBatch,
        OutboxKind::DecideRefund,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxKind::CreateCoupon => "create_coupon",
            OutboxKind::StopCoupon => "stop_coupon",
            OutboxKind::UpdateCouponTitle => "update_coupon_title",
            OutboxKind::UploadCodeBatch => "upload_code_batch",
            OutboxKind::DecideRefund => "decide_refund",
        }
    }

    pub fn parse(text: &str) -> Option<OutboxKind> {
        OutboxKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// Whether the entry's subject is a coupon (then `subject_id` is the coupon's id).
    pub fn concerns_coupon(self) -> bool {
        match self {
            OutboxKind::CreateCoupon | OutboxKind::StopCoupon | OutboxKind::UpdateCouponTitle => {
                true
            }
            OutboxKind::UploadCodeBatch | OutboxKind::DecideRefund => false,
        }
    }
}

/// Where an outbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxState {
    /// Not yet acknowledged by the platform.
    Pending,
    /// The platform applied it.
    Sent,
    /// The platform refused it; the entry keeps the platform's code and message.
    Rejected,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Sent => "sent",
            OutboxState::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<OutboxState> {
        [OutboxState::Pending, OutboxState::Sent, OutboxState::Rejected]
            .into_iter()
            .find(|state| state.as_str() == text)
    }
}

/// One outbox entry as the database holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    /// The order in which entries were written, and so the order in which they are sent.
    pub sequence: i64,
    pub store_id: StoreId,
    pub mutation_id: String,
    /// The kind as written; see [`OutboxRecord::known_kind`].
    pub kind: String,
    pub subject_id: String,
    pub payload: String,
    pub state: OutboxState,
    /// How many tries to send the entry failed (a refusal included).
    pub attempts: u32,
    /// The last failure, or the platform's message when the entry was rejected.
    pub last_error: Option<String>,
    /// The platform's refusal code (such as `rule_violation`) when the entry was rejected.
    pub rejection_code: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

impl OutboxRecord {
    /// The kind, when this build knows it.
    pub fn known_kind(&self) -> Option<OutboxKind> {
        OutboxKind::parse(&self.kind)
    }
}

/// A refusal from the platform, kept with the refused entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformRefusal {
    /// The platform's refusal code, such as `rule_violation` or `not_found`.
    pub code: String,
    /// The platform's message, in words a seller can read.
    pub message: String,
}

/// Whether a write changed something, or found that someone else already had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Made,
    /// The row was no longer in the state the write expected (another process got there first).
    AlreadyMade,
}

/// How far the upload of a batch's codes got.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CodeUploadProgress {
    /// The index of the next chunk to send.
    pub next_chunk: u32,
    /// The last code of the ordered pass that the platform has; `None` before the first chunk.
    pub last_code: Option<String>,
    pub accepted: u64,
    pub regenerated: u64,
    pub withdrawn: u64,
}

/// Which codes a chunk of an upload carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeChunkSource<'a> {
    /// The next codes of the batch in code order; the chunk ended with `last_code`.
    OrderedPass { last_code: &'a str },
    /// Replacement codes queued with [`Writer::queue_code_reupload`]; these are now up.
    Reuploads { codes: &'a [String] },
}

/// What one acknowledged chunk of an upload changes in its progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeChunkAdvance<'a> {
    /// The chunk that was acknowledged: progress advances only if it is still the next one.
    pub chunk_index: u32,
    pub source: CodeChunkSource<'a>,
    pub accepted: u64,
    pub regenerated: u64,
    pub withdrawn: u64,
}

/// A code of an exported batch that another seller holds on the platform: the seller must
/// withdraw it from wherever the batch went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawnCode {
    pub code: String,
    pub coupon_id: CouponId,
    pub batch_id: i64,
    pub reported_at: Timestamp,
}

/// The feeds read from the platform, each with its own cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncStream {
    Coupons,
    Codes,
    Refunds,
}

impl SyncStream {
    pub const ALL: [SyncStream; 3] = [SyncStream::Coupons, SyncStream::Codes, SyncStream::Refunds];

    pub fn as_str(self) -> &'static str {
        match self {
            SyncStream::Coupons => "coupons",
            SyncStream::Codes => "codes",
            SyncStream::Refunds => "refunds",
        }
    }

    pub fn parse(text: &str) -> Option<SyncStream> {
        SyncStream::ALL.into_iter().find(|stream| stream.as_str() == text)
    }
}

/// A coupon as the platform's feed describes it, already checked and typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingCoupon {
    pub coupon_id: CouponId,
    pub terms: SellerCouponTerms,
    /// Published, rejected or stopped.
    pub state: CouponState,
    pub reason: Option<String>,
}

/// A code's buyer-side status as the platform's feed describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingCodeStatus {
    /// Normalised.
    pub code: String,
    pub coupon_id: CouponId,
    pub status: CouponStatus,
    /// When the code took this status, as the platform says.
    pub changed_at: Timestamp,
}

/// A seller's answer to a buyer's refund request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefundDecision {
    Approve,
    Refuse,
}

impl RefundDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            RefundDecision::Approve => "approve",
            RefundDecision::Refuse => "refuse",
        }
    }

    pub fn parse(text: &str) -> Option<RefundDecision> {
        [RefundDecision::Approve, RefundDecision::Refuse]
            .into_iter()
            .find(|decision| decision.as_str() == text)
    }
}

/// A buyer's refund request as the platform's feed describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingRefundRequest {
    pub request_id: String,
    /// The refund preview's input (PREVIEW-1) as JSON, so that Seller Desk can preview it.
    pub preview_input: String,
    pub requested_at: Timestamp,
    pub decision: Option<RefundDecision>,
    pub decided_at: Option<Timestamp>,
}

/// Where the upload of a seller's refund decision stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionUpload {
    Pending,
    Sent,
    /// The platform refused the decision, for this reason.
    Rejected {
        reason: String,
    },
}

/// A decision a seller made in Seller Desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerRefundDecision {
    pub decision: RefundDecision,
    pub decided_at: Timestamp,
    pub upload: DecisionUpload,
}

/// A buyer's refund request with what the platform and the seller decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequestRecord {
    pub store_id: StoreId,
    pub request_id: String,
    /// The refund preview's input as JSON.
    pub preview_input: String,
    pub requested_at: Timestamp,
    /// The decision as the platform knows it.
    pub decision: Option<RefundDecision>,
    pub decided_at: Option<Timestamp>,
    /// A decision made here, with its upload.
    pub seller_decision: Option<SellerRefundDecision>,
    pub received_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What applying one pulled change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppliedChange {
    /// Written (inserted or updated; writing the same change again changes nothing more).
    Applied,
    /// Left alone: a local change to the same thing is still waiting to reach the platform, and
    /// the platform will report the result of that change later.
    KeptLocal,
    /// Left alone: nothing of this store matches it (such as a code this database never had).
    Unknown,
}

/// Whether the last sync attempt reached the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reachability {
    Online,
    Offline,
}

/// How a sync attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    Succeeded,
    Failed { message: String },
}

/// Where synchronisation of one store stands, as any process can read it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncStatus {
    /// Whether the last attempt reached the platform.
    pub online: bool,
    /// Local changes that have not reached the platform yet.
    pub pending_changes: u64,
    /// Local changes the platform refused; each keeps its reason.
    pub rejected_changes: u64,
    pub last_attempt_at: Option<Timestamp>,
    pub last_successful_sync: Option<Timestamp>,
    /// What went wrong in the last attempt; `None` when it succeeded.
    pub last_error: Option<String>,
    /// Items of the platform's feeds this desk could not use, each with why.
    pub set_aside: Vec<SetAsideItem>,
}

/// An item of a platform's feed set aside: which feed, what it names (a coupon id, a code, a
/// request id), why it could not be used, and when it was last seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAsideItem {
    pub stream: SyncStream,
    pub item: String,
    pub reason: String,
    pub seen_at: Timestamp,
}

const OUTBOX_COLUMNS: &str = "sequence, store_id, mutation_id, kind, subject_id, payload, state, \
     attempts, last_error, rejection_code, created_at, finished_at";

impl Reader<'_> {
    fn sync_sql_error(&self, error: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(self.path, error)
    }

    /// The store's outbox entries in `state`, in the order they were written.
    pub fn outbox_entries(
        &self,
        store_id: &StoreId,
        state: OutboxState,
    ) -> Result<Vec<OutboxRecord>, StoreError> {
        let sql = format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE store_id = ?1 AND state = ?2 ORDER BY sequence"
        );
        let mut statement =
            self.connection.prepare_cached(&sql).map_err(|error| self.sync_sql_error(error))?;
        let rows = statement
            .query_map(params![store_id.as_str(), state.as_str()], raw_outbox)
            .map_err(|error| self.sync_sql_error(error))?;
        let mut entries = Vec::new();
        for row in rows {
            let raw = row.map_err(|error| self.sync_sql_error(error))?;
            entries.push(outbox_record(self.path, raw)?);
        }
        Ok(entries)
    }

    /// One of the store's outbox entries.
    pub fn outbox_entry(
        &self,
        store_id: &StoreId,
        sequence: i64,
    ) -> Result<OutboxRecord, StoreError> {
        let sql =
            format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE store_id = ?1 AND sequence = ?2");
        let raw = self
            .connection
            .prepare_cached(&sql)
            .and_then(|mut statement| {
                statement.query_row(params![store_id.as_str(), sequence], raw_outbox).optional()
            })
            .map_err(|error| self.sync_sql_error(error))?
            .ok_or_else(|| StoreError::NotFound {
                what: format!("outbox entry {sequence} of store {store_id}"),
            })?;
        outbox_record(self.path, raw)
    }

    /// How many of the store's outbox entries are in `state`.
    pub fn outbox_count(&self, store_id: &StoreId, state: OutboxState) -> Result<u64, StoreError> {
        let count: i64 = self
            .connection
            .prepare_cached("SELECT count(*) FROM outbox WHERE store_id = ?1 AND state = ?2")
            .and_then(|mut statement| {
                statement.query_row(params![store_id.as_str(), state.as_str()], |row| row.get(0))
            })
            .map_err(|error| self.sync_sql_error(error))?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    /// Whether a change to the coupon is still waiting in the outbox.
    pub fn has_pending_coupon_changes(
        &self,
        store_id: &StoreId,
        coupon_id: &CouponId,
    ) -> Result<bool, StoreError> {
        let coupon_kinds: Vec<String> = OutboxKind::ALL
            .into_iter()
            .filter(|kind| kind.concerns_coupon())
            .map(|kind| format!("'{}'", kind.as_str()))
            .collect();
        self.connection
            .prepare_cached(&format!(
                "SELECT EXISTS (SELECT 1 FROM outbox WHERE store_id = ?1 AND subject_id = ?2 \
                   AND state = 'pending' AND kind IN ({}))",
                coupon_kinds.join(", ")
            ))
            .and_then(|mut statement| {
                statement
                    .query_row(params![store_id.as_str(), coupon_id.as_str()], |row| row.get(0))
            })
            .map_err(|error| self.sync_sql_error(error))
    }

    /// How far the upload of the codes of outbox entry `sequence` got.
    pub fn code_upload_progress(&self, sequence: i64) -> Result<CodeUploadProgress, StoreError> {
        let found = self
            .connection
            .prepare_cached(
                "SELECT next_chunk, last_code, accepted, regenerated, withdrawn FROM code_uploads \
                 WHERE sequence = ?1",
            )
            .and_then(|mut statement| {
                statement
                    .query_row(params![sequence], |row| {
                        Ok((
                            row.get::<_, i64>(0)?,
                            row.get::<_, Option<String>>(1)?,
                            row.get::<_, i64>(2)?,
                            row.get::<_, i64>(3)?,
                            row.get::<_, i64>(4)?,
                        ))
                    })
                    .optional()
            })
            .map_err(|error| self.sync_sql_error(error))?;
        let Some((next_chunk, last_code, accepted, regenerated, withdrawn)) = found else {
            return Ok(CodeUploadProgress::default());
        };
        Ok(CodeUploadProgress {
            next_chunk: u32::try_from(next_chunk).map_err(|_| StoreError::UnreadableValue {
                path: self.path.to_owned(),
                message: format!("chunk index {next_chunk}"),
            })?,
            last_code,
            accepted: u64::try_from(accepted).unwrap_or_default(),
            regenerated: u64::try_from(regenerated).unwrap_or_default(),
            withdrawn: u64::try_from(withdrawn).unwrap_or_default(),
        })
    }

    /// Up to `limit` codes of the batch that sort after `after` (all when `None`), in code order.
    pub fn batch_codes_after(
        &self,
        batch_id: i64,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT code FROM codes WHERE batch_id = ?1 AND (?2 IS NULL OR code > ?2) \
                 ORDER BY code LIMIT ?3",
            )
            .map_err(|error| self.sync_sql_error(error))?;
        let rows = statement
            .query_map(params![batch_id, after, i64::try_from(limit).unwrap_or(i64::MAX)], |row| {
                row.get::<_, String>(0)
            })
            .map_err(|error| self.sync_sql_error(error))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|error| self.sync_sql_error(error))
    }

    /// Up to `limit` replacement codes of outbox entry `sequence` still to upload, in code order.
    pub fn code_reuploads(&self, sequence: i64, limit: usize) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT code FROM code_reuploads WHERE sequence = ?1 ORDER BY code LIMIT ?2",
            )
            .map_err(|error| self.sync_sql_error(error))?;
        let rows = statement
            .query_map(params![sequence, i64::try_from(limit).unwrap_or(i64::MAX)], |row| {
                row.get::<_, String>(0)
            })
            .map_err(|error| self.sync_sql_error(error))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|error| self.sync_sql_error(error))
    }

    /// The codes the seller must withdraw, by coupon and code.
    pub fn withdrawn_codes(&self, store_id: &StoreId) -> Result<Vec<WithdrawnCode>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT code, coupon_id, batch_id, reported_at FROM withdrawn_codes \
                 WHERE store_id = ?1 ORDER BY coupon_id, code",
            )
            .map_err(|error| self.sync_sql_error(error))?;
        let rows = statement
            .query_map(params![store_id.as_str()], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })
            .map_err(|error| self.sync_sql_error(error))?;
        let mut codes = Vec::new();
        for row in rows {
            let (code, coupon_id, batch_id, reported_at) =
                row.map_err(|error| self.sync_sql_error(error))?;
            codes.push(WithdrawnCode {
                code,
                coupon_id: parse_coupon_id(self.path, &coupon_id)?,
                batch_id,
                reported_at: parse_timestamp(self.path, &reported_at)?,
            });
        }
        Ok(codes)
    }

    /// The store's refund requests, oldest first.
    pub fn refund_requests(
        &self,
        store_id: &StoreId,
    ) -> Result<Vec<RefundRequestRecord>, StoreError> {
        let sql = format!(
            "SELECT {REFUND_COLUMNS} FROM refund_requests WHERE store_id = ?1 \
             ORDER BY requested_at, request_id"
        );
        let mut statement =
            self.connection.prepare_cached(&sql).map_err(|error| self.sync_sql_error(error))?;
        let rows = statement
            .query_map(params![store_id.as_str()], raw_refund)
            .map_err(|error| self.sync_sql_error(error))?;
        let mut requests = Vec::new();
        for row in rows {
            let raw = row.map_err(|error| self.sync_sql_error(error))?;
            requests.push(refund_record(self.path, raw)?);
        }
        Ok(requests)
    }

    /// One of the store's refund requests.
    pub fn refund_request(
        &self,
        store_id: &StoreId,
        request_id: &str,
    ) -> Result<RefundRequestRecord, StoreError> {
        let sql = format!(
            "SELECT {REFUND_COLUMNS} FROM refund_requests WHERE store_id = ?1 AND request_id = ?2"
        );
        let raw = self
            .connection
            .prepare_cached(&sql)
            .and_then(|mut statement| {
                statement.query_row(params![store_id.as_str(), request_id], raw_refund).optional()
            })
            .map_err(|error| self.sync_sql_error(error))?
            .ok_or_else(|| StoreError::NotFound {
                what: format!("refund request {request_id} of store {store_id}"),
            })?;
        refund_record(self.path, raw)
    }

    /// The cursor to pass to the feed next time; `None` to read it from the start.
    pub fn sync_cursor(
        &self,
        store_id: &StoreId,
        stream: SyncStream,
    ) -> Result<Option<String>, StoreError> {
        let cursor: Option<Option<String>> = self
            .connection
            .prepare_cached("SELECT cursor FROM sync_state WHERE store_id = ?1 AND stream = ?2")
            .and_then(|mut statement| {
                statement
                    .query_row(params![store_id.as_str(), stream.as_str()], |row| row.get(0))
                    .optional()
            })
            .map_err(|error| self.sync_sql_error(error))?;
        Ok(cursor.flatten())
    }

    /// Where synchronisation of the store stands.
    pub fn sync_status(&self, store_id: &StoreId) -> Result<SyncStatus, StoreError> {
        let found = self
            .connection
            .prepare_cached(
                "SELECT online, last_attempt_at, last_successful_sync, last_error FROM sync_status \
                 WHERE store_id = ?1",
            )
            .and_then(|mut statement| {
                statement
                    .query_row(params![store_id.as_str()], |row| {
                        Ok((
                            row.get::<_, bool>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, Option<String>>(2)?,
                            row.get::<_, Option<String>>(3)?,
                        ))
                    })
                    .optional()
            })
            .map_err(|error| self.sync_sql_error(error))?;
        let mut status = SyncStatus {
            pending_changes: self.outbox_count(store_id, OutboxState::Pending)?,
            rejected_changes: self.outbox_count(store_id, OutboxState::Rejected)?,
            ..SyncStatus::default()
        };
        if let Some((online, last_attempt_at, last_successful_sync, last_error)) = found {
            status.online = online;
            status.last_attempt_at = Some(parse_timestamp(self.path, &last_attempt_at)?);
            status.last_successful_sync =
                last_successful_sync.map(|text| parse_timestamp(self.path, &text)).transpose()?;
            status.last_error = last_error;
        }
        status.set_aside = self.set_aside_items(store_id)?;
        Ok(status)
    }

    /// The store's set-aside feed items, by feed and item.
    pub fn set_aside_items(&self, store_id: &StoreId) -> Result<Vec<SetAsideItem>, StoreError> {
        let rows = self
            .connection
            .prepare_cached(
                "SELECT stream, item, reason, seen_at FROM set_aside_items WHERE store_id = ?1 \
                 ORDER BY stream, item",
            )
            .and_then(|mut statement| {
                statement
                    .query_map(params![store_id.as_str()], |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, String>(3)?,
                        ))
                    })?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|error| self.sync_sql_error(error))?;
        rows.into_iter()
            .map(|(stream, item, reason, seen_at)| {
                let stream = SyncStream::parse(&stream).ok_or_else(|| {
                    unreadable(self.path, format!("set_aside_items.stream {stream:?}"))
                })?;
                Ok(SetAsideItem {
                    stream,
                    item,
                    reason,
                    seen_at: parse_timestamp(self.path, &seen_at)?,
                })
            })
            .collect()
    }
}

impl Writer<'_> {
    fn sync_sql_error(&self, error: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(self.path, error)
    }

    fn execute_sync(
        &self,
        sql: &str,
        parameters: impl rusqlite::Params,
    ) -> Result<usize, StoreError> {
        self.transaction
            .prepare_cached(sql)
            .and_then(|mut statement| statement.execute(parameters))
            .map_err(|error| self.sync_sql_error(error))
    }

    /// Sets a feed item aside with why it cannot be used (replacing what was said of it before).
    pub fn set_aside(
        &mut self,
        store_id: &StoreId,
        stream: SyncStream,
        item: &str,
        reason: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.execute_sync(
            "INSERT INTO set_aside_items (store_id, stream, item, reason, seen_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (store_id, stream, item) \
             DO UPDATE SET reason = excluded.reason, seen_at = excluded.seen_at",
            params![store_id.as_str(), stream.as_str(), item, reason, now.to_string()],
        )?;
        Ok(())
    }

    /// A feed item that came usable is no longer set aside.
    pub fn clear_set_aside(
        &mut self,
        store_id: &StoreId,
        stream: SyncStream,
        item: &str,
    ) -> Result<(), StoreError> {
        self.execute_sync(
            "DELETE FROM set_aside_items WHERE store_id = ?1 AND stream = ?2 AND item = ?3",
            params![store_id.as_str(), stream.as_str(), item],
        )?;
        Ok(())
    }

    /// Marks a pending entry as applied by the platform.
    pub fn mark_outbox_sent(
        &mut self,
        sequence: i64,
        now: Timestamp,
    ) -> Result<Transition, StoreError> {
        let changed = self.execute_sync(
            "UPDATE outbox SET state = 'sent', last_error = NULL, finished_at = ?2 \
             WHERE sequence = ?1 AND state = 'pending'",
            params![sequence, now.to_string()],
        )?;
        Ok(transition(changed))
    }

    /// Marks a pending entry as refused by the platform, keeping the platform's code and message
    /// so that the seller is shown why.
    pub fn mark_outbox_rejected(
        &mut self,
        sequence: i64,
        refusal: &PlatformRefusal,
        now: Timestamp,
    ) -> Result<Transition, StoreError> {
        let changed = self.execute_sync(
            "UPDATE outbox SET state = 'rejected', attempts = attempts + 1, last_error = ?2, \
               rejection_code = ?3, finished_at = ?4 WHERE sequence = ?1 AND state = 'pending'",
            params![sequence, refusal.message, refusal.code, now.to_string()],
        )?;
        Ok(transition(changed))
    }

    /// Records a failed attempt to send a pending entry; the entry stays pending.
    pub fn record_outbox_failure(
        &mut self,
        sequence: i64,
        message: &str,
    ) -> Result<(), StoreError> {
        self.execute_sync(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?2 \
             WHERE sequence = ?1 AND state = 'pending'",
            params![sequence, message],
        )?;
        Ok(())
    }

    /// Records why a pending entry was not sent at all (it stays pending, its attempts unchanged).
    pub fn hold_outbox_entry(&mut self, sequence: i64, message: &str) -> Result<(), StoreError> {
        self.execute_sync(
            "UPDATE outbox SET last_error = ?2 WHERE sequence = ?1 AND state = 'pending'",
            params![sequence, message],
        )?;
        Ok(())
    }

    /// A pending coupon that the platform accepted becomes published. A coupon that is no longer
    /// pending (stopped meanwhile, say) keeps its state.
    pub fn publish_pending_coupon(
        &mut self,
        store_id: &StoreId,
        coupon_id: &CouponId,
        now: Timestamp,
    ) -> Result<Transition, StoreError> {
        let changed = self.execute_sync(
            "UPDATE seller_coupons SET state = 'published', rejection_reason = NULL, updated_at = ?3 \
             WHERE store_id = ?1 AND coupon_id = ?2 AND state = 'pending'",
            params![store_id.as_str(), coupon_id.as_str(), now.to_string()],
        )?;
        Ok(transition(changed))
    }

    /// A pending coupon that the platform refused becomes rejected, with the platform's reason.
    pub fn reject_pending_coupon(
        &mut self,
        store_id: &StoreId,
        coupon_id: &CouponId,
        reason: &str,
        now: Timestamp,
    ) -> Result<Transition, StoreError> {
        let changed = self.execute_sync(
            "UPDATE seller_coupons SET state = 'rejected', rejection_reason = ?3, updated_at = ?4 \
             WHERE store_id = ?1 AND coupon_id = ?2 AND state = 'pending'",
            params![store_id.as_str(), coupon_id.as_str(), reason, now.to_string()],
        )?;
        Ok(transition(changed))
    }

    /// Advances the upload progress of outbox entry `sequence` past an acknowledged chunk, unless
    /// another process already did (then nothing changes and [`Transition::AlreadyMade`] says so).
    pub fn advance_code_upload(
        &mut self,
        sequence: i64,
        advance: &CodeChunkAdvance<'_>,
    ) -> Result<Transition, StoreError> {
        let current = self.reader().code_upload_progress(sequence)?;
        if current.next_chunk != advance.chunk_index {
            return Ok(Transition::AlreadyMade);
        }
        let last_code = match advance.source {
            CodeChunkSource::OrderedPass { last_code } => Some(last_code.to_owned()),
            CodeChunkSource::Reuploads { codes } => {
                for code in codes {
                    self.execute_sync(
                        "DELETE FROM code_reuploads WHERE sequence = ?1 AND code = ?2",
                        params![sequence, code],
                    )?;
                }
                current.last_code
            }
        };
        let count = |value: u64| i64::try_from(value).unwrap_or(i64::MAX);
        self.execute_sync(
            "INSERT INTO code_uploads (sequence, next_chunk, last_code, accepted, regenerated, withdrawn) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (sequence) DO UPDATE SET next_chunk = excluded.next_chunk, \
               last_code = excluded.last_code, accepted = accepted + excluded.accepted, \
               regenerated = regenerated + excluded.regenerated, \
               withdrawn = withdrawn + excluded.withdrawn",
            params![
                sequence,
                i64::from(advance.chunk_index) + 1,
                last_code,
                count(advance.accepted),
                count(advance.regenerated),
                count(advance.withdrawn),
            ],
        )?;
        Ok(Transition::Made)
    }

    /// Replaces a code of a batch with a new one (a code that the platform said another seller
    /// holds). Reports [`CodeInsertion::AlreadyTaken`], changing nothing, when the new code is
    /// already in the database; the caller then makes another one.
    pub fn replace_code(
        &mut self,
        batch_id: i64,
        old_code: &str,
        new_code: &str,
    ) -> Result<CodeInsertion, StoreError> {
        let added = self.execute_sync(
            "INSERT INTO codes (code, batch_id) VALUES (?1, ?2) ON CONFLICT (code) DO NOTHING",
            params![new_code, batch_id],
        )?;
        if added == 0 {
            return Ok(CodeInsertion::AlreadyTaken);
        }
        let removed = self.execute_sync(
            "DELETE FROM codes WHERE code = ?1 AND batch_id = ?2",
            params![old_code, batch_id],
        )?;
        if removed == 0 {
            return Err(StoreError::NotFound {
                what: format!("code {old_code} of batch {batch_id}"),
            });
        }
        Ok(CodeInsertion::Added)
    }

    /// Queues a replacement code of outbox entry `sequence` for upload after the ordered pass.
    pub fn queue_code_reupload(&mut self, sequence: i64, code: &str) -> Result<(), StoreError> {
        self.execute_sync(
            "INSERT INTO code_reuploads (sequence, code) VALUES (?1, ?2) \
             ON CONFLICT (sequence, code) DO NOTHING",
            params![sequence, code],
        )?;
        Ok(())
    }

    /// Records that the seller must withdraw one of the store's codes.
    pub fn record_withdrawn_code(
        &mut self,
        store_id: &StoreId,
        code: &str,
        now: Timestamp,
    ) -> Result<Transition, StoreError> {
        let found: Option<(i64, String)> = self
            .transaction
            .prepare_cached(
                "SELECT b.batch_id, b.coupon_id FROM codes k JOIN code_batches b USING (batch_id) \
                 WHERE k.code = ?1 AND b.store_id = ?2",
            )
            .and_then(|mut statement| {
                statement
                    .query_row(params![code, store_id.as_str()], |row| {
                        Ok((row.get(0)?, row.get(1)?))
                    })
                    .optional()
            })
            .map_err(|error| self.sync_sql_error(error))?;
        let Some((batch_id, coupon_id)) = found else {
            return Err(StoreError::NotFound { what: format!("code {code} of store {store_id}") });
        };
        let added = self.execute_sync(
            "INSERT INTO withdrawn_codes (code, store_id, coupon_id, batch_id, reported_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (code) DO NOTHING",
            params![code, store_id.as_str(), coupon_id, batch_id, now.to_string()],
        )?;
        Ok(transition(added))
    }

    /// Sets the cursor of one of the store's feeds. Call it in the transaction that applied the
    /// page, so that the cursor never passes changes that were not applied.
    pub fn set_sync_cursor(
        &mut self,
        store_id: &StoreId,
        stream: SyncStream,
        cursor: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.execute_sync(
            "INSERT INTO sync_state (store_id, stream, cursor, updated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (store_id, stream) DO UPDATE SET cursor = excluded.cursor, \
               updated_at = excluded.updated_at",
            params![store_id.as_str(), stream.as_str(), cursor, now.to_string()],
        )?;
        Ok(())
    }

    /// Applies a coupon as the platform describes it: unknown coupons are added, known ones take
    /// the platform's terms, state and reason, unless a local change to them is still waiting in
    /// the outbox (then the local coupon wins until the platform has that change).
    pub fn apply_coupon_change(
        &mut self,
        store_id: &StoreId,
        incoming: &IncomingCoupon,
        now: Timestamp,
    ) -> Result<AppliedChange, StoreError> {
        let existing = match self.reader().coupon(store_id, &incoming.coupon_id) {
            Ok(coupon) => Some(coupon),
            Err(StoreError::NotFound { .. }) => None,
            Err(error) => return Err(error),
        };
        let Some(mut coupon) = existing else {
            self.insert_coupon(&CouponRecord {
                coupon_id: incoming.coupon_id.clone(),
                store_id: store_id.clone(),
                terms: incoming.terms.clone(),
                state: incoming.state,
                rejection_reason: incoming.reason.clone(),
                created_at: now,
                updated_at: now,
            })?;
            self.adopt_matching_draft(store_id, incoming)?;
            return Ok(AppliedChange::Applied);
        };
        if self.reader().has_pending_coupon_changes(store_id, &incoming.coupon_id)? {
            return Ok(AppliedChange::KeptLocal);
        }
        if coupon.terms == incoming.terms
            && coupon.state == incoming.state
            && coupon.rejection_reason == incoming.reason
        {
            return Ok(AppliedChange::Applied);
        }
        coupon.terms = incoming.terms.clone();
        coupon.state = incoming.state;
        coupon.rejection_reason = incoming.reason.clone();
        coupon.updated_at = now;
        self.update_coupon(&coupon)?;
        Ok(AppliedChange::Applied)
    }

    /// A draft the seller made on this desk for a platform whose API creates no coupon, then
    /// entered on the platform by hand, is the coupon that just came down: the oldest draft of
    /// the store with its title (ignoring case and outer spaces), discount, minimum and quantity
    /// gives it its code batches and exports, and goes.
    fn adopt_matching_draft(
        &mut self,
        store_id: &StoreId,
        incoming: &IncomingCoupon,
    ) -> Result<(), StoreError> {
        let terms = &incoming.terms;
        let draft: Option<String> = self
            .transaction
            .query_row(
                "SELECT coupon_id FROM seller_coupons \
                 WHERE store_id = ?1 AND state = 'draft' AND coupon_id <> ?2 \
                   AND lower(trim(title)) = lower(trim(?3)) AND discount_minor = ?4 \
                   AND min_purchase_minor = ?5 AND quantity = ?6 \
                 ORDER BY created_at, coupon_id LIMIT 1",
                params![
                    store_id.as_str(),
                    incoming.coupon_id.as_str(),
                    terms.title(),
                    minor_units(terms.discount().minor_units()),
                    minor_units(terms.min_purchase().minor_units()),
                    terms.quantity(),
                ],
                |row| row.get(0),
            )
            .optional()
            .map_err(|error| self.sync_sql_error(error))?;
        let Some(draft) = draft else { return Ok(()) };
        for table in ["code_batches", "exports"] {
            self.execute_sync(
                &format!(
                    "UPDATE {table} SET coupon_id = ?3 WHERE store_id = ?1 AND coupon_id = ?2"
                ),
                params![store_id.as_str(), draft, incoming.coupon_id.as_str()],
            )?;
        }
        self.execute_sync(
            "DELETE FROM seller_coupons WHERE store_id = ?1 AND coupon_id = ?2",
            params![store_id.as_str(), draft],
        )?;
        Ok(())
    }

    /// Sets the buyer-side status of one of the store's codes, and when it took it, as the
    /// platform reports it. The feed's order decides: the last change applied is the one kept.
    pub fn apply_code_status(
        &mut self,
        store_id: &StoreId,
        incoming: &IncomingCodeStatus,
    ) -> Result<AppliedChange, StoreError> {
        let changed = self.execute_sync(
            "UPDATE codes SET status = ?4, status_changed_at = ?5 WHERE code = ?1 AND batch_id IN \
               (SELECT batch_id FROM code_batches WHERE store_id = ?2 AND coupon_id = ?3)",
            params![
                incoming.code,
                store_id.as_str(),
                incoming.coupon_id.as_str(),
                incoming.status.as_str(),
                incoming.changed_at.to_string()
            ],
        )?;
        Ok(if changed == 0 { AppliedChange::Unknown } else { AppliedChange::Applied })
    }

    /// Adds or updates a buyer's refund request as the platform reports it. A decision the seller
    /// made here is kept beside the platform's.
    pub fn apply_refund_request(
        &mut self,
        store_id: &StoreId,
        incoming: &IncomingRefundRequest,
        now: Timestamp,
    ) -> Result<AppliedChange, StoreError> {
        self.execute_sync(
            "INSERT INTO refund_requests (store_id, request_id, preview_input, requested_at, \
               decision, decided_at, received_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) \
             ON CONFLICT (store_id, request_id) DO UPDATE SET \
               preview_input = excluded.preview_input, requested_at = excluded.requested_at, \
               decision = excluded.decision, decided_at = excluded.decided_at, \
               updated_at = excluded.updated_at",
            params![
                store_id.as_str(),
                incoming.request_id,
                incoming.preview_input,
                incoming.requested_at.to_string(),
                incoming.decision.map(RefundDecision::as_str),
                incoming.decided_at.map(|at| at.to_string()),
                now.to_string(),
            ],
        )?;
        Ok(AppliedChange::Applied)
    }

    /// Records a seller's decision on a refund request and queues `change`, the outbox entry
    /// that takes it to the platform, in this one transaction.
    ///
    /// Refused with [`StoreError::AlreadyExists`] when the request is decided already (on the
    /// platform, or here with a decision still on its way or sent); a decision the platform
    /// refused may be replaced.
    pub fn record_refund_decision(
        &mut self,
        store_id: &StoreId,
        request_id: &str,
        decision: RefundDecision,
        change: &OutboxEntry,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let request = self.reader().refund_request(store_id, request_id)?;
        let decided_here = request.seller_decision.as_ref().is_some_and(|seller| {
            matches!(seller.upload, DecisionUpload::Pending | DecisionUpload::Sent)
        });
        if request.decision.is_some() || decided_here {
            return Err(StoreError::AlreadyExists {
                what: format!("a decision on refund request {request_id} of store {store_id}"),
            });
        }
        self.execute_sync(
            "UPDATE refund_requests SET seller_decision = ?3, seller_decided_at = ?4, \
               seller_decision_state = 'pending', seller_decision_rejection = NULL, updated_at = ?4 \
             WHERE store_id = ?1 AND request_id = ?2",
            params![store_id.as_str(), request_id, decision.as_str(), now.to_string()],
        )?;
        self.enqueue(change)
    }

    /// The platform applied the seller's decision at `decided_at`.
    pub fn mark_refund_decision_sent(
        &mut self,
        store_id: &StoreId,
        request_id: &str,
        decision: RefundDecision,
        decided_at: Timestamp,
        now: Timestamp,
    ) -> Result<Transition, StoreError> {
        let changed = self.execute_sync(
            "UPDATE refund_requests SET seller_decision_state = 'sent', decision = ?3, \
               decided_at = ?4, updated_at = ?5 \
             WHERE store_id = ?1 AND request_id = ?2 AND seller_decision_state = 'pending'",
            params![
                store_id.as_str(),
                request_id,
                decision.as_str(),
                decided_at.to_string(),
                now.to_string()
            ],
        )?;
        Ok(transition(changed))
    }

    /// The platform refused the seller's decision, for `reason`.
    pub fn mark_refund_decision_rejected(
        &mut self,
        store_id: &StoreId,
        request_id: &str,
        reason: &str,
        now: Timestamp,
    ) -> Result<Transition, StoreError> {
        let changed = self.execute_sync(
            "UPDATE refund_requests SET seller_decision_state = 'rejected', \
               seller_decision_rejection = ?3, updated_at = ?4 \
             WHERE store_id = ?1 AND request_id = ?2 AND seller_decision_state = 'pending'",
            params![store_id.as_str(), request_id, reason, now.to_string()],
        )?;
        Ok(transition(changed))
    }

    /// Records how a sync attempt of the store ended.
    pub fn record_sync_attempt(
        &mut self,
        store_id: &StoreId,
        reachability: Reachability,
        outcome: &SyncOutcome,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let (succeeded_at, error) = match outcome {
            SyncOutcome::Succeeded => (Some(now.to_string()), None),
            SyncOutcome::Failed { message } => (None, Some(message.as_str())),
        };
        self.execute_sync(
            "INSERT INTO sync_status (store_id, online, last_attempt_at, last_successful_sync, last_error) \
             VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (store_id) DO UPDATE SET online = excluded.online, \
               last_attempt_at = excluded.last_attempt_at, \
               last_successful_sync = coalesce(excluded.last_successful_sync, last_successful_sync), \
               last_error = excluded.last_error",
            params![
                store_id.as_str(),
                reachability == Reachability::Online,
                now.to_string(),
                succeeded_at,
                error
            ],
        )?;
        Ok(())
    }
}

fn transition(changed: usize) -> Transition {
    if changed == 0 { Transition::AlreadyMade } else { Transition::Made }
}

fn unreadable(path: &Path, message: String) -> StoreError {
    StoreError::UnreadableValue { path: path.to_owned(), message }
}

fn parse_timestamp(path: &Path, text: &str) -> Result<Timestamp, StoreError> {
    text.parse().map_err(|_| unreadable(path, format!("time \"{text}\"")))
}

fn parse_coupon_id(path: &Path, text: &str) -> Result<CouponId, StoreError> {
    CouponId::parse("coupon_id", text).map_err(|error| unreadable(path, error.to_string()))
}

struct RawOutbox {
    sequence: i64,
    store_id: String,
    mutation_id: String,
    kind: String,
    subject_id: String,
    payload: String,
    state: String,
    attempts: i64,
    last_error: Option<String>,
    rejection_code: Option<String>,
    created_at: String,
    finished_at: Option<String>,
}

fn raw_outbox(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawOutbox> {
    Ok(RawOutbox {
        sequence: row.get(0)?,
        store_id: row.get(1)?,
        mutation_id: row.get(2)?,
        kind: row.get(3)?,
        subject_id: row.get(4)?,
        payload: row.get(5)?,
        state: row.get(6)?,
        attempts: row.get(7)?,
        last_error: row.get(8)?,
        rejection_code: row.get(9)?,
        created_at: row.get(10)?,
        finished_at: row.get(11)?,
    })
}

fn outbox_record(path: &Path, raw: RawOutbox) -> Result<OutboxRecord, StoreError> {
    Ok(OutboxRecord {
        sequence: raw.sequence,
        store_id: StoreId::parse("store_id", &raw.store_id)
            .map_err(|error| unreadable(path, error.to_string()))?,
        mutation_id: raw.mutation_id,
        kind: raw.kind,
        subject_id: raw.subject_id,
        payload: raw.payload,
        state: OutboxState::parse(&raw.state)
            .ok_or_else(|| unreadable(path, format!("outbox state {}", raw.state)))?,
        attempts: u32::try_from(raw.attempts).unwrap_or(u32::MAX),
        last_error: raw.last_error,
        rejection_code: raw.rejection_code,
        created_at: parse_timestamp(path, &raw.created_at)?,
        finished_at: raw.finished_at.map(|text| parse_timestamp(path, &text)).transpose()?,
    })
}

const REFUND_COLUMNS: &str = "store_id, request_id, preview_input, requested_at, decision, \
     decided_at, seller_decision, seller_decided_at, seller_decision_state, \
     seller_decision_rejection, received_at, updated_at";

struct RawRefund {
    store_id: String,
    request_id: String,
    preview_input: String,
    requested_at: String,
    decision: Option<String>,
    decided_at: Option<String>,
    seller_decision: Option<String>,
    seller_decided_at: Option<String>,
    seller_decision_state: Option<String>,
    seller_decision_rejection: Option<String>,
    received_at: String,
    updated_at: String,
}

fn raw_refund(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawRefund> {
    Ok(RawRefund {
        store_id: row.get(0)?,
        request_id: row.get(1)?,
        preview_input: row.get(2)?,
        requested_at: row.get(3)?,
        decision: row.get(4)?,
        decided_at: row.get(5)?,
        seller_decision: row.get(6)?,
        seller_decided_at: row.get(7)?,
        seller_decision_state: row.get(8)?,
        seller_decision_rejection: row.get(9)?,
        received_at: row.get(10)?,
        updated_at: row.get(11)?,
    })
}

fn refund_record(path: &Path, raw: RawRefund) -> Result<RefundRequestRecord, StoreError> {
    let decision = |text: &str| {
        RefundDecision::parse(text)
            .ok_or_else(|| unreadable(path, format!("refund decision {text}")))
    };
    let seller_decision = match (raw.seller_decision, raw.seller_decision_state) {
        (Some(seller), Some(state)) => Some(SellerRefundDecision {
            decision: decision(&seller)?,
            decided_at: parse_timestamp(path, raw.seller_decided_at.as_deref().unwrap_or(""))?,
            upload: match state.as_str() {
                "pending" => DecisionUpload::Pending,
                "sent" => DecisionUpload::Sent,
                "rejected" => DecisionUpload::Rejected {
                    reason: raw.seller_decision_rejection.unwrap_or_default(),
                },
                other => return Err(unreadable(path, format!("decision upload state {other}"))),
            },
        }),
        _ => None,
    };
    Ok(RefundRequestRecord {
        store_id: StoreId::parse("store_id", &raw.store_id)
            .map_err(|error| unreadable(path, error.to_string()))?,
        request_id: raw.request_id,
        preview_input: raw.preview_input,
        requested_at: parse_timestamp(path, &raw.requested_at)?,
        decision: raw.decision.as_deref().map(decision).transpose()?,
        decided_at: raw.decided_at.map(|text| parse_timestamp(path, &text)).transpose()?,
        seller_decision,
        received_at: parse_timestamp(path, &raw.received_at)?,
        updated_at: parse_timestamp(path, &raw.updated_at)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_states_round_trip() {
        for kind in OutboxKind::ALL {
            assert_eq!(OutboxKind::parse(kind.as_str()), Some(kind));
        }
        for state in [OutboxState::Pending, OutboxState::Sent, OutboxState::Rejected] {
            assert_eq!(OutboxState::parse(state.as_str()), Some(state));
        }
        assert_eq!(OutboxKind::parse("rename_store"), None);
        assert_eq!(RefundDecision::parse("maybe"), None);
    }
}
