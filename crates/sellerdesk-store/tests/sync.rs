//! The store's side of sync: outbox transitions that happen once, upload progress that only moves
//! past the chunk it expects, refund decisions written with their outbox entry, and every sync
//! record kept per store.

#![allow(clippy::unwrap_used)]

use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::{CouponId, StoreId};
use sellerdesk_core::money::Currency;
use sellerdesk_core::seller_coupon::{CouponState, SellerCouponRequest, SellerCouponTerms};
use sellerdesk_store::{
    CodeChunkAdvance, CodeChunkSource, CodeInsertion, CouponRecord, DecisionUpload,
    IncomingRefundRequest, NewCodeBatch, OutboxEntry, OutboxKind, OutboxState, PlatformRefusal,
    Reachability, RefundDecision, Store, StoreError, StoreRecord, StoredCheckCharacter,
    StoredCodeFormat, SyncOutcome, SyncStream, Transition,
};

fn store_id(text: &str) -> StoreId {
    StoreId::parse("store", text).unwrap()
}

fn open() -> (tempfile::TempDir, Store) {
    let directory = tempfile::tempdir().unwrap();
    let store = Store::open(&directory.path().join("sync.db")).unwrap();
    let usd = Currency::from_code("USD").unwrap();
    store
        .write(|writer| {
            for id in ["A", "B"] {
                writer.add_store(&StoreRecord {
                    store_id: store_id(id),
                    name: id.into(),
                    currency: usd,
                    created_at: Timestamp::now(),
                })?;
            }
            let terms = SellerCouponTerms::restore(SellerCouponRequest {
                title: "T".into(),
                currency: usd,
                discount: usd.parse_amount("1.00").unwrap(),
                min_purchase: usd.parse_amount("5.00").unwrap(),
                valid_from: "2030-01-01T00:00:00Z".parse().unwrap(),
                valid_to: "2030-02-01T00:00:00Z".parse().unwrap(),
                quantity: 10,
            })
            .unwrap();
            writer.insert_coupon(&CouponRecord {
                coupon_id: CouponId::parse("coupon", "C1").unwrap(),
                store_id: store_id("A"),
                terms,
                state: CouponState::Pending,
                rejection_reason: None,
                platform_counts: Default::default(),
                created_at: Timestamp::now(),
                updated_at: Timestamp::now(),
            })
        })
        .unwrap();
    (directory, store)
}

fn add_entry(store: &Store, owner: &str, mutation_id: &str) -> i64 {
    store
        .write(|writer| {
            writer.enqueue(&OutboxEntry {
                store_id: store_id(owner),
                mutation_id: mutation_id.into(),
                kind: OutboxKind::CreateCoupon.as_str().into(),
                subject_id: "C1".into(),
                payload: "{}".into(),
                created_at: Timestamp::now(),
            })
        })
        .unwrap();
    store
        .read(|reader| reader.outbox_entries(&store_id(owner), OutboxState::Pending))
        .unwrap()
        .last()
        .unwrap()
        .sequence
}

#[test]
fn outbox_transitions_happen_once_and_stay_in_their_store() {
    let (_directory, store) = open();
    let first = add_entry(&store, "A", "m-1");
    let second = add_entry(&store, "A", "m-2");
    add_entry(&store, "B", "m-3");
    let now = Timestamp::now();
    store
        .write(|writer| {
            writer.record_outbox_failure(first, "the platform could not be reached")?;
            assert_eq!(writer.mark_outbox_sent(first, now)?, Transition::Made);
            assert_eq!(writer.mark_outbox_sent(first, now)?, Transition::AlreadyMade);
            let refusal =
                PlatformRefusal { code: "rule_violation".into(), message: "not allowed".into() };
            assert_eq!(writer.mark_outbox_rejected(second, &refusal, now)?, Transition::Made);
            assert_eq!(
                writer.mark_outbox_rejected(second, &refusal, now)?,
                Transition::AlreadyMade
            );
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let a = store_id("A");
    let sent = store.read(|reader| reader.outbox_entries(&a, OutboxState::Sent)).unwrap();
    assert_eq!((sent[0].attempts, sent[0].last_error.as_deref()), (1, None));
    let rejected = store.read(|reader| reader.outbox_entries(&a, OutboxState::Rejected)).unwrap();
    assert_eq!(rejected[0].rejection_code.as_deref(), Some("rule_violation"));
    assert_eq!(rejected[0].last_error.as_deref(), Some("not allowed"));
    let status = store.read(|reader| reader.sync_status(&a)).unwrap();
    assert_eq!((status.pending_changes, status.rejected_changes), (0, 1));
    let status_b = store.read(|reader| reader.sync_status(&store_id("B"))).unwrap();
    assert_eq!((status_b.pending_changes, status_b.rejected_changes), (1, 0));
    assert!(matches!(
        store.read(|reader| reader.outbox_entry(&store_id("B"), first)),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn upload_progress_moves_only_past_the_chunk_it_expects() {
    let (_directory, store) = open();
    let sequence = add_entry(&store, "A", "m-1");
    let batch_id = store
        .write(|writer| {
            let batch_id = writer.insert_code_batch(&NewCodeBatch {
                store_id: store_id("A"),
                coupon_id: CouponId::parse("coupon", "C1").unwrap(),
                channel: None,
                format: StoredCodeFormat {
                    random_length: 4,
                    prefix: String::new(),
                    suffix: String::new(),
                    group_size: None,
                    alphabet: "ABCD".into(),
                    check_character: StoredCheckCharacter::None,
                },
                created_at: Timestamp::now(),
            })?;
            writer.add_codes(batch_id, ["AAAA", "BBBB", "CCCC"], |_| {})?;
            Ok::<_, StoreError>(batch_id)
        })
        .unwrap();
    let advance = |index: u32, last_code: &'static str| {
        store
            .write(|writer| {
                writer.advance_code_upload(
                    sequence,
                    &CodeChunkAdvance {
                        chunk_index: index,
                        source: CodeChunkSource::OrderedPass { last_code },
                        accepted: 2,
                        regenerated: 0,
                        withdrawn: 0,
                    },
                )
            })
            .unwrap()
    };
    assert_eq!(advance(0, "BBBB"), Transition::Made);
    assert_eq!(advance(0, "BBBB"), Transition::AlreadyMade, "a chunk applies once");
    let progress = store.read(|reader| reader.code_upload_progress(sequence)).unwrap();
    assert_eq!((progress.next_chunk, progress.last_code.as_deref()), (1, Some("BBBB")));
    assert_eq!(progress.accepted, 2);
    let rest = store.read(|reader| reader.batch_codes_after(batch_id, Some("BBBB"), 10)).unwrap();
    assert_eq!(rest, ["CCCC"]);

    // A replacement that is already someone's code changes nothing.
    store
        .write(|writer| {
            assert_eq!(writer.replace_code(batch_id, "AAAA", "CCCC")?, CodeInsertion::AlreadyTaken);
            assert_eq!(writer.replace_code(batch_id, "AAAA", "DDDD")?, CodeInsertion::Added);
            writer.queue_code_reupload(sequence, "DDDD")?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let codes = store.read(|reader| reader.batch_codes_after(batch_id, None, 10)).unwrap();
    assert_eq!(codes, ["BBBB", "CCCC", "DDDD"]);
    assert_eq!(store.read(|reader| reader.code_reuploads(sequence, 10)).unwrap(), ["DDDD"]);
}

#[test]
fn a_refund_decision_is_written_with_its_outbox_entry_or_not_at_all() {
    let (_directory, store) = open();
    let a = store_id("A");
    let now = Timestamp::now();
    let request = |id: &str| IncomingRefundRequest {
        request_id: id.into(),
        preview_input: "{}".into(),
        requested_at: now,
        decision: None,
        decided_at: None,
    };
    store
        .write(|writer| {
            writer.apply_refund_request(&a, &request("R1"), now)?;
            writer.apply_refund_request(&a, &request("R1"), now)?;
            writer.apply_refund_request(&store_id("B"), &request("R2"), now)
        })
        .unwrap();
    assert_eq!(store.read(|reader| reader.refund_requests(&a)).unwrap().len(), 1);

    // Another store's request is not this store's to decide.
    let foreign = store.write(|writer| {
        writer.record_refund_decision(
            &a,
            "R2",
            RefundDecision::Approve,
            &decision_entry("m-9"),
            now,
        )
    });
    assert!(matches!(foreign, Err(StoreError::NotFound { .. })));
    // A mutation id already used makes the whole write fail: no decision without its entry.
    add_entry(&store, "A", "m-used");
    let clash = store.write(|writer| {
        writer.record_refund_decision(
            &a,
            "R1",
            RefundDecision::Approve,
            &decision_entry("m-used"),
            now,
        )
    });
    assert!(clash.is_err());
    let untouched = store.read(|reader| reader.refund_request(&a, "R1")).unwrap();
    assert_eq!(untouched.seller_decision, None);

    store
        .write(|writer| {
            writer.record_refund_decision(
                &a,
                "R1",
                RefundDecision::Refuse,
                &decision_entry("m-10"),
                now,
            )
        })
        .unwrap();
    let decided = store.read(|reader| reader.refund_request(&a, "R1")).unwrap();
    let seller = decided.seller_decision.unwrap();
    assert_eq!((seller.decision, seller.upload), (RefundDecision::Refuse, DecisionUpload::Pending));
    let entry = store
        .read(|reader| reader.outbox_entries(&a, OutboxState::Pending))
        .unwrap()
        .into_iter()
        .find(|entry| entry.mutation_id == "m-10")
        .unwrap();
    assert_eq!(entry.known_kind(), Some(OutboxKind::DecideRefund));
    assert_eq!(entry.payload, "the decision", "kept as the caller wrote it");
    let twice = store.write(|writer| {
        writer.record_refund_decision(
            &a,
            "R1",
            RefundDecision::Approve,
            &decision_entry("m-11"),
            now,
        )
    });
    assert!(matches!(twice, Err(StoreError::AlreadyExists { .. })));
}

#[test]
fn cursors_and_statuses_are_kept_per_store() {
    let (_directory, store) = open();
    let (a, b) = (store_id("A"), store_id("B"));
    let now = Timestamp::now();
    store
        .write(|writer| {
            writer.set_sync_cursor(&a, SyncStream::Codes, "17", now)?;
            writer.record_sync_attempt(&a, Reachability::Online, &SyncOutcome::Succeeded, now)?;
            writer.record_sync_attempt(
                &a,
                Reachability::Offline,
                &SyncOutcome::Failed { message: "could not connect".into() },
                now,
            )
        })
        .unwrap();
    assert_eq!(
        store.read(|reader| reader.sync_cursor(&a, SyncStream::Codes)).unwrap().as_deref(),
        Some("17")
    );
    assert_eq!(store.read(|reader| reader.sync_cursor(&b, SyncStream::Codes)).unwrap(), None);
    assert_eq!(store.read(|reader| reader.sync_cursor(&a, SyncStream::Coupons)).unwrap(), None);
    let status = store.read(|reader| reader.sync_status(&a)).unwrap();
    assert!(!status.online);
    assert_eq!(status.last_successful_sync, Some(now), "a failure keeps the last success");
    assert_eq!(status.last_error.as_deref(), Some("could not connect"));
    let other = store.read(|reader| reader.sync_status(&b)).unwrap();
    assert_eq!((other.online, other.last_attempt_at), (false, None));
}

/// An outbox entry carrying a decision on request R1 of store A (its payload is the platform
/// crate's business; the store keeps it as given).
fn decision_entry(mutation_id: &str) -> OutboxEntry {
    OutboxEntry {
        store_id: store_id("A"),
        mutation_id: mutation_id.into(),
        kind: OutboxKind::DecideRefund.as_str().into(),
        subject_id: "R1".into(),
        payload: "the decision".into(),
        created_at: "2026-11-24T12:00:00Z".parse().unwrap(),
    }
}
