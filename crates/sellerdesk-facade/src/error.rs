//! Failures as every front end sees them: a stable code to branch on and one line to show.

use std::collections::BTreeMap;

use sellerdesk_core::InputError;
use sellerdesk_store::StoreError;

/// What kind of failure a front end is looking at. Its serde names are the codes every front end
/// sees (the CLI's JSON, the app's `CommandError.code` and its TypeScript type, derived from here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum ErrorCode {
    /// The seller's input breaks a rule; the message names the field and the rule.
    InvalidInput,
    /// Something asked for by id does not exist.
    NotFound,
    /// Something with that id already exists.
    Conflict,
    /// Another process holds the database.
    DatabaseLocked,
    /// The database file is damaged, or not a Seller Desk database.
    DatabaseCorrupt,
    /// The database was written by a newer Seller Desk.
    DatabaseTooNew,
    /// The disk is full: nothing was written.
    DiskFull,
    /// A file could not be read or written.
    Io,
    /// The work was cancelled by the seller.
    Cancelled,
    /// The store has no platform credentials yet.
    NotConnected,
    /// The platform could not be reached, refused the credentials, or answered wrongly.
    Platform,
    /// The store's platform does not let Seller Desk do this; the message says what to do.
    NotSupported,
    /// A fault of the application itself.
    Internal,
}

/// A refusal or failure, said once, in a form every front end can show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FacadeError {
    pub code: ErrorCode,
    /// One line: for bad input `<field>: <what is wrong> [<RULE-ID>]`.
    pub message: String,
    /// The JSON path of the offending field, for bad input.
    pub field: Option<String>,
    /// The id of the rule in `docs/rules.md` that refused the input.
    pub rule: Option<&'static str>,
    /// Which way the rule was broken, where it can be broken in more than one way.
    pub reason: Option<&'static str>,
    /// The values the words of a refusal name, so that a front end can word it in the seller's
    /// language (see [`sellerdesk_core::rules::Reason`]).
    pub params: BTreeMap<String, String>,
}

impl FacadeError {
    pub fn new(code: ErrorCode, message: String) -> FacadeError {
        FacadeError {
            code,
            message,
            field: None,
            rule: None,
            reason: None,
            params: BTreeMap::new(),
        }
    }
}

impl From<InputError> for FacadeError {
    fn from(error: InputError) -> FacadeError {
        let params = error.params_by_name();
        FacadeError {
            code: ErrorCode::InvalidInput,
            message: error.to_string(),
            field: Some(error.field),
            rule: Some(error.rule.as_str()),
            reason: error.reason.map(|reason| reason.as_str()),
            params,
        }
    }
}

impl From<StoreError> for FacadeError {
    fn from(error: StoreError) -> FacadeError {
        let code = match &error {
            StoreError::Locked { .. } => ErrorCode::DatabaseLocked,
            StoreError::Corrupt { .. } => ErrorCode::DatabaseCorrupt,
            StoreError::NewerSchema { .. } => ErrorCode::DatabaseTooNew,
            StoreError::DiskFull { .. } => ErrorCode::DiskFull,
            StoreError::Io { .. } => ErrorCode::Io,
            StoreError::NotFound { .. } => ErrorCode::NotFound,
            StoreError::AlreadyExists { .. } => ErrorCode::Conflict,
            StoreError::Sqlite { .. } | StoreError::UnreadableValue { .. } => ErrorCode::Internal,
        };
        FacadeError::new(code, error.to_string())
    }
}
