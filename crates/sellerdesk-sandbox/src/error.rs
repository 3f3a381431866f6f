//! The sandbox's two kinds of failure: [`SandboxError`] for whoever starts, inspects or stops it,
//! and [`ApiError`] for the caller of one gateway call, which becomes an `ErrorBody` answer.

use std::io;
use std::path::PathBuf;

use hyper::StatusCode;
use sellerdesk_core::{InputError, RuleId};
use sellerdesk_platform::api::{ErrorBody, ErrorDetail};

/// Why the sandbox could not start, answer a library call, or be dumped.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("invalid sandbox configuration: {message}")]
    InvalidConfiguration { message: String },
    #[error("cannot use the data directory {path}: {source}")]
    DataDirectory { path: PathBuf, source: io::Error },
    #[error("there is no sandbox database at {path}")]
    NoSandboxData { path: PathBuf },
    #[error("the sandbox database {path} has schema version {found}; this sandbox knows {known}")]
    UnknownSchemaVersion { path: PathBuf, found: i64, known: i64 },
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Listen { port: u16, source: io::Error },
    #[error("sandbox database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("invalid demo data: {0}")]
    DemoData(String),
    #[error("store {store_id} already exists")]
    StoreExists { store_id: String },
    #[error("invalid store: {0}")]
    InvalidStore(InputError),
    #[error("a sandbox background task failed: {message}")]
    TaskFailed { message: String },
}

/// The kind of a refused call, as the `code` of its `ErrorBody` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    InvalidRequest,
    InvalidSignature,
    UnknownAppKey,
    InvalidSession,
    TimestampOutOfRange,
    NotFound,
    MethodNotAllowed,
    RuleViolation,
    /// A feed's cursor beyond anything the feed holds: its history was reset.
    CursorReset,
    /// An injected fault (`--fail-rate`).
    Unavailable,
    Internal,
}

impl ApiErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            ApiErrorKind::InvalidRequest | ApiErrorKind::MethodNotAllowed => "invalid_request",
            ApiErrorKind::InvalidSignature => "invalid_signature",
            ApiErrorKind::UnknownAppKey => "unknown_app_key",
            ApiErrorKind::InvalidSession => "invalid_session",
            ApiErrorKind::TimestampOutOfRange => "timestamp_out_of_range",
            ApiErrorKind::NotFound => "not_found",
            ApiErrorKind::RuleViolation => "rule_violation",
            ApiErrorKind::CursorReset => "cursor_reset",
            ApiErrorKind::Unavailable => "unavailable",
            ApiErrorKind::Internal => "internal",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            ApiErrorKind::InvalidRequest => StatusCode::BAD_REQUEST,
            ApiErrorKind::InvalidSignature
            | ApiErrorKind::UnknownAppKey
            | ApiErrorKind::InvalidSession
            | ApiErrorKind::TimestampOutOfRange => StatusCode::UNAUTHORIZED,
            ApiErrorKind::NotFound => StatusCode::NOT_FOUND,
            ApiErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiErrorKind::RuleViolation => StatusCode::CONFLICT,
            ApiErrorKind::CursorReset => StatusCode::GONE,
            ApiErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// One refused gateway call: its kind and a sentence a seller can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", kind.code())]
pub struct ApiError {
    pub kind: ApiErrorKind,
    pub message: String,
}

impl ApiError {
    pub fn new(kind: ApiErrorKind, message: impl Into<String>) -> ApiError {
        ApiError { kind, message: message.into() }
    }

    pub fn invalid_request(message: impl Into<String>) -> ApiError {
        ApiError::new(ApiErrorKind::InvalidRequest, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(ApiErrorKind::NotFound, message)
    }

    pub fn rule_violation(message: impl Into<String>) -> ApiError {
        ApiError::new(ApiErrorKind::RuleViolation, message)
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail { code: self.kind.code().to_owned(), message: self.message.clone() },
        }
    }
}

/// A refusal by the core's rules. Malformed values (a missing title, an amount that is not a
/// decimal string, a time without an offset) are bad requests; everything else is a rule the
/// platform enforces.
impl From<InputError> for ApiError {
    fn from(error: InputError) -> ApiError {
        let kind = match error.rule {
            RuleId::Input1 | RuleId::Input3 | RuleId::Money1 => ApiErrorKind::InvalidRequest,
            _ => ApiErrorKind::RuleViolation,
        };
        ApiError::new(kind, error.to_string())
    }
}

/// A failure of the sandbox's own database is its fault, never the caller's.
impl From<rusqlite::Error> for ApiError {
    fn from(error: rusqlite::Error) -> ApiError {
        ApiError::new(ApiErrorKind::Internal, format!("sandbox database: {error}"))
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(error: serde_json::Error) -> ApiError {
        ApiError::new(ApiErrorKind::Internal, format!("sandbox JSON: {error}"))
    }
}
