//! A seller's AliExpress store through the facade, against the sandbox's AliExpress dialect on
//! loopback: authorization, coupon activities mirrored, disputes previewed with the shares
//! AliExpress recorded and answered, tokens renewed and an ended authorization said plainly,
//! every error class of the gateway met as a seller meets it.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use sellerdesk_facade::{
    AuthorizeAliexpressInput, Clock, ConnectAliexpressInput, DatabaseLocation, ErrorCode,
    MemoryVault, NewCouponInput, NewStoreInput, RefundAnswer, SellerDesk, StoreConnection,
};
use sellerdesk_sandbox::{
    ALIEXPRESS_APP_KEY, ALIEXPRESS_APP_SECRET, AliexpressConfig, AliexpressFault, RunningAliexpress,
};

struct Platform {
    runtime: tokio::runtime::Runtime,
    sandbox: RunningAliexpress,
}

impl Platform {
    fn start(config: AliexpressConfig) -> Platform {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let sandbox = runtime.block_on(sellerdesk_sandbox::start_aliexpress(config)).unwrap();
        Platform { runtime, sandbox }
    }
}

fn desk(directory: &tempfile::TempDir, vault: &Arc<MemoryVault>) -> SellerDesk {
    let desk = SellerDesk::with_settings(
        DatabaseLocation::Path(directory.path().join("desk.db")),
        Clock::System,
    )
    .with_vault(Arc::clone(vault) as Arc<dyn sellerdesk_facade::CredentialVault>);
    desk.add_store(&NewStoreInput {
        store_id: "AE1".into(),
        name: "My AliExpress store".into(),
        currency: "USD".into(),
    })
    .unwrap();
    desk
}

fn connect(
    desk: &SellerDesk,
    platform: &Platform,
    secret: &str,
    code: String,
) -> Result<(), sellerdesk_facade::FacadeError> {
    desk.connect_aliexpress_blocking(&ConnectAliexpressInput {
        store_id: "AE1".into(),
        base_url: Some(platform.sandbox.base_url()),
        app_key: ALIEXPRESS_APP_KEY.into(),
        app_secret: secret.into(),
        code,
    })
    .map(drop)
}

/// The dialect with its demo data, and a desk whose store AE1 is connected to it (the folder
/// and the vault are the desk's).
fn connected() -> (Platform, tempfile::TempDir, Arc<MemoryVault>, SellerDesk) {
    let platform = Platform::start(AliexpressConfig::default());
    let local = tempfile::tempdir().unwrap();
    let vault = Arc::new(MemoryVault::default());
    let desk = desk(&local, &vault);
    connect(&desk, &platform, ALIEXPRESS_APP_SECRET, platform.sandbox.authorization_code())
        .unwrap();
    (platform, local, vault, desk)
}

#[test]
fn a_seller_connects_an_aliexpress_store_and_answers_its_disputes() {
    let platform = Platform::start(AliexpressConfig::default());
    let local = tempfile::tempdir().unwrap();
    let vault = Arc::new(MemoryVault::default());
    let desk = desk(&local, &vault);

    // The authorization page is AliExpress's, with the app and its callback.
    let page = desk
        .aliexpress_authorization(&AuthorizeAliexpressInput {
            app_key: ALIEXPRESS_APP_KEY.into(),
            redirect_uri: "https://seller.example.com/callback".into(),
            base_url: None,
        })
        .unwrap();
    assert!(
        page.url.starts_with("https://api-sg.aliexpress.com/oauth/authorize?response_type=code"),
        "{}",
        page.url
    );
    assert!(page.url.contains(&format!("state={}", page.state)));

    // A wrong secret, then a code already used, are refused naming the field; nothing is kept.
    let code = platform.sandbox.authorization_code();
    let refused = connect(&desk, &platform, "not-the-secret", code.clone()).unwrap_err();
    assert_eq!((refused.code, refused.field.as_deref()), (ErrorCode::InvalidInput, Some("code")));
    assert!(refused.message.contains("IncompleteSignature"), "{}", refused.message);
    connect(&desk, &platform, ALIEXPRESS_APP_SECRET, code.clone()).unwrap();
    let reused = connect(&desk, &platform, ALIEXPRESS_APP_SECRET, code).unwrap_err();
    assert!(reused.message.contains("InvalidCode"), "{}", reused.message);
    let store = sellerdesk_core::ids::StoreId::parse("store", "AE1").unwrap();
    assert_eq!(
        desk.platform_of(&store).unwrap(),
        Some(sellerdesk_facade::PlatformKind::Aliexpress)
    );

    // The public API creates no coupon: a new one is a draft, with what to enter in Seller
    // Center; its codes are the seller's own (nothing waits to go up).
    let draft = desk
        .create_coupon(&NewCouponInput {
            store_id: "AE1".into(),
            title: "Summer 4 off 40".into(),
            discount: "4.00".into(),
            min_purchase: "40.00".into(),
            valid_from: "2026-01-01T00:00:00Z".into(),
            valid_to: "2099-01-01T00:00:00Z".into(),
            quantity: 300,
        })
        .unwrap();
    assert_eq!(draft.state, "draft");
    let entry = desk.platform_entry("AE1", &draft.coupon_id).unwrap().unwrap();
    assert_eq!(entry.platform, "AliExpress");
    let fields: Vec<(&str, &str)> =
        entry.fields.iter().map(|field| (field.label.as_str(), field.value.as_str())).collect();
    assert!(fields.contains(&("Discount (USD)", "4.00")), "{fields:?}");
    assert!(fields.contains(&("Orders over (USD)", "40.00")), "{fields:?}");
    assert!(
        fields.contains(&("Usable from", "2025-12-31 16:00:00 (US Pacific time)")),
        "{fields:?}"
    );
    let batch = desk
        .generate_codes(
            &sellerdesk_facade::GenerateCodesInput {
                store_id: "AE1".into(),
                coupon_id: draft.coupon_id.clone(),
                count: 25,
                channel: Some("instagram".into()),
                ..sellerdesk_facade::GenerateCodesInput::default()
            },
            |_| {},
        )
        .unwrap();
    assert_eq!(desk.sync_status(Some("AE1")).unwrap()[0].pending_changes, 0);
    // A second draft, changed mind: stopping it concerns the desk only.
    let second = desk
        .create_coupon(&NewCouponInput {
            store_id: "AE1".into(),
            title: "Second thoughts".into(),
            discount: "1.00".into(),
            min_purchase: "10.00".into(),
            valid_from: "2026-01-01T00:00:00Z".into(),
            valid_to: "2099-01-01T00:00:00Z".into(),
            quantity: 10,
        })
        .unwrap();
    assert_eq!(desk.stop_coupon("AE1", &second.coupon_id).unwrap().state, "stopped");
    assert_eq!(desk.sync_status(Some("AE1")).unwrap()[0].pending_changes, 0);

    // A sync mirrors the coupon activities and brings the disputes down.
    let report = &desk.sync_blocking(Some("AE1")).unwrap()[0];
    assert_eq!((report.coupons_pulled, report.refund_requests_pulled), (2, 4), "{report:?}");
    let spring = desk.coupon("AE1", "ae-3000000001").unwrap();
    assert_eq!((spring.title.as_str(), spring.state.as_str()), ("Spring 3 off 30", "published"));
    assert_eq!((spring.discount.as_str(), spring.min_purchase.as_str()), ("3.00", "30.00"));
    // AliExpress counts the buyers who claimed an activity (released_num), not its uses.
    assert_eq!((spring.quantity, spring.claimed_on_platform), (500, Some(42)));
    assert_eq!(desk.coupon("AE1", "ae-3000000002").unwrap().state, "stopped");
    assert_eq!(desk.coupon("AE1", &draft.coupon_id).unwrap().state, "draft", "not entered yet");

    // Entered in Seller Center by hand, it comes down and the draft becomes it, codes and all.
    let activity = platform.sandbox.enter_coupon_activity("summer 4 off 40 ", 400, 4_000, 300);
    desk.sync_blocking(Some("AE1")).unwrap();
    let mirrored = format!("ae-{activity}");
    assert_eq!(desk.coupon("AE1", &mirrored).unwrap().state, "published");
    assert_eq!(desk.coupon("AE1", &draft.coupon_id).unwrap_err().code, ErrorCode::NotFound);
    let batches = desk.code_batches("AE1", &mirrored).unwrap();
    assert_eq!(
        batches.iter().map(|b| (b.batch_id, b.code_count)).collect::<Vec<_>>(),
        [(batch.batch_id, 25)]
    );
    // AliExpress's API registers no codes: the batch says so.
    assert_eq!(batches[0].registration, sellerdesk_facade::BatchRegistrationView::NotRegistered);
    assert_eq!(batch.registration, sellerdesk_facade::BatchRegistrationView::NotRegistered);
    assert!(desk.platform_entry("AE1", &mirrored).unwrap().is_none());
    let requests = desk.refund_requests("AE1").unwrap();
    let decided: Vec<(&str, Option<&str>)> = requests
        .iter()
        .map(|request| (request.request_id.as_str(), request.platform_decision.as_deref()))
        .collect();
    for expected in [
        ("7000001", None),
        ("7000002", None),
        ("7000003", Some("approve")),
        ("7000004", Some("refuse")),
    ] {
        assert!(decided.contains(&expected), "{expected:?} not in {decided:?}");
    }

    // The bag's dispute: what it paid, with the seller coupon's 1.71 and the platform coupon's
    // 2.00 AliExpress recorded on it; neither coupon comes back.
    let preview = desk.preview_refund_request("AE1", "7000001").unwrap();
    assert_eq!(preview.refund_amount, "16.29", "{preview:?}");
    let bag = preview.allocation.iter().find(|line| line.line_id == "8100001001").unwrap();
    assert_eq!((bag.seller_discount.as_str(), bag.platform_discount.as_str()), ("1.71", "2.00"));
    assert!(preview.coupons.iter().all(|coupon| !coupon.returned), "{:?}", preview.coupons);

    // Approving agrees to the buyer's solution; refusing needs the seller's reason.
    desk.answer_refund_request("AE1", "7000001", RefundAnswer::Approve).unwrap();
    let no_reason = desk
        .answer_refund_request("AE1", "7000002", RefundAnswer::Refuse { reason: None })
        .unwrap_err();
    assert_eq!(no_reason.field.as_deref(), Some("reason"));
    desk.answer_refund_request(
        "AE1",
        "7000002",
        RefundAnswer::Refuse { reason: Some("The scarf matches its photos.".into()) },
    )
    .unwrap();
    let report = &desk.sync_blocking(Some("AE1")).unwrap()[0];
    assert_eq!((report.sent, report.pending_left), (2, 0), "{report:?}");
    let answers = platform.sandbox.answers();
    assert_eq!(answers.len(), 2, "{answers:?}");
    let agreed = answers.iter().find(|answer| answer.method == "agree").unwrap();
    assert_eq!(
        (agreed.issue_id.as_str(), agreed.parameters["solution_id"].as_str()),
        ("7000001", Some("7100001"))
    );
    let saved = answers.iter().find(|answer| answer.method == "save").unwrap();
    assert_eq!(saved.parameters["solution_context"], "The scarf matches its photos.");
    assert_eq!(saved.parameters["refund_amount"], "0.00");
    // Syncing again sends nothing twice.
    desk.sync_blocking(Some("AE1")).unwrap();
    assert_eq!(platform.sandbox.answers().len(), 2);
    drop(platform.runtime);
}

#[test]
fn tokens_are_renewed_and_an_ended_authorization_stops_the_sync_with_nothing_lost() {
    let (platform, _local, vault, desk) = connected();
    let store = sellerdesk_core::ids::StoreId::parse("store", "AE1").unwrap();
    let token_of = || match sellerdesk_facade::CredentialVault::load(&*vault, &store).unwrap() {
        Some(StoreConnection::Aliexpress(credentials)) => credentials.tokens.access_token,
        other => panic!("{other:?}"),
    };
    let first = token_of();

    // AliExpress calls the token invalid: it is renewed once, the sync goes on, the keyring
    // keeps the new one.
    platform.sandbox.expire_access_tokens();
    desk.sync_blocking(Some("AE1")).unwrap();
    let renewed = token_of();
    assert_ne!(first, renewed);

    // The grant is revoked: the sync stops saying the seller must authorize again, and the
    // answer waiting is kept.
    desk.answer_refund_request("AE1", "7000001", RefundAnswer::Approve).unwrap();
    platform.sandbox.revoke();
    let stopped = desk.sync_blocking(Some("AE1")).unwrap_err();
    assert!(stopped.message.contains("authorize the store again"), "{}", stopped.message);
    let status = &desk.sync_status(Some("AE1")).unwrap()[0];
    assert_eq!(status.pending_changes, 1);
    assert!(platform.sandbox.answers().is_empty());

    // Authorized again, the answer goes up.
    connect(&desk, &platform, ALIEXPRESS_APP_SECRET, platform.sandbox.authorization_code())
        .unwrap();
    let report = &desk.sync_blocking(Some("AE1")).unwrap()[0];
    assert_eq!((report.sent, report.pending_left), (1, 0), "{report:?}");
    assert_eq!(platform.sandbox.answers().len(), 1);
}

#[test]
fn each_error_class_of_the_gateway_is_met_as_a_seller_meets_it() {
    let (platform, _local, _vault, desk) = connected();

    // A rate-limit ban and a backend failure are waited out and retried: the sync succeeds.
    platform.sandbox.script(&[AliexpressFault::RateLimited, AliexpressFault::Backend]);
    let report = &desk.sync_blocking(Some("AE1")).unwrap()[0];
    assert_eq!(report.coupons_pulled, 2, "{report:?}");

    // Malformed, truncated and oversized answers stop the sync, saying what was wrong.
    for (fault, said) in [
        (AliexpressFault::Malformed, "not JSON"),
        (AliexpressFault::Truncated, "not JSON"),
        (AliexpressFault::Oversized, "larger than"),
    ] {
        platform.sandbox.script(&[fault]);
        let stopped = desk.sync_blocking(Some("AE1")).unwrap_err();
        assert!(stopped.message.contains(said), "{fault:?}: {}", stopped.message);
    }
    // And the next sync is whole again.
    desk.sync_blocking(Some("AE1")).unwrap();

    // An activity in a status the desk does not know is set aside with why; the others come
    // down, and it leaves the list once AliExpress gives a known status again.
    platform.sandbox.set_activity_status(3_000_000_002, "paused");
    let report = &desk.sync_blocking(Some("AE1")).unwrap()[0];
    assert_eq!(report.coupons_pulled, 1, "{report:?}");
    let status = &desk.sync_status(Some("AE1")).unwrap()[0];
    assert_eq!(status.set_aside.len(), 1, "{:?}", status.set_aside);
    assert_eq!(
        (status.set_aside[0].feed.as_str(), status.set_aside[0].item.as_str()),
        ("coupons", "ae-3000000002")
    );
    assert!(status.set_aside[0].reason.contains("unknown status"), "{:?}", status.set_aside);
    platform.sandbox.set_activity_status(3_000_000_002, "closed");
    desk.sync_blocking(Some("AE1")).unwrap();
    assert!(desk.sync_status(Some("AE1")).unwrap()[0].set_aside.is_empty());

    // A business refusal keeps the answer as refused, with AliExpress's own words; the sync
    // goes on.
    desk.answer_refund_request("AE1", "7000001", RefundAnswer::Approve).unwrap();
    platform.sandbox.refuse_next("aliexpress.issue.solution.agree");
    let report = &desk.sync_blocking(Some("AE1")).unwrap()[0];
    assert_eq!((report.sent, report.rejected, report.pending_left), (0, 1, 0), "{report:?}");
    let status = &desk.sync_status(Some("AE1")).unwrap()[0];
    let refused = &status.rejected[0];
    assert!(refused.reason.contains("isv.solution-expired"), "{refused:?}");
    assert!(refused.reason.contains("The buyer's solution has expired"), "{refused:?}");
    assert!(platform.sandbox.answers().is_empty());
}

#[test]
fn disputes_are_read_page_by_page_and_only_what_changed_is_read_again() {
    let (platform, _local, _vault, desk) = connected();
    platform.sandbox.open_disputes(60);

    // 64 disputes: two pages of at most 50, each read in detail with its order.
    let report = &desk.sync_blocking(Some("AE1")).unwrap()[0];
    assert_eq!(report.refund_requests_pulled, 64, "{report:?}");
    assert_eq!(desk.refund_requests("AE1").unwrap().len(), 64);
    let preview = desk.preview_refund_request("AE1", "7100010").unwrap();
    assert_eq!(preview.refund_amount, "12.00");

    // Nothing changed: the next sync reads the coupon list and the two pages, and no detail.
    let before = platform.sandbox.calls();
    let report = &desk.sync_blocking(Some("AE1")).unwrap()[0];
    assert_eq!(report.refund_requests_pulled, 0, "{report:?}");
    assert_eq!(platform.sandbox.calls() - before, 3);

    // A dispute opened since (in the same second as the last read's latest, or later) comes
    // down, and only it.
    platform.sandbox.open_disputes(1);
    let report = &desk.sync_blocking(Some("AE1")).unwrap()[0];
    assert_eq!(report.refund_requests_pulled, 1, "{report:?}");
    assert_eq!(desk.refund_requests("AE1").unwrap().len(), 65);
}
