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

/// Why a command failed. The UI branches on this, never on the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum CommandErrorCode {
    /// The payment or refund request breaks a rule; the message names the field and the rule.
    InvalidInput,
    /// No such example payment.
    NotFound,
    /// A bug: nothing the seller can fix.
    Internal,
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
        let code = match error.code {
            ErrorCode::InvalidInput => CommandErrorCode::InvalidInput,
            ErrorCode::NotFound => CommandErrorCode::NotFound,
            ErrorCode::Internal => CommandErrorCode::Internal,
        };
        CommandError { code, message: error.message }
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
    fn command_error_codes_match_the_facade_codes() {
        for (facade, ours) in [
            (ErrorCode::InvalidInput, "invalid_input"),
            (ErrorCode::NotFound, "not_found"),
            (ErrorCode::Internal, "internal"),
        ] {
            let facade_str = facade.as_str();
            let error = CommandError::from(FacadeError::new(facade, String::new()));
            let json = serde_json::to_value(error.code).expect("serializes");
            assert_eq!(json, serde_json::Value::from(ours));
            assert_eq!(facade_str, ours);
        }
    }
}
