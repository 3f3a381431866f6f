//! The app's session over the app's life: opening while the window starts, then open or failed
//! with why, opened again once the seller fixed the cause, replaced when the seller changes
//! platform, stopped when the app exits. Every command waits for it here.

use std::sync::Arc;

use sellerdesk_facade::{
    ConnectionView, ErrorCode, FacadeError, NewStoreInput, StoreConnectionInput,
};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;

use crate::{DataDirectory, Session, SyncNews};

/// The one place the app keeps its session. Opens nothing by itself: [`SessionSlot::open`] opens
/// the session `settings.json` asks for.
#[derive(Debug)]
pub struct SessionSlot {
    directory: DataDirectory,
    slot: watch::Sender<Slot>,
}

/// Where the session stands. It opens while the window starts, so that the window shows as soon as
/// it can; a session that cannot open (settings or database in a state the app cannot use) is the
/// answer to every command that needs it, and the window shows it.
#[derive(Debug, Clone)]
enum Slot {
    Opening,
    Open(Arc<Session>),
    Failed(FacadeError),
}

impl SessionSlot {
    /// A slot whose session is still to open, on `directory`.
    pub fn opening(directory: DataDirectory) -> SessionSlot {
        SessionSlot { directory, slot: watch::Sender::new(Slot::Opening) }
    }

    pub fn directory(&self) -> &DataDirectory {
        &self.directory
    }

    /// Opens the session `settings.json` asks for (the embedded sandbox unless a real platform
    /// was chosen), or keeps why it could not open; whoever waits for it goes on.
    pub async fn open(&self) {
        let slot = match Session::open(&self.directory).await {
            Ok(session) => Slot::Open(Arc::new(session)),
            Err(error) => Slot::Failed(error),
        };
        self.slot.send_replace(slot);
    }

    /// Opens the session again when it could not open (the seller fixed the cause: closed the
    /// other Seller Desk, repaired `settings.json`), and says whether it opened this time. An
    /// open session stays as it is.
    pub async fn open_again(&self) -> Result<(), FacadeError> {
        let failed = self.slot.send_if_modified(|slot| {
            if matches!(slot, Slot::Failed(_)) {
                *slot = Slot::Opening;
                return true;
            }
            false
        });
        if failed {
            self.open().await;
        }
        self.current().await.map(drop)
    }

    /// The session, once it is open; why it could not open otherwise.
    pub async fn current(&self) -> Result<Arc<Session>, FacadeError> {
        let mut slots = self.slot.subscribe();
        let slot = slots
            .wait_for(|slot| !matches!(slot, Slot::Opening))
            .await
            .map(|slot| slot.clone())
            // The sender lives as long as the slot: this cannot happen while anyone waits.
            .map_err(|error| FacadeError::new(ErrorCode::Internal, error.to_string()))?;
        match slot {
            Slot::Open(session) => Ok(session),
            Slot::Failed(error) => Err(error),
            Slot::Opening => {
                Err(FacadeError::new(ErrorCode::Internal, "the session is still opening".into()))
            }
        }
    }

    /// Puts `next` in place of the current session, then closes the one it replaced: its
    /// background sync and its sandbox stop once a "sync now" in progress has ended. Commands
    /// still holding it finish their database work on it.
    pub async fn replace(&self, next: Session) {
        if let Slot::Open(previous) = self.slot.send_replace(Slot::Open(Arc::new(next))) {
            previous.close().await;
        }
    }

    /// Connects a store to a real platform ([`Session::connect_real_platform`]), puts the session
    /// that opened for it in place (when the app leaves the sandbox), and has the store's first
    /// sync start now. Nothing changes when the store or its credentials are refused.
    pub async fn connect_real_platform(
        &self,
        store: NewStoreInput,
        connection: StoreConnectionInput,
    ) -> Result<ConnectionView, FacadeError> {
        let current = self.current().await?;
        let (connected, opened) =
            Session::connect_real_platform(&self.directory, current, store, connection).await?;
        if let Some(session) = opened {
            self.replace(session).await;
        }
        self.current().await?.changed();
        Ok(connected)
    }

    /// Goes back to the embedded sandbox ([`Session::switch_to_sandbox`]) and puts its session in
    /// place; nothing to do when the app is on it already.
    pub async fn switch_to_sandbox(&self) -> Result<(), FacadeError> {
        let current = self.current().await?;
        let opened = Session::switch_to_sandbox(&self.directory, &current).await?;
        if let Some(session) = opened {
            self.replace(session).await;
        }
        Ok(())
    }

    /// Stops the background sync: the app is exiting. A session still opening is left to the
    /// exit.
    pub fn stop(&self) {
        if let Slot::Open(session) = &*self.slot.borrow() {
            session.stop();
        }
    }

    /// Hands the sync news of the current session, whichever it is, to `tell`. Runs as long as
    /// the slot does.
    pub async fn forward_sync_news(&self, tell: impl Fn(SyncNews)) {
        let mut sessions = self.slot.subscribe();
        loop {
            // Seen as of now: any later change (opened, failed, replaced) wakes `changed`.
            let open = match &*sessions.borrow_and_update() {
                Slot::Open(session) => Some(session.sync_news()),
                Slot::Opening | Slot::Failed(_) => None,
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
                        Ok(told) => tell(told),
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
}
