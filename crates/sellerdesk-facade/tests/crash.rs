//! Crash test: the sync process killed with SIGKILL at random points, many times, then one clean
//! sync: every change applied exactly once.
//!
//! The test runs its own binary again as the sync process (the "child"): the same test, told by
//! an environment variable to sync the database it is given until there is nothing left to do.
//! The parent starts the sandbox, prepares the local database, starts and kills the child again
//! and again after a random delay, then syncs once in-process and compares the sandbox's state
//! with the local database. The delays come from a seeded generator whose seed is printed; set
//! `SELLERDESK_CRASH_SEED` to the printed seed to draw the same delays again.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]
// SIGKILL is a Unix signal.
#![cfg(unix)]

mod support;

use std::fs::File;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sellerdesk_facade::{
    Clock, ConnectPlatformInput, DatabaseLocation, GenerateCodesInput, MemoryVault, NewCouponInput,
    NewStoreInput, SellerDesk,
};
use sellerdesk_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, FaultInjection, NewStore, SandboxConfig};
use support::{STORE, check_platform_matches_local, open_read_only};

/// This test's name, which the child is started with.
const TEST_NAME: &str = "sync_killed_at_random_points_applies_every_change_exactly_once";

/// Set in the child: it syncs instead of running the test.
const CHILD_VARIABLE: &str = "SELLERDESK_CRASH_CHILD";
const DATABASE_VARIABLE: &str = "SELLERDESK_CRASH_DATABASE";
const BASE_URL_VARIABLE: &str = "SELLERDESK_CRASH_BASE_URL";
const TOKEN_VARIABLE: &str = "SELLERDESK_CRASH_TOKEN";
/// Set by whoever runs the test to repeat the delays of an earlier run.
const SEED_VARIABLE: &str = "SELLERDESK_CRASH_SEED";

const COUPONS: usize = 30;

/// How many codes the batch of coupon `index` holds: 500 (one chunk) or 1,500 (two chunks, so
/// that a kill can land between the chunks of one batch).
fn batch_size(index: usize) -> u32 {
    if index.is_multiple_of(2) { 500 } else { 1_500 }
}

/// Enough kills to land in the push and in the pull that follows it.
const KILLS: usize = 24;

/// The number of SIGKILL (POSIX fixes it at 9).
const SIGKILL: i32 = 9;

/// How long the sandbox waits before each call: with 75 uploads and creations, the push alone
/// takes more than 0.75 s, so the first kill (at most 400 ms in) always lands before it is over.
const LATENCY: Duration = Duration::from_millis(10);

#[test]
fn sync_killed_at_random_points_applies_every_change_exactly_once() {
    if std::env::var_os(CHILD_VARIABLE).is_some() {
        sync_until_done_or_killed();
        return;
    }

    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let platform_data = tempfile::tempdir().unwrap();
    let mut config = SandboxConfig::new(platform_data.path());
    config.faults = FaultInjection { latency: LATENCY, ..FaultInjection::NONE };
    let sandbox = runtime.block_on(sellerdesk_sandbox::start(config)).unwrap();
    let access = runtime
        .block_on(sandbox.add_store(NewStore {
            store_id: STORE.into(),
            name: "Crash store".into(),
            currency: "USD".into(),
        }))
        .unwrap();
    let base_url = sandbox.base_url();

    let local = tempfile::tempdir().unwrap();
    let database = local.path().join("desk.db");
    let total_codes = prepare_local_database(&database);

    let seed = std::env::var(SEED_VARIABLE)
        .map(|text| text.parse::<u64>().unwrap())
        .unwrap_or_else(|_| rand::random());
    eprintln!("crash test seed: {seed} (set {SEED_VARIABLE}={seed} to draw the same delays)");
    let mut random = StdRng::seed_from_u64(seed);

    let mut killed_with_changes_pending = 0;
    for child_index in 0..KILLS {
        let delay = Duration::from_millis(random.random_range(20..=400));
        let output = local.path().join(format!("child-{child_index}.log"));
        let log = File::create(&output).unwrap();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", TEST_NAME, "--nocapture"])
            .env(CHILD_VARIABLE, "1")
            .env(DATABASE_VARIABLE, &database)
            .env(BASE_URL_VARIABLE, &base_url)
            .env(TOKEN_VARIABLE, &access.access_token)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let finished_alone = child.try_wait().unwrap();
        if finished_alone.is_none() {
            // Killing a child that has just exited on its own changes nothing.
            child.kill().unwrap();
        }
        let status = child.wait().unwrap();
        let killed = status.signal() == Some(SIGKILL);
        assert!(
            killed || status.success(),
            "child {child_index} failed ({status}):\n{}",
            std::fs::read_to_string(&output).unwrap_or_default()
        );
        let progress = local_progress(&database);
        if killed && progress.pending_changes > 0 {
            killed_with_changes_pending += 1;
        }
        eprintln!(
            "child {child_index}: {} after {} ms; {} changes pending, {} chunks acknowledged, \
             {} code statuses pulled",
            if killed { "killed" } else { "finished" },
            delay.as_millis(),
            progress.pending_changes,
            progress.chunks_acknowledged,
            progress.statuses_pulled,
        );
    }
    assert!(killed_with_changes_pending > 0, "no kill landed while changes were pending");

    // One clean sync finishes the work, and a second one finds nothing left to send.
    let desk = desk(&database);
    connect(&desk, &base_url, &access.access_token);
    let report = &desk.sync_blocking(Some(STORE)).unwrap()[0];
    assert_eq!(report.pending_left, 0, "{report:?}");
    let again = &desk.sync_blocking(Some(STORE)).unwrap()[0];
    assert_eq!((again.sent, again.codes_uploaded), (0, 0), "nothing goes up twice: {again:?}");
    let status = &desk.sync_status(Some(STORE)).unwrap()[0];
    assert_eq!((status.pending_changes, status.rejected_changes), (0, 0), "{status:?}");
    assert!(status.withdraw_codes.is_empty(), "{:?}", status.withdraw_codes);

    let dump = sellerdesk_sandbox::dump(platform_data.path()).unwrap();
    check_platform_matches_local(&desk, &database, &dump, total_codes, COUPONS);
}

/// The child: syncs the database it is given until a sync finds nothing left to send, unless it
/// is killed first.
fn sync_until_done_or_killed() {
    let variable = |name: &str| std::env::var(name).unwrap();
    let desk = desk(Path::new(&variable(DATABASE_VARIABLE)));
    connect(&desk, &variable(BASE_URL_VARIABLE), &variable(TOKEN_VARIABLE));
    loop {
        let reports = desk.sync_blocking(Some(STORE)).unwrap();
        if reports[0].pending_left == 0 {
            return;
        }
    }
}

fn desk(database: &Path) -> SellerDesk {
    SellerDesk::with_settings(DatabaseLocation::Path(database.to_owned()), Clock::System)
        .with_vault(Arc::new(MemoryVault::default()))
}

fn connect(desk: &SellerDesk, base_url: &str, token: &str) {
    desk.connect_platform(&ConnectPlatformInput {
        store_id: STORE.into(),
        base_url: base_url.into(),
        app_key: DEMO_APP_KEY.into(),
        app_secret: DEMO_APP_SECRET.into(),
        access_token: token.into(),
    })
    .unwrap();
}

/// Creates the store, its coupons and a batch of codes for each, interleaved in the outbox.
/// Returns how many codes were made. The desk is closed when this returns.
fn prepare_local_database(database: &Path) -> u64 {
    let desk = desk(database);
    desk.add_store(&NewStoreInput {
        store_id: STORE.into(),
        name: "Crash store".into(),
        currency: "USD".into(),
    })
    .unwrap();
    let mut total_codes = 0;
    for index in 0..COUPONS {
        let coupon = desk
            .create_coupon(&NewCouponInput {
                store_id: STORE.into(),
                title: format!("Crash coupon {index}"),
                discount: format!("{}.50", 1 + index),
                min_purchase: format!("{}.00", 50 + index),
                valid_from: "2026-01-01T00:00:00Z".into(),
                valid_to: "2099-01-01T00:00:00Z".into(),
                quantity: 2_000,
            })
            .unwrap();
        let batch = desk
            .generate_codes(
                &GenerateCodesInput {
                    store_id: STORE.into(),
                    coupon_id: coupon.coupon_id,
                    count: batch_size(index),
                    channel: index.is_multiple_of(3).then(|| "facebook".to_owned()),
                    ..GenerateCodesInput::default()
                },
                |_| {},
            )
            .unwrap();
        total_codes += batch.code_count;
    }
    assert_eq!(desk.sync_status(Some(STORE)).unwrap()[0].pending_changes, 2 * COUPONS as u64);
    total_codes
}

/// How far the children got, as the local database says.
struct LocalProgress {
    pending_changes: u64,
    chunks_acknowledged: u64,
    /// Codes whose status came down from the platform's feed.
    statuses_pulled: u64,
}

fn local_progress(database: &Path) -> LocalProgress {
    let connection = open_read_only(database);
    let count = |sql: &str| -> u64 {
        let value: i64 = connection.query_row(sql, [], |row| row.get(0)).unwrap();
        u64::try_from(value).unwrap()
    };
    LocalProgress {
        pending_changes: count("SELECT COUNT(*) FROM outbox WHERE state = 'pending'"),
        chunks_acknowledged: count("SELECT COALESCE(SUM(next_chunk), 0) FROM code_uploads"),
        statuses_pulled: count("SELECT COUNT(*) FROM codes WHERE status IS NOT NULL"),
    }
}
