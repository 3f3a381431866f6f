//! What the commands share: the session (opened as the window starts, swapped when the seller
//! changes platform) and the long-running jobs the window may cancel.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use sellerdesk_facade::{ErrorCode, FacadeError, SellerDesk};
use sellerdesk_session::{DataDirectory, Session, SyncNews};
use tauri::ipc::{Channel, IpcResponse};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;

use crate::dto::CommandError;

/// How many times (50 ms apart) a replaced session waits for the commands still using it.
const SESSION_CLOSE_ATTEMPTS: u32 = 100;

#[derive(Debug)]
pub struct AppState {
    pub directory: DataDirectory,
    session: watch::Sender<SessionSlot>,
    /// Where the window hears of sync ends: the channel it gave last (a reloaded page gives a
    /// new one).
    sync_watcher: SyncWatcher,
    jobs: Jobs,
}

/// Where the session stands. It opens while the window starts, so that the window shows as soon as
/// it can; a session that cannot open (settings or database in a state the app cannot use) is
/// the answer to every command that needs it, and the window shows it.
#[derive(Debug, Clone)]
enum SessionSlot {
    Opening,
    Open(Arc<Session>),
    Failed(FacadeError),
}

/// The window's channel for sync ends, once it gave one.
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
    /// The state of an app whose session is still to open: [`AppState::open_session`] opens it.
    pub fn opening(directory: DataDirectory) -> AppState {
        AppState {
            directory,
            session: watch::Sender::new(SessionSlot::Opening),
            sync_watcher: SyncWatcher::default(),
            jobs: Jobs::default(),
        }
    }

    /// Opens the session `settings.json` asks for (the embedded sandbox unless a real platform
    /// was chosen), or keeps why it could not open; commands waiting for it go on.
    pub async fn open_session(&self) {
        let slot = match Session::open(&self.directory).await {
            Ok(session) => SessionSlot::Open(Arc::new(session)),
            Err(error) => SessionSlot::Failed(error),
        };
        self.session.send_replace(slot);
    }

    /// Opens the session again when it could not open (the seller fixed the cause: closed the
    /// other Seller Desk, repaired `settings.json`), and says whether it opened this time. An
    /// open session stays as it is.
    pub async fn open_session_again(&self) -> Result<(), CommandError> {
        let failed = self.session.send_if_modified(|slot| {
            if matches!(slot, SessionSlot::Failed(_)) {
                *slot = SessionSlot::Opening;
                return true;
            }
            false
        });
        if failed {
            self.open_session().await;
        }
        self.session().await.map(drop)
    }

    /// From now on, the window hears the syncs' news over `channel`, in place of any channel it
    /// gave before.
    pub fn watch_syncs(&self, channel: Channel<SyncNews>) {
        *self.sync_watcher.lock() = Some(channel);
    }

    /// Passes the sync news of the current session, whichever it is, to the window's channel.
    /// Runs as long as the app does.
    pub async fn forward_sync_news(&self) {
        let mut sessions = self.session.subscribe();
        loop {
            // Seen as of now: any later change (opened, failed, replaced) wakes `changed`.
            let open = match &*sessions.borrow_and_update() {
                SessionSlot::Open(session) => Some(session.sync_news()),
                SessionSlot::Opening | SessionSlot::Failed(_) => None,
            };
            // Still opening, or it could not open: no syncs until that changes.
            let Some(mut news) = open else {
                if sessions.changed().await.is_err() {
                    return;
                }
                continue;
            };
            loop {
                tokio::select! {
                    told = news.recv() => match told {
                        Ok(told) => self.tell_window(told),
                        // Missed news says nothing the next does not: it comes.
                        Err(RecvError::Lagged(_)) => {}
                        // The session closed: the next one is in place.
                        Err(RecvError::Closed) => break,
                    },
                    changed = sessions.changed() => {
                        if changed.is_err() {
                            return;
                        }
                        break;
                    }
                }
            }
        }
    }

    fn tell_window(&self, news: SyncNews) {
        let watcher = self.sync_watcher.lock();
        if let Some(channel) = watcher.as_ref() {
            // A page that went away hears nothing; the next one gives a new channel.
            let _ = channel.send(news);
        }
    }

    /// The session, once it is open; why it could not open otherwise.
    pub async fn session(&self) -> Result<Arc<Session>, CommandError> {
        let mut slots = self.session.subscribe();
        let slot = slots
            .wait_for(|slot| !matches!(slot, SessionSlot::Opening))
            .await
            .map(|slot| slot.clone())
            // The sender lives as long as the state: this cannot happen while a command runs.
            .map_err(|error| FacadeError::new(ErrorCode::Internal, error.to_string()))?;
        match slot {
            SessionSlot::Open(session) => Ok(session),
            SessionSlot::Failed(error) => Err(error.into()),
            SessionSlot::Opening => {
                Err(FacadeError::new(ErrorCode::Internal, "the session is still opening".into())
                    .into())
            }
        }
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

    /// Puts `next` in place of the current session, which closes once the commands still using
    /// it are done.
    pub async fn replace_session(&self, next: Session) {
        let SessionSlot::Open(mut previous) =
            self.session.send_replace(SessionSlot::Open(Arc::new(next)))
        else {
            return;
        };
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

    /// Stops the background sync: the app is exiting. A session still opening is left to the
    /// exit.
    pub fn stop(&self) {
        if let SessionSlot::Open(session) = &*self.session.borrow() {
            session.stop();
        }
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tauri::ipc::InvokeResponseBody;
    use tokio::sync::mpsc;

    use super::*;

    /// A channel as the window gives it, whose messages come out of the returned receiver.
    fn window_channel() -> (Channel<SyncNews>, mpsc::UnboundedReceiver<serde_json::Value>) {
        let (sender, receiver) = mpsc::unbounded_channel();
        let channel = Channel::new(move |body| {
            if let InvokeResponseBody::Json(json) = body {
                let _ = sender.send(serde_json::from_str(&json).expect("JSON"));
            }
            Ok(())
        });
        (channel, receiver)
    }

    /// The next sync end told to the window for `store_id` (other news is skipped).
    async fn next_end_of(
        store_id: &str,
        ends: &mut mpsc::UnboundedReceiver<serde_json::Value>,
    ) -> serde_json::Value {
        loop {
            let end = tokio::time::timeout(Duration::from_secs(30), ends.recv())
                .await
                .expect("a sync end within 30 s")
                .expect("the channel is open");
            if end["news"] == "ended" && end["store_id"] == store_id {
                return end;
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_session_that_cannot_open_is_every_commands_answer_until_it_opens_again() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("settings.json"), r#"{"platform": "cloud"}"#).unwrap();
        let state = Arc::new(AppState::opening(DataDirectory::new(folder.path())));
        let forwarding = tokio::spawn({
            let state = Arc::clone(&state);
            async move { state.forward_sync_news().await }
        });
        let (channel, mut ends) = window_channel();
        state.watch_syncs(channel);

        state.open_session().await;
        let refused = state.session().await.map(drop).unwrap_err();
        assert_eq!(refused.field.as_deref(), Some("platform"));
        let again = state.open_session_again().await.unwrap_err();
        assert_eq!(again.field.as_deref(), Some("platform"));

        // Fixed: it opens on the sandbox, and its syncs reach the window.
        std::fs::write(folder.path().join("settings.json"), r#"{"platform": "sandbox"}"#).unwrap();
        state.open_session_again().await.unwrap();
        let session = state.session().await.unwrap();
        assert_eq!(session.platform().kind, sellerdesk_session::PlatformChoice::Sandbox);
        let store = session.desk().stores().unwrap()[0].store_id.clone();
        session.changed();
        drop(session);
        let end = next_end_of(&store, &mut ends).await;
        assert!(end["lists_changed"].is_boolean(), "{end}");

        // An open session stays as it is.
        state.open_session_again().await.unwrap();
        state.stop();
        forwarding.abort();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sync_news_follows_the_session_in_place_and_the_last_channel_given() {
        let folder = tempfile::tempdir().unwrap();
        let directory = DataDirectory::new(folder.path());
        let state = Arc::new(AppState::opening(directory.clone()));
        let forwarding = tokio::spawn({
            let state = Arc::clone(&state);
            async move { state.forward_sync_news().await }
        });
        state.open_session().await;
        let (first, mut first_ends) = window_channel();
        state.watch_syncs(first);
        let store = state.session().await.unwrap().desk().stores().unwrap()[0].store_id.clone();
        state.session().await.unwrap().sync_now(&store).await.unwrap();
        next_end_of(&store, &mut first_ends).await;

        // A reloaded page gives a new channel; the session is replaced (as changing platform
        // does): the new session's syncs reach the new channel.
        let (second, mut second_ends) = window_channel();
        state.watch_syncs(second);
        let other = tempfile::tempdir().unwrap();
        let replacement = Session::open(&DataDirectory::new(other.path())).await.unwrap();
        state.replace_session(replacement).await;
        // The old session is closed now; what it told before closing is set aside.
        tokio::time::sleep(Duration::from_millis(300)).await;
        while second_ends.try_recv().is_ok() {}
        state.session().await.unwrap().sync_now(&store).await.unwrap();
        next_end_of(&store, &mut second_ends).await;
        state.stop();
        forwarding.abort();
    }
}
