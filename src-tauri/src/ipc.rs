//! The shell's own IPC types. The rule: the page speaks the types of the crates that own the
//! facts. A command returns the facade's or the session's own type (views, the core's refund
//! preview, progress steps), never a copy, and takes the facade's input as it is (a new coupon,
//! coupon changes, a batch of codes, a refund answer, an AliExpress authorization). The shell
//! defines a type only where the page says something no other crate has a type for, each saying
//! why: the error as the page reads it ([`CommandError`]), what the window learns at start
//! ([`AppInfo`]: the binary's version), an export without its file ([`ExportRequest`]: the page
//! never names a path) and the Settings form, one for every platform kind ([`ConnectRequest`]).
//!
//! The TypeScript side sees every one of them through the generated `ui/src/lib/bindings.ts`
//! (see `src/bindings.rs`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use sellerdesk_core::{InputError, RuleId};
use sellerdesk_facade::{
    ByteOrderMark, ConnectAliexpressInput, ConnectMedusaInput, ConnectPlatformInput, ErrorCode,
    ExportInput, FacadeError, NewStoreInput, PlatformKind, StoreConnectionInput,
};
use sellerdesk_session::PlatformView;
use serde::{Deserialize, Serialize};

/// The error every command returns: `{ "code": "invalid_input", "message": "..." }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CommandError {
    /// The facade's code, as the UI branches on it (its TypeScript type derives from it).
    pub code: ErrorCode,
    /// One line for people: `<field>: <what is wrong> [<RULE-ID>]`.
    pub message: String,
    /// For bad input: the field that broke a rule, so a form can show the message beside it.
    pub field: Option<String>,
    /// For bad input: the id of the rule in docs/rules.md.
    pub rule: Option<String>,
    /// For bad input: which way the rule was broken, where it can be broken in more than one way.
    pub reason: Option<String>,
    /// For bad input: the values the page's words for the refusal name (`left`, `shortest` …).
    /// The page words a refusal from `code`, `rule`, `reason` and these, in the seller's
    /// language; `message` is the English line the CLI and the logs show.
    pub params: BTreeMap<String, String>,
}

impl From<FacadeError> for CommandError {
    fn from(error: FacadeError) -> Self {
        CommandError {
            code: error.code,
            message: error.message,
            field: error.field,
            rule: error.rule.map(str::to_owned),
            reason: error.reason.map(str::to_owned),
            params: error.params,
        }
    }
}

/// What the window needs to know at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AppInfo {
    pub version: String,
    pub platform: PlatformView,
}

/// Which codes to export, as the window asks; the file is chosen in the save dialog, so the page
/// never names a path.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExportRequest {
    pub store_id: String,
    pub coupon_id: String,
    pub channel: Option<String>,
    pub batch_id: Option<i64>,
    /// `unclaimed` or a buyer-side status; none for every code.
    pub status: Option<String>,
    /// Starts the file with a byte order mark, so that Excel reads it as UTF-8.
    pub excel_byte_order_mark: bool,
}

impl ExportRequest {
    pub fn into_input(self, out: PathBuf) -> ExportInput {
        ExportInput {
            store_id: self.store_id,
            coupon_id: self.coupon_id,
            out,
            channel: self.channel.filter(|channel| !channel.trim().is_empty()),
            batch_id: self.batch_id,
            status: self.status.filter(|status| !status.trim().is_empty()),
            byte_order_mark: if self.excel_byte_order_mark {
                ByteOrderMark::Present
            } else {
                ByteOrderMark::Absent
            },
        }
    }
}

/// A real platform endpoint for one store, as typed in Settings: one form for every platform
/// kind, turned into the facade's input for the kind chosen. The secret and the token go to the
/// operating system's keyring, never to the database.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConnectRequest {
    pub store_id: String,
    /// The store's name, used when the store is new on this desk.
    pub store_name: String,
    /// The store's currency (ISO 4217), used when the store is new on this desk.
    pub currency: String,
    /// The platform's kind: `sellerdesk` (app key, secret and token), `medusa` (a secret API
    /// key) or `aliexpress` (app key, secret, and the code AliExpress gave on the app's callback).
    pub platform: String,
    pub base_url: String,
    pub app_key: String,
    pub app_secret: String,
    pub access_token: String,
    /// Medusa's secret API key.
    pub api_key: String,
    /// The code AliExpress gave after the seller authorized the app.
    pub authorization_code: String,
}

impl std::fmt::Debug for ConnectRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectRequest")
            .field("store_id", &self.store_id)
            .field("base_url", &self.base_url)
            .field("app_key", &self.app_key)
            .field("platform", &self.platform)
            .field("app_secret", &"…")
            .field("access_token", &"…")
            .field("api_key", &"…")
            .field("authorization_code", &"…")
            .finish_non_exhaustive()
    }
}

impl ConnectRequest {
    /// The store, for when it is new on this desk.
    pub fn store(&self) -> NewStoreInput {
        NewStoreInput {
            store_id: self.store_id.clone(),
            name: self.store_name.clone(),
            currency: self.currency.clone(),
        }
    }

    pub fn connection(&self) -> Result<StoreConnectionInput, FacadeError> {
        match PlatformKind::parse(&self.platform) {
            Some(PlatformKind::Sellerdesk) => {
                Ok(StoreConnectionInput::Sellerdesk(ConnectPlatformInput {
                    store_id: self.store_id.clone(),
                    base_url: self.base_url.clone(),
                    app_key: self.app_key.clone(),
                    app_secret: self.app_secret.clone(),
                    access_token: self.access_token.clone(),
                }))
            }
            Some(PlatformKind::Medusa) => Ok(StoreConnectionInput::Medusa(ConnectMedusaInput {
                store_id: self.store_id.clone(),
                base_url: self.base_url.clone(),
                api_key: self.api_key.clone(),
            })),
            Some(PlatformKind::Aliexpress) => {
                Ok(StoreConnectionInput::Aliexpress(ConnectAliexpressInput {
                    store_id: self.store_id.clone(),
                    base_url: Some(self.base_url.clone()),
                    app_key: self.app_key.clone(),
                    app_secret: self.app_secret.clone(),
                    code: self.authorization_code.clone(),
                }))
            }
            None => Err(FacadeError::from(InputError::new(
                "platform",
                RuleId::Input1,
                format!("unknown platform {:?}; sellerdesk, medusa or aliexpress", self.platform),
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_error_serializes_as_code_and_message() {
        let error = CommandError {
            code: ErrorCode::InvalidInput,
            message: "currency: unknown currency code XXX [MONEY-2]".to_owned(),
            field: Some("currency".to_owned()),
            rule: Some("MONEY-2".to_owned()),
            reason: Some("unknown_currency".to_owned()),
            params: BTreeMap::from([("currency".to_owned(), "XXX".to_owned())]),
        };
        let json = serde_json::to_value(&error).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({
                "code": "invalid_input",
                "message": "currency: unknown currency code XXX [MONEY-2]",
                "field": "currency",
                "rule": "MONEY-2",
                "reason": "unknown_currency",
                "params": { "currency": "XXX" }
            })
        );
    }
}
