//! The sync engine against the in-memory platform: nothing lost, nothing applied twice, refusals
//! kept with their reason, cursors never ahead of what was applied, bad answers refused whole.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use common::{Desk, code_number, preview_input, quick_options, terms};
use sellerdesk_core::Timestamp;
use sellerdesk_core::seller_coupon::CouponState;
use sellerdesk_core::status::CouponStatus;
use sellerdesk_platform::api::{
    CodeChange, CouponChange, CouponTerms, Decision, RefundRequestChange, methods,
};
use sellerdesk_platform::change::{OutboxChange, RefundDecisionChange};
use sellerdesk_platform::fake::{FakePlatform, FaultRates, ScriptedFault};
use sellerdesk_platform::sync::{SyncSchedule, run_sync_loop};
use sellerdesk_platform::{
    CallError, SyncError, SyncReport, decide_refund, sync_once, sync_status,
};
use sellerdesk_store::{
    DecisionUpload, OutboxState, RefundDecision, Store, StoreError, SyncStream, Transition,
};

async fn sync(desk: &Desk, platform: &FakePlatform) -> Result<SyncReport, SyncError> {
    sync_once(&desk.store, platform, &desk.store_id, &quick_options()).await
}

fn rejected(status: u16, code: &str, message: &str) -> CallError {
    CallError::Rejected { status, code: code.into(), message: message.into() }
}

fn unreachable() -> CallError {
    CallError::Unreachable { message: "connection refused".into() }
}

fn wire_terms(coupon_id: &str, title: &str, valid_to: &str) -> CouponTerms {
    CouponTerms {
        coupon_id: coupon_id.into(),
        title: title.into(),
        currency: "USD".into(),
        discount: "5.00".into(),
        min_purchase: "20.00".into(),
        valid_from: "2030-01-01T00:00:00Z".into(),
        valid_to: valid_to.into(),
        quantity: 100_000,
    }
}

fn refund_request(request_id: &str) -> RefundRequestChange {
    RefundRequestChange {
        request_id: request_id.into(),
        preview_input: preview_input(),
        requested_at: "2030-02-01T10:00:00Z".into(),
        decision: None,
        decided_at: None,
    }
}

fn cursor(desk: &Desk, stream: SyncStream) -> Option<String> {
    desk.store.read(|reader| reader.sync_cursor(&desk.store_id, stream)).unwrap()
}

#[tokio::test]
async fn a_created_coupon_is_published_once_and_marked_sent() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Spring sale");
    let platform = FakePlatform::new(1);

    let report = sync(&desk, &platform).await.unwrap();

    assert_eq!(report.sent, 1);
    assert_eq!(desk.coupon("C1").state, CouponState::Published);
    assert_eq!(platform.coupon("C1").unwrap().state, "published");
    assert!(desk.outbox(OutboxState::Pending).is_empty());
    let sent = desk.outbox(OutboxState::Sent);
    assert_eq!(sent.len(), 1);
    assert!(sent[0].finished_at.is_some());
    // The coupon comes back through the feed: applying it again changes nothing.
    assert_eq!(report.coupons_pulled, 1);
    assert_eq!(desk.coupon("C1").state, CouponState::Published);
    assert_eq!(platform.calls(methods::COUPON_CREATE), 1);
}

/// A store's whole life of changes, pushed against a platform that fails at random before
/// applying calls and after applying them (the answer lost), until everything is through.
async fn run_a_season_against_a_failing_platform(seed: u64) {
    let desk = Desk::new();
    let platform = FakePlatform::new(seed);
    for index in 0..6 {
        desk.add_coupon(&format!("C{index}"), &format!("Coupon {index}"));
    }
    let (batch, _) = desk.add_batch("C0", 2_500, 0);
    let (other_batch, _) = desk.add_batch("C1", 300, 10_000);
    // Other sellers hold a few of these codes: they are made again here.
    for number in [3, 1_200, 2_499, 10_005] {
        platform.hold_foreign_code(&code_number(number));
    }
    desk.stop_coupon("C2");
    platform.report_refund_request(refund_request("R1"));
    platform.set_fault_rates(FaultRates { before_applying: 0.3, after_applying: 0.3 });

    let mut decided = false;
    let mut rounds = 0;
    loop {
        rounds += 1;
        assert!(rounds < 400, "seed {seed}: still not through after {rounds} syncs");
        let result = sync(&desk, &platform).await;
        if !decided
            && desk.store.read(|reader| reader.refund_requests(&desk.store_id)).unwrap().len() == 1
        {
            decide_refund(
                &desk.store,
                &desk.store_id,
                "R1",
                Decision::Approve,
                None,
                Timestamp::now(),
            )
            .unwrap();
            decided = true;
        }
        if result.is_ok() && decided && desk.outbox(OutboxState::Pending).is_empty() {
            break;
        }
    }

    // Nothing lost.
    assert!(desk.outbox(OutboxState::Rejected).is_empty(), "seed {seed}");
    assert_eq!(platform.coupon_count(), 6, "seed {seed}");
    for index in 0..6 {
        let coupon_id = format!("C{index}");
        let expected = if index == 2 { CouponState::Stopped } else { CouponState::Published };
        assert_eq!(desk.coupon(&coupon_id).state, expected, "seed {seed}, {coupon_id}");
    }
    assert_eq!(platform.coupon("C2").unwrap().state, "stopped");
    assert_eq!(platform.coupon("C2").unwrap().terms.valid_to, "2030-06-01T00:00:00Z");
    for batch_id in [batch, other_batch] {
        let local = desk.batch_codes(batch_id);
        assert_eq!(platform.codes_of_batch(batch_id), local, "seed {seed}, batch {batch_id}");
    }
    assert_eq!(desk.batch_codes(batch).len(), 2_500);
    assert_eq!(desk.batch_codes(other_batch).len(), 300);
    assert!(!desk.batch_codes(batch).contains(&code_number(1_200)));
    assert_eq!(platform.refund_request("R1").unwrap().decision, Some(Decision::Approve));
    let request = desk.store.read(|reader| reader.refund_request(&desk.store_id, "R1")).unwrap();
    assert_eq!(request.decision, Some(RefundDecision::Approve));
    assert_eq!(request.seller_decision.unwrap().upload, DecisionUpload::Sent);

    // Nothing applied twice: every retry carried the same body under the same mutation id.
    assert_eq!(platform.conflicting_mutations(), Vec::<String>::new(), "seed {seed}");
    assert_eq!(platform.repeated_coupon_creations(), 0, "seed {seed}");
    assert_eq!(platform.repeated_code_uploads(), 0, "seed {seed}");
    // The faults did happen.
    assert!(platform.injected_faults() > 5, "seed {seed}");
}

#[tokio::test]
async fn nothing_is_lost_or_applied_twice_when_the_platform_fails_at_random() {
    for seed in 1..=6 {
        run_a_season_against_a_failing_platform(seed).await;
    }
}

#[tokio::test]
async fn an_upload_tells_where_it_starts_and_how_far_it_got_chunk_by_chunk() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Codes");
    let (batch, _) = desk.add_batch("C1", 2_500, 0);
    let platform = FakePlatform::new(21);
    let seen = std::sync::Mutex::new(Vec::new());
    let record = |progress: &sellerdesk_platform::UploadProgress| {
        assert_eq!((progress.batch_id, progress.total), (batch, 2_500));
        seen.lock().unwrap().push(progress.uploaded);
    };
    sellerdesk_platform::sync_once_reporting(
        &desk.store,
        &platform,
        &desk.store_id,
        &quick_options(),
        &record,
    )
    .await
    .unwrap();
    assert_eq!(*seen.lock().unwrap(), [0, 1_000, 2_000, 2_500]);
}

#[tokio::test]
async fn an_answer_lost_after_a_chunk_was_applied_does_not_upload_it_twice() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Codes");
    let (batch, codes) = desk.add_batch("C1", 2_100, 0);
    let platform = FakePlatform::new(2);
    // The first chunk is applied, its answer lost, then a retry finds the platform restarting,
    // then the last try is applied again (the platform answers the first answer).
    platform.script(methods::CODES_UPLOAD, ScriptedFault::AfterApplying(unreachable()));
    platform.script(methods::CODES_UPLOAD, ScriptedFault::BeforeApplying(unreachable()));
    let report = sync(&desk, &platform).await.unwrap();
    assert_eq!(report.codes_uploaded, 2_100);
    assert_eq!(platform.codes_of_batch(batch), codes);
    // Three chunks, two failed tries.
    assert_eq!(platform.calls(methods::CODES_UPLOAD), 5);

    // The same across syncs (or a crash): a chunk applied whose answer never arrived is sent
    // again by the next sync under the same mutation id.
    let (second_batch, second_codes) = desk.add_batch("C1", 1_500, 5_000);
    for _ in 0..3 {
        platform.script(methods::CODES_UPLOAD, ScriptedFault::AfterApplying(unreachable()));
    }
    sync(&desk, &platform).await.unwrap_err();
    assert_eq!(platform.codes_of_batch(second_batch).len(), 1_000);
    assert!(desk.batch_codes(second_batch).len() == 1_500);
    sync(&desk, &platform).await.unwrap();
    assert_eq!(platform.codes_of_batch(second_batch), second_codes);
    assert_eq!(platform.calls(methods::CODES_UPLOAD), 5 + 3 + 2);
    assert_eq!(platform.repeated_code_uploads(), 0);
    assert!(platform.conflicting_mutations().is_empty());
}

#[tokio::test]
async fn a_refused_batch_sent_again_goes_up_whole_under_a_new_mutation_id() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Codes");
    let (batch, codes) = desk.add_batch("C1", 2_100, 0);
    let platform = FakePlatform::new(31);
    platform.script(
        methods::CODES_UPLOAD,
        ScriptedFault::BeforeApplying(rejected(409, "rule_violation", "the coupon is paused")),
    );
    let report = sync(&desk, &platform).await.unwrap();
    assert_eq!((report.rejected, report.codes_uploaded), (1, 0));
    let refused = desk.outbox(OutboxState::Rejected);
    assert_eq!(refused.len(), 1);

    // The seller sends it again once the platform takes it (`sync retry`).
    desk.store
        .write(|writer| writer.requeue_rejected(refused[0].sequence, "retried-mutation"))
        .unwrap();
    let report = sync(&desk, &platform).await.unwrap();
    assert_eq!((report.sent, report.codes_uploaded), (1, 2_100));
    assert_eq!(platform.codes_of_batch(batch), codes);
    assert!(desk.outbox(OutboxState::Rejected).is_empty());
    assert!(platform.conflicting_mutations().is_empty());
    // Only a refused entry is sent again.
    let again = desk.store.write(|writer| writer.requeue_rejected(refused[0].sequence, "third"));
    assert_eq!(again.unwrap(), Transition::AlreadyMade);
}

#[tokio::test]
async fn the_platforms_words_are_cut_before_they_are_kept() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Wordy");
    let platform = FakePlatform::new(32);
    let essay = "x".repeat(100_000);
    let code = "c".repeat(1_000);
    platform.script(
        methods::COUPON_CREATE,
        ScriptedFault::BeforeApplying(rejected(409, "rule_violation", &essay)),
    );
    sync(&desk, &platform).await.unwrap();
    let refused = desk.outbox(OutboxState::Rejected);
    let kept = refused[0].last_error.as_deref().unwrap();
    assert_eq!(kept.chars().count(), 500);
    assert!(kept.ends_with('…'));
    assert_eq!(desk.coupon("C1").rejection_reason.as_deref(), Some(kept));
    // A coupon the platform describes with a long reason keeps it cut too.
    platform.report_coupon(CouponChange {
        terms: wire_terms("CWEB", "Made on the web", "2030-12-31T00:00:00Z"),
        state: "rejected".into(),
        reason: Some(format!("{code}{essay}")),
        claimed: None,
        codes: None,
    });
    sync(&desk, &platform).await.unwrap();
    let reason = desk.coupon("CWEB").rejection_reason.unwrap();
    assert_eq!(reason.chars().count(), 500);
}

#[tokio::test]
async fn a_rejected_coupon_keeps_the_reason_and_later_changes_still_go() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Too good");
    desk.add_coupon("C2", "Fine");
    let platform = FakePlatform::new(3);
    platform.refuse_coupon("C1", "a discount of more than 90% is not allowed");

    let report = sync(&desk, &platform).await.unwrap();

    assert_eq!((report.sent, report.rejected), (1, 1));
    let coupon = desk.coupon("C1");
    assert_eq!(coupon.state, CouponState::Rejected);
    assert_eq!(
        coupon.rejection_reason.as_deref(),
        Some("a discount of more than 90% is not allowed")
    );
    let rejected = desk.outbox(OutboxState::Rejected);
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].rejection_code.as_deref(), Some("rule_violation"));
    assert_eq!(
        rejected[0].last_error.as_deref(),
        Some("a discount of more than 90% is not allowed")
    );
    assert_eq!(desk.coupon("C2").state, CouponState::Published);

    // Kept, not retried, and shown in the status.
    sync(&desk, &platform).await.unwrap();
    assert_eq!(platform.calls(methods::COUPON_CREATE), 2);
    let status = sync_status(&desk.store, &desk.store_id).unwrap();
    assert_eq!((status.pending_changes, status.rejected_changes), (0, 1));
}

#[tokio::test]
async fn refusals_that_are_not_of_the_change_stop_the_push_and_keep_it_pending() {
    // Only `409 rule_violation` refuses a change; credentials, a malformed call, something the
    // platform does not know, a body too large or a proxy's page say nothing against it.
    for (status, code, message) in [
        (401, "invalid_session", "the session expired"),
        (400, "invalid_request", "cursor is not one of ours"),
        (404, "not_found", "no such coupon here"),
        (413, "payload_too_large", "the body is too large"),
        (409, "busy_elsewhere", "another change is being applied"),
    ] {
        let desk = Desk::new();
        desk.add_coupon("C1", "First");
        desk.add_coupon("C2", "Second");
        let platform = FakePlatform::new(4);
        platform.script(
            methods::COUPON_CREATE,
            ScriptedFault::BeforeApplying(rejected(status, code, message)),
        );

        let error = sync(&desk, &platform).await.unwrap_err();

        assert!(error.to_string().contains(message), "{code}: {error}");
        let pending = desk.outbox(OutboxState::Pending);
        assert_eq!(pending.len(), 2, "{code}");
        assert!(desk.outbox(OutboxState::Rejected).is_empty(), "{code}");
        assert_eq!(pending[0].attempts, 1);
        assert!(pending[0].last_error.as_deref().unwrap().contains(code));
        // The later change did not overtake the first.
        assert_eq!(platform.calls(methods::COUPON_CREATE), 1);
        assert_eq!(platform.coupon_count(), 0);
        let status = sync_status(&desk.store, &desk.store_id).unwrap();
        assert!(status.online);
        assert!(status.last_error.unwrap().contains(message));

        sync(&desk, &platform).await.unwrap();
        assert!(desk.outbox(OutboxState::Pending).is_empty(), "{code}");
    }
}

#[tokio::test]
async fn an_unreachable_platform_stops_the_push_after_bounded_retries() {
    let desk = Desk::new();
    desk.add_coupon("C1", "First");
    desk.add_coupon("C2", "Second");
    let platform = FakePlatform::new(5);
    for _ in 0..3 {
        platform.script(methods::COUPON_CREATE, ScriptedFault::BeforeApplying(unreachable()));
    }

    let error = sync(&desk, &platform).await.unwrap_err();

    assert!(matches!(error.call_error(), Some(CallError::Unreachable { .. })), "{error}");
    assert_eq!(platform.calls(methods::COUPON_CREATE), 3);
    let pending = desk.outbox(OutboxState::Pending);
    assert_eq!(pending.len(), 2);
    assert_eq!(pending[0].attempts, 3);
    assert!(pending[0].last_error.as_deref().unwrap().contains("connection refused"));
    assert_eq!(pending[1].attempts, 0);
    let status = sync_status(&desk.store, &desk.store_id).unwrap();
    assert!(!status.online);
    assert_eq!(status.pending_changes, 2);
    assert_eq!(status.last_successful_sync, None);

    sync(&desk, &platform).await.unwrap();
    let status = sync_status(&desk.store, &desk.store_id).unwrap();
    assert!(status.online && status.last_error.is_none() && status.last_successful_sync.is_some());
    assert_eq!(status.pending_changes, 0);
}

#[tokio::test]
async fn retry_after_is_honoured_and_a_long_one_ends_the_sync() {
    let desk = Desk::new();
    desk.add_coupon("C1", "First");
    let platform = FakePlatform::new(6);
    let busy = |seconds: f64| CallError::Unavailable {
        status: 429,
        retry_after: Some(Duration::from_secs_f64(seconds)),
        message: "slow down".into(),
    };
    platform.script(methods::COUPON_CREATE, ScriptedFault::BeforeApplying(busy(0.3)));

    let started = Instant::now();
    sync(&desk, &platform).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(platform.calls(methods::COUPON_CREATE), 2);

    // Asked to wait longer than the policy allows: the sync stops at once, to try again later.
    desk.add_coupon("C2", "Second");
    platform.script(methods::COUPON_CREATE, ScriptedFault::BeforeApplying(busy(3_600.0)));
    let error = sync(&desk, &platform).await.unwrap_err();
    assert!(error.to_string().contains("retry after 3600 s"), "{error}");
    assert_eq!(platform.calls(methods::COUPON_CREATE), 3);
    assert_eq!(desk.outbox(OutboxState::Pending).len(), 1);
}

#[tokio::test]
async fn pulled_changes_are_applied_with_their_cursor_and_again_harmlessly() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Ours");
    let (batch, codes) = desk.add_batch("C1", 20, 0);
    let platform = FakePlatform::new(7);
    sync(&desk, &platform).await.unwrap();

    // Changes made on the platform's side.
    platform.report_coupon(CouponChange {
        terms: wire_terms("C1", "Ours", "2030-03-01T00:00:00Z"),
        state: "stopped".into(),
        reason: None,
        claimed: None,
        codes: None,
    });
    platform.report_coupon(CouponChange {
        terms: wire_terms("CWEB", "Made on the web", "2030-12-31T00:00:00Z"),
        state: "published".into(),
        reason: None,
        claimed: None,
        codes: None,
    });
    for (code, status, changed_at) in [
        (&codes[0], "valid", "2030-02-01T00:00:00Z"),
        (&codes[1], "used", "2030-02-02T09:30:00Z"),
        (&codes[0], "used", "2030-02-03T23:59:59.250Z"),
    ] {
        platform.report_code_status(CodeChange {
            code: code.clone(),
            coupon_id: "C1".into(),
            status: status.into(),
            changed_at: changed_at.into(),
        });
    }
    platform.report_code_status(CodeChange {
        code: "NOTOURS2".into(),
        coupon_id: "C1".into(),
        status: "valid".into(),
        changed_at: "2030-02-01T00:00:00Z".into(),
    });
    platform.report_refund_request(refund_request("R1"));

    let report = sync(&desk, &platform).await.unwrap();

    assert_eq!(report.coupons_pulled, 2);
    assert_eq!(report.code_statuses_pulled, 3);
    assert_eq!(report.pulled_changes_unknown, 1);
    assert_eq!(report.refund_requests_pulled, 1);
    let check = |desk: &Desk| {
        let coupon = desk.coupon("C1");
        assert_eq!(coupon.state, CouponState::Stopped);
        assert_eq!(coupon.terms.valid_to().to_string(), "2030-03-01T00:00:00Z");
        assert_eq!(desk.coupon("CWEB").state, CouponState::Published);
        let status = |code: &str| {
            let found =
                desk.store.read(|reader| reader.find_code(&desk.store_id, code)).unwrap().unwrap();
            (found.status, found.status_changed_at.map(|at| at.to_string()))
        };
        // Each code keeps the status of its last change, and the time the platform gave it.
        let used_at = |at: &str| (Some(CouponStatus::Used), Some(at.to_owned()));
        assert_eq!(status(&codes[0]), used_at("2030-02-03T23:59:59.25Z"));
        assert_eq!(status(&codes[1]), used_at("2030-02-02T09:30:00Z"));
        assert_eq!(status(&codes[2]), (None, None));
        let requests = desk.store.read(|reader| reader.refund_requests(&desk.store_id)).unwrap();
        assert_eq!(requests.len(), 1);
        let input: serde_json::Value = serde_json::from_str(&requests[0].preview_input).unwrap();
        assert_eq!(input["payment_id"], "P-0001");
    };
    check(&desk);
    assert_eq!(cursor(&desk, SyncStream::Codes).as_deref(), Some("4"));
    assert_eq!(desk.batch_codes(batch).len(), 20);

    // Reading every feed again from the start changes nothing.
    desk.store
        .write(|writer| {
            for stream in SyncStream::ALL {
                writer.set_sync_cursor(&desk.store_id, stream, "", Timestamp::now())?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    sync(&desk, &platform).await.unwrap();
    check(&desk);
}

#[tokio::test]
async fn a_page_that_fails_to_apply_leaves_its_cursor_where_it_was() {
    let desk = Desk::new();
    // The database refuses to write coupon CX (as a full disk or a damaged page would): the
    // page's second coupon cannot be written, after its first was.
    rusqlite::Connection::open(desk.directory.path().join("desk.db"))
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER refuse_cx BEFORE INSERT ON seller_coupons WHEN NEW.coupon_id = 'CX' \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
        )
        .unwrap();
    let platform = FakePlatform::new(9);
    platform.report_coupon(CouponChange {
        terms: wire_terms("CNEW", "New", "2030-12-31T00:00:00Z"),
        state: "published".into(),
        reason: None,
        claimed: None,
        codes: None,
    });
    platform.report_coupon(CouponChange {
        terms: wire_terms("CX", "Clash", "2030-12-31T00:00:00Z"),
        state: "published".into(),
        reason: None,
        claimed: None,
        codes: None,
    });

    let error = sync(&desk, &platform).await.unwrap_err();

    assert!(matches!(error, SyncError::Store(_)), "{error}");
    assert_eq!(cursor(&desk, SyncStream::Coupons), None);
    let coupons = desk.store.read(|reader| reader.coupons(&desk.store_id)).unwrap();
    assert!(coupons.is_empty(), "the first coupon of the page was rolled back");
    let status = sync_status(&desk.store, &desk.store_id).unwrap();
    assert!(status.last_error.is_some());
}

#[tokio::test]
async fn an_item_the_desk_cannot_use_is_set_aside_and_its_feed_goes_on() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Ours");
    let (_, codes) = desk.add_batch("C1", 5, 0);
    let platform = FakePlatform::new(22);
    sync(&desk, &platform).await.unwrap();
    let codes_cursor = cursor(&desk, SyncStream::Codes);
    let status_of = |code: &str, status: &str| CodeChange {
        code: code.to_owned(),
        coupon_id: "C1".into(),
        status: status.into(),
        changed_at: "2030-02-01T00:00:00Z".into(),
    };
    platform.report_code_status(status_of(&codes[0], "lost"));
    platform.report_code_status(status_of(&codes[1], "used"));
    platform.report_refund_request(refund_request("R1"));

    // The unknown status is set aside with why; the rest of the feed and the others come down.
    let report = sync(&desk, &platform).await.unwrap();
    assert_eq!((report.code_statuses_pulled, report.pulled_changes_set_aside), (1, 1));
    assert_ne!(cursor(&desk, SyncStream::Codes), codes_cursor);
    let used = desk.store.read(|reader| reader.find_code(&desk.store_id, &codes[1])).unwrap();
    assert_eq!(used.unwrap().status.map(|status| status.as_str()), Some("used"));
    let requests = desk.store.read(|reader| reader.refund_requests(&desk.store_id)).unwrap();
    assert_eq!(requests.iter().map(|r| r.request_id.as_str()).collect::<Vec<_>>(), ["R1"]);
    let status = sync_status(&desk.store, &desk.store_id).unwrap();
    assert_eq!(status.last_error, None);
    assert_eq!(status.set_aside.len(), 1);
    let aside = &status.set_aside[0];
    assert_eq!((aside.stream, aside.item.as_str()), (SyncStream::Codes, codes[0].as_str()));
    assert!(aside.reason.contains("unknown status \"lost\""), "{aside:?}");

    // Corrected by the platform, it comes down and leaves the list.
    platform.report_code_status(status_of(&codes[0], "valid"));
    sync(&desk, &platform).await.unwrap();
    assert!(sync_status(&desk.store, &desk.store_id).unwrap().set_aside.is_empty());
}

#[tokio::test]
async fn a_platform_whose_history_was_reset_is_read_again_from_the_start_keeping_local_work() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Ours");
    let (_, codes) = desk.add_batch("C1", 5, 0);
    let platform = FakePlatform::new(24);
    let status_of = |code: &str, status: &str| CodeChange {
        code: code.to_owned(),
        coupon_id: "C1".into(),
        status: status.into(),
        changed_at: "2030-02-01T00:00:00Z".into(),
    };
    for code in &codes[..3] {
        platform.report_code_status(status_of(code, "valid"));
    }
    sync(&desk, &platform).await.unwrap();
    let ahead = cursor(&desk, SyncStream::Codes);

    // Restored from a backup holding one change, then a buyer uses another code; meanwhile a
    // local change waits.
    platform.reset_code_history(1);
    platform.report_code_status(status_of(&codes[4], "used"));
    let (batch, _) = desk.add_batch("C1", 7, 100);
    let report = sync(&desk, &platform).await.unwrap();

    assert_eq!(report.code_statuses_pulled, 2, "{report:?}");
    assert_ne!(cursor(&desk, SyncStream::Codes), ahead);
    let used = desk.store.read(|reader| reader.find_code(&desk.store_id, &codes[4])).unwrap();
    assert_eq!(used.unwrap().status.map(|status| status.as_str()), Some("used"));
    assert!(desk.outbox(OutboxState::Pending).is_empty(), "the new batch went up too");
    assert!(batch > 0);
}

#[tokio::test]
async fn a_feed_stuck_on_an_unusable_page_does_not_hold_up_the_others() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Ours");
    desk.add_batch("C1", 5, 0);
    let platform = FakePlatform::new(23);
    sync(&desk, &platform).await.unwrap();
    let codes_cursor = cursor(&desk, SyncStream::Codes);
    platform.report_refund_request(refund_request("R1"));
    // A page that is no page at all.
    for _ in 0..2 {
        platform.script(
            methods::CODES_CHANGES,
            ScriptedFault::InsteadOfAnswer(serde_json::json!({"items": "none"})),
        );
    }

    // Every sync says what is wrong with the codes feed, and the refund request comes down.
    for _ in 0..2 {
        let error = sync(&desk, &platform).await.unwrap_err();
        assert!(error.to_string().contains("reading the codes feed"), "{error}");
        assert_eq!(cursor(&desk, SyncStream::Codes), codes_cursor);
        let requests = desk.store.read(|reader| reader.refund_requests(&desk.store_id)).unwrap();
        assert_eq!(requests.iter().map(|r| r.request_id.as_str()).collect::<Vec<_>>(), ["R1"]);
    }
    let status = sync_status(&desk.store, &desk.store_id).unwrap();
    assert!(status.last_error.unwrap().contains("reading the codes feed"));
}

#[tokio::test]
async fn bad_answers_to_changes_are_errors_and_change_nothing() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Ours");
    let platform = FakePlatform::new(11);
    // An answer in a state the method never answers.
    platform.script(
        methods::COUPON_CREATE,
        ScriptedFault::InsteadOfAnswer(serde_json::json!({"coupon_id": "C1", "state": "draft"})),
    );
    let error = sync(&desk, &platform).await.unwrap_err();
    assert!(error.to_string().contains("in state \"draft\""), "{error}");
    assert_eq!(desk.coupon("C1").state, CouponState::Pending);
    let pending = desk.outbox(OutboxState::Pending);
    assert!(pending[0].last_error.as_deref().unwrap().contains("draft"));

    // An answer missing a field.
    platform.script(
        methods::COUPON_CREATE,
        ScriptedFault::InsteadOfAnswer(serde_json::json!({"coupon_id": "C1"})),
    );
    let error = sync(&desk, &platform).await.unwrap_err();
    assert!(error.to_string().contains("missing field `state`"), "{error}");
    assert_eq!(desk.coupon("C1").state, CouponState::Pending);

    // An upload answer that does not account for the codes sent.
    sync(&desk, &platform).await.unwrap();
    let (batch, _) = desk.add_batch("C1", 10, 0);
    platform.script(
        methods::CODES_UPLOAD,
        ScriptedFault::InsteadOfAnswer(serde_json::json!({"accepted": 3, "taken": []})),
    );
    let error = sync(&desk, &platform).await.unwrap_err();
    assert!(error.to_string().contains("10 codes were sent"), "{error}");
    let progress = desk
        .store
        .read(|reader| reader.code_upload_progress(desk.outbox(OutboxState::Pending)[0].sequence));
    assert_eq!(progress.unwrap().next_chunk, 0);
    sync(&desk, &platform).await.unwrap();
    assert_eq!(platform.codes_of_batch(batch).len(), 10);

    // A feed page that claims more is waiting without moving its cursor.
    let refunds_cursor = cursor(&desk, SyncStream::Refunds).unwrap();
    platform.script(
        methods::REFUNDS_CHANGES,
        ScriptedFault::InsteadOfAnswer(
            serde_json::json!({"items": [], "next_cursor": refunds_cursor, "has_more": true}),
        ),
    );
    let error = sync(&desk, &platform).await.unwrap_err();
    assert!(error.to_string().contains("cursor did not move"), "{error}");
}

#[tokio::test]
async fn taken_codes_of_a_batch_never_exported_are_made_again() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Codes");
    let (batch, codes) = desk.add_batch("C1", 2_500, 0);
    let platform = FakePlatform::new(12);
    // Taken codes in the first, middle and last chunks: replacements land before and after the
    // upload's position.
    let taken: Vec<String> = [0, 1, 999, 1_000, 1_700, 2_498, 2_499].map(code_number).to_vec();
    for code in &taken {
        platform.hold_foreign_code(code);
    }

    let report = sync(&desk, &platform).await.unwrap();

    assert_eq!(report.codes_regenerated, 7);
    assert_eq!(report.codes_withdrawn, 0);
    assert_eq!(report.codes_uploaded, 2_500);
    let local = desk.batch_codes(batch);
    assert_eq!(local.len(), 2_500);
    for code in &taken {
        assert!(!local.contains(code), "{code} is still here");
    }
    let kept = codes.iter().filter(|code| local.contains(code)).count();
    assert_eq!(kept, 2_493);
    assert_eq!(platform.codes_of_batch(batch), local);
    assert!(desk.store.read(|reader| reader.withdrawn_codes(&desk.store_id)).unwrap().is_empty());
    assert_eq!(platform.repeated_code_uploads(), 0);
}

#[tokio::test]
async fn taken_codes_of_an_exported_batch_are_to_be_withdrawn() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Codes");
    let (batch, codes) = desk.add_batch("C1", 1_200, 0);
    desk.export_batch("C1", batch);
    let platform = FakePlatform::new(13);
    platform.hold_foreign_code(&codes[10]);
    platform.hold_foreign_code(&codes[1_100]);

    let report = sync(&desk, &platform).await.unwrap();

    assert_eq!((report.codes_withdrawn, report.codes_regenerated), (2, 0));
    assert_eq!(desk.batch_codes(batch), codes, "exported codes are never replaced");
    let withdrawn = desk.store.read(|reader| reader.withdrawn_codes(&desk.store_id)).unwrap();
    let withdrawn: Vec<&str> = withdrawn.iter().map(|code| code.code.as_str()).collect();
    assert_eq!(withdrawn, [codes[10].as_str(), codes[1_100].as_str()]);
    assert_eq!(platform.codes_of_batch(batch).len(), 1_198);
}

#[tokio::test]
async fn a_refund_decision_goes_up_once_and_a_decided_request_refuses_another() {
    let desk = Desk::new();
    let platform = FakePlatform::new(14);
    platform.report_refund_request(refund_request("R1"));
    platform.report_refund_request(refund_request("R2"));
    sync(&desk, &platform).await.unwrap();

    decide_refund(&desk.store, &desk.store_id, "R1", Decision::Refuse, None, Timestamp::now())
        .unwrap();
    let again =
        decide_refund(&desk.store, &desk.store_id, "R1", Decision::Approve, None, Timestamp::now());
    assert!(matches!(again, Err(StoreError::AlreadyExists { .. })));
    let unknown =
        decide_refund(&desk.store, &desk.store_id, "R9", Decision::Approve, None, Timestamp::now());
    assert!(matches!(unknown, Err(StoreError::NotFound { .. })));
    let pending = desk.outbox(OutboxState::Pending);
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].kind, "decide_refund");
    assert_eq!(
        OutboxChange::read(&pending[0]).unwrap(),
        OutboxChange::DecideRefund(RefundDecisionChange {
            request_id: "R1".into(),
            decision: Decision::Refuse,
            reason: None,
        })
    );

    // R2 is decided on the platform meanwhile; deciding it here too is refused there.
    let mut decided_elsewhere = refund_request("R2");
    decided_elsewhere.decision = Some(Decision::Approve);
    decided_elsewhere.decided_at = Some("2030-02-02T00:00:00Z".into());
    platform.report_refund_request(decided_elsewhere);
    decide_refund(&desk.store, &desk.store_id, "R2", Decision::Refuse, None, Timestamp::now())
        .unwrap();

    let report = sync(&desk, &platform).await.unwrap();

    assert_eq!((report.sent, report.rejected), (1, 1));
    assert_eq!(platform.refund_request("R1").unwrap().decision, Some(Decision::Refuse));
    let requests = desk.store.read(|reader| reader.refund_requests(&desk.store_id)).unwrap();
    let r1 = &requests[0];
    assert_eq!(r1.decision, Some(RefundDecision::Refuse));
    assert_eq!(r1.seller_decision.as_ref().unwrap().upload, DecisionUpload::Sent);
    let r2 = &requests[1];
    assert_eq!(r2.decision, Some(RefundDecision::Approve), "the platform's decision is known");
    match &r2.seller_decision.as_ref().unwrap().upload {
        DecisionUpload::Rejected { reason } => assert!(reason.contains("decided once"), "{reason}"),
        other => panic!("expected a rejected decision, got {other:?}"),
    }
    // Decided on the platform: no new decision is taken here.
    let late =
        decide_refund(&desk.store, &desk.store_id, "R2", Decision::Refuse, None, Timestamp::now());
    assert!(matches!(late, Err(StoreError::AlreadyExists { .. })));
}

#[tokio::test]
async fn a_title_change_goes_up_and_wins_over_the_older_title_in_the_feed() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Old title");
    let platform = FakePlatform::new(15);
    sync(&desk, &platform).await.unwrap();
    desk.change_title("C1", "New title");
    desk.add_coupon("C2", "Later");
    // The platform still describes the coupon with its old title.
    platform.report_coupon(CouponChange {
        terms: wire_terms("C1", "Old title", "2030-12-31T00:00:00Z"),
        state: "published".into(),
        reason: None,
        claimed: None,
        codes: None,
    });

    let report = sync(&desk, &platform).await.unwrap();

    assert_eq!((report.sent, report.held), (2, 0));
    assert_eq!(desk.coupon("C2").state, CouponState::Published);
    assert!(desk.outbox(OutboxState::Pending).is_empty());
    // The platform has the new title, and its feed ends with it: the desk keeps it.
    assert_eq!(platform.coupon("C1").unwrap().terms.title, "New title");
    assert_eq!(desk.coupon("C1").terms.title(), "New title");
    // Sent once: a second sync sends nothing.
    let again = sync(&desk, &platform).await.unwrap();
    assert_eq!(again.sent, 0);
}

#[tokio::test]
async fn the_sync_status_is_readable_from_another_process() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Ours");
    let platform = FakePlatform::new(16);
    for _ in 0..3 {
        platform.script(methods::COUPON_CREATE, ScriptedFault::BeforeApplying(unreachable()));
    }
    sync(&desk, &platform).await.unwrap_err();

    let elsewhere = Store::open(&desk.db_path()).unwrap();
    let status = sync_status(&elsewhere, &desk.store_id).unwrap();
    assert!(!status.online);
    assert_eq!(status.pending_changes, 1);
    assert!(status.last_attempt_at.is_some());
    assert!(status.last_error.unwrap().contains("could not be reached"));

    sync(&desk, &platform).await.unwrap();
    let status = sync_status(&elsewhere, &desk.store_id).unwrap();
    assert!(status.online);
    assert_eq!((status.pending_changes, status.rejected_changes), (0, 0));
    assert!(status.last_successful_sync.is_some());
    assert_eq!(status.last_error, None);

    let unknown = sellerdesk_core::ids::StoreId::parse("store", "S9").unwrap();
    assert!(matches!(sync_status(&elsewhere, &unknown), Err(StoreError::NotFound { .. })));
}

#[tokio::test]
async fn the_sync_loop_syncs_until_shut_down() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Ours");
    let platform = FakePlatform::new(17);
    let nudge = tokio::sync::Notify::new();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let rounds = AtomicU32::new(0);
    let options = quick_options();
    let schedule = SyncSchedule { interval: Duration::from_millis(20), nudge: &nudge };
    let looping = run_sync_loop(
        &desk.store,
        &platform,
        &desk.store_id,
        &options,
        schedule,
        async {
            let _ = stopped.await;
        },
        |result| {
            assert!(result.is_ok(), "{result:?}");
            rounds.fetch_add(1, Ordering::Relaxed);
        },
    );
    let stopping = async {
        while rounds.load(Ordering::Relaxed) < 3 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        stop.send(()).unwrap();
    };
    tokio::time::timeout(Duration::from_secs(10), async { tokio::join!(looping, stopping) })
        .await
        .unwrap();
    assert!(rounds.load(Ordering::Relaxed) >= 3);
    assert_eq!(desk.coupon("C1").state, CouponState::Published);
}

#[test]
fn a_sync_can_run_on_another_task() {
    fn assert_send<T: Send>(_: &T) {}
    let desk = Desk::new();
    let platform = FakePlatform::new(18);
    let options = quick_options();
    let future = sync_once(&desk.store, &platform, &desk.store_id, &options);
    assert_send(&future);
    drop(future);
    let _ = terms("unused", "2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z");
}

#[tokio::test]
async fn an_unusable_answer_to_a_change_keeps_it_waiting_and_still_pulls() {
    let desk = Desk::new();
    desk.add_coupon("C1", "Ours");
    let platform = FakePlatform::new(21);
    platform.report_refund_request(refund_request("R1"));
    platform.script(
        methods::COUPON_CREATE,
        ScriptedFault::InsteadOfAnswer(serde_json::json!({"coupon_id": "C1", "state": "draft"})),
    );

    let error = sync(&desk, &platform).await.unwrap_err();

    assert!(error.to_string().contains("in state \"draft\""), "{error}");
    assert_eq!(desk.outbox(OutboxState::Pending).len(), 1);
    // The refund request came down all the same.
    let requests = desk.store.read(|reader| reader.refund_requests(&desk.store_id)).unwrap();
    assert_eq!(requests.iter().map(|r| r.request_id.as_str()).collect::<Vec<_>>(), ["R1"]);
    assert!(cursor(&desk, SyncStream::Refunds).is_some());

    // Out of reach, nothing is pulled.
    platform.report_refund_request(refund_request("R2"));
    for _ in 0..3 {
        platform.script(methods::COUPON_CREATE, ScriptedFault::BeforeApplying(unreachable()));
    }
    let error = sync(&desk, &platform).await.unwrap_err();
    assert!(matches!(error.call_error(), Some(CallError::Unreachable { .. })), "{error}");
    let requests = desk.store.read(|reader| reader.refund_requests(&desk.store_id)).unwrap();
    assert_eq!(requests.len(), 1);

    sync(&desk, &platform).await.unwrap();
    assert!(desk.outbox(OutboxState::Pending).is_empty());
    let requests = desk.store.read(|reader| reader.refund_requests(&desk.store_id)).unwrap();
    assert_eq!(requests.len(), 2);
}
