//! A seller's day against the real sandbox platform on loopback, through the facade: work done
//! offline reaches the platform with the next sync, exactly once; refund requests come down, are
//! previewed and answered, and the answer goes up.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

use std::ops::ControlFlow;
use std::sync::Arc;

use sellerdesk_facade::{
    ByteOrderMark, Clock, ConnectPlatformInput, DatabaseLocation, ErrorCode, ExportInput,
    GenerateCodesInput, MemoryVault, NewCouponInput, NewStoreInput, RefundAnswer, SellerDesk,
};
use sellerdesk_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, DemoData, SandboxConfig};
use serde_json::Value;

struct Platform {
    runtime: tokio::runtime::Runtime,
    sandbox: Option<sellerdesk_sandbox::RunningSandbox>,
    data: tempfile::TempDir,
}

impl Platform {
    fn start_demo() -> Platform {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let data = tempfile::tempdir().unwrap();
        let mut config = SandboxConfig::new(data.path());
        config.demo_data = DemoData::Seed;
        let sandbox = runtime.block_on(sellerdesk_sandbox::start(config)).unwrap();
        Platform { runtime, sandbox: Some(sandbox), data }
    }

    fn sandbox(&self) -> &sellerdesk_sandbox::RunningSandbox {
        self.sandbox.as_ref().unwrap()
    }

    fn token(&self, store_id: &str) -> String {
        let stores = self.runtime.block_on(self.sandbox().stores()).unwrap();
        stores.into_iter().find(|store| store.store_id == store_id).unwrap().access_token
    }

    fn dump(&self) -> Value {
        sellerdesk_sandbox::dump(self.data.path()).unwrap()
    }
}

fn desk(directory: &tempfile::TempDir) -> SellerDesk {
    SellerDesk::with_settings(
        DatabaseLocation::Path(directory.path().join("desk.db")),
        Clock::System,
    )
    .with_vault(Arc::new(MemoryVault::default()))
}

fn connect(desk: &SellerDesk, base_url: &str, token: &str) {
    desk.connect_platform(&ConnectPlatformInput {
        store_id: "S1".into(),
        base_url: base_url.into(),
        app_key: DEMO_APP_KEY.into(),
        app_secret: DEMO_APP_SECRET.into(),
        access_token: token.into(),
    })
    .unwrap();
}

fn count_in_dump(dump: &Value, table: &str, predicate: impl Fn(&Value) -> bool) -> usize {
    dump[table].as_array().map_or(0, |rows| rows.iter().filter(|row| predicate(row)).count())
}

#[test]
fn work_done_offline_reaches_the_platform_once_with_the_next_sync() {
    let local = tempfile::tempdir().unwrap();
    let desk = desk(&local);
    desk.add_store(&NewStoreInput {
        store_id: "S1".into(),
        name: "Demo S1".into(),
        currency: "USD".into(),
    })
    .unwrap();
    // Connected to an address where nothing listens: the platform is down.
    connect(&desk, "http://127.0.0.1:9", "no-token-yet");

    // Offline: create, generate, export and preview all work.
    let coupon = desk
        .create_coupon(&NewCouponInput {
            store_id: "S1".into(),
            title: "Offline coupon".into(),
            discount: "2.00".into(),
            min_purchase: "15.00".into(),
            valid_from: "2026-01-01T00:00:00Z".into(),
            valid_to: "2099-01-01T00:00:00Z".into(),
            quantity: 5_000,
        })
        .unwrap();
    let batch = desk
        .generate_codes(
            &GenerateCodesInput {
                store_id: "S1".into(),
                coupon_id: coupon.coupon_id.clone(),
                count: 2_500,
                channel: Some("facebook".into()),
                ..GenerateCodesInput::default()
            },
            |_| {},
        )
        .unwrap();
    let export = desk
        .export_codes(
            &ExportInput {
                store_id: "S1".into(),
                coupon_id: coupon.coupon_id.clone(),
                out: local.path().join("facebook.csv"),
                channel: None,
                batch_id: None,
                status: None,
                byte_order_mark: ByteOrderMark::Absent,
            },
            |_| ControlFlow::Continue(()),
        )
        .unwrap();
    assert_eq!(export.rows, 2_500);
    let example = desk.example_payment("combined-cart").unwrap();
    assert_eq!(desk.preview_refund(example).unwrap().refund_amount, "8.06");

    let offline = desk.sync_blocking(Some("S1")).unwrap_err();
    assert_eq!(offline.code, ErrorCode::Platform);
    let status = &desk.sync_status(Some("S1")).unwrap()[0];
    assert!(!status.online);
    assert_eq!(status.pending_changes, 2, "the coupon and its batch wait");
    assert!(status.last_error.is_some());

    // The platform is up: the next sync delivers everything, once.
    let platform = Platform::start_demo();
    connect(&desk, &platform.sandbox().base_url(), &platform.token("S1"));
    let reports = desk.sync_blocking(Some("S1")).unwrap();
    assert_eq!(reports[0].pending_left, 0);
    assert_eq!(reports[0].codes_uploaded, 2_500);
    let again = desk.sync_blocking(None).unwrap();
    assert_eq!((again[0].sent, again[0].codes_uploaded), (0, 0), "nothing goes up twice");

    let dump = platform.dump();
    let coupon_id = coupon.coupon_id.as_str();
    assert_eq!(count_in_dump(&dump, "coupons", |row| row["coupon_id"] == coupon_id), 1);
    assert_eq!(count_in_dump(&dump, "codes", |row| row["coupon_id"] == coupon_id), 2_500);
    let status = &desk.sync_status(Some("S1")).unwrap()[0];
    assert!(status.online && status.last_error.is_none());
    assert_eq!(desk.coupon("S1", coupon_id).unwrap().state, "published");
    assert_eq!(batch.code_count, 2_500);
}

#[test]
fn refund_requests_come_down_are_previewed_and_answered() {
    let platform = Platform::start_demo();
    let local = tempfile::tempdir().unwrap();
    let desk = desk(&local);
    desk.add_store(&NewStoreInput {
        store_id: "S1".into(),
        name: "Demo S1".into(),
        currency: "USD".into(),
    })
    .unwrap();
    connect(&desk, &platform.sandbox().base_url(), &platform.token("S1"));
    desk.sync_blocking(Some("S1")).unwrap();

    let requests = desk.refund_requests("S1").unwrap();
    assert!(!requests.is_empty(), "the demo has refund requests for S1");
    let open = requests.iter().find(|request| request.platform_decision.is_none()).unwrap();
    let preview = desk.preview_refund_request(&open.request_id).unwrap();
    assert_eq!(preview.order_id, open.order_id);

    let answered = desk.answer_refund_request(&open.request_id, RefundAnswer::Approve).unwrap();
    assert_eq!(answered.seller_decision.as_deref(), Some("approve"));
    assert_eq!(answered.decision_upload.as_deref(), Some("pending"));
    let twice = desk.answer_refund_request(&open.request_id, RefundAnswer::Refuse).unwrap_err();
    assert_eq!(twice.code, ErrorCode::Conflict);

    desk.sync_blocking(Some("S1")).unwrap();
    let dump = platform.dump();
    let request_id = open.request_id.as_str();
    let decided = dump["refund_requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["request_id"] == request_id)
        .unwrap();
    assert_eq!(decided["decision"], "approve", "{decided}");
    let after = desk.refund_requests("S1").unwrap();
    let after = after.iter().find(|request| request.request_id == request_id).unwrap();
    assert_eq!(after.decision_upload.as_deref(), Some("sent"));
}

#[test]
fn a_store_that_is_not_connected_is_told_so() {
    let local = tempfile::tempdir().unwrap();
    let desk = desk(&local);
    desk.add_store(&NewStoreInput {
        store_id: "S1".into(),
        name: "S1".into(),
        currency: "USD".into(),
    })
    .unwrap();
    assert_eq!(desk.sync_blocking(None).unwrap_err().code, ErrorCode::NotConnected);
    assert_eq!(desk.sync_blocking(Some("S1")).unwrap_err().code, ErrorCode::NotConnected);
    let insecure = desk.connect_platform(&ConnectPlatformInput {
        store_id: "S1".into(),
        base_url: "http://platform.example.com".into(),
        app_key: "k".into(),
        app_secret: "s".into(),
        access_token: "t".into(),
    });
    assert_eq!(insecure.unwrap_err().field.as_deref(), Some("url"));
}
