//! What the commands send to the webview, besides the §8 contract types of `sellerdesk-core`.
//!
//! The TypeScript side sees these through the generated `ui/src/lib/bindings.ts`
//! (see `src/bindings.rs`).

use std::path::PathBuf;

use sellerdesk_core::{InputError, RuleId};
use sellerdesk_facade::{
    AuthorizeAliexpressInput, ByteOrderMark, CheckCharacterChoice, ConnectAliexpressInput,
    ConnectMedusaInput, ConnectPlatformInput, CouponChangesInput, ErrorCode, ExamplePayment,
    ExportInput, ExportProgress, FacadeError, GenerateCodesInput, GenerationProgress,
    NewCouponInput, NewStoreInput, PlatformKind, RefundAnswer, StoreConnectionInput,
};
use sellerdesk_session::PlatformView;
use serde::{Deserialize, Serialize};

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
}

impl From<FacadeError> for CommandError {
    fn from(error: FacadeError) -> Self {
        CommandError {
            code: error.code,
            message: error.message,
            field: error.field,
            rule: error.rule.map(str::to_owned),
        }
    }
}

/// What the window needs to know at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AppInfoDto {
    pub version: String,
    pub platform: PlatformView,
}

/// A new seller coupon as typed in the form. Amounts are decimal strings in the store's currency;
/// times are RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NewCouponDto {
    pub store_id: String,
    pub title: String,
    pub discount: String,
    pub min_purchase: String,
    pub valid_from: String,
    pub valid_to: String,
    pub quantity: u32,
}

impl From<NewCouponDto> for NewCouponInput {
    fn from(dto: NewCouponDto) -> Self {
        NewCouponInput {
            store_id: dto.store_id,
            title: dto.title,
            discount: dto.discount,
            min_purchase: dto.min_purchase,
            valid_from: dto.valid_from,
            valid_to: dto.valid_to,
            quantity: dto.quantity,
        }
    }
}

/// Changes to a coupon; a missing term stays as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CouponChangesDto {
    #[cfg_attr(test, ts(optional))]
    pub title: Option<String>,
    #[cfg_attr(test, ts(optional))]
    pub discount: Option<String>,
    #[cfg_attr(test, ts(optional))]
    pub min_purchase: Option<String>,
    #[cfg_attr(test, ts(optional))]
    pub valid_from: Option<String>,
    #[cfg_attr(test, ts(optional))]
    pub valid_to: Option<String>,
    #[cfg_attr(test, ts(optional))]
    pub quantity: Option<u32>,
}

impl From<CouponChangesDto> for CouponChangesInput {
    fn from(dto: CouponChangesDto) -> Self {
        CouponChangesInput {
            title: dto.title,
            discount: dto.discount,
            min_purchase: dto.min_purchase,
            valid_from: dto.valid_from,
            valid_to: dto.valid_to,
            quantity: dto.quantity,
        }
    }
}

/// A batch of codes as the generator form describes it (also what the live hint reads).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CodeRequestDto {
    pub store_id: String,
    pub coupon_id: String,
    pub count: u32,
    /// The random part's length; none picks the shortest safe one.
    pub length: Option<u32>,
    pub prefix: String,
    pub suffix: String,
    /// Dashes every this many characters when printed; none for no dashes.
    pub group: Option<u32>,
    /// None for the default alphabet without look-alike characters.
    pub alphabet: Option<String>,
    pub check_character: bool,
    pub channel: Option<String>,
}

impl From<CodeRequestDto> for GenerateCodesInput {
    fn from(dto: CodeRequestDto) -> Self {
        GenerateCodesInput {
            store_id: dto.store_id,
            coupon_id: dto.coupon_id,
            count: dto.count,
            length: dto.length,
            prefix: dto.prefix,
            suffix: dto.suffix,
            group: dto.group,
            alphabet: dto.alphabet.filter(|alphabet| !alphabet.trim().is_empty()),
            check_character: if dto.check_character {
                CheckCharacterChoice::With
            } else {
                CheckCharacterChoice::Without
            },
            channel: dto.channel,
        }
    }
}

/// How far a code generation is, sent over a Tauri channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum GenerationProgressDto {
    /// The codes are made in memory; writing them comes next.
    Generated {
        codes: u64,
    },
    Written {
        codes: u64,
        total: u64,
    },
}

impl From<GenerationProgress> for GenerationProgressDto {
    fn from(progress: GenerationProgress) -> Self {
        match progress {
            GenerationProgress::Generated { codes } => GenerationProgressDto::Generated { codes },
            GenerationProgress::Written { codes, total } => {
                GenerationProgressDto::Written { codes, total }
            }
        }
    }
}

/// Which codes to export; the file is chosen in the save dialog.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExportRequestDto {
    pub store_id: String,
    pub coupon_id: String,
    pub channel: Option<String>,
    pub batch_id: Option<i64>,
    /// `unclaimed` or a buyer-side status; none for every code.
    pub status: Option<String>,
    /// Starts the file with a byte order mark, so that Excel reads it as UTF-8.
    pub excel_byte_order_mark: bool,
}

impl ExportRequestDto {
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

/// How far an export is, sent over a Tauri channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExportProgressDto {
    pub rows_written: u64,
    pub rows_total: u64,
}

impl From<ExportProgress> for ExportProgressDto {
    fn from(progress: ExportProgress) -> Self {
        ExportProgressDto { rows_written: progress.rows_written, rows_total: progress.rows_total }
    }
}

/// The seller's answer to a buyer's refund request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum RefundAnswerDto {
    Approve,
    Refuse {
        /// Why, in the seller's words: the platform shows it to the buyer (AliExpress asks for
        /// one).
        reason: Option<String>,
    },
}

impl From<RefundAnswerDto> for RefundAnswer {
    fn from(dto: RefundAnswerDto) -> Self {
        match dto {
            RefundAnswerDto::Approve => RefundAnswer::Approve,
            RefundAnswerDto::Refuse { reason } => RefundAnswer::Refuse { reason },
        }
    }
}

/// What Settings sends to open AliExpress's authorization page: the app's key, its registered
/// callback, and the gateway (empty for AliExpress's own).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AuthorizeAliexpressDto {
    pub app_key: String,
    pub redirect_uri: String,
    pub base_url: String,
}

impl From<AuthorizeAliexpressDto> for AuthorizeAliexpressInput {
    fn from(dto: AuthorizeAliexpressDto) -> Self {
        let base_url = dto.base_url.trim();
        AuthorizeAliexpressInput {
            app_key: dto.app_key,
            redirect_uri: dto.redirect_uri,
            base_url: (!base_url.is_empty()).then(|| base_url.to_owned()),
        }
    }
}

/// A real platform endpoint for one store, as typed in Settings. The secret and the token go to
/// the operating system's keyring, never to the database.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConnectPlatformDto {
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

impl std::fmt::Debug for ConnectPlatformDto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectPlatformDto")
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

impl ConnectPlatformDto {
    /// The store, for when it is new on this desk.
    pub fn store(&self) -> NewStoreInput {
        NewStoreInput {
            store_id: self.store_id.clone(),
            name: self.store_name.clone(),
            currency: self.currency.clone(),
        }
    }

    pub fn connection(&self) -> Result<StoreConnectionInput, CommandError> {
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
            ))
            .into()),
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
        };
        let json = serde_json::to_value(&error).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({
                "code": "invalid_input",
                "message": "currency: unknown currency code XXX [MONEY-2]",
                "field": "currency",
                "rule": "MONEY-2"
            })
        );
    }
}
