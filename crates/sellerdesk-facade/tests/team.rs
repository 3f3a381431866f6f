//! A team of desks on one store: three desks (three databases, three employees) work on the same
//! store of a sandbox that fails a fifth of its calls, drops the answer of one mutation in twenty
//! after applying it, and waits before every call. Interleaved, every desk's coupons, title
//! edits, stops, code batches and refund answers reach the others with their next sync, and
//! code generation counts every desk's codes against the coupon's quantity (CODES-1).

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use sellerdesk_facade::{
    BatchRegistrationView, Clock, CodeBatchView, ConnectPlatformInput, CouponChangesInput,
    DatabaseLocation, ErrorCode, GenerateCodesInput, MemoryVault, NewCouponInput, NewStoreInput,
    RefundAnswer, SellerDesk,
};
use sellerdesk_platform::sync::{RetryPolicy, SyncOptions};
use sellerdesk_sandbox::{
    DEMO_APP_KEY, DEMO_APP_SECRET, DemoData, FaultInjection, Probability, SandboxConfig,
};

const STORE: &str = "S1";
/// The most syncs tried before a desk gives up on getting one through.
const MOST_SYNCS: usize = 100;

struct Team {
    // The sandbox runs on this runtime.
    _runtime: tokio::runtime::Runtime,
    _sandbox: sellerdesk_sandbox::RunningSandbox,
    _platform_data: tempfile::TempDir,
    _desk_data: Vec<tempfile::TempDir>,
    desks: Vec<SellerDesk>,
}

impl Team {
    /// `size` desks on store S1 of a demo sandbox that meets faults.
    fn start(size: usize) -> Team {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let platform_data = tempfile::tempdir().unwrap();
        let mut config = SandboxConfig::new(platform_data.path());
        config.demo_data = DemoData::Seed;
        config.faults = FaultInjection {
            fail_rate: Probability::new(0.2).unwrap(),
            drop_rate: Probability::new(0.05).unwrap(),
            latency: Duration::from_millis(5),
        };
        let sandbox = runtime.block_on(sellerdesk_sandbox::start(config)).unwrap();
        let stores = runtime.block_on(sandbox.stores()).unwrap();
        let token = stores.into_iter().find(|store| store.store_id == STORE).unwrap().access_token;
        let mut desk_data = Vec::new();
        let mut desks = Vec::new();
        for _ in 0..size {
            let directory = tempfile::tempdir().unwrap();
            let desk = SellerDesk::with_settings(
                DatabaseLocation::Path(directory.path().join("desk.db")),
                Clock::System,
            )
            .with_vault(Arc::new(MemoryVault::default()))
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
                name: "Team store".into(),
                currency: "USD".into(),
            })
            .unwrap();
            desk.connect_platform(&ConnectPlatformInput {
                store_id: STORE.into(),
                base_url: sandbox.base_url(),
                app_key: DEMO_APP_KEY.into(),
                app_secret: DEMO_APP_SECRET.into(),
                access_token: token.clone(),
            })
            .unwrap();
            desk_data.push(directory);
            desks.push(desk);
        }
        Team {
            _runtime: runtime,
            _sandbox: sandbox,
            _platform_data: platform_data,
            _desk_data: desk_data,
            desks,
        }
    }

    /// Syncs desk `index` until one sync goes through whole with nothing left to send.
    fn sync(&self, index: usize) {
        let desk = &self.desks[index];
        let through = (0..MOST_SYNCS).any(|_| match desk.sync_blocking(Some(STORE)) {
            Ok(reports) => reports[0].pending_left == 0,
            Err(error) => {
                assert_eq!(error.code, ErrorCode::Platform, "{error:?}");
                false
            }
        });
        assert!(through, "desk {index}: no sync went through in {MOST_SYNCS} tries");
    }

    fn generate(&self, index: usize, coupon_id: &str, count: u32) -> Result<CodeBatchView, String> {
        self.desks[index]
            .generate_codes(
                &GenerateCodesInput {
                    store_id: STORE.into(),
                    coupon_id: coupon_id.into(),
                    count,
                    channel: Some(format!("desk{index}")),
                    ..GenerateCodesInput::default()
                },
                |_| {},
            )
            .map_err(|error| format!("{}: {}", error.field.unwrap_or_default(), error.message))
    }

    /// How many more codes desk `index` lets the coupon take.
    fn codes_left(&self, index: usize, coupon_id: &str) -> u64 {
        self.desks[index]
            .code_space_hint(&GenerateCodesInput {
                store_id: STORE.into(),
                coupon_id: coupon_id.into(),
                count: 1,
                ..GenerateCodesInput::default()
            })
            .unwrap()
            .codes_left
    }

    fn registration(&self, index: usize, coupon_id: &str, batch_id: i64) -> BatchRegistrationView {
        let batches = self.desks[index].code_batches(STORE, coupon_id).unwrap();
        batches.into_iter().find(|batch| batch.batch_id == batch_id).unwrap().registration
    }
}

#[test]
fn three_desks_interleaved_through_faults_converge_through_the_platform() {
    let team = Team::start(3);
    let (a, b, c) = (0, 1, 2);

    // Desk A makes a coupon for 2,500 buyers and 1,000 codes; they go up.
    let coupon = team.desks[a]
        .create_coupon(&NewCouponInput {
            store_id: STORE.into(),
            title: "Team 2 off 15".into(),
            discount: "2.00".into(),
            min_purchase: "15.00".into(),
            valid_from: "2026-01-01T00:00:00Z".into(),
            valid_to: "2099-01-01T00:00:00Z".into(),
            quantity: 2_500,
        })
        .unwrap();
    let coupon_id = coupon.coupon_id.as_str();
    team.generate(a, coupon_id, 1_000).unwrap();
    team.sync(a);

    // Desks B and C get the coupon with the platform's count of its codes.
    team.sync(b);
    team.sync(c);
    for desk in [b, c] {
        let seen = team.desks[desk].coupon(STORE, coupon_id).unwrap();
        assert_eq!((seen.title.as_str(), seen.codes_on_platform), ("Team 2 off 15", Some(1_000)));
        assert_eq!(team.codes_left(desk, coupon_id), 1_500, "desk {desk}");
    }
    // More than what is left is refused on the desk, saying the other desks' codes count.
    let refused = team.generate(b, coupon_id, 2_000).unwrap_err();
    assert!(refused.starts_with("count: "), "{refused}");
    assert!(refused.contains("[CODES-1]"), "{refused}");
    assert!(refused.contains("1000 codes of it were made on other desks"), "{refused}");

    // B and C each make 1,000 before either syncs: together more than the 1,500 left. B's go
    // up first; the platform refuses C's, and C's batch says so, with none of its codes up.
    let from_b = team.generate(b, coupon_id, 1_000).unwrap();
    let from_c = team.generate(c, coupon_id, 1_000).unwrap();
    team.sync(b);
    team.sync(c);
    assert_eq!(team.registration(b, coupon_id, from_b.batch_id), BatchRegistrationView::Registered);
    let BatchRegistrationView::Refused { uploaded, reason } =
        team.registration(c, coupon_id, from_c.batch_id)
    else {
        panic!("C's batch is not refused: {:?}", team.registration(c, coupon_id, from_c.batch_id));
    };
    assert_eq!(uploaded, 0);
    assert!(reason.contains("CODES-1"), "{reason}");
    // C now counts 2,000 codes on the platform: 500 are left, and they go up.
    assert_eq!(team.codes_left(c, coupon_id), 500);
    let last = team.generate(c, coupon_id, 500).unwrap();
    team.sync(c);
    assert_eq!(team.registration(c, coupon_id, last.batch_id), BatchRegistrationView::Registered);

    // A, which made only 1,000 of them, counts all 2,500 after its next sync.
    team.sync(a);
    assert_eq!(team.desks[a].coupon(STORE, coupon_id).unwrap().codes_on_platform, Some(2_500));
    assert_eq!(team.codes_left(a, coupon_id), 0);
    let refused = team.generate(a, coupon_id, 1).unwrap_err();
    assert!(refused.contains("1500 codes of it were made on other desks"), "{refused}");

    // A title edit on B, a stop on C and a refund answer on A reach every desk.
    team.desks[b]
        .edit_coupon(
            STORE,
            coupon_id,
            &CouponChangesInput {
                title: Some("Team 2 off 15, spring".into()),
                ..Default::default()
            },
        )
        .unwrap();
    team.sync(b);
    team.sync(c);
    team.desks[c].stop_coupon(STORE, coupon_id).unwrap();
    team.desks[a].answer_refund_request(STORE, "R-1001", RefundAnswer::Approve).unwrap();
    team.sync(c);
    team.sync(a);
    team.sync(b);
    team.sync(c);
    for desk in [a, b, c] {
        let seen = team.desks[desk].coupon(STORE, coupon_id).unwrap();
        assert_eq!(
            (seen.title.as_str(), seen.state.as_str()),
            ("Team 2 off 15, spring", "stopped"),
            "desk {desk}"
        );
        let request = team.desks[desk]
            .refund_requests(STORE)
            .unwrap()
            .into_iter()
            .find(|request| request.request_id == "R-1001")
            .unwrap();
        assert_eq!(request.platform_decision.as_deref(), Some("approve"), "desk {desk}");
    }
}
