//! Sync throughput against the sandbox on loopback, without faults: pushing 100,000 codes (goal
//! at most 5 s) and pulling 100,000 code status changes (goal at most 3 s).
//!
//! One coupon (quantity 1,000,000) with one batch of 100,000 codes is made locally. The push is
//! timed alone: the sync engine runs with the real HTTP client for every mutation, while the
//! change feeds answer "nothing new" without a call, so that no pull is counted in it. An upload
//! puts nothing on the codes feed (it carries buyer-side statuses; an uploaded code nobody holds
//! is not news), so a first, untimed sync only brings the coupon down and checks that. The code
//! statuses come from the sandbox's simulated buyers, and two pulls are timed through the
//! facade's `sync_blocking`: 100,000 claims (every code), then 100,000 moves of those buyers'
//! orders (closed, cancelled, or a legacy pending claim applied). Each figure is printed on one
//! line, in seconds.
//!
//! Run with `cargo bench -p sellerdesk-facade --bench sync_throughput`.

use std::error::Error;
use std::future::{Future, Ready};
use std::sync::Arc;
use std::time::Instant;

use sellerdesk_core::ids::StoreId;
use sellerdesk_facade::{
    Clock, ConnectPlatformInput, DatabaseLocation, GenerateCodesInput, MemoryVault, NewCouponInput,
    NewStoreInput, PlatformCredentials, SellerDesk, SyncReportView,
};
use sellerdesk_platform::api::{
    ChangesPage, ChangesRequest, CodeChange, CouponChange, CreateCouponRequest, CreateCouponResult,
    DecideRefundRequest, DecideRefundResult, RefundRequestChange, StopCouponRequest,
    StopCouponResult, UploadCodesRequest, UploadCodesResult,
};
use sellerdesk_platform::connector::PlatformKind;
use sellerdesk_platform::platform_api::CodeBatchContext;
use sellerdesk_platform::{CallError, PlatformApi, PlatformClient, SyncOptions, sync_once};
use sellerdesk_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, NewStore, SandboxConfig};
use sellerdesk_store::Store;

const STORE: &str = "S1";

const CODES: u32 = 100_000;

fn main() -> Result<(), Box<dyn Error>> {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let platform_data = tempfile::tempdir()?;
    let sandbox =
        runtime.block_on(sellerdesk_sandbox::start(SandboxConfig::new(platform_data.path())))?;
    let access = runtime.block_on(sandbox.add_store(NewStore {
        store_id: STORE.into(),
        name: "Throughput store".into(),
        currency: "USD".into(),
    }))?;
    let credentials = PlatformCredentials {
        base_url: sandbox.base_url(),
        app_key: DEMO_APP_KEY.into(),
        app_secret: DEMO_APP_SECRET.into(),
        access_token: access.access_token,
    };

    let local = tempfile::tempdir()?;
    let database = local.path().join("desk.db");
    let desk = SellerDesk::with_settings(DatabaseLocation::Path(database.clone()), Clock::System)
        .with_vault(Arc::new(MemoryVault::default()));
    desk.add_store(&NewStoreInput {
        store_id: STORE.into(),
        name: "Throughput store".into(),
        currency: "USD".into(),
    })?;
    desk.connect_platform(&ConnectPlatformInput {
        store_id: STORE.into(),
        base_url: credentials.base_url.clone(),
        app_key: credentials.app_key.clone(),
        app_secret: credentials.app_secret.clone(),
        access_token: credentials.access_token.clone(),
    })?;
    let coupon = desk.create_coupon(&NewCouponInput {
        store_id: STORE.into(),
        title: "Throughput coupon".into(),
        discount: "3.00".into(),
        min_purchase: "20.00".into(),
        valid_from: "2026-01-01T00:00:00Z".into(),
        valid_to: "2099-01-01T00:00:00Z".into(),
        quantity: 1_000_000,
    })?;
    desk.generate_codes(
        &GenerateCodesInput {
            store_id: STORE.into(),
            coupon_id: coupon.coupon_id,
            count: CODES,
            channel: Some("facebook".into()),
            ..GenerateCodesInput::default()
        },
        |_| {},
    )?;

    // The push, through the sync engine on a second handle of the same database file.
    let store = Store::open(&database)?;
    let store_id = StoreId::parse("store", STORE)?;
    let platform = PushOnly { client: PlatformClient::new(credentials)? };
    let started = Instant::now();
    let pushed =
        runtime.block_on(sync_once(&store, &platform, &store_id, &SyncOptions::default()))?;
    let seconds = started.elapsed().as_secs_f64();
    check(pushed.codes_uploaded == u64::from(CODES), "every code went up")?;
    check(pushed.sent == 2, "the coupon and its batch were sent")?;
    println!("push {} codes: {seconds:.2} s", pushed.codes_uploaded);

    let report = only_pull(&desk)?;
    check(report.code_statuses_pulled == 0, "the upload put nothing on the codes feed")?;

    let activity = runtime.block_on(sandbox.simulate_buyers(CODES))?;
    check(activity.claimed == CODES, "the buyers claimed every code")?;
    let report = timed_sync(&desk, "buyer claims")?;
    check(report.code_statuses_pulled == u64::from(CODES), "every claim came down")?;

    let activity = runtime.block_on(sandbox.simulate_buyers(CODES))?;
    check(activity.progressed == CODES, "every buyer's order moved on")?;
    let report = timed_sync(&desk, "buyers' orders moving on")?;
    check(report.code_statuses_pulled == u64::from(CODES), "every move came down")?;
    Ok(())
}

/// One sync through the facade that must only pull.
fn only_pull(desk: &SellerDesk) -> Result<SyncReportView, Box<dyn Error>> {
    let report = desk.sync_blocking(Some(STORE))?.pop().ok_or("the sync reported no store")?;
    check(report.pending_left == 0 && report.sent == 0, "the sync only pulled")?;
    Ok(report)
}

/// One sync through the facade, timed and printed with what it pulled.
fn timed_sync(desk: &SellerDesk, what: &str) -> Result<SyncReportView, Box<dyn Error>> {
    let started = Instant::now();
    let report = only_pull(desk)?;
    let seconds = started.elapsed().as_secs_f64();
    println!("pull {} status changes ({what}): {seconds:.2} s", report.code_statuses_pulled);
    Ok(report)
}

fn check(holds: bool, what: &str) -> Result<(), Box<dyn Error>> {
    if holds { Ok(()) } else { Err(format!("the benchmark went wrong: not so that {what}").into()) }
}

/// The platform over HTTP for every mutation, with change feeds that have nothing new, so that a
/// sync through it is a push alone.
struct PushOnly {
    client: PlatformClient,
}

impl PushOnly {
    /// An empty page that leaves the cursor where it is.
    fn nothing_new<T>(request: &ChangesRequest) -> Ready<Result<ChangesPage<T>, CallError>> {
        std::future::ready(Ok(ChangesPage {
            items: Vec::new(),
            next_cursor: request.cursor.clone().unwrap_or_default(),
            has_more: false,
            unusable: Vec::new(),
        }))
    }
}

impl PlatformApi for PushOnly {
    fn kind(&self) -> PlatformKind {
        self.client.kind()
    }

    fn create_coupon(
        &self,
        request: &CreateCouponRequest,
    ) -> impl Future<Output = Result<CreateCouponResult, CallError>> + Send {
        self.client.create_coupon(request)
    }

    fn stop_coupon(
        &self,
        request: &StopCouponRequest,
    ) -> impl Future<Output = Result<StopCouponResult, CallError>> + Send {
        self.client.stop_coupon(request)
    }

    fn upload_codes(
        &self,
        request: &UploadCodesRequest,
        batch: &CodeBatchContext<'_>,
    ) -> impl Future<Output = Result<UploadCodesResult, CallError>> + Send {
        self.client.upload_codes(request, batch)
    }

    fn decide_refund(
        &self,
        request: &DecideRefundRequest,
    ) -> impl Future<Output = Result<DecideRefundResult, CallError>> + Send {
        self.client.decide_refund(request)
    }

    fn coupon_changes(
        &self,
        request: &ChangesRequest,
    ) -> impl Future<Output = Result<ChangesPage<CouponChange>, CallError>> + Send {
        PushOnly::nothing_new(request)
    }

    fn code_changes(
        &self,
        request: &ChangesRequest,
    ) -> impl Future<Output = Result<ChangesPage<CodeChange>, CallError>> + Send {
        PushOnly::nothing_new(request)
    }

    fn refund_changes(
        &self,
        request: &ChangesRequest,
    ) -> impl Future<Output = Result<ChangesPage<RefundRequestChange>, CallError>> + Send {
        PushOnly::nothing_new(request)
    }
}
