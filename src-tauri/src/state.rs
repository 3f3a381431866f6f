//! What the commands share: the open session (swapped when the seller changes platform) and the
//! long-running jobs the window may cancel.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use sellerdesk_facade::{ErrorCode, FacadeError, SellerDesk};
use sellerdesk_session::{DataDirectory, Session, SyncEnded};
use tauri::ipc::{Channel, IpcResponse};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{RwLock, watch};

use crate::dto::CommandError;

/// How many times (50 ms apart) a replaced session waits for the commands still using it.
const SESSION_CLOSE_ATTEMPTS: u32 = 100;

#[derive(Debug)]
pub struct AppState {
    pub directory: DataDirectory,
    session: RwLock<Arc<Session>>,
    /// Bumped each time the session is replaced.
    sessions_opened: watch::Sender<u64>,
    /// Where the window hears of sync ends: the channel it gave last (a reloaded page gives a
    /// new one).
    sync_watcher: SyncWatcher,
    jobs: Jobs,
}

/// The window's channel for sync ends, once it gave one.
#[derive(Default)]
struct SyncWatcher(Mutex<Option<Channel<SyncEnded>>>);

impl SyncWatcher {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Channel<SyncEnded>>> {
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
    pub fn new(directory: DataDirectory, session: Session) -> AppState {
        AppState {
            directory,
            session: RwLock::new(Arc::new(session)),
            sessions_opened: watch::Sender::new(0),
            sync_watcher: SyncWatcher::default(),
            jobs: Jobs::default(),
        }
    }

    /// From now on, the window hears of each sync end over `channel`, in place of any channel it
    /// gave before.
    pub fn watch_syncs(&self, channel: Channel<SyncEnded>) {
        *self.sync_watcher.lock() = Some(channel);
    }

    /// Passes every sync end of the current session, whichever it is, to the window's channel.
    /// Runs as long as the app does.
    pub async fn forward_sync_ends(&self) {
        let mut sessions_opened = self.sessions_opened.subscribe();
        loop {
            let mut ends = self.session().await.sync_ends();
            sessions_opened.mark_unchanged();
            loop {
                tokio::select! {
                    end = ends.recv() => match end {
                        Ok(end) => self.tell_window(end),
                        // Missed ends say nothing the next one does not: it comes.
                        Err(RecvError::Lagged(_)) => {}
                        // The session closed: the next one is in place.
                        Err(RecvError::Closed) => break,
                    },
                    changed = sessions_opened.changed() => {
                        if changed.is_err() {
                            return;
                        }
                        break;
                    }
                }
            }
        }
    }

    fn tell_window(&self, end: SyncEnded) {
        let watcher = self.sync_watcher.lock();
        if let Some(channel) = watcher.as_ref() {
            // A page that went away hears nothing; the next one gives a new channel.
            let _ = channel.send(end);
        }
    }

    pub async fn session(&self) -> Arc<Session> {
        Arc::clone(&*self.session.read().await)
    }

    /// Runs blocking facade work (SQLite, files) off the async threads.
    pub async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&SellerDesk) -> Result<T, FacadeError> + Send + 'static,
    ) -> Result<T, CommandError> {
        let session = self.session().await;
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
            self.session().await.changed();
        }
        outcome
    }

    /// Puts `next` in place of the current session, which closes once the commands still using
    /// it are done.
    pub async fn replace_session(&self, next: Session) {
        let mut previous = {
            let mut current = self.session.write().await;
            std::mem::replace(&mut *current, Arc::new(next))
        };
        self.sessions_opened.send_modify(|count| *count += 1);
        // Commands still holding the old session finish with it first (they are short); then it
        // closes: its background sync and its sandbox stop.
        for _ in 0..SESSION_CLOSE_ATTEMPTS {
            match Arc::try_unwrap(previous) {
                Ok(session) => return session.close().await,
                Err(shared) => previous = shared,
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        // Still in use after that: at least its background sync stops now.
        previous.stop();
    }

    /// Stops the background sync: the app is exiting.
    pub async fn stop(&self) {
        self.session().await.stop();
    }

    pub fn jobs(&self) -> &Jobs {
        &self.jobs
    }
}

/// Long-running work the window may cancel, by the id the window gave it.
#[derive(Debug, Default)]
pub struct Jobs {
    running: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

impl Jobs {
    /// Registers a job; it is forgotten when the returned guard drops.
    pub fn start(&self, job_id: &str) -> JobGuard<'_> {
        let cancelled = Arc::new(AtomicBool::new(false));
        self.lock().insert(job_id.to_owned(), Arc::clone(&cancelled));
        JobGuard { jobs: self, job_id: job_id.to_owned(), cancelled }
    }

    /// Asks a job to stop; false when no such job is running.
    pub fn cancel(&self, job_id: &str) -> bool {
        match self.lock().get(job_id) {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<AtomicBool>>> {
        self.running.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[derive(Debug)]
pub struct JobGuard<'a> {
    jobs: &'a Jobs,
    job_id: String,
    cancelled: Arc<AtomicBool>,
}

impl JobGuard<'_> {
    /// What the work calls at each step: the step goes to the window over `channel`, and the
    /// answer says whether to go on. A window that went away does not stop the job; only a
    /// cancel does.
    pub fn progress<P, D>(
        &self,
        channel: Channel<D>,
    ) -> impl FnMut(P) -> ControlFlow<()> + Send + 'static
    where
        P: Into<D>,
        D: IpcResponse + Send + 'static,
    {
        let cancelled = Arc::clone(&self.cancelled);
        move |step| {
            let _ = channel.send(step.into());
            if cancelled.load(Ordering::Relaxed) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }
    }
}

impl Drop for JobGuard<'_> {
    fn drop(&mut self) {
        self.jobs.lock().remove(&self.job_id);
    }
}
