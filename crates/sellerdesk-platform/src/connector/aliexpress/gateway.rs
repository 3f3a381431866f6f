//! The AliExpress Open Platform's gateway (`docs/platforms/aliexpress.md`, Calls): how a call is
//! signed and sent, and how its answer is read and classed.
//!
//! - Dotted business methods (`aliexpress.issue.issuelist.get`) go to `POST {base}/sync`, with
//!   `method` among the signed parameters and the seller's token as `session`.
//! - Path-style methods (`/auth/token/create`) go to `POST {base}/rest{path}`, signed with the
//!   path in front, the token (when one is needed) as `access_token`.
//! - Every parameter travels in the form body; `sign` is the upper-case hex HMAC-SHA256 of the
//!   sorted `keyvalue` pairs (empty values left out), keyed with the app secret.
//!
//! An answer is an `error_response` envelope (on `/sync`), a flat `{type, code, message}` (on
//! `/rest`), or the result (inside one `*_response` key, or flat). Errors are classed as
//! credentials, rate limits, transient failures, client mistakes and business refusals
//! ([`GatewayError`]), each becoming the [`CallError`] the sync engine acts on.

use std::fmt;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde_json::{Map, Value};

use crate::client::{
    ClientError, ClientTimeouts, describe_transport_error, http_client, quote, read_answer_within,
    usable_base_url,
};
use crate::platform_api::CallError;
use crate::signing;

/// The documented production gateway; `--url` replaces it (tests, the sandbox's dialect).
pub const PRODUCTION_GATEWAY: &str = "https://api-sg.aliexpress.com";

/// The largest answer read: a page of 50 disputes, or an order with its lines, is far below it.
pub(crate) const LARGEST_ANSWER_BYTES: usize = 8 * 1024 * 1024;

/// The SDKs' signing method; the gateway refuses any other with a modern app.
const SIGN_METHOD: &str = "sha256";

/// How long a rate-limit ban lasts when the platform does not say.
const DEFAULT_BAN: Duration = Duration::from_secs(2);

/// One gateway method: a dotted business method on `/sync`, or a path on `/rest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Sync(&'static str),
    Rest(&'static str),
}

impl Api {
    pub fn name(self) -> &'static str {
        match self {
            Api::Sync(name) | Api::Rest(name) => name,
        }
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The methods Seller Desk calls, written once (`docs/platforms/aliexpress.md` lists each with
/// its public source).
pub mod methods {
    use super::Api;

    pub const TOKEN_CREATE: Api = Api::Rest("/auth/token/create");
    pub const TOKEN_REFRESH: Api = Api::Rest("/auth/token/refresh");
    pub const COUPON_ACTIVITIES: Api = Api::Sync("aliexpress.marketing.redefining.getactlist");
    pub const COUPON_ACTIVITY: Api =
        Api::Sync("aliexpress.marketing.redefining.findsellercouponactivity");
    pub const ISSUES: Api = Api::Sync("aliexpress.issue.issuelist.get");
    pub const ISSUE_DETAIL: Api = Api::Sync("aliexpress.issue.detail.get");
    pub const ORDER_INFO: Api = Api::Sync("aliexpress.solution.order.info.get");
    pub const SOLUTION_AGREE: Api = Api::Sync("aliexpress.issue.solution.agree");
    pub const SOLUTION_SAVE: Api = Api::Sync("aliexpress.issue.solution.save");
    pub const SELLER_ADDRESSES: Api =
        Api::Sync("aliexpress.logistics.redefining.getlogisticsselleraddresses");
}

/// The app's side of the gateway: where it is, and the app key and secret that sign.
#[derive(Clone)]
pub struct Gateway {
    http: reqwest::Client,
    base: Url,
    app_key: String,
    app_secret: String,
}

impl fmt::Debug for Gateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gateway")
            .field("base", &self.base.as_str())
            .field("app_key", &self.app_key)
            .field("app_secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// Why the gateway did not give a result, as AliExpress classes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayError {
    /// The access token is invalid or expired (`IllegalAccessToken`): refresh it, then call
    /// again once.
    ExpiredToken { code: String, message: String },
    /// The app's credentials, signature, clock or address were refused: calling again will not
    /// help until the seller fixes them.
    Credentials { code: String, message: String },
    /// Too many calls: banned for a while (`ApiCallLimit`, `AppCallLimit`, TOP code 7).
    RateLimited { code: String, message: String, ban: Duration },
    /// The platform's side failed (`ISP`, timeouts, HTTP 5xx): calling again later may succeed.
    Transient { code: String, message: String },
    /// A call Seller Desk made wrong (a missing or invalid parameter, a method it may not call).
    Client { code: String, message: String },
    /// The platform refused what was asked, for its own rules (`isv.*`, a business failure).
    Business { code: String, message: String },
    /// Anything else that kept the call from its result.
    Call(CallError),
}

impl GatewayError {
    pub fn into_call_error(self, api: Api) -> CallError {
        let rejected = |status: u16, code: String, message: String| CallError::Rejected {
            status,
            message: format!("AliExpress ({api}) {code}: {message}"),
            code,
        };
        match self {
            GatewayError::ExpiredToken { code, message }
            | GatewayError::Credentials { code, message } => rejected(401, code, message),
            GatewayError::RateLimited { code, message, ban } => CallError::Unavailable {
                status: 429,
                retry_after: Some(ban),
                message: format!("AliExpress ({api}) {code}: {message}"),
            },
            GatewayError::Transient { code, message } => CallError::Unavailable {
                status: 503,
                retry_after: None,
                message: format!("AliExpress ({api}) {code}: {message}"),
            },
            GatewayError::Client { code, message } => rejected(400, code, message),
            // The one refusal that rejects the change itself (`platform_api::CHANGE_REFUSAL`),
            // with AliExpress's own code and words.
            GatewayError::Business { code, message } => CallError::Rejected {
                status: 409,
                code: "rule_violation".into(),
                message: format!("AliExpress ({api}) refused it: {code}: {message}"),
            },
            GatewayError::Call(error) => error,
        }
    }
}

/// The gateway's address, once known to be usable (https, or http on this computer).
pub(crate) fn usable_gateway(base_url: &str) -> Result<Url, ClientError> {
    usable_base_url(base_url)
}

impl Gateway {
    pub fn new(base_url: &str, app_key: &str, app_secret: &str) -> Result<Gateway, ClientError> {
        let base = usable_gateway(base_url)?;
        Ok(Gateway {
            http: http_client(ClientTimeouts::default())?,
            base,
            app_key: app_key.to_owned(),
            app_secret: app_secret.to_owned(),
        })
    }

    pub fn app_key(&self) -> &str {
        &self.app_key
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    /// Calls `api` with `parameters` (and the seller's token, when the method needs one), and
    /// gives the result object: the one `*_response` key's content, or the answer itself.
    /// Each call is logged with its method, duration and outcome's class, never its parameters
    /// or answer (they hold the seller's token).
    pub async fn call(
        &self,
        api: Api,
        token: Option<&str>,
        parameters: &[(&str, String)],
    ) -> Result<Map<String, Value>, GatewayError> {
        let started = std::time::Instant::now();
        let answered = self.call_once(api, token, parameters).await;
        let outcome = match &answered {
            Ok(_) => "ok",
            Err(GatewayError::Call(error)) => error.class(),
            Err(_) => "refused",
        };
        crate::connector::log_http_call(
            crate::connector::PlatformKind::Aliexpress,
            api.name(),
            started,
            outcome,
        );
        answered
    }

    async fn call_once(
        &self,
        api: Api,
        token: Option<&str>,
        parameters: &[(&str, String)],
    ) -> Result<Map<String, Value>, GatewayError> {
        let timestamp = jiff::Timestamp::now().as_millisecond().to_string();
        let mut form: Vec<(&str, &str)> = vec![
            ("app_key", &self.app_key),
            ("timestamp", &timestamp),
            ("sign_method", SIGN_METHOD),
            ("format", "json"),
        ];
        let (url, signed_path) = match api {
            Api::Sync(method) => {
                form.push(("method", method));
                if let Some(token) = token {
                    form.push(("session", token));
                }
                (self.url("/sync"), None)
            }
            Api::Rest(path) => {
                if let Some(token) = token {
                    form.push(("access_token", token));
                }
                (self.url(&format!("/rest{path}")), Some(path))
            }
        };
        form.extend(
            parameters
                .iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(key, value)| (*key, value.as_str())),
        );
        let sign = signing::sign(&self.app_secret, signed_path, &form, b"");
        form.push(("sign", &sign));
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(&form).finish();
        let sent = self
            .http
            .post(url)
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded;charset=UTF-8"),
            )
            .body(body)
            .send()
            .await
            .map_err(|error| {
                GatewayError::Call(CallError::Unreachable {
                    message: describe_transport_error(error),
                })
            })?;
        let answer = read_answer_within(sent, api.name(), LARGEST_ANSWER_BYTES)
            .await
            .map_err(GatewayError::Call)?;
        read_result(api, answer.status, answer.retry_after, &answer.body)
    }

    fn url(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        let joined = format!("{}{path}", url.path().trim_end_matches('/'));
        url.set_path(&joined);
        url
    }
}

/// Reads an answer: the result object, or why there is none.
pub(crate) fn read_result(
    api: Api,
    status: u16,
    retry_after: Option<Duration>,
    body: &[u8],
) -> Result<Map<String, Value>, GatewayError> {
    let bad = |message: String| GatewayError::Call(CallError::bad_response(api.name(), message));
    if status == 429 || status >= 500 {
        return Err(GatewayError::Call(CallError::Unavailable {
            status,
            retry_after,
            message: quote(body),
        }));
    }
    let parsed: Value = serde_json::from_slice(body)
        .map_err(|error| bad(format!("the answer is not JSON ({error}): {}", quote(body))))?;
    let Value::Object(mut root) = parsed else {
        return Err(bad(format!("the answer is not a JSON object: {}", quote(body))));
    };
    if let Some(envelope) = root.remove("error_response") {
        let Value::Object(error) = envelope else {
            return Err(bad("its error_response is not an object".into()));
        };
        return Err(class_error(&error));
    }
    // A flat answer (`/rest`) fails with a code other than "0".
    if root.get("code").is_some_and(|code| !is_success_code(code))
        && (root.contains_key("message") || root.contains_key("type"))
    {
        return Err(class_error(&root));
    }
    if status != 200 {
        return Err(bad(format!("HTTP {status} without an error envelope: {}", quote(body))));
    }
    // One `*_response` wrapper (its name does not always follow the method's): its content.
    let wrappers: Vec<String> =
        root.keys().filter(|key| key.ends_with("_response")).cloned().collect();
    if let [wrapper] = wrappers.as_slice()
        && let Some(Value::Object(inner)) = root.remove(wrapper)
    {
        return Ok(inner);
    }
    Ok(root)
}

fn is_success_code(code: &Value) -> bool {
    match code {
        Value::Null => true,
        Value::String(text) => text.is_empty() || text == "0",
        Value::Number(number) => number.as_i64() == Some(0),
        _ => false,
    }
}

fn text_of(error: &Map<String, Value>, key: &str) -> String {
    match error.get(key) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        _ => String::new(),
    }
}

/// Classes an error envelope (`/sync`: `code`, `msg`, `sub_code`, `sub_msg`, `type`; `/rest`:
/// `code`, `message`, `type`).
pub(crate) fn class_error(error: &Map<String, Value>) -> GatewayError {
    let code = text_of(error, "code");
    let sub_code = text_of(error, "sub_code");
    let kind = text_of(error, "type");
    let message = [text_of(error, "sub_msg"), text_of(error, "msg"), text_of(error, "message")]
        .into_iter()
        .find(|text| !text.is_empty())
        .unwrap_or_else(|| "no message".into());
    let shown_code = if sub_code.is_empty() { code.clone() } else { format!("{code}/{sub_code}") };
    let lower_sub = sub_code.to_ascii_lowercase();
    match code.as_str() {
        "IllegalAccessToken" | "InvalidSession" | "SessionExpired" | "27" => {
            GatewayError::ExpiredToken { code: shown_code, message }
        }
        "ApiCallLimit" | "AppCallLimit" | "7" => {
            GatewayError::RateLimited { code: shown_code, ban: ban_of(&message), message }
        }
        _ if lower_sub.contains("limited") || lower_sub.contains("call-limit") => {
            GatewayError::RateLimited { code: shown_code, ban: ban_of(&message), message }
        }
        "IncompleteSignature"
        | "IllegalTimestamp"
        | "AppWhiteIpLimit"
        | "InvalidAppKey"
        | "IllegalRefreshToken"
        | "InvalidCode"
        | "25"
        | "29" => GatewayError::Credentials { code: shown_code, message },
        "ServiceTimeout" | "SystemError" | "ServiceUnavailable" | "15"
            if !lower_sub.starts_with("isv.") =>
        {
            GatewayError::Transient { code: shown_code, message }
        }
        _ if kind.eq_ignore_ascii_case("ISP")
            || kind.eq_ignore_ascii_case("SYSTEM")
            || lower_sub.starts_with("isp.") =>
        {
            GatewayError::Transient { code: shown_code, message }
        }
        "MissingParameter"
        | "InvalidParameter"
        | "InvalidApiPath"
        | "InsufficientPermission"
        | "InvalidMethod" => GatewayError::Client { code: shown_code, message },
        _ => GatewayError::Business { code: shown_code, message },
    }
}

/// How long a ban lasts: "…this ban will last 5 seconds", "This ban will last for 2 more
/// seconds", with a second more for the clocks; [`DEFAULT_BAN`] when it does not say.
fn ban_of(message: &str) -> Duration {
    let lower = message.to_ascii_lowercase();
    let Some(after) = lower.find("last").map(|at| &lower[at..]) else { return DEFAULT_BAN };
    let seconds = after
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| !part.is_empty())
        .and_then(|digits| digits.parse::<u64>().ok());
    seconds.map_or(DEFAULT_BAN, |seconds| Duration::from_secs(seconds.saturating_add(1)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The platform's published example (D3, key `helloworld`), and the `/sync` and `/rest`
    /// vectors of the facts file, through the signing every call uses.
    #[test]
    fn signatures_match_the_published_and_computed_vectors() {
        /// The path signed in front (`/rest` only), the parameters, the signature.
        type Case<'a> = (Option<&'a str>, &'a [(&'a str, &'a str)], &'a str);
        let cases: [Case<'_>; 3] = [
            (
                Some("/order/get"),
                &[
                    ("access_token", "test"),
                    ("app_key", "123456"),
                    ("order_id", "1234"),
                    ("sign_method", "sha256"),
                    ("timestamp", "1517820392000"),
                ],
                "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A",
            ),
            (
                None,
                &[
                    ("method", "aliexpress.marketing.redefining.findsellercouponactivity"),
                    ("activity_id", "1234"),
                    ("app_key", "123456"),
                    ("session", "test"),
                    ("sign_method", "sha256"),
                    ("timestamp", "1517820392000"),
                ],
                "E79CC0A40BAB19A9681B6274B9DC69DB05712157A97B0E2082546715D272E9F8",
            ),
            (
                Some("/auth/token/create"),
                &[
                    ("app_key", "123456"),
                    ("code", "3_500000_abc"),
                    ("sign_method", "sha256"),
                    ("timestamp", "1517820392000"),
                ],
                "5FFDF081E57CDA60AF7E1E7A32AD573CE446FDE4C5482CB0525D7BE93633DE31",
            ),
        ];
        for (path, parameters, expected) in cases {
            assert_eq!(signing::sign("helloworld", path, parameters, b""), expected, "{path:?}");
        }
    }

    fn check(answer: &str, expected: Result<&str, GatewayError>) {
        let got = read_result(methods::ISSUES, 200, None, answer.as_bytes());
        match (got, expected) {
            (Ok(result), Ok(json)) => {
                assert_eq!(Value::Object(result), serde_json::from_str::<Value>(json).unwrap());
            }
            (got, expected) => assert_eq!(got.map(|_| ()), expected.map(|_| ()), "{answer}"),
        }
    }

    #[test]
    fn answers_are_unwrapped_and_errors_classed() {
        let text = |value: &str| value.to_owned();
        check(
            r#"{"x_response":{"result":{"a":1},"request_id":"r"}}"#,
            Ok(r#"{"result":{"a":1},"request_id":"r"}"#),
        );
        check(
            r#"{"access_token":"t","code":"0","request_id":"r"}"#,
            Ok(r#"{"access_token":"t","code":"0","request_id":"r"}"#),
        );
        check(
            r#"{"error_response":{"type":"ISV","code":"IllegalAccessToken","msg":"The specified access token is invalid or expired"}}"#,
            Err(GatewayError::ExpiredToken {
                code: text("IllegalAccessToken"),
                message: text("The specified access token is invalid or expired"),
            }),
        );
        check(
            r#"{"type":"ISV","code":"IncompleteSignature","message":"The request signature does not conform to platform standards","request_id":"r"}"#,
            Err(GatewayError::Credentials {
                code: text("IncompleteSignature"),
                message: text("The request signature does not conform to platform standards"),
            }),
        );
        check(
            r#"{"error_response":{"code":"ApiCallLimit","msg":"This ban will last 5 seconds"}}"#,
            Err(GatewayError::RateLimited {
                code: text("ApiCallLimit"),
                message: text("This ban will last 5 seconds"),
                ban: Duration::from_secs(6),
            }),
        );
        check(
            r#"{"error_response":{"code":7,"msg":"App Call Limited","sub_code":"accesscontrol.limited-by-app-api-access-count","sub_msg":"This ban will last for 2 more seconds"}}"#,
            Err(GatewayError::RateLimited {
                code: text("7/accesscontrol.limited-by-app-api-access-count"),
                message: text("This ban will last for 2 more seconds"),
                ban: Duration::from_secs(3),
            }),
        );
        check(
            r#"{"error_response":{"type":"ISP","code":"isp.remote-service-error","msg":"Remote service error"}}"#,
            Err(GatewayError::Transient {
                code: text("isp.remote-service-error"),
                message: text("Remote service error"),
            }),
        );
        check(
            r#"{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isv.account-migration-check-fail","sub_msg":"migrating"}}"#,
            Err(GatewayError::Business {
                code: text("15/isv.account-migration-check-fail"),
                message: text("migrating"),
            }),
        );
        check(
            r#"{"error_response":{"type":"ISV","code":"MissingParameter","msg":"issue_id is missing"}}"#,
            Err(GatewayError::Client {
                code: text("MissingParameter"),
                message: text("issue_id is missing"),
            }),
        );
    }

    #[test]
    fn unusable_answers_say_what_was_wrong() {
        let failed = |status: u16, body: &str| {
            read_result(methods::ISSUES, status, None, body.as_bytes()).unwrap_err()
        };
        for (status, body, expected) in [
            (200, "<html>proxy</html>", "is not JSON"),
            (200, r#"{"x_response":{"result":"#, "is not JSON"),
            (200, "[1,2]", "not a JSON object"),
            (200, r#"{"error_response":"boom"}"#, "error_response is not an object"),
            (404, r#"{"page":"none"}"#, "HTTP 404 without an error envelope"),
        ] {
            let GatewayError::Call(CallError::BadResponse { message, .. }) = failed(status, body)
            else {
                panic!("{body}: not a bad response");
            };
            assert!(message.contains(expected), "{body}: {message}");
        }
        assert!(matches!(
            failed(502, "bad gateway"),
            GatewayError::Call(CallError::Unavailable { status: 502, .. })
        ));
    }
}
