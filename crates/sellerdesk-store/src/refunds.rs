//! Buyers' refund requests as the platform's feed delivers them, with the seller's decision made
//! here and where its upload stands.

use rusqlite::{OptionalExtension, params};
use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::StoreId;
use std::path::Path;

use crate::error::StoreError;
use crate::feeds::AppliedChange;
use crate::outbox::{Transition, transition};
use crate::reader::{Reader, parse_timestamp, unreadable};
use crate::records::OutboxEntry;
use crate::writer::Writer;

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

impl Reader<'_> {
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
            self.connection.prepare_cached(&sql).map_err(|error| self.sql_error(error))?;
        let rows = statement
            .query_map(params![store_id.as_str()], raw_refund)
            .map_err(|error| self.sql_error(error))?;
        let mut requests = Vec::new();
        for row in rows {
            let raw = row.map_err(|error| self.sql_error(error))?;
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
            .map_err(|error| self.sql_error(error))?
            .ok_or_else(|| StoreError::NotFound {
                what: format!("refund request {request_id} of store {store_id}"),
            })?;
        refund_record(self.path, raw)
    }
}

impl Writer<'_> {
    /// Adds or updates a buyer's refund request as the platform reports it. A decision the seller
    /// made here is kept beside the platform's.
    pub fn apply_refund_request(
        &mut self,
        store_id: &StoreId,
        incoming: &IncomingRefundRequest,
        now: Timestamp,
    ) -> Result<AppliedChange, StoreError> {
        self.execute(
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
        self.execute(
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
        let changed = self.execute(
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
        let changed = self.execute(
            "UPDATE refund_requests SET seller_decision_state = 'rejected', \
               seller_decision_rejection = ?3, updated_at = ?4 \
             WHERE store_id = ?1 AND request_id = ?2 AND seller_decision_state = 'pending'",
            params![store_id.as_str(), request_id, reason, now.to_string()],
        )?;
        Ok(transition(changed))
    }
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
