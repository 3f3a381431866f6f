//! The HTTP client and the sync engine against the real server on loopback (the sandbox of
//! `crates/sellerdesk-sandbox`), with its injected faults: signed calls accepted, every change
//! applied once, the feeds pulled.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{Desk, code_number, quick_options};
use sellerdesk_core::Timestamp;
use sellerdesk_core::seller_coupon::CouponState;
use sellerdesk_platform::api::Decision;
use sellerdesk_platform::{
    CallError, PlatformClient, PlatformCredentials, SyncError, SyncReport, decide_refund, sync_once,
};
use sellerdesk_sandbox::{
    DEMO_APP_KEY, DEMO_APP_SECRET, DemoData, FaultInjection, NewStore, Probability, RunningSandbox,
    SandboxConfig,
};
use sellerdesk_store::{DecisionUpload, OutboxState, SyncStream};
use serde_json::Value;

fn client_for(sandbox: &RunningSandbox, access_token: &str, app_secret: &str) -> PlatformClient {
    PlatformClient::new(PlatformCredentials {
        base_url: sandbox.base_url(),
        app_key: DEMO_APP_KEY.into(),
        app_secret: app_secret.into(),
        access_token: access_token.into(),
    })
    .unwrap()
}

async fn sync(desk: &Desk, client: &PlatformClient) -> Result<SyncReport, SyncError> {
    sync_once(&desk.store, client, &desk.store_id, &quick_options()).await
}

/// Syncs until a sync succeeds with nothing left pending.
async fn sync_until_through(desk: &Desk, client: &PlatformClient) {
    for _ in 0..200 {
        let result = sync(desk, client).await;
        if result.is_ok() && desk.outbox(OutboxState::Pending).is_empty() {
            return;
        }
    }
    panic!("still not through after 200 syncs");
}

fn rows<'a>(state: &'a Value, table: &str, store_id: &str) -> Vec<&'a Value> {
    state[table].as_array().unwrap().iter().filter(|row| row["store_id"] == store_id).collect()
}

#[tokio::test]
async fn every_change_reaches_the_sandbox_once_despite_failures_and_dropped_answers() {
    let data = tempfile::tempdir().unwrap();
    let mut config = SandboxConfig::new(data.path());
    config.faults = FaultInjection {
        fail_rate: Probability::new(0.2).unwrap(),
        drop_rate: Probability::new(0.2).unwrap(),
        latency: Duration::ZERO,
    };
    let sandbox = sellerdesk_sandbox::start(config).await.unwrap();
    let access = sandbox
        .add_store(NewStore { store_id: "S1".into(), name: "Shop".into(), currency: "USD".into() })
        .await
        .unwrap();
    let client = client_for(&sandbox, &access.access_token, DEMO_APP_SECRET);

    let desk = Desk::new();
    // C0 is live now, so that simulated buyers can claim its codes.
    let live = ("2025-01-01T00:00:00Z", "2099-12-31T00:00:00Z");
    desk.add_coupon_valid(&desk.store_id.clone(), "C0", "Coupon 0", live);
    for index in 1..4 {
        desk.add_coupon(&format!("C{index}"), &format!("Coupon {index}"));
    }
    let (batch, _) = desk.add_batch("C0", 2_200, 0);
    let (small_batch, _) = desk.add_batch("C1", 40, 50_000);
    desk.stop_coupon("C2");

    sync_until_through(&desk, &client).await;

    let state = sellerdesk_sandbox::dump(data.path()).unwrap();
    let coupons: BTreeMap<String, String> = rows(&state, "coupons", "S1")
        .iter()
        .map(|row| {
            (row["coupon_id"].as_str().unwrap().into(), row["state"].as_str().unwrap().into())
        })
        .collect();
    assert_eq!(coupons.len(), 4);
    assert_eq!(coupons["C2"], "stopped");
    assert_eq!(coupons["C3"], "published");
    for batch_id in [batch, small_batch] {
        let mut platform_codes: Vec<String> = rows(&state, "codes", "S1")
            .iter()
            .filter(|row| row["batch_id"] == batch_id)
            .map(|row| row["code"].as_str().unwrap().to_owned())
            .collect();
        platform_codes.sort();
        assert_eq!(platform_codes, desk.batch_codes(batch_id), "batch {batch_id}");
    }
    assert!(desk.outbox(OutboxState::Rejected).is_empty());
    for index in [0, 1, 3] {
        assert_eq!(desk.coupon(&format!("C{index}")).state, CouponState::Published);
    }
    // Uploaded, but nobody holds them: the platform has them valid with no buyer, and locally
    // they are unclaimed (an upload is not a buyer-side status).
    let local_status_matches_platform = |state: &Value| {
        let mut claimed = 0;
        for row in rows(state, "codes", "S1") {
            let code = row["code"].as_str().unwrap();
            let local = desk.store.read(|reader| reader.find_code(&desk.store_id, code)).unwrap();
            let local_status = local.unwrap().status.map(|status| status.as_str().to_owned());
            // The status the seller sees: none while the code is valid and nobody holds it.
            let seller_visible = match (row["status"].as_str(), row["buyer_id"].as_str()) {
                (Some("valid"), None) => None,
                (status, _) => status,
            };
            assert_eq!(local_status.as_deref(), seller_visible, "code {code}");
            claimed += usize::from(row["buyer_id"].is_string());
        }
        claimed
    };
    assert_eq!(local_status_matches_platform(&state), 0);

    // Buyers claim codes on the platform; their statuses come back through the codes feed.
    let activity = sandbox.simulate_buyers(25).await.unwrap();
    assert!(activity.claimed > 0);
    sync_until_through(&desk, &client).await;
    let state = sellerdesk_sandbox::dump(data.path()).unwrap();
    let claimed = local_status_matches_platform(&state);
    assert_eq!(claimed, usize::try_from(activity.claimed).unwrap(), "every claim came down");
    assert!(!desk.batch_codes(batch).is_empty());
    let _ = code_number(0);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn demo_data_is_pulled_a_refund_decided_and_a_wrong_secret_refused() {
    let data = tempfile::tempdir().unwrap();
    let mut config = SandboxConfig::new(data.path());
    config.demo_data = DemoData::Seed;
    let sandbox = sellerdesk_sandbox::start(config).await.unwrap();
    let stores = sandbox.stores().await.unwrap();
    let s1 = stores.iter().find(|store| store.store_id == "S1").unwrap();
    let desk = Desk::new();

    // A call signed with the wrong secret is refused, and nothing is applied.
    desk.add_coupon("CLOCAL", "Local");
    let forged = client_for(&sandbox, &s1.access_token, "not-the-secret");
    let error = sync(&desk, &forged).await.unwrap_err();
    assert!(
        matches!(error.call_error(), Some(CallError::Rejected { status: 401, code, .. }) if code == "invalid_signature"),
        "{error}"
    );
    assert_eq!(desk.outbox(OutboxState::Pending).len(), 1);
    assert_eq!(desk.coupon("CLOCAL").state, CouponState::Pending);

    let client = client_for(&sandbox, &s1.access_token, DEMO_APP_SECRET);
    let report = sync(&desk, &client).await.unwrap();
    assert_eq!(report.sent, 1);
    let state = sellerdesk_sandbox::dump(data.path()).unwrap();
    let demo_coupons = rows(&state, "coupons", "S1").len() as u64;
    assert_eq!(report.coupons_pulled, demo_coupons, "the local coupon comes back too");
    let local_coupons = desk.store.read(|reader| reader.coupons(&desk.store_id)).unwrap();
    assert_eq!(local_coupons.len() as u64, demo_coupons);

    let requests = desk.store.read(|reader| reader.refund_requests(&desk.store_id)).unwrap();
    assert_eq!(requests.len(), rows(&state, "refund_requests", "S1").len());
    let undecided = requests.iter().find(|request| request.decision.is_none()).unwrap();
    decide_refund(
        &desk.store,
        &desk.store_id,
        &undecided.request_id,
        Decision::Approve,
        None,
        Timestamp::now(),
    )
    .unwrap();
    sync(&desk, &client).await.unwrap();

    let state = sellerdesk_sandbox::dump(data.path()).unwrap();
    let decided = rows(&state, "refund_requests", "S1")
        .into_iter()
        .find(|row| row["request_id"] == undecided.request_id.as_str())
        .unwrap();
    assert_eq!(decided["decision"], "approve");
    let local = desk
        .store
        .read(|reader| reader.refund_request(&desk.store_id, &undecided.request_id))
        .unwrap();
    assert_eq!(local.seller_decision.unwrap().upload, DecisionUpload::Sent);
    let platform_decided_at: Timestamp = decided["decided_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(local.decided_at, Some(platform_decided_at));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_platform_restored_from_an_older_backup_is_read_again_from_the_start() {
    let seeded = |data: &tempfile::TempDir| {
        let mut config = SandboxConfig::new(data.path());
        config.demo_data = DemoData::Seed;
        config
    };
    let token_of = |stores: Vec<sellerdesk_sandbox::StoreAccess>| {
        stores.into_iter().find(|store| store.store_id == "S1").unwrap().access_token
    };
    let before = tempfile::tempdir().unwrap();
    let sandbox = sellerdesk_sandbox::start(seeded(&before)).await.unwrap();
    let client = client_for(&sandbox, &token_of(sandbox.stores().await.unwrap()), DEMO_APP_SECRET);
    let desk = Desk::new();
    desk.add_coupon("CLOCAL", "Local");
    sync(&desk, &client).await.unwrap();
    let ahead = desk.store.read(|reader| reader.sync_cursor(&desk.store_id, SyncStream::Coupons));
    sandbox.shutdown().await;

    // The platform comes back from a backup older than the desk's cursor.
    let restored = tempfile::tempdir().unwrap();
    let sandbox = sellerdesk_sandbox::start(seeded(&restored)).await.unwrap();
    let client = client_for(&sandbox, &token_of(sandbox.stores().await.unwrap()), DEMO_APP_SECRET);
    let report = sync(&desk, &client).await.unwrap();

    let state = sellerdesk_sandbox::dump(restored.path()).unwrap();
    assert_eq!(report.coupons_pulled, rows(&state, "coupons", "S1").len() as u64, "read again");
    let cursor = desk.store.read(|reader| reader.sync_cursor(&desk.store_id, SyncStream::Coupons));
    assert_ne!(cursor.unwrap(), ahead.unwrap());
    assert_eq!(desk.coupon("CLOCAL").state, CouponState::Published, "nothing local is lost");
    sandbox.shutdown().await;
}
