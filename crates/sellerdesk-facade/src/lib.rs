//! Seller Desk's application services: the one API that the `sellerdesk` CLI, the desktop shell
//! and the tests call.
//!
//! The facade owns the clock, the randomness, the bundled example data and the local database
//! (opened on first use, so a refund preview never touches it). It turns domain refusals and
//! storage failures into a [`FacadeError`] with a stable [`ErrorCode`] that front ends branch on,
//! never on message text.

mod aliexpress;
mod campaign;
mod catalog;
mod codes;
mod credentials;
mod diagnostics;
mod error;
mod export;
mod preview;
mod sync;
mod views;

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use sellerdesk_core::Timestamp;
use sellerdesk_platform::sync::SyncOptions;
use sellerdesk_store::Store;

pub use aliexpress::{AuthorizationView, AuthorizeAliexpressInput, ConnectAliexpressInput};
pub use campaign::{CampaignResultsView, ChannelResultsView, DailyRedemptionsView};
pub use catalog::{CouponChangesInput, NewCouponInput, NewStoreInput};
pub use codes::{CheckCharacterChoice, GenerateCodesInput, GenerationProgress};
pub use credentials::{CredentialVault, MemoryVault, OsKeyring};
pub use diagnostics::{LogEcho, LogGuard, log_folder, start_log};
pub use error::{ErrorCode, FacadeError};
pub use export::{EXPORT_COLUMNS, ExportInput, ExportProgress};
pub use preview::{ExamplePayment, RefundPreview, RefundPreviewInput};
pub use sellerdesk_platform::client::PlatformCredentials;
pub use sellerdesk_platform::connector::{PlatformKind, StoreConnection};
pub use sellerdesk_store::ByteOrderMark;
pub use sync::{ConnectMedusaInput, ConnectPlatformInput, RefundAnswer, StoreConnectionInput};
pub use views::*;

/// Where the facade reads the time. Tests pin it; the apps use the system clock.
#[derive(Clone, Copy)]
pub enum Clock {
    System,
    Fixed(Timestamp),
}

impl Clock {
    fn now(self) -> Timestamp {
        match self {
            // Whole seconds: what a seller reads, and what the platform's API carries.
            Clock::System => Timestamp::from_second(Timestamp::now().as_second())
                .unwrap_or(Timestamp::UNIX_EPOCH),
            Clock::Fixed(instant) => instant,
        }
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Clock::System => f.write_str("Clock::System"),
            Clock::Fixed(instant) => write!(f, "Clock::Fixed({instant})"),
        }
    }
}

/// Which database file the facade works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseLocation {
    /// The platform's data directory (on Linux `~/.local/share/sellerdesk/sellerdesk.db`).
    Default,
    Path(PathBuf),
}

impl DatabaseLocation {
    pub fn resolve(&self) -> Result<PathBuf, FacadeError> {
        match self {
            DatabaseLocation::Path(path) => Ok(path.clone()),
            DatabaseLocation::Default => Store::default_path().ok_or_else(|| {
                FacadeError::new(
                    ErrorCode::Io,
                    "cannot find a data directory for the database (is HOME set?)".into(),
                )
            }),
        }
    }
}

/// The application. Safe to share between threads.
#[derive(Debug)]
pub struct SellerDesk {
    clock: Clock,
    database: DatabaseLocation,
    vault: Arc<dyn CredentialVault>,
    sync_options: SyncOptions,
    store: OnceLock<Store>,
    opening: Mutex<()>,
}

impl Default for SellerDesk {
    fn default() -> Self {
        SellerDesk::new()
    }
}

impl SellerDesk {
    /// The system clock and the default database.
    pub fn new() -> SellerDesk {
        SellerDesk::with_settings(DatabaseLocation::Default, Clock::System)
    }

    /// The default database (opened only when needed) and the given clock.
    pub fn with_clock(clock: Clock) -> SellerDesk {
        SellerDesk::with_settings(DatabaseLocation::Default, clock)
    }

    pub fn with_settings(database: DatabaseLocation, clock: Clock) -> SellerDesk {
        SellerDesk {
            clock,
            database,
            vault: Arc::new(OsKeyring::default()),
            sync_options: SyncOptions::default(),
            store: OnceLock::new(),
            opening: Mutex::new(()),
        }
    }

    /// Syncs with `options` (retries, page sizes) instead of the defaults.
    pub fn with_sync_options(mut self, options: SyncOptions) -> SellerDesk {
        self.sync_options = options;
        self
    }

    /// Keeps platform credentials in `vault` instead of the operating system's keyring.
    pub fn with_vault(mut self, vault: Arc<dyn CredentialVault>) -> SellerDesk {
        self.vault = vault;
        self
    }

    fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The database, opened (and upgraded) on first use.
    fn store(&self) -> Result<&Store, FacadeError> {
        if let Some(store) = self.store.get() {
            return Ok(store);
        }
        let _only_one_opener = self.opening.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(store) = self.store.get() {
            return Ok(store);
        }
        let store = Store::open(&self.database.resolve()?)?;
        Ok(self.store.get_or_init(|| store))
    }

    /// The database file in use, once opened.
    pub fn database_path(&self) -> Result<PathBuf, FacadeError> {
        Ok(self.store()?.path().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desk() -> SellerDesk {
        SellerDesk::with_clock(Clock::Fixed("2026-11-24T12:00:00Z".parse().unwrap()))
    }

    #[test]
    fn every_example_payment_previews() {
        let desk = desk();
        for example in desk.example_payments() {
            let input = desk.example_payment(example.id).unwrap();
            let preview = desk.preview_refund(input);
            assert!(preview.is_ok(), "{}: {preview:?}", example.id);
        }
    }

    #[test]
    fn unknown_example_is_not_found() {
        assert_eq!(desk().example_payment("nope").unwrap_err().code, ErrorCode::NotFound);
    }

    #[test]
    fn bad_input_names_field_and_rule() {
        let error = desk().preview_refund_json("{").unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidInput);
        assert_eq!(error.field.as_deref(), Some("input"));
        assert_eq!(error.rule, Some("INPUT-1"));
    }
}
