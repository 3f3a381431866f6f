//! What the commands send to the webview, besides the §8 contract types of `sellerdesk-core`.
//!
//! The TypeScript side sees these through the generated `ui/src/lib/bindings.ts`
//! (see `src/bindings.rs`).

use sellerdesk_facade::{ErrorCode, ExamplePayment, FacadeError};
use serde::Serialize;

/// A payment bundled with the app, as listed in the picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExamplePaymentDto {
    /// Stable id to pass to `load_example_payment`.
    pub id: String,
    /// One line a seller can read.
    pub title: String,
}

impl From<ExamplePayment> for ExamplePaymentDto {
    fn from(example: ExamplePayment) -> Self {
        ExamplePaymentDto { id: example.id.to_owned(), title: example.title.to_owned() }
    }
}

/// Why a command failed: the facade's [`ErrorCode`], one for one. The UI branches on this,
/// never on the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum CommandErrorCode {
    /// The payment or refund request breaks a rule; the message names the field and the rule.
    InvalidInput,
    /// No such example payment (or other thing asked for by id).
    NotFound,
    /// Something with that id already exists.
    Conflict,
    /// Another process holds the database.
    DatabaseLocked,
    /// The database file is damaged, or not a Seller Desk database.
    DatabaseCorrupt,
    /// The database was written by a newer Seller Desk.
    DatabaseTooNew,
    /// A file could not be read or written.
    Io,
    /// The seller cancelled the work.
    Cancelled,
    /// The store has no platform credentials yet.
    NotConnected,
    /// The platform could not be reached, refused the credentials, or answered wrongly.
    Platform,
    /// A bug: nothing the seller can fix.
    Internal,
}

impl From<ErrorCode> for CommandErrorCode {
    fn from(code: ErrorCode) -> Self {
        // Exhaustive on purpose: a new facade code must be added here and to the bindings.
        match code {
            ErrorCode::InvalidInput => CommandErrorCode::InvalidInput,
            ErrorCode::NotFound => CommandErrorCode::NotFound,
            ErrorCode::Conflict => CommandErrorCode::Conflict,
            ErrorCode::DatabaseLocked => CommandErrorCode::DatabaseLocked,
            ErrorCode::DatabaseCorrupt => CommandErrorCode::DatabaseCorrupt,
            ErrorCode::DatabaseTooNew => CommandErrorCode::DatabaseTooNew,
            ErrorCode::Io => CommandErrorCode::Io,
            ErrorCode::Cancelled => CommandErrorCode::Cancelled,
            ErrorCode::NotConnected => CommandErrorCode::NotConnected,
            ErrorCode::Platform => CommandErrorCode::Platform,
            ErrorCode::Internal => CommandErrorCode::Internal,
        }
    }
}

/// The error every command returns: `{ "code": "invalid_input", "message": "..." }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CommandError {
    pub code: CommandErrorCode,
    /// One line for people: `<field>: <what is wrong> [<RULE-ID>]`.
    pub message: String,
}

impl From<FacadeError> for CommandError {
    fn from(error: FacadeError) -> Self {
        CommandError { code: error.code.into(), message: error.message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_error_serializes_as_code_and_message() {
        let error = CommandError {
            code: CommandErrorCode::InvalidInput,
            message: "currency: unknown currency code XXX [MONEY-2]".to_owned(),
        };
        let json = serde_json::to_value(&error).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({
                "code": "invalid_input",
                "message": "currency: unknown currency code XXX [MONEY-2]"
            })
        );
    }

    #[test]
    fn command_error_codes_serialize_as_the_facade_names_them() {
        for facade in [
            ErrorCode::InvalidInput,
            ErrorCode::NotFound,
            ErrorCode::Conflict,
            ErrorCode::DatabaseLocked,
            ErrorCode::DatabaseCorrupt,
            ErrorCode::DatabaseTooNew,
            ErrorCode::Io,
            ErrorCode::Cancelled,
            ErrorCode::NotConnected,
            ErrorCode::Platform,
            ErrorCode::Internal,
        ] {
            let error = CommandError::from(FacadeError::new(facade, "m".to_owned()));
            let json = serde_json::to_value(&error).expect("serializes");
            assert_eq!(json, serde_json::json!({ "code": facade.as_str(), "message": "m" }));
        }
    }
}
