//! The platform over HTTP: signed gateway calls (`docs/platform-api.md`, Transport and Signature),
//! and answers read strictly.
//!
//! The HTTP stack is `reqwest` on hyper with rustls over the `ring` crypto provider (no C++ or
//! cmake build, unlike rustls' default aws-lc-rs). HTTPS is required for every platform address
//! but the loopback sandbox, which speaks plain HTTP.

use std::fmt;
use std::net::IpAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::{
    self, ChangesPage, ChangesRequest, CodeChange, CouponChange, CreateCouponRequest,
    CreateCouponResult, DecideRefundRequest, DecideRefundResult, ErrorBody, RefundRequestChange,
    RetitleCouponRequest, RetitleCouponResult, StopCouponRequest, StopCouponResult,
    UploadCodesRequest, UploadCodesResult, methods,
};
use crate::connector::PlatformKind;
use crate::platform_api::{CallError, CodeBatchContext, PlatformApi};
use crate::signing;

/// What a store needs to call the platform. The facade reads it from the operating system's
/// keyring; `Debug` never shows the secret or the token, and there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct PlatformCredentials {
    /// The platform's address, such as `https://open.example.com` or `http://127.0.0.1:8700`.
    pub base_url: String,
    pub app_key: String,
    pub app_secret: String,
    /// The store's access token; it names the store on every call.
    pub access_token: String,
}

impl fmt::Debug for PlatformCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlatformCredentials")
            .field("base_url", &self.base_url)
            .field("app_key", &self.app_key)
            .field("app_secret", &"<redacted>")
            .field("access_token", &"<redacted>")
            .finish()
    }
}

/// How long a call may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientTimeouts {
    /// Until the connection (and TLS handshake) is up.
    pub connect: Duration,
    /// For the whole call, answer included.
    pub request: Duration,
}

impl Default for ClientTimeouts {
    fn default() -> ClientTimeouts {
        ClientTimeouts { connect: Duration::from_secs(10), request: Duration::from_secs(60) }
    }
}

/// Why a client could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error("the platform address \"{base_url}\" cannot be used: {message}")]
    InvalidBaseUrl { base_url: String, message: String },
    #[error(
        "the platform address \"{base_url}\" must start with https:// (plain http is only for a sandbox on this computer)"
    )]
    InsecureBaseUrl { base_url: String },
    #[error("the HTTP client could not be set up: {message}")]
    Setup { message: String },
}

/// The largest answer read from the platform; a feed page of 5,000 items is far below it.
pub(crate) const LARGEST_ANSWER_BYTES: usize = 64 * 1024 * 1024;

/// How much of an unusable answer an error message quotes.
const QUOTED_ANSWER_CHARS: usize = 200;

/// The platform reached over HTTP(S), for one store (the one its access token names).
pub struct PlatformClient {
    http: reqwest::Client,
    gateway: Url,
    credentials: PlatformCredentials,
}

impl fmt::Debug for PlatformClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlatformClient")
            .field("gateway", &self.gateway.as_str())
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl PlatformClient {
    pub fn new(credentials: PlatformCredentials) -> Result<PlatformClient, ClientError> {
        PlatformClient::with_timeouts(credentials, ClientTimeouts::default())
    }

    pub fn with_timeouts(
        credentials: PlatformCredentials,
        timeouts: ClientTimeouts,
    ) -> Result<PlatformClient, ClientError> {
        let gateway = gateway_url(&credentials.base_url)?;
        let http = http_client(timeouts)?;
        Ok(PlatformClient { http, gateway, credentials })
    }

    /// Calls `method` with `request` as its JSON body and reads the answer as `Answer`.
    pub async fn call<Request, Answer>(
        &self,
        method: &str,
        request: &Request,
    ) -> Result<Answer, CallError>
    where
        Request: Serialize + ?Sized,
        Answer: DeserializeOwned,
    {
        let body = serde_json::to_vec(request)
            .map_err(|error| CallError::bad_response(method, format!("unsendable: {error}")))?;
        let url = self.signed_url(method, &body, now_in_milliseconds());
        let response = self
            .http
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|error| CallError::Unreachable { message: describe_transport_error(error) })?;
        let answer = read_answer(response, method).await?;
        interpret_answer(
            method,
            &Answered {
                status: answer.status,
                retry_after: answer.retry_after,
                content_type: answer.content_type.as_deref(),
                body: &answer.body,
            },
        )
    }

    /// The gateway URL with the system parameters and the signature over them and `body`.
    fn signed_url(&self, method: &str, body: &[u8], timestamp_ms: u128) -> Url {
        let timestamp = timestamp_ms.to_string();
        let parameters = [
            ("method", method),
            ("app_key", self.credentials.app_key.as_str()),
            ("timestamp", timestamp.as_str()),
            ("sign_method", "sha256"),
            ("session", self.credentials.access_token.as_str()),
        ];
        let signature = signing::sign(&self.credentials.app_secret, None, &parameters, body);
        let mut url = self.gateway.clone();
        {
            let mut query = url.query_pairs_mut();
            for (key, value) in parameters {
                query.append_pair(key, value);
            }
            query.append_pair("sign", &signature);
        }
        url
    }
}

impl PlatformApi for PlatformClient {
    fn kind(&self) -> PlatformKind {
        PlatformKind::Sellerdesk
    }

    async fn create_coupon(
        &self,
        request: &CreateCouponRequest,
    ) -> Result<CreateCouponResult, CallError> {
        self.call(methods::COUPON_CREATE, request).await
    }

    async fn retitle_coupon(
        &self,
        request: &RetitleCouponRequest,
    ) -> Result<RetitleCouponResult, CallError> {
        self.call(methods::COUPON_RETITLE, request).await
    }

    async fn stop_coupon(
        &self,
        request: &StopCouponRequest,
    ) -> Result<StopCouponResult, CallError> {
        self.call(methods::COUPON_STOP, request).await
    }

    async fn upload_codes(
        &self,
        request: &UploadCodesRequest,
        _batch: &CodeBatchContext<'_>,
    ) -> Result<UploadCodesResult, CallError> {
        self.call(methods::CODES_UPLOAD, request).await
    }

    async fn decide_refund(
        &self,
        request: &DecideRefundRequest,
    ) -> Result<DecideRefundResult, CallError> {
        self.call(methods::REFUND_DECIDE, request).await
    }

    async fn coupon_changes(
        &self,
        request: &ChangesRequest,
    ) -> Result<ChangesPage<CouponChange>, CallError> {
        self.call(methods::COUPONS_CHANGES, request).await
    }

    async fn code_changes(
        &self,
        request: &ChangesRequest,
    ) -> Result<ChangesPage<CodeChange>, CallError> {
        self.call(methods::CODES_CHANGES, request).await
    }

    async fn refund_changes(
        &self,
        request: &ChangesRequest,
    ) -> Result<ChangesPage<RefundRequestChange>, CallError> {
        self.call(methods::REFUNDS_CHANGES, request).await
    }
}

/// `{base_url}/sync`, once the base is known to be usable: http(s), no query, https unless the
/// host is this computer.
fn gateway_url(base_url: &str) -> Result<Url, ClientError> {
    let mut url = usable_base_url(base_url)?;
    let path = format!("{}{}", url.path().trim_end_matches('/'), api::GATEWAY_PATH);
    url.set_path(&path);
    Ok(url)
}

/// A platform's address, once known to be usable: http(s), no query, no user, https unless the
/// host is this computer. Every connector checks its address this way.
pub(crate) fn usable_base_url(base_url: &str) -> Result<Url, ClientError> {
    let invalid = |message: &str| ClientError::InvalidBaseUrl {
        base_url: base_url.to_owned(),
        message: message.to_owned(),
    };
    let url = Url::parse(base_url.trim()).map_err(|error| invalid(&error.to_string()))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or a fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it must not carry a user name or a password"));
    }
    match url.scheme() {
        "https" => {}
        "http" => {
            let host = url.host_str().unwrap_or_default();
            let loopback = host.eq_ignore_ascii_case("localhost")
                || host
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
                    .is_ok_and(|address| address.is_loopback());
            if !loopback {
                return Err(ClientError::InsecureBaseUrl { base_url: base_url.to_owned() });
            }
        }
        other => return Err(invalid(&format!("the scheme {other}: is neither https nor http"))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it names no host"));
    }
    Ok(url)
}

/// The HTTP client every connector calls its platform with: rustls over `ring`, the timeouts, no
/// redirects (a redirected POST would lose its body; no platform redirects), Seller Desk's name.
pub(crate) fn http_client(timeouts: ClientTimeouts) -> Result<reqwest::Client, ClientError> {
    // rustls needs a crypto provider; this build carries `ring` only. Installing it fails
    // harmlessly when the process already has one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("sellerdesk/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| ClientError::Setup { message: describe_transport_error(error) })
}

/// An answer read whole off the wire, at most [`LARGEST_ANSWER_BYTES`].
pub(crate) struct ReadAnswer {
    pub(crate) status: u16,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Vec<u8>,
}

/// Reads an answer whole: an answer larger than [`LARGEST_ANSWER_BYTES`] cannot be used, one cut
/// off is the platform out of reach. Every connector reads its answers this way.
pub(crate) async fn read_answer(
    response: reqwest::Response,
    method: &str,
) -> Result<ReadAnswer, CallError> {
    read_answer_within(response, method, LARGEST_ANSWER_BYTES).await
}

/// [`read_answer`] with a smaller limit, for a platform whose answers are known to be small.
pub(crate) async fn read_answer_within(
    mut response: reqwest::Response,
    method: &str,
    largest: usize,
) -> Result<ReadAnswer, CallError> {
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(parse_retry_after);
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > largest {
                    return Err(CallError::bad_response(
                        method,
                        format!("the answer is larger than {largest} bytes"),
                    ));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(error) => {
                return Err(CallError::Unreachable {
                    message: format!("the answer was cut off: {}", describe_transport_error(error)),
                });
            }
        }
    }
    Ok(ReadAnswer { status, retry_after, content_type, body })
}

/// An answer as it came off the wire.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Answered<'a> {
    pub(crate) status: u16,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) content_type: Option<&'a str>,
    pub(crate) body: &'a [u8],
}

/// Reads an answer strictly: 200 with JSON of the method's result, 4xx with the platform's error
/// body, 429 and 5xx as unavailability; anything else is a [`CallError::BadResponse`].
pub(crate) fn interpret_answer<Answer: DeserializeOwned>(
    method: &str,
    answered: &Answered<'_>,
) -> Result<Answer, CallError> {
    let status = answered.status;
    match status {
        200 => {
            if !is_json(answered.content_type) {
                return Err(CallError::bad_response(
                    method,
                    format!(
                        "the answer is {} rather than JSON: {}",
                        answered.content_type.unwrap_or("of no stated type"),
                        quote(answered.body)
                    ),
                ));
            }
            parse_json(method, answered.body)
        }
        408 | 429 | 500..=599 => Err(CallError::Unavailable {
            status,
            retry_after: answered.retry_after,
            message: serde_json::from_slice::<ErrorBody>(answered.body)
                .map(|body| body.error.message)
                .unwrap_or_default(),
        }),
        400..=499 => match serde_json::from_slice::<ErrorBody>(answered.body) {
            Ok(body) => Err(CallError::Rejected {
                status,
                code: body.error.code,
                message: body.error.message,
            }),
            Err(_) => Err(CallError::bad_response(
                method,
                format!(
                    "HTTP {status} without the platform's error body (is the platform address right?): {}",
                    quote(answered.body)
                ),
            )),
        },
        _ => Err(CallError::bad_response(method, format!("unexpected HTTP status {status}"))),
    }
}

pub(crate) fn is_json(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|text| text.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"))
}

/// Parses JSON, naming where it went wrong (`items[2].status: unknown variant ...`).
pub(crate) fn parse_json<Answer: DeserializeOwned>(
    method: &str,
    body: &[u8],
) -> Result<Answer, CallError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let answer: Answer = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let place = if path == "." { String::new() } else { format!(" at {path}") };
        CallError::bad_response(method, format!("the JSON answer is wrong{place}: {inner}"))
    })?;
    deserializer.end().map_err(|error| {
        CallError::bad_response(method, format!("the JSON answer has trailing content: {error}"))
    })?;
    Ok(answer)
}

pub(crate) fn quote(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut quoted: String = text.chars().take(QUOTED_ANSWER_CHARS).collect();
    if text.chars().count() > QUOTED_ANSWER_CHARS {
        quoted.push('…');
    }
    format!("\"{}\"", quoted.escape_debug())
}

/// `Retry-After` in seconds (the platform never sends the HTTP-date form; it is then ignored).
pub(crate) fn parse_retry_after(text: &str) -> Option<Duration> {
    text.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// A transport failure in words, without the URL (its query holds the access token).
pub(crate) fn describe_transport_error(error: reqwest::Error) -> String {
    let timed_out = error.is_timeout();
    let connecting = error.is_connect();
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    if timed_out {
        format!("no answer in time ({text})")
    } else if connecting {
        format!("cannot connect ({text})")
    } else {
        text
    }
}

fn now_in_milliseconds() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|since| since.as_millis()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::CreateCouponResult;

    fn credentials(base_url: &str) -> PlatformCredentials {
        PlatformCredentials {
            base_url: base_url.into(),
            app_key: "key-1".into(),
            app_secret: "very-secret".into(),
            access_token: "token-of-store".into(),
        }
    }

    #[test]
    fn debug_never_shows_the_secret_or_the_token() {
        let shown = format!("{:?}", credentials("https://platform.example"));
        assert!(shown.contains("key-1") && shown.contains("<redacted>"));
        assert!(!shown.contains("very-secret") && !shown.contains("token-of-store"));
        let client = PlatformClient::new(credentials("https://platform.example")).unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("very-secret") && !shown.contains("token-of-store"));
    }

    #[test]
    fn platform_addresses_are_https_or_loopback_http() {
        assert_eq!(
            gateway_url("https://platform.example").unwrap().as_str(),
            "https://platform.example/sync"
        );
        assert_eq!(
            gateway_url("https://platform.example/open/").unwrap().as_str(),
            "https://platform.example/open/sync"
        );
        assert_eq!(
            gateway_url("http://127.0.0.1:8700").unwrap().as_str(),
            "http://127.0.0.1:8700/sync"
        );
        assert!(gateway_url("http://localhost:1").is_ok());
        assert!(gateway_url("http://[::1]:1").is_ok());
        assert!(matches!(
            gateway_url("http://platform.example"),
            Err(ClientError::InsecureBaseUrl { .. })
        ));
        assert!(matches!(
            gateway_url("http://10.0.0.1:8700"),
            Err(ClientError::InsecureBaseUrl { .. })
        ));
        for unusable in ["", "platform.example", "ftp://platform.example", "https://x/?a=b"] {
            assert!(
                matches!(gateway_url(unusable), Err(ClientError::InvalidBaseUrl { .. })),
                "{unusable}"
            );
        }
    }

    #[test]
    fn the_url_carries_the_system_parameters_and_a_valid_signature() {
        let client = PlatformClient::new(credentials("http://127.0.0.1:8700")).unwrap();
        let body = br#"{"cursor":"7"}"#;
        let url = client.signed_url(methods::CODES_CHANGES, body, 1_517_820_392_000);
        let pairs: Vec<(String, String)> =
            url.query_pairs().map(|(key, value)| (key.into_owned(), value.into_owned())).collect();
        let value = |key: &str| {
            pairs.iter().find(|(name, _)| name == key).map(|(_, value)| value.as_str()).unwrap()
        };
        assert_eq!(value("method"), "seller.codes.changes");
        assert_eq!(value("app_key"), "key-1");
        assert_eq!(value("timestamp"), "1517820392000");
        assert_eq!(value("sign_method"), "sha256");
        assert_eq!(value("session"), "token-of-store");
        let unsigned: Vec<(&str, &str)> = pairs
            .iter()
            .filter(|(key, _)| key != "sign")
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        assert!(signing::verify("very-secret", None, &unsigned, body, value("sign")));
        assert!(!signing::verify("very-secret", None, &unsigned, b"{}", value("sign")));
    }

    fn answered(
        status: u16,
        content_type: Option<&'static str>,
        body: &'static str,
    ) -> Answered<'static> {
        Answered { status, retry_after: None, content_type, body: body.as_bytes() }
    }

    fn interpret(answered: &Answered<'_>) -> Result<CreateCouponResult, CallError> {
        interpret_answer(methods::COUPON_CREATE, answered)
    }

    #[test]
    fn answers_are_read_strictly() {
        let json = Some("application/json; charset=utf-8");
        assert_eq!(
            interpret(&answered(200, json, r#"{"coupon_id":"C1","state":"published"}"#)).unwrap(),
            CreateCouponResult { coupon_id: "C1".into(), state: "published".into() }
        );
        let message = |result: Result<CreateCouponResult, CallError>| match result {
            Err(CallError::BadResponse { message, .. }) => message,
            other => panic!("expected a bad response, got {other:?}"),
        };
        assert!(
            message(interpret(&answered(200, json, r#"{"coupon_id":"C1"}"#)))
                .contains("missing field `state`")
        );
        assert!(message(interpret(&answered(200, json, r#"{"coupon_id":"C1","#))).contains("EOF"));
        assert!(
            message(interpret(&answered(200, json, r#"{"coupon_id":7,"state":"x"}"#)))
                .contains("at coupon_id")
        );
        assert!(
            message(interpret(&answered(
                200,
                json,
                r#"{"coupon_id":"C1","state":"published"} {}"#
            )))
            .contains("trailing")
        );
        assert!(
            message(interpret(&answered(200, Some("text/html"), "<html>")))
                .contains("text/html rather than JSON")
        );
        assert!(message(interpret(&answered(200, None, "{}"))).contains("rather than JSON"));
        assert!(
            message(interpret(&answered(404, Some("text/html"), "Not Found")))
                .contains("HTTP 404 without the platform's error body")
        );
        assert!(
            message(interpret(&answered(302, None, ""))).contains("unexpected HTTP status 302")
        );
        assert!(
            message(interpret(&answered(204, None, ""))).contains("unexpected HTTP status 204")
        );
    }

    #[test]
    fn refusals_and_unavailability_are_told_apart() {
        let json = Some("application/json");
        assert_eq!(
            interpret(&answered(
                409,
                json,
                r#"{"error":{"code":"rule_violation","message":"validity never extended"}}"#
            )),
            Err(CallError::Rejected {
                status: 409,
                code: "rule_violation".into(),
                message: "validity never extended".into()
            })
        );
        let mut busy = answered(429, json, r#"{"error":{"code":"busy","message":"slow down"}}"#);
        busy.retry_after = Some(Duration::from_secs(3));
        assert_eq!(
            interpret(&busy),
            Err(CallError::Unavailable {
                status: 429,
                retry_after: Some(Duration::from_secs(3)),
                message: "slow down".into()
            })
        );
        assert_eq!(
            interpret(&answered(502, Some("text/html"), "<h1>Bad gateway</h1>")),
            Err(CallError::Unavailable { status: 502, retry_after: None, message: String::new() })
        );
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        assert_eq!(parse_retry_after(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }
}
