//! Fault test: 100 coupons and 10,000 codes pushed through a sandbox that fails a fifth of its
//! calls, drops the answer of one mutation in twenty after applying it, and waits 20 ms before
//! every call. Once the syncs are through, the sandbox's state and the local database agree
//! exactly: every coupon with its terms, every code under its coupon and batch with its status,
//! every mutation id applied once, nothing lost and nothing twice.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::Duration;

use sellerdesk_facade::{
    Clock, ConnectPlatformInput, DatabaseLocation, ErrorCode, GenerateCodesInput, MemoryVault,
    NewCouponInput, NewStoreInput, SellerDesk,
};
use sellerdesk_platform::sync::{RetryPolicy, SyncOptions};
use sellerdesk_sandbox::{
    DEMO_APP_KEY, DEMO_APP_SECRET, FaultInjection, NewStore, Probability, SandboxConfig,
};
use support::{STORE, check_platform_matches_local, local_outbox};

const COUPONS: usize = 100;

/// The code batches as (index of the coupon, number of codes, channel): 10,000 codes in all, with
/// batches of several chunks, batches that end mid-chunk, and two batches on one coupon.
const BATCHES: [(usize, u32, Option<&str>); 10] = [
    (0, 2_500, Some("facebook")),
    (11, 1_500, None),
    (22, 1_000, Some("email")),
    (33, 1_000, None),
    (44, 999, Some("facebook")),
    (55, 1_001, None),
    (66, 700, Some("flyer")),
    (77, 500, None),
    (88, 400, Some("email")),
    (0, 400, None),
];

/// The most syncs tried before the test gives up: each one stops when a call fails five times in
/// a row, which at these rates happens in far fewer than one sync in ten.
const MOST_SYNCS: usize = 200;

#[test]
fn coupons_and_codes_pushed_through_faults_arrive_exactly_once() {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let platform_data = tempfile::tempdir().unwrap();
    let mut config = SandboxConfig::new(platform_data.path());
    config.faults = FaultInjection {
        fail_rate: Probability::new(0.2).unwrap(),
        drop_rate: Probability::new(0.05).unwrap(),
        latency: Duration::from_millis(20),
    };
    let sandbox = runtime.block_on(sellerdesk_sandbox::start(config)).unwrap();
    let access = runtime
        .block_on(sandbox.add_store(NewStore {
            store_id: STORE.into(),
            name: "Fault store".into(),
            currency: "USD".into(),
        }))
        .unwrap();

    let local = tempfile::tempdir().unwrap();
    let database = local.path().join("desk.db");
    let desk = SellerDesk::with_settings(DatabaseLocation::Path(database.clone()), Clock::System)
        .with_vault(Arc::new(MemoryVault::default()))
        // Short waits: a sync that meets a fault gives up soon and the next one goes on, so the
        // test spends its time on faults, not on sleeping.
        .with_sync_options(SyncOptions {
            retry: RetryPolicy {
                tries: 3,
                first_delay: Duration::from_millis(10),
                longest_delay: Duration::from_millis(100),
                longest_retry_after: Duration::ZERO,
            },
            ..SyncOptions::default()
        });
    desk.add_store(&NewStoreInput {
        store_id: STORE.into(),
        name: "Fault store".into(),
        currency: "USD".into(),
    })
    .unwrap();
    desk.connect_platform(&ConnectPlatformInput {
        store_id: STORE.into(),
        base_url: sandbox.base_url(),
        app_key: DEMO_APP_KEY.into(),
        app_secret: DEMO_APP_SECRET.into(),
        access_token: access.access_token,
    })
    .unwrap();

    let coupon_ids: Vec<String> = (0..COUPONS)
        .map(|index| {
            desk.create_coupon(&NewCouponInput {
                store_id: STORE.into(),
                title: format!("Fault coupon {index}"),
                discount: format!("{}.{:02}", 1 + index % 20, index % 100),
                min_purchase: format!("{}.00", 30 + index),
                valid_from: "2026-01-01T00:00:00Z".into(),
                valid_to: "2099-01-01T00:00:00Z".into(),
                quantity: 5_000 + u32::try_from(index).unwrap(),
            })
            .unwrap()
            .coupon_id
        })
        .collect();
    for (coupon_index, count, channel) in BATCHES {
        desk.generate_codes(
            &GenerateCodesInput {
                store_id: STORE.into(),
                coupon_id: coupon_ids[coupon_index].clone(),
                count,
                channel: channel.map(str::to_owned),
                ..GenerateCodesInput::default()
            },
            |_| {},
        )
        .unwrap();
    }
    let total_codes: u32 = BATCHES.iter().map(|(_, count, _)| count).sum();
    assert_eq!(total_codes, 10_000, "the fixture holds 10,000 codes");
    assert_eq!(desk.sync_status(Some(STORE)).unwrap()[0].pending_changes, 110);

    // Sync until one sync goes through whole (push and pull) with nothing left to send. A sync
    // that meets five failures of one call in a row stops with a platform error.
    let mut failed_syncs = 0;
    let finished = (0..MOST_SYNCS).any(|_| match desk.sync_blocking(Some(STORE)) {
        Ok(reports) => reports[0].pending_left == 0,
        Err(error) => {
            assert_eq!(error.code, ErrorCode::Platform, "{error:?}");
            failed_syncs += 1;
            false
        }
    });
    assert!(finished, "no sync went through in {MOST_SYNCS} tries");
    eprintln!("syncs stopped by faults before one went through: {failed_syncs}");
    let status = &desk.sync_status(Some(STORE)).unwrap()[0];
    assert_eq!((status.pending_changes, status.rejected_changes), (0, 0), "{status:?}");

    let dump = sellerdesk_sandbox::dump(platform_data.path()).unwrap();
    check_platform_matches_local(&desk, &database, &dump, u64::from(total_codes), COUPONS);

    // The faults did hit the push: with a quarter of the calls failing, 110 changes all going
    // through at the first try is not something that happens.
    let failed_tries: u64 = local_outbox(&database).iter().map(|entry| entry.attempts).sum();
    eprintln!("failed tries of changes: {failed_tries}");
    assert!(failed_tries > 0, "no fault was injected into the push");
}
