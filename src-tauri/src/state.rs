//! What the commands share: the open session (swapped when the seller changes platform) and the
//! long-running jobs the window may cancel.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use sellerdesk_facade::{ErrorCode, FacadeError, SellerDesk};
use sellerdesk_session::{DataDirectory, Session};
use tauri::ipc::{Channel, IpcResponse};
use tokio::sync::RwLock;

use crate::dto::CommandError;

/// How many times (50 ms apart) a replaced session waits for the commands still using it.
const SESSION_CLOSE_ATTEMPTS: u32 = 100;

#[derive(Debug)]
pub struct AppState {
    pub directory: DataDirectory,
    session: RwLock<Arc<Session>>,
    jobs: Jobs,
}

impl AppState {
    pub fn new(directory: DataDirectory, session: Session) -> AppState {
        AppState { directory, session: RwLock::new(Arc::new(session)), jobs: Jobs::default() }
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
