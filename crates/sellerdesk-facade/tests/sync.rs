//! A seller's day against the real sandbox platform on loopback, through the facade: work done
//! offline reaches the platform with the next sync, exactly once; refund requests come down, are
//! previewed and answered, and the answer goes up.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

use std::ops::ControlFlow;
use std::sync::Arc;

use sellerdesk_facade::{
    BatchRegistrationView, ByteOrderMark, Clock, ConnectPlatformInput, CorrectionView,
    CouponChangesInput, CouponView, DatabaseLocation, ErrorCode, ExportInput, GenerateCodesInput,
    MemoryVault, NewCouponInput, NewStoreInput, RefundAnswer, SellerDesk,
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

/// A desk on its own database with one store, S1 in USD, not connected yet.
fn desk(directory: &tempfile::TempDir) -> SellerDesk {
    let desk = SellerDesk::with_settings(
        DatabaseLocation::Path(directory.path().join("desk.db")),
        Clock::System,
    )
    .with_vault(Arc::new(MemoryVault::default()));
    desk.add_store(&NewStoreInput {
        store_id: "S1".into(),
        name: "Demo S1".into(),
        currency: "USD".into(),
    })
    .unwrap();
    desk
}

/// A coupon of S1 valid from 2026 to 2099 (live now), for 5,000 buyers.
fn live_coupon(desk: &SellerDesk, title: &str) -> CouponView {
    desk.create_coupon(&NewCouponInput {
        store_id: "S1".into(),
        title: title.into(),
        discount: "2.00".into(),
        min_purchase: "15.00".into(),
        valid_from: "2026-01-01T00:00:00Z".into(),
        valid_to: "2099-01-01T00:00:00Z".into(),
        quantity: 5_000,
    })
    .unwrap()
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
    // Connected to an address where nothing listens: the platform is down.
    connect(&desk, "http://127.0.0.1:9", "no-token-yet");

    // Offline: create, generate, export and preview all work.
    let coupon = live_coupon(&desk, "Offline coupon");
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
    let steps = std::sync::Mutex::new(Vec::new());
    let reports = desk
        .sync_blocking_reporting(Some("S1"), &|step| {
            steps.lock().unwrap().push((step.batch_id, step.uploaded, step.total));
        })
        .unwrap();
    assert_eq!(reports[0].pending_left, 0);
    assert_eq!(reports[0].codes_uploaded, 2_500);
    assert_eq!(batch.registration, BatchRegistrationView::Uploading { uploaded: 0 });
    let listed = desk.code_batches("S1", &coupon.coupon_id).unwrap();
    assert_eq!(listed[0].registration, BatchRegistrationView::Registered);
    // Told where the upload starts, then after each chunk of 1,000 the platform took.
    let told = steps.into_inner().unwrap();
    let batch_id = batch.batch_id;
    assert_eq!(
        told,
        [
            (batch_id, 0, 2_500),
            (batch_id, 1_000, 2_500),
            (batch_id, 2_000, 2_500),
            (batch_id, 2_500, 2_500)
        ]
    );
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
    connect(&desk, &platform.sandbox().base_url(), &platform.token("S1"));
    desk.sync_blocking(Some("S1")).unwrap();

    let requests = desk.refund_requests("S1").unwrap();
    assert!(!requests.is_empty(), "the demo has refund requests for S1");
    let open = requests.iter().find(|request| request.platform_decision.is_none()).unwrap();
    let preview = desk.preview_refund_request("S1", &open.request_id).unwrap();
    assert_eq!(preview.order_id, open.order_id);

    let answered =
        desk.answer_refund_request("S1", &open.request_id, RefundAnswer::Approve).unwrap();
    assert_eq!(answered.seller_decision.as_deref(), Some("approve"));
    assert_eq!(answered.decision_upload.as_deref(), Some("pending"));
    let twice = desk
        .answer_refund_request("S1", &open.request_id, RefundAnswer::Refuse { reason: None })
        .unwrap_err();
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

/// Exports the coupon's codes in `status` and reads back the status column of every row.
fn export_statuses(
    desk: &SellerDesk,
    coupon_id: &str,
    status: &str,
    out: &std::path::Path,
) -> Vec<String> {
    let export = desk
        .export_codes(
            &ExportInput {
                store_id: "S1".into(),
                coupon_id: coupon_id.into(),
                out: out.to_owned(),
                channel: None,
                batch_id: None,
                status: Some(status.into()),
                byte_order_mark: ByteOrderMark::Absent,
            },
            |_| ControlFlow::Continue(()),
        )
        .unwrap();
    let text = std::fs::read_to_string(out).unwrap();
    let rows: Vec<String> =
        text.lines().skip(1).map(|line| line.rsplit(',').next().unwrap().to_owned()).collect();
    assert_eq!(rows.len() as u64, export.rows, "{status}");
    rows
}

#[test]
fn uploaded_codes_stay_unclaimed_until_buyers_claim_them() {
    let platform = Platform::start_demo();
    let local = tempfile::tempdir().unwrap();
    let desk = desk(&local);
    connect(&desk, &platform.sandbox().base_url(), &platform.token("S1"));
    // Live now, so that the platform's buyers can claim its codes.
    let coupon_id = live_coupon(&desk, "Claimed later").coupon_id;
    desk.generate_codes(
        &GenerateCodesInput {
            store_id: "S1".into(),
            coupon_id: coupon_id.clone(),
            count: 500,
            channel: Some("newsletter".into()),
            ..GenerateCodesInput::default()
        },
        |_| {},
    )
    .unwrap();

    // Uploaded and synced: the platform holds every code, valid with no buyer, and none of
    // them is claimed; the `unclaimed` filter exports them all.
    let reports = desk.sync_blocking(Some("S1")).unwrap();
    assert_eq!((reports[0].codes_uploaded, reports[0].pending_left), (500, 0));
    let again = desk.sync_blocking(Some("S1")).unwrap();
    assert_eq!(again[0].code_statuses_pulled, 0, "an upload is no status change");
    let ours = |dump: &Value| -> Vec<Value> {
        dump["codes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|row| row["coupon_id"] == coupon_id.as_str())
            .cloned()
            .collect()
    };
    let uploaded = ours(&platform.dump());
    assert_eq!(uploaded.len(), 500);
    assert!(uploaded.iter().all(|row| row["status"] == "valid" && row["buyer_id"].is_null()));
    let counts = desk.coupon("S1", &coupon_id).unwrap().codes;
    assert_eq!((counts.generated, counts.claimed, counts.valid), (500, 0, 0), "{counts:?}");
    let unclaimed = export_statuses(&desk, &coupon_id, "unclaimed", &local.path().join("u1.csv"));
    assert_eq!(unclaimed.len(), 500);
    assert!(unclaimed.iter().all(|status| status == "unclaimed"));
    assert!(export_statuses(&desk, &coupon_id, "valid", &local.path().join("v1.csv")).is_empty());

    // Buyers claim some and move their orders on; the sync brings exactly that down.
    for _ in 0..3 {
        platform.runtime.block_on(platform.sandbox().simulate_buyers(100)).unwrap();
    }
    desk.sync_blocking(Some("S1")).unwrap();
    let on_platform = ours(&platform.dump());
    let held: Vec<&Value> = on_platform.iter().filter(|row| row["buyer_id"].is_string()).collect();
    assert!(!held.is_empty() && held.len() < 500, "{} of 500 claimed", held.len());
    let counts = desk.coupon("S1", &coupon_id).unwrap().codes;
    assert_eq!(counts.generated, 500);
    assert_eq!(counts.claimed, held.len() as u64, "{counts:?}");
    for (status, local) in [
        ("valid", counts.valid),
        ("inactive", counts.inactive),
        ("used", counts.used),
        ("expired", counts.expired),
        ("pending", counts.pending),
    ] {
        let held_in_status = held.iter().filter(|row| row["status"] == status).count();
        assert_eq!(local, held_in_status as u64, "{status}: {counts:?}");
    }
    let unclaimed = export_statuses(&desk, &coupon_id, "unclaimed", &local.path().join("u2.csv"));
    assert_eq!(unclaimed.len(), 500 - held.len());
    assert!(unclaimed.iter().all(|status| status == "unclaimed"));
}

/// Adds store `store_id` in USD and connects it to the platform's store S1.
fn add_store_on(desk: &SellerDesk, store_id: &str, platform: &Platform) {
    desk.add_store(&NewStoreInput {
        store_id: store_id.into(),
        name: format!("Shop {store_id}"),
        currency: "USD".into(),
    })
    .unwrap();
    desk.connect_platform(&ConnectPlatformInput {
        store_id: store_id.into(),
        base_url: platform.sandbox().base_url(),
        app_key: DEMO_APP_KEY.into(),
        app_secret: DEMO_APP_SECRET.into(),
        access_token: platform.token("S1"),
    })
    .unwrap();
}

#[test]
fn two_stores_whose_platform_ids_collide_sync_clean_and_stay_apart() {
    // Two platforms seeded alike: the same coupon ids, the same refund request ids.
    let first = Platform::start_demo();
    let second = Platform::start_demo();
    let local = tempfile::tempdir().unwrap();
    let desk = SellerDesk::with_settings(
        DatabaseLocation::Path(local.path().join("desk.db")),
        Clock::System,
    )
    .with_vault(Arc::new(MemoryVault::default()));
    add_store_on(&desk, "A", &first);
    add_store_on(&desk, "B", &second);

    for report in desk.sync_blocking(None).unwrap() {
        assert_eq!(report.pending_left, 0, "{report:?}");
    }
    let ids = |store: &str| {
        let mut ids: Vec<String> =
            desk.coupons(store).unwrap().coupons.into_iter().map(|c| c.coupon_id).collect();
        ids.sort();
        ids
    };
    assert!(!ids("A").is_empty());
    assert_eq!(ids("A"), ids("B"), "both platforms name their coupons alike");

    // A title edit in A leaves B's coupon of the same id as it was.
    let shared = ids("A")[0].clone();
    let before_b = desk.coupon("B", &shared).unwrap();
    let title = CouponChangesInput { title: Some("Only in A".into()), ..Default::default() };
    desk.edit_coupon("A", &shared, &title).unwrap();
    assert_eq!(desk.coupon("A", &shared).unwrap().title, "Only in A");
    assert_eq!(desk.coupon("B", &shared).unwrap().title, before_b.title);

    // The same request id in both stores: answering it in B decides B's alone.
    let open = desk
        .refund_requests("B")
        .unwrap()
        .into_iter()
        .find(|request| request.platform_decision.is_none())
        .unwrap();
    let in_a = desk.refund_requests("A").unwrap();
    assert!(in_a.iter().any(|request| request.request_id == open.request_id));
    desk.answer_refund_request("B", &open.request_id, RefundAnswer::Refuse { reason: None })
        .unwrap();
    let a_after = desk.refund_requests("A").unwrap();
    let a_after = a_after.iter().find(|request| request.request_id == open.request_id).unwrap();
    assert_eq!(a_after.seller_decision, None, "A's request of that id is untouched");
    assert_eq!(
        desk.answer_refund_request("A", &open.request_id, RefundAnswer::Approve)
            .unwrap()
            .seller_decision
            .as_deref(),
        Some("approve")
    );

    for report in desk.sync_blocking(None).unwrap() {
        assert_eq!(report.pending_left, 0, "{report:?}");
    }
    let decision_on = |platform: &Platform| {
        platform.dump()["refund_requests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["request_id"] == open.request_id.as_str())
            .unwrap()["decision"]
            .clone()
    };
    assert_eq!(decision_on(&first), "approve");
    assert_eq!(decision_on(&second), "refuse");
    let titles_on = |platform: &Platform| {
        platform.dump()["coupons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["coupon_id"] == shared.as_str() && row["store_id"] == "S1")
            .unwrap()["title"]
            .clone()
    };
    assert_eq!(titles_on(&first), "Only in A");
    assert_eq!(titles_on(&second), before_b.title.as_str());

    // A request no store has is named with its store.
    let missing = desk.preview_refund_request("A", "R-404").unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
    assert!(missing.message.contains("store A"), "{}", missing.message);
}

/// A system keyring that cannot be reached (no Secret Service on the machine).
#[derive(Debug)]
struct KeyringOutOfReach;

impl sellerdesk_facade::CredentialVault for KeyringOutOfReach {
    fn save(
        &self,
        _: &sellerdesk_core::ids::StoreId,
        _: &sellerdesk_facade::StoreConnection,
    ) -> Result<(), sellerdesk_facade::FacadeError> {
        Err(sellerdesk_facade::FacadeError::new(ErrorCode::Io, "no keyring".into()))
    }

    fn load(
        &self,
        _: &sellerdesk_core::ids::StoreId,
    ) -> Result<Option<sellerdesk_facade::StoreConnection>, sellerdesk_facade::FacadeError> {
        Err(sellerdesk_facade::FacadeError::new(ErrorCode::Io, "no keyring".into()))
    }

    fn forget(
        &self,
        _: &sellerdesk_core::ids::StoreId,
    ) -> Result<(), sellerdesk_facade::FacadeError> {
        Err(sellerdesk_facade::FacadeError::new(ErrorCode::Io, "no keyring".into()))
    }
}

#[test]
fn coupons_are_made_and_stopped_offline_without_a_keyring() {
    let local = tempfile::tempdir().unwrap();
    let desk = SellerDesk::with_settings(
        DatabaseLocation::Path(local.path().join("desk.db")),
        Clock::System,
    )
    .with_vault(Arc::new(KeyringOutOfReach));
    desk.add_store(&NewStoreInput {
        store_id: "S1".into(),
        name: "Demo S1".into(),
        currency: "USD".into(),
    })
    .unwrap();
    let coupon = live_coupon(&desk, "Made on a machine without a keyring");
    assert_eq!(coupon.state, "pending");
    assert_eq!(desk.stop_coupon("S1", &coupon.coupon_id).unwrap().state, "stopped");
}

#[test]
fn a_batch_the_platform_refuses_part_way_says_how_many_of_its_codes_went_up() {
    let platform = Platform::start_demo();
    let first_dir = tempfile::tempdir().unwrap();
    let second_dir = tempfile::tempdir().unwrap();
    let first = desk(&first_dir);
    let second = desk(&second_dir);
    connect(&first, &platform.sandbox().base_url(), &platform.token("S1"));
    connect(&second, &platform.sandbox().base_url(), &platform.token("S1"));
    let coupon = first
        .create_coupon(&NewCouponInput {
            store_id: "S1".into(),
            title: "Shared 2 off 15".into(),
            discount: "2.00".into(),
            min_purchase: "15.00".into(),
            valid_from: "2026-01-01T00:00:00Z".into(),
            valid_to: "2099-01-01T00:00:00Z".into(),
            quantity: 2_500,
        })
        .unwrap();
    let generate = |desk: &SellerDesk, count: u32| {
        desk.generate_codes(
            &GenerateCodesInput {
                store_id: "S1".into(),
                coupon_id: coupon.coupon_id.clone(),
                count,
                channel: Some("tiktok".into()),
                ..GenerateCodesInput::default()
            },
            |_| {},
        )
        .unwrap()
    };
    first.sync_blocking(Some("S1")).unwrap();
    second.sync_blocking(Some("S1")).unwrap();
    // The second desk has the coupon but not yet the news of the first desk's 1,000 codes: its
    // batch of 2,000 goes up chunk by chunk of 1,000 until the platform's count passes 2,500.
    generate(&first, 1_000);
    first.sync_blocking(Some("S1")).unwrap();
    let batch = generate(&second, 2_000);
    let _ = second.sync_blocking(Some("S1"));
    let listed = second.code_batches("S1", &coupon.coupon_id).unwrap();
    assert_eq!(listed[0].batch_id, batch.batch_id);
    let BatchRegistrationView::Refused { uploaded, reason } = &listed[0].registration else {
        panic!("the batch is not refused: {:?}", listed[0].registration);
    };
    assert_eq!(*uploaded, 1_000, "the first chunk went up");
    assert!(reason.contains("2500"), "{reason}");
    let dump = platform.dump();
    let on_platform =
        count_in_dump(&dump, "codes", |row| row["coupon_id"] == coupon.coupon_id.as_str());
    assert_eq!(on_platform, 2_000);
    // An export of the batch holds only the codes that went up; the others are left out, said.
    let out = second_dir.path().join("tiktok.csv");
    let export = second
        .export_codes(
            &ExportInput {
                store_id: "S1".into(),
                coupon_id: coupon.coupon_id.clone(),
                out: out.clone(),
                channel: None,
                batch_id: Some(batch.batch_id),
                status: None,
                byte_order_mark: ByteOrderMark::Absent,
            },
            |_| ControlFlow::Continue(()),
        )
        .unwrap();
    assert_eq!((export.rows, export.left_out), (1_000, 1_000));
    let platform_codes: std::collections::HashSet<String> = dump["codes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| {
            row["batch_id"] == batch.batch_id && row["coupon_id"] == coupon.coupon_id.as_str()
        })
        .map(|row| row["code"].as_str().unwrap().to_owned())
        .collect();
    let exported: Vec<String> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap().replace('-', ""))
        .collect();
    assert_eq!(exported.len(), 1_000);
    assert!(exported.iter().all(|code| platform_codes.contains(code)), "only codes that went up");
    // The refused batch can be sent again; the platform refuses what still does not fit.
    let status = &second.sync_status(Some("S1")).unwrap()[0];
    assert_eq!(status.rejected.len(), 1);
    let refused = &status.rejected[0];
    assert_eq!(
        (refused.kind.as_str(), refused.correction),
        ("upload_code_batch", CorrectionView::SendAgain)
    );
    let retried = second.retry_change("S1", refused.change_id).unwrap();
    assert_eq!((retried.pending_changes, retried.rejected_changes), (1, 0));
    let again = second.retry_change("S1", refused.change_id).unwrap_err();
    assert_eq!((again.code, again.field.as_deref()), (ErrorCode::InvalidInput, Some("change")));
    let _ = second.sync_blocking(Some("S1"));
    let status = &second.sync_status(Some("S1")).unwrap()[0];
    assert_eq!(status.rejected_changes, 1, "still more than the coupon takes");
    let first_batches = first.code_batches("S1", &coupon.coupon_id).unwrap();
    assert_eq!(first_batches[0].registration, BatchRegistrationView::Registered);
}
