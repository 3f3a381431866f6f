//! What can go wrong with the local database, said so that a seller knows what to do.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the database {path} is in use by another Seller Desk process (it stayed locked for 5 seconds); close the other one and try again"
    )]
    Locked { path: PathBuf },
    #[error(
        "the database {path} is damaged or is not a Seller Desk database; it was left untouched (keep a copy)"
    )]
    Corrupt { path: PathBuf },
    #[error(
        "the database {path} was written by a newer Seller Desk (schema {found}, this one knows up to {supported}); it was left untouched: update Seller Desk"
    )]
    NewerSchema { path: PathBuf, found: u32, supported: u32 },
    #[error(
        "the disk holding the database {path} is full; nothing of this change was written: free some space and try again"
    )]
    DiskFull { path: PathBuf },
    #[error("cannot use {path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{what} does not exist")]
    NotFound { what: String },
    #[error("{what} already exists")]
    AlreadyExists { what: String },
    #[error("database error on {path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("the database {path} holds a value this version cannot read: {message}")]
    UnreadableValue { path: PathBuf, message: String },
}

impl StoreError {
    pub(crate) fn from_sqlite(path: &Path, error: rusqlite::Error) -> StoreError {
        let path = path.to_owned();
        match error.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                StoreError::Locked { path }
            }
            Some(code) if crate::database::is_corruption(code) => StoreError::Corrupt { path },
            Some(ErrorCode::DiskFull) => StoreError::DiskFull { path },
            Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => {
                StoreError::Io { path, message: error.to_string() }
            }
            _ => StoreError::Sqlite { path, source: error },
        }
    }
}
