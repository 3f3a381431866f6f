//! Connecting a store to AliExpress, as the platform documents it: the authorization URL the
//! seller opens, then the code AliExpress gives back exchanged for the seller's tokens, kept in
//! the keyring with the app's key and secret (never elsewhere).

use std::sync::Arc;

use sellerdesk_core::ids::StoreId;
use sellerdesk_core::rules::Reason;
use sellerdesk_core::{InputError, RuleId};
use sellerdesk_platform::CallError;
use sellerdesk_platform::connector::StoreConnection;
use sellerdesk_platform::connector::aliexpress::auth::{
    self, AliexpressCredentials, authorization_url,
};
use sellerdesk_platform::connector::aliexpress::gateway::{Gateway, PRODUCTION_GATEWAY};
use serde::Serialize;

use crate::catalog::{parse_store_id, refused_address, required};
use crate::sync::connection_view;
use crate::views::ConnectionView;
use crate::{ErrorCode, FacadeError, SellerDesk};

/// The currency AliExpress states seller coupon amounts in.
const COUPON_CURRENCY: &str = "USD";

/// What a seller gives to ask for an authorization: the app's key, its registered callback, and
/// the gateway when it is not AliExpress's own.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct AuthorizeAliexpressInput {
    pub app_key: String,
    /// The callback URL registered for the app, where AliExpress sends the code.
    pub redirect_uri: String,
    /// The gateway; AliExpress's production gateway when `None` or blank.
    pub base_url: Option<String>,
}

/// The page the seller opens to authorize the app, and the `state` it carries back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct AuthorizationView {
    pub url: String,
    pub state: String,
}

/// What a seller gives to connect a store once AliExpress gave the code. The secret and the code
/// come from standard input or the app's form, never from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectAliexpressInput {
    pub store_id: String,
    pub base_url: Option<String>,
    pub app_key: String,
    pub app_secret: String,
    /// The code AliExpress gave on the app's callback.
    pub code: String,
}

fn gateway_of(base_url: Option<&str>) -> String {
    base_url
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .unwrap_or(PRODUCTION_GATEWAY)
        .trim_end_matches('/')
        .to_owned()
}

impl SellerDesk {
    /// The authorization page for the app, with a fresh `state`.
    pub fn aliexpress_authorization(
        &self,
        input: &AuthorizeAliexpressInput,
    ) -> Result<AuthorizationView, FacadeError> {
        let app_key = required("app_key", &input.app_key)?;
        let redirect_uri = required("redirect_uri", &input.redirect_uri)?;
        if !(redirect_uri.starts_with("https://") || redirect_uri.starts_with("http://")) {
            return Err(InputError::new(
                "redirect_uri",
                RuleId::Input1,
                "must be the https URL registered as the app's callback",
            )
            .because(Reason::CallbackAddress)
            .into());
        }
        let mut bytes = [0_u8; 12];
        rand::fill(&mut bytes[..]);
        let state: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        let url = authorization_url(
            &gateway_of(input.base_url.as_deref()),
            &app_key,
            &redirect_uri,
            &state,
        )
        .map_err(refused_address)?;
        Ok(AuthorizationView { url: url.to_string(), state })
    }

    /// Exchanges the code for the seller's tokens and keeps them for the store, which must exist
    /// and sell in US dollars (AliExpress states coupon amounts in US cents). Nothing is kept
    /// when AliExpress refuses the exchange.
    pub async fn connect_aliexpress(
        &self,
        input: &ConnectAliexpressInput,
    ) -> Result<ConnectionView, FacadeError> {
        let store_id = parse_store_id(&input.store_id)?;
        let currency = self.store()?.read(|reader| reader.store(&store_id))?.currency;
        self.check_aliexpress_currency(currency.code())?;
        let credentials = self.exchange_aliexpress_code(input).await?;
        self.keep_connection(&store_id, StoreConnection::Aliexpress(credentials)).await
    }

    /// AliExpress states seller coupon amounts in US cents: only a USD store mirrors them.
    pub(crate) fn check_aliexpress_currency(&self, currency: &str) -> Result<(), FacadeError> {
        if currency.trim().eq_ignore_ascii_case(COUPON_CURRENCY) {
            return Ok(());
        }
        Err(InputError::new(
            "currency",
            RuleId::Money3,
            format!(
                "the store is in {currency}; AliExpress states seller coupon amounts in US \
                 dollars, so only a USD store can mirror them"
            ),
        )
        .because(Reason::UsdOnly)
        .with("currency", currency)
        .into())
    }

    pub(crate) async fn exchange_aliexpress_code(
        &self,
        input: &ConnectAliexpressInput,
    ) -> Result<AliexpressCredentials, FacadeError> {
        let app_key = required("app_key", &input.app_key)?;
        let app_secret = required("app_secret", &input.app_secret)?;
        let code = required("code", &input.code)?;
        let base_url = gateway_of(input.base_url.as_deref());
        let gateway = Gateway::new(&base_url, &app_key, &app_secret).map_err(refused_address)?;
        let tokens = auth::exchange_code(&gateway, &code).await.map_err(|error| match error {
            CallError::Rejected { message, .. } => FacadeError::from(
                InputError::new(
                    "code",
                    RuleId::Input1,
                    format!("the authorization was refused: {message}"),
                )
                .because(Reason::AuthorizationRefused)
                .with("answer", message),
            ),
            other => FacadeError::new(
                ErrorCode::Platform,
                format!("cannot exchange the code with AliExpress at {base_url}: {other}"),
            ),
        })?;
        Ok(AliexpressCredentials { base_url, app_key, app_secret, tokens })
    }

    /// [`SellerDesk::connect_aliexpress`] for callers without an async runtime (the CLI).
    pub fn connect_aliexpress_blocking(
        &self,
        input: &ConnectAliexpressInput,
    ) -> Result<ConnectionView, FacadeError> {
        crate::sync::blocking_runtime()?.block_on(self.connect_aliexpress(input))
    }

    /// Keeps a checked connection in the keyring, off the async threads.
    pub(crate) async fn keep_connection(
        &self,
        store_id: &StoreId,
        connection: StoreConnection,
    ) -> Result<ConnectionView, FacadeError> {
        let vault = Arc::clone(&self.vault);
        let saved = connection.clone();
        let key = store_id.clone();
        tokio::task::spawn_blocking(move || vault.save(&key, &saved))
            .await
            .map_err(|error| FacadeError::new(ErrorCode::Internal, error.to_string()))??;
        Ok(connection_view(store_id, &connection))
    }
}
