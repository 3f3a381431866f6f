//! The outbox: the changes waiting for the platform, read in the order they were written and
//! marked sent, rejected (with the platform's refusal) or held (with why); a coupon's pending
//! submission published or rejected with its entry.
//!
//! The store knows no platform and no rules: the sync engine (`sellerdesk-platform`) decides, and
//! these methods write what it decided, each inside the caller's one transaction.

use rusqlite::{OptionalExtension, params};
use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::{CouponId, StoreId};
use std::path::Path;

use crate::error::StoreError;
use crate::reader::{Reader, parse_timestamp, unreadable};
use crate::writer::Writer;

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

const OUTBOX_COLUMNS: &str = "sequence, store_id, mutation_id, kind, subject_id, payload, state, \
     attempts, last_error, rejection_code, created_at, finished_at";

impl Reader<'_> {
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
            self.connection.prepare_cached(&sql).map_err(|error| self.sql_error(error))?;
        let rows = statement
            .query_map(params![store_id.as_str(), state.as_str()], raw_outbox)
            .map_err(|error| self.sql_error(error))?;
        let mut entries = Vec::new();
        for row in rows {
            let raw = row.map_err(|error| self.sql_error(error))?;
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
            .map_err(|error| self.sql_error(error))?
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
            .map_err(|error| self.sql_error(error))?;
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
            .map_err(|error| self.sql_error(error))
    }
}

impl Writer<'_> {
    /// Marks a pending entry as applied by the platform.
    pub fn mark_outbox_sent(
        &mut self,
        sequence: i64,
        now: Timestamp,
    ) -> Result<Transition, StoreError> {
        let changed = self.execute(
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
        let changed = self.execute(
            "UPDATE outbox SET state = 'rejected', attempts = attempts + 1, last_error = ?2, \
               rejection_code = ?3, finished_at = ?4 WHERE sequence = ?1 AND state = 'pending'",
            params![sequence, refusal.message, refusal.code, now.to_string()],
        )?;
        Ok(transition(changed))
    }

    /// Makes a refused entry pending again, under a new mutation id (the platform takes it as a
    /// new change); where an upload got stays, so a batch sends the codes that did not go up.
    pub fn requeue_rejected(
        &mut self,
        sequence: i64,
        mutation_id: &str,
    ) -> Result<Transition, StoreError> {
        let changed = self.execute(
            "UPDATE outbox SET state = 'pending', mutation_id = ?2, attempts = 0, last_error = NULL, \
               rejection_code = NULL, finished_at = NULL WHERE sequence = ?1 AND state = 'rejected'",
            params![sequence, mutation_id],
        )?;
        Ok(transition(changed))
    }

    /// Records a failed attempt to send a pending entry; the entry stays pending.
    pub fn record_outbox_failure(
        &mut self,
        sequence: i64,
        message: &str,
    ) -> Result<(), StoreError> {
        self.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?2 \
             WHERE sequence = ?1 AND state = 'pending'",
            params![sequence, message],
        )?;
        Ok(())
    }

    /// Records why a pending entry was not sent at all (it stays pending, its attempts unchanged).
    pub fn hold_outbox_entry(&mut self, sequence: i64, message: &str) -> Result<(), StoreError> {
        self.execute(
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
        let changed = self.execute(
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
        let changed = self.execute(
            "UPDATE seller_coupons SET state = 'rejected', rejection_reason = ?3, updated_at = ?4 \
             WHERE store_id = ?1 AND coupon_id = ?2 AND state = 'pending'",
            params![store_id.as_str(), coupon_id.as_str(), reason, now.to_string()],
        )?;
        Ok(transition(changed))
    }
}

pub(crate) fn transition(changed: usize) -> Transition {
    if changed == 0 { Transition::AlreadyMade } else { Transition::Made }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::refunds::RefundDecision;

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
