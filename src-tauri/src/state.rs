//! What the commands share: the session's slot and the jobs (both `sellerdesk-session`'s, which
//! runs their lifecycle and tests it), the window's channel for sync news, and the one way a
//! command runs blocking work off the async threads.

use std::sync::{Arc, Mutex, PoisonError};

use sellerdesk_facade::{ErrorCode, FacadeError, SellerDesk};
use sellerdesk_session::{DataDirectory, Jobs, Session, SessionSlot, SyncNews};
use tauri::ipc::{Channel, IpcResponse};

use crate::ipc::CommandError;

#[derive(Debug)]
pub struct AppState {
    pub sessions: SessionSlot,
    pub jobs: Jobs,
    /// Where the window hears of sync ends: the channel it gave last (a reloaded page gives a
    /// new one).
    sync_watcher: SyncWatcher,
}

/// The window's channel for sync news, once it gave one.
#[derive(Default)]
struct SyncWatcher(Mutex<Option<Channel<SyncNews>>>);

impl SyncWatcher {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Channel<SyncNews>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl std::fmt::Debug for SyncWatcher {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.lock().is_some() { "watching" } else { "not watching" };
        formatter.debug_tuple("SyncWatcher").field(&state).finish()
    }
}

impl AppState {
    /// The state of an app whose session is still to open (`sessions.open()` opens it).
    pub fn opening(directory: DataDirectory) -> AppState {
        AppState {
            sessions: SessionSlot::opening(directory),
            jobs: Jobs::default(),
            sync_watcher: SyncWatcher::default(),
        }
    }

    pub fn directory(&self) -> &DataDirectory {
        self.sessions.directory()
    }

    /// The session, once it is open; why it could not open otherwise.
    pub async fn session(&self) -> Result<Arc<Session>, CommandError> {
        Ok(self.sessions.current().await?)
    }

    /// From now on, the window hears the syncs' news over `channel`, in place of any channel it
    /// gave before.
    pub fn watch_syncs(&self, channel: Channel<SyncNews>) {
        *self.sync_watcher.lock() = Some(channel);
    }

    /// Passes the sync news of the current session, whichever it is, to the window's last
    /// channel. Runs as long as the app does.
    pub async fn forward_sync_news(&self) {
        self.sessions
            .forward_sync_news(|news| {
                if let Some(channel) = self.sync_watcher.lock().as_ref() {
                    // A page that went away hears nothing; the next one gives a new channel.
                    let _ = channel.send(news);
                }
            })
            .await;
    }

    /// Runs blocking facade work (SQLite, files) off the async threads.
    pub async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&SellerDesk) -> Result<T, FacadeError> + Send + 'static,
    ) -> Result<T, CommandError> {
        let session = self.session().await?;
        self.run_blocking(move || work(session.desk())).await
    }

    /// Runs blocking work off the async threads.
    pub async fn run_blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, FacadeError> + Send + 'static,
    ) -> Result<T, CommandError> {
        tauri::async_runtime::spawn_blocking(work)
            .await
            .map_err(|error| FacadeError::new(ErrorCode::Internal, error.to_string()))?
            .map_err(CommandError::from)
    }

    /// Like [`AppState::blocking`], for work that changes what the platform must learn: the
    /// background sync is told to run soon.
    pub async fn change<T: Send + 'static>(
        &self,
        work: impl FnOnce(&SellerDesk) -> Result<T, FacadeError> + Send + 'static,
    ) -> Result<T, CommandError> {
        let outcome = self.blocking(work).await;
        if outcome.is_ok() {
            self.session().await?.changed();
        }
        outcome
    }
}

/// A job's steps, told to the window over `channel`. A window that went away hears nothing; the
/// job goes on.
pub fn to_window<D: IpcResponse + Send + 'static>(
    channel: Channel<D>,
) -> impl Fn(D) + Send + 'static {
    move |step| {
        let _ = channel.send(step);
    }
}
