//! The one typed change the outbox holds: what the facade asks the platform to do, written here
//! once and read back here by the push stage. The store keeps it as two columns, its kind
//! ([`OutboxKind`], which says what the change concerns) and its payload (this enum's content as
//! JSON), and knows nothing else of it.

use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::StoreId;
use sellerdesk_store::{CouponRecord, OutboxEntry, OutboxKind, OutboxRecord};
use serde::{Deserialize, Serialize};

use crate::api::{CouponTerms, Decision};
use crate::connector::Capability;

/// A change waiting in the outbox for the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum OutboxChange {
    /// A new coupon (or a refused one, corrected) submitted with its terms.
    CreateCoupon(CouponTerms),
    /// A coupon stopped early: its terms with the validity ending when it was stopped.
    StopCoupon(CouponTerms),
    /// A coupon's new title.
    UpdateCouponTitle(CouponTerms),
    /// A batch of codes to upload, in chunks.
    UploadCodeBatch(CodeBatchChange),
    /// The seller's answer to a buyer's refund request.
    DecideRefund(RefundDecisionChange),
}

/// A coupon's terms as a change carries them to the platform.
pub fn coupon_terms(coupon: &CouponRecord) -> CouponTerms {
    CouponTerms::of(coupon.coupon_id.as_str(), &coupon.terms)
}

/// A batch of codes to upload; its codes are read from the database chunk by chunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeBatchChange {
    pub batch_id: i64,
    pub coupon_id: String,
    pub channel: Option<String>,
    /// How many codes the batch holds when it was queued.
    pub count: u64,
}

/// The seller's answer to a refund request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundDecisionChange {
    pub request_id: String,
    pub decision: Decision,
    /// The seller's reason for a refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl OutboxChange {
    /// What the change concerns, as the store files it.
    pub fn kind(&self) -> OutboxKind {
        match self {
            OutboxChange::CreateCoupon(_) => OutboxKind::CreateCoupon,
            OutboxChange::StopCoupon(_) => OutboxKind::StopCoupon,
            OutboxChange::UpdateCouponTitle(_) => OutboxKind::UpdateCouponTitle,
            OutboxChange::UploadCodeBatch(_) => OutboxKind::UploadCodeBatch,
            OutboxChange::DecideRefund(_) => OutboxKind::DecideRefund,
        }
    }

    /// What the platform must be able to do to take the change.
    pub fn needs(&self) -> Capability {
        match self {
            OutboxChange::CreateCoupon(_) => Capability::CreateCoupon,
            OutboxChange::StopCoupon(_) => Capability::StopCoupon,
            OutboxChange::UpdateCouponTitle(_) => Capability::UpdateCouponTitle,
            OutboxChange::UploadCodeBatch(_) => Capability::UploadCodes,
            OutboxChange::DecideRefund(_) => Capability::AnswerRefundRequests,
        }
    }

    /// The id of what the change is about: a coupon, a batch or a refund request.
    pub fn subject_id(&self) -> String {
        match self {
            OutboxChange::CreateCoupon(terms)
            | OutboxChange::StopCoupon(terms)
            | OutboxChange::UpdateCouponTitle(terms) => terms.coupon_id.clone(),
            OutboxChange::UploadCodeBatch(batch) => batch.batch_id.to_string(),
            OutboxChange::DecideRefund(decision) => decision.request_id.clone(),
        }
    }

    /// The outbox entry that carries the change, with a new mutation id.
    pub fn entry(&self, store_id: &StoreId, now: Timestamp) -> OutboxEntry {
        let mut tagged = serde_json::to_value(self).unwrap_or_default();
        let payload = tagged.get_mut("payload").map(serde_json::Value::take).unwrap_or_default();
        OutboxEntry {
            store_id: store_id.clone(),
            mutation_id: crate::sync::new_mutation_id(),
            kind: self.kind().as_str().to_owned(),
            subject_id: self.subject_id(),
            payload: payload.to_string(),
            created_at: now,
        }
    }

    /// Reads the change an entry carries back, or says why it cannot be read (an entry of a kind
    /// this build does not know, or a payload that does not fit its kind).
    pub fn read(record: &OutboxRecord) -> Result<OutboxChange, String> {
        let payload: serde_json::Value =
            serde_json::from_str(&record.payload).map_err(|error| error.to_string())?;
        let tagged = serde_json::json!({ "kind": record.kind, "payload": payload });
        serde_json::from_value(tagged).map_err(|error| error.to_string())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn terms() -> CouponTerms {
        CouponTerms {
            coupon_id: "C1".into(),
            title: "Spring".into(),
            currency: "USD".into(),
            discount: "3.00".into(),
            min_purchase: "20.00".into(),
            valid_from: "2026-11-25T00:00:00Z".into(),
            valid_to: "2026-12-25T00:00:00Z".into(),
            quantity: 100,
        }
    }

    fn every_change() -> Vec<OutboxChange> {
        vec![
            OutboxChange::CreateCoupon(terms()),
            OutboxChange::StopCoupon(terms()),
            OutboxChange::UpdateCouponTitle(terms()),
            OutboxChange::UploadCodeBatch(CodeBatchChange {
                batch_id: 7,
                coupon_id: "C1".into(),
                channel: Some("facebook".into()),
                count: 1_000,
            }),
            OutboxChange::DecideRefund(RefundDecisionChange {
                request_id: "R-1".into(),
                decision: Decision::Refuse,
                reason: Some("The item arrived as described.".into()),
            }),
        ]
    }

    fn record(entry: &OutboxEntry) -> OutboxRecord {
        OutboxRecord {
            sequence: 1,
            store_id: entry.store_id.clone(),
            mutation_id: entry.mutation_id.clone(),
            kind: entry.kind.clone(),
            subject_id: entry.subject_id.clone(),
            payload: entry.payload.clone(),
            state: sellerdesk_store::OutboxState::Pending,
            attempts: 0,
            last_error: None,
            rejection_code: None,
            created_at: entry.created_at,
            finished_at: None,
        }
    }

    #[test]
    fn every_change_reads_back_as_written_under_the_kind_the_store_files() {
        let store_id = StoreId::parse("store", "S1").unwrap();
        let now: Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
        let mut kinds = Vec::new();
        for change in every_change() {
            let entry = change.entry(&store_id, now);
            // The serde tag and the store's kind are one name.
            let tagged = serde_json::to_value(&change).unwrap();
            assert_eq!(tagged["kind"], entry.kind.as_str());
            assert_eq!(OutboxKind::parse(&entry.kind), Some(change.kind()));
            assert_eq!(OutboxChange::read(&record(&entry)).unwrap(), change);
            kinds.push(change.kind());
        }
        assert_eq!(kinds, OutboxKind::ALL, "every kind the store files has its change");
    }

    #[test]
    fn entries_written_before_the_typed_change_still_read() {
        let store_id = StoreId::parse("store", "S1").unwrap();
        let now: Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
        let mut entry = OutboxChange::DecideRefund(RefundDecisionChange {
            request_id: "R1".into(),
            decision: Decision::Refuse,
            reason: None,
        })
        .entry(&store_id, now);
        // What the store itself wrote for a decision before, and the payload is still that.
        let written = r#"{"request_id":"R1","decision":"refuse"}"#;
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&entry.payload).unwrap(),
            serde_json::from_str::<serde_json::Value>(written).unwrap()
        );
        entry.payload = written.into();
        assert!(OutboxChange::read(&record(&entry)).is_ok());
    }

    #[test]
    fn an_unknown_kind_or_a_payload_that_does_not_fit_is_said() {
        let store_id = StoreId::parse("store", "S1").unwrap();
        let now: Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
        let mut entry = OutboxChange::CreateCoupon(terms()).entry(&store_id, now);
        entry.kind = "rename_store".into();
        assert!(OutboxChange::read(&record(&entry)).unwrap_err().contains("rename_store"));
        let mut entry = OutboxChange::CreateCoupon(terms()).entry(&store_id, now);
        entry.payload = r#"{"coupon_id": 5}"#.into();
        assert!(OutboxChange::read(&record(&entry)).is_err());
    }
}
