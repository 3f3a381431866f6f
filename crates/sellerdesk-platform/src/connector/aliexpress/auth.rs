//! Seller authorization, as AliExpress documents it: the seller opens the authorization URL and
//! consents; AliExpress sends the browser to the app's registered callback with a `code`; the code
//! is exchanged at `/auth/token/create` for an access token and a refresh token, and the access
//! token is refreshed at `/auth/token/refresh` before it expires.

use std::fmt;

use reqwest::Url;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::gateway::{Api, Gateway, GatewayError, methods, usable_gateway};
use super::wire::{integer, text};
use crate::client::ClientError;
use crate::platform_api::CallError;

/// How long before its expiry an access token is refreshed.
pub const REFRESH_AHEAD_MS: i64 = 10 * 60 * 1000;

/// What a store connected to AliExpress keeps in the system keyring: the app, and the seller's
/// tokens with their expiry. `Debug` never shows the secret or a token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliexpressCredentials {
    /// The gateway, `https://api-sg.aliexpress.com` unless `--url` said otherwise.
    pub base_url: String,
    pub app_key: String,
    pub app_secret: String,
    pub tokens: Tokens,
}

/// The seller's tokens, as `/auth/token/create` and `/auth/token/refresh` give them.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    /// When the access token expires, in milliseconds since 1970 (UTC).
    pub access_expires_at_ms: i64,
    /// When the refresh token expires; after it, the seller must authorize again.
    pub refresh_expires_at_ms: i64,
    /// The seller account the tokens act for, as AliExpress names it.
    pub seller: String,
}

impl fmt::Debug for AliexpressCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AliexpressCredentials")
            .field("base_url", &self.base_url)
            .field("app_key", &self.app_key)
            .field("app_secret", &"<redacted>")
            .field("tokens", &self.tokens)
            .finish()
    }
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &"<redacted>")
            .field("refresh_token", &"<redacted>")
            .field("access_expires_at_ms", &self.access_expires_at_ms)
            .field("refresh_expires_at_ms", &self.refresh_expires_at_ms)
            .field("seller", &self.seller)
            .finish()
    }
}

/// The page where the seller consents:
/// `{base}/oauth/authorize?response_type=code&force_auth=true&redirect_uri=…&client_id=…&state=…`.
/// `redirect_uri` must be the callback registered for the app.
pub fn authorization_url(
    base_url: &str,
    app_key: &str,
    redirect_uri: &str,
    state: &str,
) -> Result<Url, ClientError> {
    let mut url = usable_gateway(base_url)?;
    let path = format!("{}/oauth/authorize", url.path().trim_end_matches('/'));
    url.set_path(&path);
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("force_auth", "true")
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("client_id", app_key)
        .append_pair("state", state);
    Ok(url)
}

/// Exchanges an authorization code for the seller's tokens.
pub async fn exchange_code(gateway: &Gateway, code: &str) -> Result<Tokens, CallError> {
    let api = methods::TOKEN_CREATE;
    let answer = gateway
        .call(api, None, &[("code", code.trim().to_owned())])
        .await
        .map_err(|error| refused_authorization(api, error))?;
    read_tokens(api, &answer)
}

/// New tokens for a refresh token that is still valid.
pub async fn refresh(gateway: &Gateway, refresh_token: &str) -> Result<Tokens, CallError> {
    let api = methods::TOKEN_REFRESH;
    let answer = gateway
        .call(api, None, &[("refresh_token", refresh_token.to_owned())])
        .await
        .map_err(|error| refused_authorization(api, error))?;
    read_tokens(api, &answer)
}

/// A refused exchange or refresh says so with the platform's reason; any refusal there is about
/// the authorization (a used or expired code, a wrong secret, a revoked grant).
fn refused_authorization(api: Api, error: GatewayError) -> CallError {
    match error {
        GatewayError::Business { code, message } | GatewayError::Client { code, message } => {
            GatewayError::Credentials { code, message }.into_call_error(api)
        }
        other => other.into_call_error(api),
    }
}

fn read_tokens(api: Api, answer: &Map<String, Value>) -> Result<Tokens, CallError> {
    let missing =
        |field: &str| CallError::bad_response(api.name(), format!("the answer has no {field}"));
    let now = jiff::Timestamp::now().as_millisecond();
    // Absolute expiry when given, else now plus the relative lifetime in seconds.
    let expiry = |absolute: &str, relative: &str| {
        integer(answer, absolute)
            .or_else(|| integer(answer, relative).map(|seconds| now + seconds * 1000))
    };
    let tokens = Tokens {
        access_token: text(answer, "access_token").ok_or_else(|| missing("access_token"))?,
        refresh_token: text(answer, "refresh_token").ok_or_else(|| missing("refresh_token"))?,
        access_expires_at_ms: expiry("expire_time", "expires_in")
            .ok_or_else(|| missing("expire_time or expires_in"))?,
        refresh_expires_at_ms: expiry("refresh_token_valid_time", "refresh_expires_in")
            .ok_or_else(|| missing("refresh_token_valid_time or refresh_expires_in"))?,
        seller: text(answer, "user_nick")
            .or_else(|| text(answer, "seller_id"))
            .or_else(|| text(answer, "user_id"))
            .unwrap_or_default(),
    };
    if tokens.access_expires_at_ms <= now {
        return Err(CallError::bad_response(api.name(), "the access token given has expired"));
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_authorization_url_is_the_documented_one() {
        let url = authorization_url(
            "https://api-sg.aliexpress.com",
            "500123",
            "https://seller.example.com/callback",
            "s1",
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "https://api-sg.aliexpress.com/oauth/authorize?response_type=code&force_auth=true&\
             redirect_uri=https%3A%2F%2Fseller.example.com%2Fcallback&client_id=500123&state=s1"
        );
        assert!(authorization_url("ftp://x", "k", "https://a", "s").is_err());
    }

    #[test]
    fn tokens_are_read_from_absolute_or_relative_expiries() {
        let absolute: Map<String, Value> = serde_json::from_str(
            r#"{"access_token":"50000a","refresh_token":"50001b","expire_time":4102444800000,
                "refresh_token_valid_time":4102444900000,"user_nick":"acme","code":"0"}"#,
        )
        .unwrap();
        let tokens = read_tokens(methods::TOKEN_CREATE, &absolute).unwrap();
        assert_eq!(
            (tokens.access_expires_at_ms, tokens.refresh_expires_at_ms, tokens.seller.as_str()),
            (4_102_444_800_000, 4_102_444_900_000, "acme")
        );
        let relative: Map<String, Value> = serde_json::from_str(
            r#"{"access_token":"a","refresh_token":"b","expires_in":3600,"refresh_expires_in":7200}"#,
        )
        .unwrap();
        let tokens = read_tokens(methods::TOKEN_REFRESH, &relative).unwrap();
        let now = jiff::Timestamp::now().as_millisecond();
        assert!((tokens.access_expires_at_ms - now - 3_600_000).abs() < 60_000);
        let without: Map<String, Value> =
            serde_json::from_str(r#"{"access_token":"a","expires_in":3600}"#).unwrap();
        let refused = read_tokens(methods::TOKEN_CREATE, &without).unwrap_err();
        assert!(refused.to_string().contains("no refresh_token"), "{refused}");
        assert!(!format!("{tokens:?}").contains("\"a\""), "tokens are never shown");
    }
}
