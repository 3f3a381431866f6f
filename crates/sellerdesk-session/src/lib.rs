//! The desktop app's session: which platform it talks to, the local database that goes with it,
//! and the background sync.
//!
//! With nothing configured the app works on the **embedded sandbox**: the bundled platform server
//! runs in-process on a loopback port with demo data, its stores are added to a local database
//! of their own and connected with the sandbox's demo credentials, which stay in memory (they are
//! not secrets, and a fresh machine may have no keyring). Beside them, the sandbox's AliExpress
//! dialect runs too, with the AliExpress demo store [`ALIEXPRESS_DEMO_STORE`] authorized as a
//! seller would (a code exchanged for tokens). Once the seller connects a real platform
//! in Settings, the app works on the default database, the one the `sellerdesk` CLI uses, with
//! credentials in the operating system's keyring.
//!
//! Layout of the data directory (`SELLERDESK_DATA_DIR`, or the platform's data directory):
//! `settings.json` (which platform), `sellerdesk.db` (a real platform's data), and `sandbox/`
//! holding `sellerdesk.db` (the sandbox's local data) and `platform/` (the sandbox's own state).
//!
//! This crate knows no SQL and no Tauri: it composes the facade with the sandbox.

mod jobs;
mod settings;
mod slot;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sellerdesk_facade::{
    Clock, ConnectAliexpressInput, ConnectPlatformInput, ConnectionView, DatabaseLocation,
    ErrorCode, FacadeError, GenerateCodesInput, MemoryVault, NewStoreInput, SellerDesk,
    StoreConnectionInput, SyncReportView, UploadProgressView,
};
use sellerdesk_sandbox::{
    ALIEXPRESS_APP_KEY, ALIEXPRESS_APP_SECRET, AliexpressConfig, DEMO_CODE_BATCHES, DemoCodeBatch,
    DemoData, RedeemRate, RunningAliexpress, RunningSandbox, SandboxConfig, start_aliexpress,
};
use sellerdesk_store::files;
use serde::Serialize;
use tokio::sync::{Mutex, Notify, broadcast, watch};
use tokio::task::JoinHandle;

pub use crate::jobs::{JobGuard, Jobs};
pub use crate::settings::{PlatformChoice, Settings};
pub use crate::slot::SessionSlot;

/// The environment variable that names the data directory (tests and benchmarks set it).
pub const DATA_DIRECTORY_VARIABLE: &str = "SELLERDESK_DATA_DIR";

/// How long the background sync waits between two syncs when nothing nudges it.
const SYNC_INTERVAL: Duration = Duration::from_secs(30);

/// How much sync news a slow listener may fall behind by; it then misses the oldest, which only
/// costs it a refresh or a step of a progress bar (the later ones say the same).
const SYNC_NEWS_KEPT: usize = 64;

/// How many codes per second the sandbox's simulated buyers claim or redeem, so that campaign
/// results move while the seller watches.
const SANDBOX_REDEEM_RATE: u32 = 3;

/// The folder holding the app's settings and databases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDirectory {
    path: PathBuf,
}

impl DataDirectory {
    pub fn new(path: impl Into<PathBuf>) -> DataDirectory {
        DataDirectory { path: path.into() }
    }

    /// `SELLERDESK_DATA_DIR` when set, else the platform's data directory (on Linux
    /// `~/.local/share/sellerdesk`, where the CLI keeps its database too).
    pub fn from_environment() -> Result<DataDirectory, FacadeError> {
        if let Some(path) = std::env::var_os(DATA_DIRECTORY_VARIABLE).filter(|p| !p.is_empty()) {
            return Ok(DataDirectory::new(path));
        }
        let database = DatabaseLocation::Default.resolve()?;
        let folder = database.parent().map(Path::to_path_buf).ok_or_else(|| {
            FacadeError::new(ErrorCode::Io, "the default database has no folder".into())
        })?;
        Ok(DataDirectory::new(folder))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the app's log files go.
    pub fn log_folder(&self) -> PathBuf {
        sellerdesk_facade::log_folder(&self.path)
    }

    fn settings_file(&self) -> PathBuf {
        self.path.join("settings.json")
    }

    fn remote_database(&self) -> PathBuf {
        self.path.join("sellerdesk.db")
    }

    fn sandbox_database(&self) -> PathBuf {
        self.path.join("sandbox").join("sellerdesk.db")
    }

    fn sandbox_platform(&self) -> PathBuf {
        self.path.join("sandbox").join("platform")
    }

    pub fn load_settings(&self) -> Result<Settings, FacadeError> {
        Settings::load(&self.settings_file())
    }

    pub fn save_settings(&self, settings: &Settings) -> Result<(), FacadeError> {
        settings.save(&self.settings_file())
    }
}

/// Which platform the session talks to, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PlatformView {
    /// `sandbox` (the bundled platform, in-process) or `remote`.
    pub kind: PlatformChoice,
    /// The sandbox's address on loopback; `None` for a remote platform (each store has its own).
    pub sandbox_url: Option<String>,
    /// The sandbox's AliExpress dialect on loopback, where the AliExpress demo store lives;
    /// `None` for a remote platform.
    pub aliexpress_sandbox_url: Option<String>,
    /// The local database file.
    pub database: String,
}

/// What the window hears of the syncs, background or "sync now", as they run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(tag = "news", rename_all = "snake_case")]
pub enum SyncNews {
    /// A batch of codes is going up: how far it got. Told where it starts and after each chunk
    /// the platform took.
    Uploading(UploadProgressView),
    /// The sync of one store ended.
    Ended(SyncEnded),
}

/// A sync of one store ended, in the background or through "sync now": what the window needs to
/// read again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SyncEnded {
    pub store_id: String,
    /// The sync may have changed what the store's lists show: it sent or brought something, or
    /// it stopped part way (what it brought before stopping is kept). Its sync status changed
    /// either way.
    pub lists_changed: bool,
}

impl SyncEnded {
    fn new(store_id: String, outcome: &Result<SyncReportView, FacadeError>) -> SyncEnded {
        let lists_changed = match outcome {
            Ok(report) => report.changed_local_data(),
            Err(_) => true,
        };
        SyncEnded { store_id, lists_changed }
    }
}

/// An open session: the facade on the right database, the sandbox when it is the platform, and
/// the background sync. Close it with [`Session::close`].
#[derive(Debug)]
pub struct Session {
    desk: Arc<SellerDesk>,
    platform: PlatformView,
    sandbox: Option<Sandboxes>,
    /// One sync at a time: the background loop and "sync now" take turns.
    sync_turn: Arc<Mutex<()>>,
    nudge: Arc<Notify>,
    /// Where the syncs' news goes; taken when the session closes, which ends every listener's
    /// stream.
    sync_news: std::sync::Mutex<Option<broadcast::Sender<SyncNews>>>,
    stop: watch::Sender<bool>,
    /// The background sync, until [`Session::close`] waits for it.
    background: std::sync::Mutex<Option<JoinHandle<()>>>,
}

/// The embedded platforms: the Seller Desk API's sandbox and its AliExpress dialect.
#[derive(Debug)]
struct Sandboxes {
    sellerdesk: RunningSandbox,
    aliexpress: RunningAliexpress,
}

/// The AliExpress demo store of the embedded default, beside the sandbox's own.
pub const ALIEXPRESS_DEMO_STORE: &str = "S4";

impl Session {
    /// Opens the session `settings.json` asks for: the embedded sandbox unless a real platform
    /// was chosen. Must run inside a Tokio runtime: the sandbox and the sync run on it.
    pub async fn open(directory: &DataDirectory) -> Result<Session, FacadeError> {
        let settings = directory.load_settings()?;
        match settings.platform {
            PlatformChoice::Sandbox => Session::open_sandbox(directory).await,
            PlatformChoice::Remote => Session::open_remote(directory),
        }
    }

    /// The sandbox in-process with demo data, and a local database whose stores are the
    /// sandbox's, connected with credentials kept in memory.
    pub async fn open_sandbox(directory: &DataDirectory) -> Result<Session, FacadeError> {
        let platform_folder = directory.sandbox_platform();
        files::create_private_folder(&platform_folder).map_err(|error| {
            FacadeError::new(
                ErrorCode::Io,
                format!("cannot create the sandbox folder {}: {error}", platform_folder.display()),
            )
        })?;
        let mut config = SandboxConfig::new(platform_folder);
        config.demo_data = DemoData::Seed;
        config.redeem_rate = RedeemRate::per_second(SANDBOX_REDEEM_RATE);
        let sandbox = sellerdesk_sandbox::start(config).await.map_err(sandbox_error)?;
        let base_url = sandbox.base_url();

        let database = directory.sandbox_database();
        let desk = Arc::new(
            SellerDesk::with_settings(DatabaseLocation::Path(database.clone()), Clock::System)
                .with_vault(Arc::new(MemoryVault::default())),
        );
        let stores = sandbox.stores().await.map_err(sandbox_error)?;
        let connect_desk = Arc::clone(&desk);
        let connect_url = base_url.clone();
        // Opening the database may upgrade it: blocking work, off the async threads.
        let fresh = tokio::task::spawn_blocking(move || {
            // A database with no store yet is a first start: it gets the demo code batches.
            let fresh = connect_desk.stores()?.is_empty();
            for store in stores {
                connect_desk.connect_store(
                    &NewStoreInput {
                        store_id: store.store_id.clone(),
                        name: store.name.clone(),
                        currency: store.currency.clone(),
                    },
                    &ConnectPlatformInput {
                        store_id: store.store_id,
                        base_url: connect_url.clone(),
                        app_key: sellerdesk_sandbox::DEMO_APP_KEY.to_owned(),
                        app_secret: sellerdesk_sandbox::DEMO_APP_SECRET.to_owned(),
                        access_token: store.access_token,
                    },
                )?;
            }
            Ok::<_, FacadeError>(fresh)
        })
        .await
        .map_err(join_error)??;
        let demo_code_batches = if fresh { DEMO_CODE_BATCHES.to_vec() } else { Vec::new() };

        // The AliExpress demo store, authorized as a seller would: a code exchanged for tokens.
        let aliexpress =
            start_aliexpress(AliexpressConfig::default()).await.map_err(sandbox_error)?;
        let ensure_desk = Arc::clone(&desk);
        tokio::task::spawn_blocking(move || {
            ensure_desk.ensure_store(&NewStoreInput {
                store_id: ALIEXPRESS_DEMO_STORE.into(),
                name: "AliExpress demo store".into(),
                currency: "USD".into(),
            })
        })
        .await
        .map_err(join_error)??;
        desk.connect_aliexpress(&ConnectAliexpressInput {
            store_id: ALIEXPRESS_DEMO_STORE.into(),
            base_url: Some(aliexpress.base_url()),
            app_key: ALIEXPRESS_APP_KEY.into(),
            app_secret: ALIEXPRESS_APP_SECRET.into(),
            code: aliexpress.authorization_code(),
        })
        .await?;

        let platform = PlatformView {
            kind: PlatformChoice::Sandbox,
            sandbox_url: Some(base_url),
            aliexpress_sandbox_url: Some(aliexpress.base_url()),
            database: database.display().to_string(),
        };
        let sandboxes = Sandboxes { sellerdesk: sandbox, aliexpress };
        Ok(Session::start(desk, platform, Some(sandboxes), demo_code_batches))
    }

    /// The default database with credentials in the operating system's keyring. Opens nothing
    /// yet: the database is opened on first use, so a start stays quick whatever it holds.
    pub fn open_remote(directory: &DataDirectory) -> Result<Session, FacadeError> {
        let database = directory.remote_database();
        let desk = Arc::new(SellerDesk::with_settings(
            DatabaseLocation::Path(database.clone()),
            Clock::System,
        ));
        let platform = PlatformView {
            kind: PlatformChoice::Remote,
            sandbox_url: None,
            aliexpress_sandbox_url: None,
            database: database.display().to_string(),
        };
        Ok(Session::start(desk, platform, None, Vec::new()))
    }

    fn start(
        desk: Arc<SellerDesk>,
        platform: PlatformView,
        sandbox: Option<Sandboxes>,
        demo_code_batches: Vec<DemoCodeBatch>,
    ) -> Session {
        let sync_turn = Arc::new(Mutex::new(()));
        let nudge = Arc::new(Notify::new());
        let (sync_news, _) = broadcast::channel(SYNC_NEWS_KEPT);
        let (stop, stopped) = watch::channel(false);
        let background = tokio::spawn(sync_in_background(
            Arc::clone(&desk),
            Arc::clone(&sync_turn),
            Arc::clone(&nudge),
            sync_news.clone(),
            demo_code_batches,
            stopped,
        ));
        let background = std::sync::Mutex::new(Some(background));
        let sync_news = std::sync::Mutex::new(Some(sync_news));
        Session { desk, platform, sandbox, sync_turn, nudge, sync_news, stop, background }
    }

    pub fn desk(&self) -> &Arc<SellerDesk> {
        &self.desk
    }

    pub fn platform(&self) -> &PlatformView {
        &self.platform
    }

    /// The embedded sandbox, when it is the platform.
    pub fn sandbox(&self) -> Option<&RunningSandbox> {
        self.sandbox.as_ref().map(|sandboxes| &sandboxes.sellerdesk)
    }

    /// The embedded sandbox's AliExpress dialect, when the sandbox is the platform.
    pub fn aliexpress_sandbox(&self) -> Option<&RunningAliexpress> {
        self.sandbox.as_ref().map(|sandboxes| &sandboxes.aliexpress)
    }

    /// The news of every sync from now on, background or "sync now", store by store: uploads as
    /// they go, and each end. The stream closes when the session does.
    pub fn sync_news(&self) -> broadcast::Receiver<SyncNews> {
        match self.news_sender() {
            Some(sender) => sender.subscribe(),
            // Closed: a stream that has ended.
            None => broadcast::channel(1).1,
        }
    }

    fn news_sender(&self) -> Option<broadcast::Sender<SyncNews>> {
        self.sync_news.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Tells the background sync that something changed locally: it syncs soon.
    pub fn changed(&self) {
        self.nudge.notify_one();
    }

    /// Connects a store to a real platform. On the sandbox, the app moves to the default
    /// database and the keyring: a session on them opens, the store is connected there, the
    /// choice is saved, and that session comes back for the caller to put in place of `current`.
    /// On a real platform already, the store is connected in `current`. Nothing changes when the
    /// store or its credentials are refused.
    pub async fn connect_real_platform(
        directory: &DataDirectory,
        current: Arc<Session>,
        store: NewStoreInput,
        connection: StoreConnectionInput,
    ) -> Result<(ConnectionView, Option<Session>), FacadeError> {
        let opened = match current.platform().kind {
            PlatformChoice::Remote => None,
            PlatformChoice::Sandbox => Some(Session::open_remote(directory)?),
        };
        let desk = Arc::clone(opened.as_ref().unwrap_or(&current).desk());
        // Holding the current session would keep it from closing once it is replaced.
        drop(current);
        let connected = desk.connect_store_to(store, connection).await;
        let Some(session) = opened else { return Ok((connected?, None)) };
        let saved = connected.and_then(|connected| {
            directory.save_settings(&Settings { platform: PlatformChoice::Remote })?;
            Ok(connected)
        });
        match saved {
            Ok(connected) => Ok((connected, Some(session))),
            Err(error) => {
                session.close().await;
                Err(error)
            }
        }
    }

    /// Goes back to the embedded sandbox platform: its session, for the caller to put in place
    /// of `current`, or none when `current` is on the sandbox already. The stores connected to
    /// a real platform stay in the default database and the keyring, for when the seller comes
    /// back to it.
    pub async fn switch_to_sandbox(
        directory: &DataDirectory,
        current: &Session,
    ) -> Result<Option<Session>, FacadeError> {
        if current.platform().kind == PlatformChoice::Sandbox {
            return Ok(None);
        }
        let session = Session::open_sandbox(directory).await?;
        if let Err(error) = directory.save_settings(&Settings { platform: PlatformChoice::Sandbox })
        {
            session.close().await;
            return Err(error);
        }
        Ok(Some(session))
    }

    /// Syncs one store now, waiting for a background sync in progress to end first.
    pub async fn sync_now(&self, store_id: &str) -> Result<SyncReportView, FacadeError> {
        let _turn = self.sync_turn.lock().await;
        let Some(sync_news) = self.news_sender() else {
            return Err(FacadeError::new(
                ErrorCode::Conflict,
                "this session has closed: the app works on another platform now".into(),
            ));
        };
        self.desk
            .sync_one_store(store_id, &|step| tell_upload(&sync_news, step), |store_id, outcome| {
                tell_sync_end(&sync_news, store_id, outcome)
            })
            .await
    }

    /// Tells the background sync to stop, without waiting.
    pub fn stop(&self) {
        self.stop.send_replace(true);
    }

    /// Stops the background sync and the sandbox, and waits for both; a "sync now" in progress
    /// ends first. Work still holding the session may go on with its database (a command that
    /// began before); its syncs are over.
    pub async fn close(&self) {
        self.stop();
        let background =
            self.background.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some(background) = background {
            // A loop that panicked has nothing left to stop.
            let _ = background.await;
        }
        // The last "sync now" ends before its platform does; none starts after (`sync_now`),
        // and the news stream ends.
        let _turn = self.sync_turn.lock().await;
        self.sync_news.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some(sandboxes) = &self.sandbox {
            sandboxes.sellerdesk.shutdown().await;
            sandboxes.aliexpress.shutdown().await;
        }
    }
}

/// Syncs every connected store at start, then every [`SYNC_INTERVAL`] or when nudged, until
/// `stopped` turns true. Failures are kept in each store's sync status, which the window shows;
/// each store's news goes to `sync_news`.
async fn sync_in_background(
    desk: Arc<SellerDesk>,
    sync_turn: Arc<Mutex<()>>,
    nudge: Arc<Notify>,
    sync_news: broadcast::Sender<SyncNews>,
    mut demo_code_batches: Vec<DemoCodeBatch>,
    mut stopped: watch::Receiver<bool>,
) {
    let on_upload = |step: &UploadProgressView| tell_upload(&sync_news, step);
    loop {
        {
            let _turn = sync_turn.lock().await;
            tokio::select! {
                biased;
                _ = stopped.wait_for(|stop| *stop) => return,
                // A failure to list the stores is met again at the next turn; each store's
                // outcome is in its sync status.
                _ = desk.sync_connected_stores(
                    &on_upload,
                    |store_id, outcome| tell_sync_end(&sync_news, store_id, outcome),
                ) => {}
            }
        }
        if !demo_code_batches.is_empty() {
            let made = make_demo_code_batches(&desk, &mut demo_code_batches).await;
            // Up they go at once, rather than at the next turn.
            if made > 0 {
                continue;
            }
        }
        tokio::select! {
            biased;
            _ = stopped.wait_for(|stop| *stop) => return,
            () = nudge.notified() => {}
            () = tokio::time::sleep(SYNC_INTERVAL) => {}
        }
    }
}

/// Tells whoever listens that a sync of `store_id` ended with `outcome`.
fn tell_sync_end(
    sync_news: &broadcast::Sender<SyncNews>,
    store_id: &impl std::fmt::Display,
    outcome: &Result<SyncReportView, FacadeError>,
) {
    // No listener is no failure: the news is for whoever wants it.
    let _ = sync_news.send(SyncNews::Ended(SyncEnded::new(store_id.to_string(), outcome)));
}

/// Tells whoever listens how far an upload got.
fn tell_upload(sync_news: &broadcast::Sender<SyncNews>, step: &UploadProgressView) {
    let _ = sync_news.send(SyncNews::Uploading(step.clone()));
}

/// Makes the demo batches whose coupon has come down, and keeps the others for the next turn (the
/// first sync may have failed). Says how many it made. A batch that cannot be made for another
/// reason is given up: it is a demo, and the sandbox works without it.
async fn make_demo_code_batches(desk: &Arc<SellerDesk>, batches: &mut Vec<DemoCodeBatch>) -> usize {
    let desk = Arc::clone(desk);
    let waiting = std::mem::take(batches);
    let outcome = tokio::task::spawn_blocking(move || {
        let mut made = 0;
        let mut kept = Vec::new();
        for batch in waiting {
            // The generator's defaults: the shortest safe length, the default alphabet.
            let input = GenerateCodesInput {
                store_id: batch.store_id.to_owned(),
                coupon_id: batch.coupon_id.to_owned(),
                count: batch.count,
                channel: Some(batch.channel.to_owned()),
                ..GenerateCodesInput::default()
            };
            match desk.generate_codes(&input, |_| {}) {
                Ok(_) => made += 1,
                Err(error) if error.code == ErrorCode::NotFound => kept.push(batch),
                Err(error) => eprintln!(
                    "sellerdesk: the demo codes for {} stay unmade: {error}",
                    batch.channel
                ),
            }
        }
        (made, kept)
    })
    .await;
    match outcome {
        Ok((made, kept)) => {
            *batches = kept;
            made
        }
        Err(error) => {
            eprintln!("sellerdesk: the demo codes stay unmade: {error}");
            0
        }
    }
}

fn sandbox_error(error: sellerdesk_sandbox::SandboxError) -> FacadeError {
    FacadeError::new(ErrorCode::Platform, format!("the embedded sandbox could not start: {error}"))
}

fn join_error(error: tokio::task::JoinError) -> FacadeError {
    FacadeError::new(ErrorCode::Internal, format!("a background task failed: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(change: impl FnOnce(&mut SyncReportView)) -> Result<SyncReportView, FacadeError> {
        let mut report = SyncReportView {
            store_id: "S1".into(),
            sent: 0,
            rejected: 0,
            codes_uploaded: 0,
            codes_regenerated: 0,
            codes_to_withdraw: 0,
            coupons_pulled: 0,
            code_statuses_pulled: 0,
            refund_requests_pulled: 0,
            pending_left: 0,
        };
        change(&mut report);
        Ok(report)
    }

    fn check(outcome: Result<SyncReportView, FacadeError>, lists_changed: bool) {
        let end = SyncEnded::new("S1".into(), &outcome);
        assert_eq!(end, SyncEnded { store_id: "S1".into(), lists_changed }, "{outcome:?}");
    }

    #[test]
    fn a_sync_changed_the_lists_when_it_moved_anything_or_stopped_part_way() {
        check(report(|_| {}), false);
        check(report(|report| report.pending_left = 3), false);
        check(report(|report| report.sent = 1), true);
        check(report(|report| report.rejected = 1), true);
        check(report(|report| report.codes_uploaded = 1), true);
        check(report(|report| report.codes_regenerated = 1), true);
        check(report(|report| report.codes_to_withdraw = 1), true);
        check(report(|report| report.coupons_pulled = 1), true);
        check(report(|report| report.code_statuses_pulled = 1), true);
        check(report(|report| report.refund_requests_pulled = 1), true);
        check(Err(FacadeError::new(ErrorCode::Platform, "unreachable".into())), true);
    }
}
