//! The log a seller can send: a day's work against the sandbox (connect, a coupon, codes, an
//! export, a sync) is in it with its spans and platform calls, and no secret, token or code is.
//! One test per process: the log is the process' own.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

use std::ops::ControlFlow;
use std::sync::Arc;

use sellerdesk_facade::{
    ByteOrderMark, Clock, ConnectPlatformInput, DatabaseLocation, ExportInput, GenerateCodesInput,
    LogEcho, MemoryVault, NewCouponInput, NewStoreInput, SellerDesk, log_folder, start_log,
};
use sellerdesk_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, DemoData, SandboxConfig};

#[test]
fn the_log_tells_what_happened_and_holds_no_secret() {
    let data = tempfile::tempdir().unwrap();
    let logs = log_folder(data.path());
    let guard = start_log(&logs, LogEcho::FileOnly).unwrap();
    // A second log in the same process is refused, not silently dropped.
    assert!(start_log(&logs, LogEcho::FileOnly).is_err());

    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let platform_data = tempfile::tempdir().unwrap();
    let mut config = SandboxConfig::new(platform_data.path());
    config.demo_data = DemoData::Seed;
    let sandbox = runtime.block_on(sellerdesk_sandbox::start(config)).unwrap();
    let stores = runtime.block_on(sandbox.stores()).unwrap();
    let token = stores.into_iter().find(|store| store.store_id == "S1").unwrap().access_token;

    let desk = SellerDesk::with_settings(
        DatabaseLocation::Path(data.path().join("sellerdesk.db")),
        Clock::System,
    )
    .with_vault(Arc::new(MemoryVault::default()));
    desk.add_store(&NewStoreInput {
        store_id: "S1".into(),
        name: "Demo S1".into(),
        currency: "USD".into(),
    })
    .unwrap();
    desk.connect_platform(&ConnectPlatformInput {
        store_id: "S1".into(),
        base_url: sandbox.base_url(),
        app_key: DEMO_APP_KEY.into(),
        app_secret: DEMO_APP_SECRET.into(),
        access_token: token.clone(),
    })
    .unwrap();
    let coupon = desk
        .create_coupon(&NewCouponInput {
            store_id: "S1".into(),
            title: "Logged 2 off 15".into(),
            discount: "2.00".into(),
            min_purchase: "15.00".into(),
            valid_from: "2026-01-01T00:00:00Z".into(),
            valid_to: "2099-01-01T00:00:00Z".into(),
            quantity: 100,
        })
        .unwrap();
    desk.generate_codes(
        &GenerateCodesInput {
            store_id: "S1".into(),
            coupon_id: coupon.coupon_id.clone(),
            count: 20,
            channel: Some("tiktok".into()),
            ..GenerateCodesInput::default()
        },
        |_| {},
    )
    .unwrap();
    let out = data.path().join("codes.csv");
    desk.export_codes(
        &ExportInput {
            store_id: "S1".into(),
            coupon_id: coupon.coupon_id.clone(),
            out: out.clone(),
            channel: None,
            batch_id: None,
            status: None,
            byte_order_mark: ByteOrderMark::Absent,
        },
        |_| ControlFlow::Continue(()),
    )
    .unwrap();
    desk.sync_blocking(Some("S1")).unwrap();
    let diagnostics = desk.diagnostics(&logs).unwrap();
    drop(guard);

    let mut log = String::new();
    for entry in std::fs::read_dir(&logs).unwrap() {
        log.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    for expected in [
        "generate_codes{store=S1",
        "codes generated",
        "export{store=S1",
        "codes exported",
        "sync{store=S1 platform=\"sellerdesk\"}",
        "method=\"seller.coupon.create\"",
        "method=\"seller.codes.upload\"",
        "outcome=\"ok\"",
        "sync ended",
    ] {
        assert!(log.contains(expected), "{expected} is not in the log:\n{log}");
    }
    let codes: Vec<String> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 20);
    for secret in
        [DEMO_APP_SECRET, token.as_str()].into_iter().chain(codes.iter().map(String::as_str))
    {
        assert!(!log.contains(secret), "the log holds {secret}");
        assert!(!diagnostics.text.contains(secret), "the diagnostics hold {secret}");
    }
    let text = &diagnostics.text;
    assert!(text.starts_with("Seller Desk "), "{text}");
    assert!(text.contains("store S1 (USD): sellerdesk"), "{text}");
    assert!(text.contains("online, last sync 20"), "{text}");
    assert!(text.contains("log (last 80 lines):"), "{text}");
    drop(sandbox);
}
