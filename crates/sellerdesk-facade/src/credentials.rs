//! How each store is connected (its platform's kind, address and secrets: an app key, secret and
//! access token, or a Medusa API key) lives in the operating system's keyring, never in SQLite,
//! logs, error messages or command-line arguments.
//!
//! On Linux the keyring is the Secret Service (GNOME Keyring, KWallet), reached through
//! `zbus-secret-service-keyring-store`. Tests use [`MemoryVault`].

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use keyring_core::api::CredentialStoreApi;
use sellerdesk_core::ids::StoreId;
use sellerdesk_platform::connector::StoreConnection;

use crate::{ErrorCode, FacadeError};

/// The name Seller Desk's items carry in the keyring.
const KEYRING_SERVICE: &str = "sellerdesk";

/// Where store secrets are kept.
pub trait CredentialVault: Send + Sync + fmt::Debug {
    fn save(&self, store_id: &StoreId, secrets: &StoreConnection) -> Result<(), FacadeError>;
    fn load(&self, store_id: &StoreId) -> Result<Option<StoreConnection>, FacadeError>;
    fn forget(&self, store_id: &StoreId) -> Result<(), FacadeError>;
}

/// The operating system's keyring (the Secret Service on Linux), opened on first use.
#[derive(Default)]
pub struct OsKeyring {
    store: OnceLock<Arc<zbus_secret_service_keyring_store::Store>>,
}

impl fmt::Debug for OsKeyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OsKeyring(Secret Service)")
    }
}

impl Drop for OsKeyring {
    fn drop(&mut self) {
        // Closing the Secret Service connection blocks on a runtime of its own, which panics on a
        // thread that drives async tasks: hand it to a blocking thread when dropped on one.
        if let Some(store) = self.store.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn_blocking(move || drop(store));
        }
    }
}

impl OsKeyring {
    fn entry(&self, store_id: &StoreId) -> Result<keyring_core::Entry, FacadeError> {
        let store = match self.store.get() {
            Some(store) => store,
            None => {
                let opened =
                    zbus_secret_service_keyring_store::Store::new().map_err(keyring_error)?;
                self.store.get_or_init(|| opened)
            }
        };
        store.build(KEYRING_SERVICE, &format!("store:{store_id}"), None).map_err(keyring_error)
    }
}

/// Keyring failures, said without any secret in them.
fn keyring_error(error: keyring_core::Error) -> FacadeError {
    let what = match error {
        keyring_core::Error::NoStorageAccess(_) | keyring_core::Error::PlatformFailure(_) => {
            "the system keyring (Secret Service) cannot be reached; is a keyring such as GNOME Keyring running and unlocked?"
        }
        keyring_core::Error::NoEntry => "no credentials are saved for this store",
        _ => "the system keyring refused the request",
    };
    FacadeError::new(ErrorCode::Io, what.into())
}

impl CredentialVault for OsKeyring {
    fn save(&self, store_id: &StoreId, secrets: &StoreConnection) -> Result<(), FacadeError> {
        let text = serde_json::to_string(secrets)
            .map_err(|error| FacadeError::new(ErrorCode::Internal, error.to_string()))?;
        self.entry(store_id)?.set_password(&text).map_err(keyring_error)
    }

    fn load(&self, store_id: &StoreId) -> Result<Option<StoreConnection>, FacadeError> {
        match self.entry(store_id)?.get_password() {
            Ok(text) => StoreConnection::from_keyring_text(&text).map(Some).ok_or_else(|| {
                FacadeError::new(
                    ErrorCode::Io,
                    format!("the keyring item of store {store_id} is not Seller Desk's; connect the store again"),
                )
            }),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(error) => Err(keyring_error(error)),
        }
    }

    fn forget(&self, store_id: &StoreId) -> Result<(), FacadeError> {
        match self.entry(store_id)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(error) => Err(keyring_error(error)),
        }
    }
}

/// Secrets kept in memory only: for tests, and for the bundled sandbox platform.
#[derive(Debug, Default)]
pub struct MemoryVault {
    secrets: Mutex<HashMap<StoreId, StoreConnection>>,
}

impl CredentialVault for MemoryVault {
    fn save(&self, store_id: &StoreId, secrets: &StoreConnection) -> Result<(), FacadeError> {
        self.secrets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(store_id.clone(), secrets.clone());
        Ok(())
    }

    fn load(&self, store_id: &StoreId) -> Result<Option<StoreConnection>, FacadeError> {
        Ok(self.secrets.lock().unwrap_or_else(PoisonError::into_inner).get(store_id).cloned())
    }

    fn forget(&self, store_id: &StoreId) -> Result<(), FacadeError> {
        self.secrets.lock().unwrap_or_else(PoisonError::into_inner).remove(store_id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use sellerdesk_platform::client::PlatformCredentials;

    use super::*;

    #[test]
    fn debug_output_never_shows_the_secret_or_the_token() {
        let secrets = PlatformCredentials {
            base_url: "http://127.0.0.1:8700".into(),
            app_key: "app-1".into(),
            app_secret: "very-secret".into(),
            access_token: "token-xyz".into(),
        };
        let shown = format!("{secrets:?}");
        assert!(shown.contains("app-1"));
        assert!(!shown.contains("very-secret") && !shown.contains("token-xyz"), "{shown}");
    }

    #[test]
    fn the_memory_vault_keeps_secrets_per_store() {
        let vault = MemoryVault::default();
        let a = StoreId::parse("store", "A").unwrap();
        let b = StoreId::parse("store", "B").unwrap();
        let secrets = StoreConnection::Sellerdesk(PlatformCredentials {
            base_url: "http://127.0.0.1:8700".into(),
            app_key: "k".into(),
            app_secret: "s".into(),
            access_token: "t".into(),
        });
        vault.save(&a, &secrets).unwrap();
        assert_eq!(vault.load(&a).unwrap(), Some(secrets));
        assert_eq!(vault.load(&b).unwrap(), None);
        vault.forget(&a).unwrap();
        assert_eq!(vault.load(&a).unwrap(), None);
    }
}
