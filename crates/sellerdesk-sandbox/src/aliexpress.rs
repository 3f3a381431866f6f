//! The AliExpress dialect (`sellerdesk-sandbox serve --dialect aliexpress`): the methods the
//! AliExpress connector calls, as the platform documents them (`docs/platforms/aliexpress.md`),
//! on loopback, with demo data of one seller: coupon activities, orders whose lines carry seller
//! and platform coupon discounts, and disputes of every kind.
//!
//! It checks what the gateway checks (app key, signature with or without the path, timestamp
//! within 7,200 s, the seller's token) and answers in its envelopes: `*_response` wrappers and
//! `error_response` on `/sync`, flat objects on `/rest`. Tokens expire and are refreshed; a
//! rate limit can be switched on; faults (malformed, truncated and oversized answers, backend
//! errors) can be scripted for the next calls. State is in memory: [`RunningAliexpress::state`]
//! reads it, and so does `GET /sandbox/state`.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue, LOCATION};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use sellerdesk_platform::signing;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::SandboxError;

/// The demo app allowed to call the dialect.
pub const ALIEXPRESS_APP_KEY: &str = "500100";
pub const ALIEXPRESS_APP_SECRET: &str = "ae-sandbox-secret";
/// The demo seller.
pub const ALIEXPRESS_SELLER_ID: &str = "200000001";
pub const ALIEXPRESS_SELLER_NICK: &str = "demo-seller";

/// How far a call's timestamp may be from the gateway's clock.
const ALLOWED_SKEW_MS: i64 = 7_200_000;

/// The largest request body read.
const LARGEST_BODY: usize = 1024 * 1024;

/// How the dialect runs.
#[derive(Debug, Clone)]
pub struct AliexpressConfig {
    pub port: u16,
    /// How long an access token lives.
    pub access_lifetime: Duration,
    /// How long a refresh token lives.
    pub refresh_lifetime: Duration,
    /// How long every call waits before it is handled.
    pub latency: Duration,
    /// How long an answer to a dispute waits, once recorded, before it is sent back: a client
    /// killed meanwhile never learns it was taken.
    pub answer_latency: Duration,
}

impl Default for AliexpressConfig {
    fn default() -> AliexpressConfig {
        AliexpressConfig {
            port: 0,
            access_lifetime: Duration::from_secs(30 * 24 * 3600),
            refresh_lifetime: Duration::from_secs(60 * 24 * 3600),
            latency: Duration::ZERO,
            answer_latency: Duration::ZERO,
        }
    }
}

/// A fault the next call is answered with, whatever it asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliexpressFault {
    /// `ApiCallLimit`, "this ban will last 1 seconds".
    RateLimited,
    /// An `ISP` backend error.
    Backend,
    /// HTTP 200 with text that is not JSON.
    Malformed,
    /// JSON cut off half way.
    Truncated,
    /// An answer of 9 MB.
    Oversized,
}

/// One answer the seller gave, as the platform recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedAnswer {
    pub issue_id: String,
    /// `agree` or `save`.
    pub method: &'static str,
    pub parameters: Value,
}

#[derive(Debug)]
struct Token {
    expires_at_ms: i64,
}

#[derive(Debug)]
struct State {
    config: AliexpressConfig,
    codes: HashMap<String, bool>,
    access: HashMap<String, Token>,
    refresh: HashMap<String, Token>,
    activities: Vec<Value>,
    orders: HashMap<String, Value>,
    issues: Vec<Value>,
    answers: Vec<RecordedAnswer>,
    faults: VecDeque<AliexpressFault>,
    /// Methods whose next call is refused for a business rule (`isv.*`).
    refusals: Vec<String>,
    next_id: u64,
    calls: u64,
}

/// The dialect serving on loopback. Dropping it stops it.
#[derive(Debug)]
pub struct RunningAliexpress {
    address: SocketAddr,
    state: Arc<Mutex<State>>,
    shutdown: watch::Sender<bool>,
    tasks: crate::gateway::ServerTasks,
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// Pacific wall-clock time, as AliExpress writes times.
fn pacific(ms: i64) -> String {
    let instant = jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let zone = jiff::tz::TimeZone::get("America/Los_Angeles").unwrap_or(jiff::tz::TimeZone::UTC);
    instant.to_zoned_datetime(zone).strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// `MoneyStr` of an amount in cents.
fn money_str(cents: i64, currency: &str) -> Value {
    json!({"amount": format!("{}.{:02}", cents / 100, cents % 100), "cent": cents, "cent_factor": 100,
           "currency_code": currency})
}

impl State {
    fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
        state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn new_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{:06}", self.next_id)
    }

    fn tokens(&mut self) -> Value {
        let now = now_ms();
        let access = self.new_id("50000ae");
        let refresh = self.new_id("50001ae");
        let access_expiry = now + self.config.access_lifetime.as_millis() as i64;
        let refresh_expiry = now + self.config.refresh_lifetime.as_millis() as i64;
        self.access.insert(access.clone(), Token { expires_at_ms: access_expiry });
        self.refresh.insert(refresh.clone(), Token { expires_at_ms: refresh_expiry });
        json!({
            "access_token": access, "refresh_token": refresh,
            "expire_time": access_expiry, "refresh_token_valid_time": refresh_expiry,
            "expires_in": self.config.access_lifetime.as_secs(),
            "refresh_expires_in": self.config.refresh_lifetime.as_secs(),
            "user_id": ALIEXPRESS_SELLER_ID, "seller_id": ALIEXPRESS_SELLER_ID,
            "user_nick": ALIEXPRESS_SELLER_NICK, "account_platform": "seller_center", "sp": "ae",
            "locale": "en_US", "code": "0", "request_id": "sandbox",
        })
    }

    fn seed(&mut self) {
        let now = now_ms();
        let day = 24 * 3600 * 1000;
        self.activities = vec![
            json!({"id": 3000000001_i64, "activity_name": "Spring 3 off 30", "type": 0, "range_type": 0,
                   "status": "releasing", "denomination": 300, "min_order_amount": 3000,
                   "has_use_condtion": true, "num_per_buyer": 1, "total_release_num": 500,
                   "released_num": 42, "acquire_start_date": pacific(now - 30 * day),
                   "acquire_end_date": pacific(now + 60 * day),
                   "consume_start_date": pacific(now - 30 * day),
                   "consume_end_date": pacific(now + 90 * day), "consume_valid_time": 604800,
                   "seller_admin_id": 200000001, "ext_attrs": ""}),
            json!({"id": 3000000002_i64, "activity_name": "Winter 5 off 50", "type": 0, "range_type": 0,
                   "status": "closed", "denomination": 500, "min_order_amount": 5000,
                   "has_use_condtion": true, "num_per_buyer": 1, "total_release_num": 200,
                   "released_num": 200, "acquire_start_date": pacific(now - 120 * day),
                   "acquire_end_date": pacific(now - 60 * day),
                   "consume_start_date": pacific(now - 120 * day),
                   "consume_end_date": pacific(now - 30 * day), "consume_valid_time": 604800,
                   "seller_admin_id": 200000001, "ext_attrs": ""}),
        ];
        // Order 8100001: a $20.00 bag and two $7.50 scarves; the seller coupon's $3.00 split
        // 1.71 / 1.29, a platform coupon's $2.00 on the bag only.
        let discount = |cents: i64, owner: &str, promotion: &str| {
            json!({"discount_detail": money_str(cents, "USD"), "promotion_owner": owner,
                   "promotion_type": "coupon", "promotion_id": promotion})
        };
        let line = |id: &str, name: &str, price: i64, count: i64, discounts: Vec<Value>| {
            json!({"id": id.parse::<i64>().unwrap_or_default(), "child_order_id": id, "product_name": name,
                   "product_count": count, "product_price": money_str(price, "USD"),
                   "init_order_amt": money_str(price * count, "USD"),
                   "child_order_discount_detail_list": {"global_aeop_tp_sale_discount_info": discounts}})
        };
        let order = |id: &str, at: i64, lines: Vec<Value>| {
            json!({"id": id, "order_status": "WAIT_BUYER_ACCEPT_GOODS", "gmt_create": pacific(at),
                   "gmt_pay_success": pacific(at + 60_000),
                   "child_order_list": {"global_aeop_tp_child_order_dto": lines}})
        };
        self.orders.insert(
            "8100001".into(),
            order(
                "8100001",
                now - 10 * day,
                vec![
                    line(
                        "8100001001",
                        "Canvas bag",
                        2000,
                        1,
                        vec![
                            discount(171, "SELLER", "3000000001"),
                            discount(200, "PLATFORM", "9100000001"),
                        ],
                    ),
                    line(
                        "8100001002",
                        "Wool scarf",
                        750,
                        2,
                        vec![discount(129, "SELLER", "3000000001")],
                    ),
                ],
            ),
        );
        // Order 8100002: one $12.00 mug, no coupon.
        self.orders.insert(
            "8100002".into(),
            order("8100002", now - 8 * day, vec![line("8100002001", "Mug", 1200, 1, Vec::new())]),
        );
        let solution = |id: i64, issue: &str, kind: &str, status: &str, cents: i64| {
            json!({"id": id, "issue_id": issue, "solution_type": kind, "solution_owner": "buyer",
                   "is_default": true, "status": status,
                   "refund_money": format!("{}.{:02}", cents / 100, cents % 100),
                   "refund_money_currency": "USD", "refund_money_post": format!("{}.{:02}", cents / 100, cents % 100),
                   "refund_money_post_currency": "USD", "gmt_create": pacific(now - 2 * day)})
        };
        let issue = |id: &str,
                     order: &str,
                     line: &str,
                     status: &str,
                     reverse: &str,
                     reason: &str,
                     solutions: Vec<Value>,
                     modified: i64| {
            json!({"issue_id": id, "order_id": line, "parent_order_id": order, "issue_status": status,
                   "reason_english": reason, "reason_chinese": "", "buyer_login_id": "us1234567buyer",
                   "gmt_create": pacific(now - 3 * day), "gmt_modified": pacific(modified),
                   "reverse_detail_status": reverse,
                   "buyer_solution_list": {"solution_api_dto": solutions},
                   "seller_solution_list": {"solution_api_dto": []}})
        };
        self.issues = vec![
            // The bag never arrived: the buyer asks for what it paid (20.00 - 1.71 - 2.00).
            issue(
                "7000001",
                "8100001",
                "8100001001",
                "processing",
                "wait_for_seller_response",
                "Item not received",
                vec![solution(7100001, "7000001", "refund", "wait_seller_accept", 1629)],
                now - 2 * day,
            ),
            // A scarf is not as described: part of the money back, the scarf returned.
            issue(
                "7000002",
                "8100001",
                "8100001002",
                "processing",
                "wait_for_seller_response",
                "Item not as described",
                vec![solution(7100002, "7000002", "return_and_refund", "wait_seller_accept", 500)],
                now - 2 * day,
            ),
            // Decided already: the mug was refunded.
            issue(
                "7000003",
                "8100002",
                "8100002001",
                "finish",
                "refund_success",
                "Damaged",
                vec![solution(7100003, "7000003", "refund", "reached", 1200)],
                now - 5 * day,
            ),
            // The buyer withdrew it.
            issue(
                "7000004",
                "8100002",
                "8100002001",
                "canceled_issue",
                "",
                "Changed my mind",
                vec![solution(7100004, "7000004", "refund", "reach_cancle", 1200)],
                now - 6 * day,
            ),
        ];
    }
}

/// Starts the dialect with its demo data on 127.0.0.1.
pub async fn start_aliexpress(config: AliexpressConfig) -> Result<RunningAliexpress, SandboxError> {
    let port = config.port;
    let mut state = State {
        config,
        codes: HashMap::new(),
        access: HashMap::new(),
        refresh: HashMap::new(),
        activities: Vec::new(),
        orders: HashMap::new(),
        issues: Vec::new(),
        answers: Vec::new(),
        faults: VecDeque::new(),
        refusals: Vec::new(),
        next_id: 0,
        calls: 0,
    };
    state.seed();
    let state = Arc::new(Mutex::new(state));
    let (listener, address) = crate::gateway::bind(port).await?;
    let (shutdown, signal) = watch::channel(false);
    let server = tokio::spawn(serve(listener, Arc::clone(&state), signal));
    let tasks = crate::gateway::ServerTasks::new(vec![server]);
    Ok(RunningAliexpress { address, state, shutdown, tasks })
}

impl RunningAliexpress {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// A fresh authorization code of the demo seller, as the callback would get it.
    pub fn authorization_code(&self) -> String {
        let mut state = State::lock(&self.state);
        let code = state.new_id("3_500100_");
        state.codes.insert(code.clone(), false);
        code
    }

    /// A coupon activity the seller made in Seller Center by hand: releasing now, usable for 60
    /// days. Gives its id.
    pub fn enter_coupon_activity(
        &self,
        name: &str,
        denomination_cents: i64,
        min_order_cents: i64,
        quantity: i64,
    ) -> i64 {
        let mut state = State::lock(&self.state);
        let now = now_ms();
        let day = 24 * 3600 * 1000;
        let id = 3_000_000_100 + state.activities.len() as i64;
        state.activities.push(json!({"id": id, "activity_name": name, "type": 0, "range_type": 0,
            "status": "releasing", "denomination": denomination_cents, "min_order_amount": min_order_cents,
            "has_use_condtion": min_order_cents > 0, "num_per_buyer": 1, "total_release_num": quantity,
            "released_num": 0, "acquire_start_date": pacific(now), "acquire_end_date": pacific(now + 60 * day),
            "consume_start_date": pacific(now), "consume_end_date": pacific(now + 60 * day),
            "consume_valid_time": 604800, "seller_admin_id": 200000001, "ext_attrs": ""}));
        id
    }

    /// `count` more open disputes of the buyer on the mug of order 8100002, each asking for its
    /// $12.00 back, modified now.
    pub fn open_disputes(&self, count: usize) {
        let mut state = State::lock(&self.state);
        let now = now_ms();
        for _ in 0..count {
            let id = 7_100_000 + state.issues.len() as i64;
            let solution_id = 7_200_000 + state.issues.len() as i64;
            state.issues.push(json!({"issue_id": id.to_string(), "order_id": "8100002001",
                "parent_order_id": "8100002", "issue_status": "processing", "reason_english": "Damaged",
                "reason_chinese": "", "buyer_login_id": "us1234567buyer", "gmt_create": pacific(now),
                "gmt_modified": pacific(now), "reverse_detail_status": "wait_for_seller_response",
                "buyer_solution_list": {"solution_api_dto": [{"id": solution_id, "issue_id": id.to_string(),
                    "solution_type": "refund", "solution_owner": "buyer", "is_default": true,
                    "status": "wait_seller_accept", "refund_money": "12.00", "refund_money_currency": "USD"}]},
                "seller_solution_list": {"solution_api_dto": []}}));
        }
    }

    /// Gives a coupon activity another status, known to the connector or not.
    pub fn set_activity_status(&self, activity_id: i64, status: &str) {
        let mut state = State::lock(&self.state);
        for activity in &mut state.activities {
            if activity["id"].as_i64() == Some(activity_id) {
                activity["status"] = Value::String(status.to_owned());
            }
        }
    }

    /// Answers the next calls with these faults, in order.
    pub fn script(&self, faults: &[AliexpressFault]) {
        State::lock(&self.state).faults.extend(faults.iter().copied());
    }

    /// Refuses the next call of `method` for a business rule, as AliExpress does when what is
    /// asked goes against its rules (`isv.*`, with its message).
    pub fn refuse_next(&self, method: &str) {
        State::lock(&self.state).refusals.push(method.to_owned());
    }

    /// Makes every access token expire now (the refresh tokens stay valid).
    pub fn expire_access_tokens(&self) {
        for token in State::lock(&self.state).access.values_mut() {
            token.expires_at_ms = 0;
        }
    }

    /// Revokes every grant: access and refresh tokens stop working.
    pub fn revoke(&self) {
        let mut state = State::lock(&self.state);
        state.access.clear();
        state.refresh.clear();
    }

    /// The answers sellers gave, in order.
    pub fn answers(&self) -> Vec<RecordedAnswer> {
        State::lock(&self.state).answers.clone()
    }

    /// How many calls the gateway answered.
    pub fn calls(&self) -> u64 {
        State::lock(&self.state).calls
    }

    /// The whole state as JSON (coupon activities, orders, disputes, answers).
    pub fn state(&self) -> Value {
        snapshot(&State::lock(&self.state))
    }

    /// Stops accepting calls and waits for the server to end.
    pub async fn shutdown(&self) {
        self.shutdown.send_replace(true);
        self.tasks.join().await;
    }
}

impl Drop for RunningAliexpress {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
    }
}

fn snapshot(state: &State) -> Value {
    json!({
        "activities": state.activities,
        "orders": state.orders,
        "issues": state.issues,
        "answers": state.answers.iter().map(|answer| json!({
            "issue_id": answer.issue_id, "method": answer.method, "parameters": answer.parameters,
        })).collect::<Vec<_>>(),
    })
}

async fn serve(listener: TcpListener, state: Arc<Mutex<State>>, shutdown: watch::Receiver<bool>) {
    crate::gateway::accept_until_shutdown(listener, shutdown, move |stream, mut stop| {
        let state = Arc::clone(&state);
        async move {
            let service = service_fn(move |request| handle(Arc::clone(&state), request));
            let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = stop.wait_for(|stopping| *stopping) => {}
            }
        }
    })
    .await;
}

fn respond(status: StatusCode, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json;charset=UTF-8"));
    response
}

fn json_answer(value: &Value) -> Response<Full<Bytes>> {
    respond(StatusCode::OK, value.to_string())
}

/// `/sync`'s error envelope.
fn sync_error(code: &str, message: &str) -> Value {
    json!({"error_response": {"type": "ISV", "code": code, "msg": message, "request_id": "sandbox"}})
}

/// `/rest`'s flat error.
fn rest_error(code: &str, message: &str) -> Value {
    json!({"type": "ISV", "code": code, "message": message, "request_id": "sandbox"})
}

async fn handle(
    state: Arc<Mutex<State>>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let latency = State::lock(&state).config.latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or_default().to_owned();
    let method = request.method().clone();
    if method == Method::GET && path == "/sandbox/state" {
        return Ok(json_answer(&snapshot(&State::lock(&state))));
    }
    if method == Method::GET && path == "/oauth/authorize" {
        return Ok(authorize(&state, &query));
    }
    let body = match Limited::new(request.into_body(), LARGEST_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(respond(StatusCode::PAYLOAD_TOO_LARGE, "{}")),
    };
    let mut form: Vec<(String, String)> =
        form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    form.extend(form_urlencoded::parse(&body).into_owned());
    let (answer, delay) = {
        let mut state = State::lock(&state);
        state.calls += 1;
        if let Some(fault) = state.faults.pop_front() {
            return Ok(faulty(fault));
        }
        let answers_before = state.answers.len();
        let answer = match path.strip_prefix("/rest") {
            Some(api_path) => rest(&mut state, api_path, &form),
            None if path == "/sync" => sync(&mut state, &form),
            None => {
                return Ok(respond(
                    StatusCode::NOT_FOUND,
                    rest_error("InvalidApiPath", "no such path").to_string(),
                ));
            }
        };
        let answered = state.answers.len() > answers_before;
        (answer, if answered { state.config.answer_latency } else { Duration::ZERO })
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    Ok(json_answer(&answer))
}

fn faulty(fault: AliexpressFault) -> Response<Full<Bytes>> {
    match fault {
        AliexpressFault::RateLimited => json_answer(&sync_error(
            "ApiCallLimit",
            "The request has exceeded the limit, this ban will last 1 seconds",
        )),
        AliexpressFault::Backend => json_answer(&json!({"error_response": {"type": "ISP",
            "code": "isp.remote-service-error", "msg": "Remote service error", "request_id": "sandbox"}})),
        AliexpressFault::Malformed => {
            let mut response = respond(StatusCode::OK, "<html>gateway maintenance</html>");
            response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
            response
        }
        AliexpressFault::Truncated => {
            respond(StatusCode::OK, r#"{"aliexpress_issue_issuelist_get_response":{"data_list":"#)
        }
        AliexpressFault::Oversized => {
            let filler = "x".repeat(9 * 1024 * 1024);
            respond(StatusCode::OK, format!(r#"{{"filler":"{filler}"}}"#))
        }
    }
}

/// The consent page: the demo seller consents at once, and the browser goes to the callback.
fn authorize(state: &Mutex<State>, query: &str) -> Response<Full<Bytes>> {
    let pairs: HashMap<String, String> =
        form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    if pairs.get("client_id").map(String::as_str) != Some(ALIEXPRESS_APP_KEY)
        || pairs.get("response_type").map(String::as_str) != Some("code")
    {
        return respond(
            StatusCode::BAD_REQUEST,
            rest_error("InvalidParameter", "unknown client_id or response_type").to_string(),
        );
    }
    let Some(redirect) = pairs.get("redirect_uri") else {
        return respond(
            StatusCode::BAD_REQUEST,
            rest_error("MissingParameter", "redirect_uri").to_string(),
        );
    };
    let mut state = State::lock(state);
    let code = state.new_id("3_500100_");
    state.codes.insert(code.clone(), false);
    let mut location = format!("{redirect}?code={code}");
    if let Some(given) = pairs.get("state") {
        location.push_str(&format!("&state={given}"));
    }
    let mut response = respond(StatusCode::FOUND, "");
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// The checks of every call: the app, the signature (with the path on `/rest`), the clock.
fn check_call(
    form: &[(String, String)],
    api_path: Option<&str>,
) -> Result<(), (&'static str, String)> {
    let get = |key: &str| form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    if get("app_key") != Some(ALIEXPRESS_APP_KEY) {
        return Err(("InvalidAppKey", "The app key is invalid".into()));
    }
    if get("sign_method") != Some("sha256") {
        return Err(("IncompleteSignature", "sign_method must be sha256".into()));
    }
    let timestamp: i64 = get("timestamp")
        .and_then(|t| t.parse().ok())
        .ok_or(("IllegalTimestamp", "The timestamp is invalid or malformed".to_owned()))?;
    if (timestamp - now_ms()).abs() > ALLOWED_SKEW_MS {
        return Err(("IllegalTimestamp", "The timestamp is invalid or malformed".into()));
    }
    let parameters: Vec<(&str, &str)> =
        form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let given = get("sign").unwrap_or_default();
    if !signing::verify(ALIEXPRESS_APP_SECRET, api_path, &parameters, b"", given) {
        return Err((
            "IncompleteSignature",
            "The request signature does not conform to platform standards".into(),
        ));
    }
    Ok(())
}

fn rest(state: &mut State, api_path: &str, form: &[(String, String)]) -> Value {
    if let Err((code, message)) = check_call(form, Some(api_path)) {
        return rest_error(code, &message);
    }
    let get = |key: &str| form.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    match api_path {
        "/auth/token/create" => {
            let code = get("code").unwrap_or_default();
            match state.codes.get(&code) {
                Some(false) => {
                    state.codes.insert(code, true);
                    state.tokens()
                }
                _ => {
                    rest_error("InvalidCode", "The authorization code is invalid, used or expired")
                }
            }
        }
        "/auth/token/refresh" => {
            let refresh = get("refresh_token").unwrap_or_default();
            match state.refresh.get(&refresh) {
                Some(token) if token.expires_at_ms > now_ms() => {
                    state.refresh.remove(&refresh);
                    state.tokens()
                }
                _ => rest_error("IllegalRefreshToken", "The refresh token is invalid or expired"),
            }
        }
        _ => rest_error("InvalidApiPath", "The specified API path could not be found"),
    }
}

fn sync(state: &mut State, form: &[(String, String)]) -> Value {
    if let Err((code, message)) = check_call(form, None) {
        return sync_error(code, &message);
    }
    let get = |key: &str| form.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let session = get("session").unwrap_or_default();
    match state.access.get(&session) {
        Some(token) if token.expires_at_ms > now_ms() => {}
        _ => {
            return sync_error(
                "IllegalAccessToken",
                "The specified access token is invalid or expired",
            );
        }
    }
    let method = get("method").unwrap_or_default();
    if let Some(index) = state.refusals.iter().position(|refused| *refused == method) {
        state.refusals.remove(index);
        return json!({"error_response": {"type": "ISV", "code": "15",
            "sub_code": "isv.solution-expired", "sub_msg": "The buyer's solution has expired",
            "msg": "Remote service error", "request_id": "sandbox"}});
    }
    let wrap = |method: &str, inner: Value| json!({ format!("{}_response", method.replace('.', "_")): inner });
    let json_param = |key: &str| -> Result<Value, Value> {
        get(key)
            .and_then(|text| serde_json::from_str(&text).ok())
            .ok_or_else(|| sync_error("MissingParameter", &format!("{key} is missing or not JSON")))
    };
    let issue_index =
        |state: &State, id: &str| state.issues.iter().position(|issue| issue["issue_id"] == id);
    match method.as_str() {
        "aliexpress.marketing.redefining.getactlist" => wrap(
            &method,
            json!({"result": {
            "current_page": 1, "page_size": 20, "total_item": state.activities.len(), "total_page": 1,
            "activity_list": {"seller_coupon_activity": state.activities}}, "request_id": "sandbox"}),
        ),
        "aliexpress.marketing.redefining.findsellercouponactivity" => {
            let id = get("activity_id").unwrap_or_default();
            match state.activities.iter().find(|a| a["id"].as_i64() == id.parse::<i64>().ok()) {
                Some(activity) => wrap(&method, json!({"seller_coupon_activity": activity})),
                None => sync_error("isv.activity-not-found", "The coupon activity does not exist"),
            }
        }
        "aliexpress.issue.issuelist.get" => {
            let query = match json_param("query_dto") {
                Ok(query) => query,
                Err(error) => return error,
            };
            let page = query["current_page"].as_u64().unwrap_or(1).max(1) as usize;
            let size = query["page_size"].as_u64().unwrap_or(20).clamp(1, 50) as usize;
            let status = query["issue_status"].as_str();
            let matching: Vec<Value> = state
                .issues
                .iter()
                .filter(|issue| status.is_none_or(|status| issue["issue_status"] == status))
                .map(|issue| json!({
                    "issue_id": issue["issue_id"].as_str().and_then(|id| id.parse::<i64>().ok()),
                    "order_id": issue["order_id"].as_str().and_then(|id| id.parse::<i64>().ok()),
                    "parent_order_id": issue["parent_order_id"].as_str().and_then(|id| id.parse::<i64>().ok()),
                    "issue_status": issue["issue_status"], "reason_english": issue["reason_english"],
                    "reason_chinese": issue["reason_chinese"], "buyer_login_id": issue["buyer_login_id"],
                    "gmt_create": issue["gmt_create"], "gmt_modified": issue["gmt_modified"],
                }))
                .collect();
            let page_items: Vec<Value> =
                matching.iter().skip((page - 1) * size).take(size).cloned().collect();
            wrap(
                &method,
                json!({"current_page": page, "page_size": size, "total_item": matching.len(),
                                 "data_list": {"issue_api_issue_dto": page_items}, "request_id": "sandbox"}),
            )
        }
        "aliexpress.issue.detail.get" => {
            let id = get("issue_id").unwrap_or_default();
            let Some(index) = issue_index(state, &id) else {
                return sync_error("isv.issue-not-found", "The issue does not exist");
            };
            let issue = &state.issues[index];
            if get("buyer_login_id").as_deref() != issue["buyer_login_id"].as_str() {
                return sync_error("isv.buyer-mismatch", "The buyer does not match the issue");
            }
            wrap(&method, json!({"result_object": issue}))
        }
        "aliexpress.solution.order.info.get" => {
            let param = match json_param("param1") {
                Ok(param) => param,
                Err(error) => return error,
            };
            let id = param["order_id"].to_string();
            match state.orders.get(&id) {
                Some(order) => wrap(
                    &method,
                    json!({"result": {"data": order, "time_stamp": pacific(now_ms())}}),
                ),
                None => wrap(
                    &method,
                    json!({"result": {"error_code": "F00-10-10000-001", "error_message": "order not found"}}),
                ),
            }
        }
        "aliexpress.logistics.redefining.getlogisticsselleraddresses" => wrap(
            &method,
            json!({
            "refund_seller_address_list": {"addressdto": [{"address_id": 4500001, "country": "US", "city": "Los Angeles"}]},
            "result_success": true}),
        ),
        "aliexpress.issue.solution.agree" => {
            let id = get("issue_id").unwrap_or_default();
            let Some(index) = issue_index(state, &id) else {
                return sync_error("isv.issue-not-found", "The issue does not exist");
            };
            let solution_id = get("solution_id").unwrap_or_default();
            let issue = &mut state.issues[index];
            let Some(solutions) = issue["buyer_solution_list"]["solution_api_dto"].as_array_mut()
            else {
                return sync_error("isv.solution-not-found", "The solution does not exist");
            };
            let Some(solution) =
                solutions.iter_mut().find(|s| s["id"].as_i64() == solution_id.parse::<i64>().ok())
            else {
                return sync_error("isv.solution-not-found", "The solution does not exist");
            };
            if solution["status"] != "wait_seller_accept" {
                return sync_error(
                    "isv.solution-status-error",
                    "The solution no longer waits for the seller",
                );
            }
            if solution["solution_type"] == "return_and_refund"
                && get("return_address_id").is_none()
            {
                return sync_error(
                    "isv.return-address-required",
                    "A return needs the seller's return address",
                );
            }
            solution["status"] = json!("reached");
            issue["issue_status"] = json!("finish");
            issue["reverse_detail_status"] = json!("refund_success");
            issue["gmt_modified"] = json!(pacific(now_ms()));
            let parameters: Map<String, Value> = form
                .iter()
                .filter(|(k, _)| {
                    !["sign", "timestamp", "session", "app_key", "sign_method", "format", "method"]
                        .contains(&k.as_str())
                })
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect();
            state.answers.push(RecordedAnswer {
                issue_id: id,
                method: "agree",
                parameters: Value::Object(parameters),
            });
            wrap(&method, json!({"result_object": true}))
        }
        "aliexpress.issue.solution.save" => {
            let dto = match json_param("param_dto") {
                Ok(dto) => dto,
                Err(error) => return error,
            };
            let id = dto["issue_id"].to_string();
            let Some(index) = issue_index(state, &id) else {
                return sync_error("isv.issue-not-found", "The issue does not exist");
            };
            for required in [
                "add_seller_solution",
                "buyer_login_id",
                "refund_amount",
                "refund_amount_currency",
                "solution_context",
            ] {
                if dto.get(required).is_none_or(Value::is_null) {
                    return sync_error(
                        "MissingParameter",
                        &format!("param_dto.{required} is missing"),
                    );
                }
            }
            let seller_solution = state.new_id("72");
            let issue = &mut state.issues[index];
            if issue["issue_status"] != "processing" {
                return sync_error("isv.issue-status-error", "The issue is closed");
            }
            if let Some(list) = issue["seller_solution_list"]["solution_api_dto"].as_array_mut() {
                list.push(json!({"id": seller_solution, "solution_type": dto["add_solution_type"],
                    "solution_owner": "seller", "status": "wait_buyer_accept",
                    "refund_money": dto["refund_amount"], "refund_money_currency": dto["refund_amount_currency"],
                    "content": dto["solution_context"]}));
            }
            issue["gmt_modified"] = json!(pacific(now_ms()));
            state.answers.push(RecordedAnswer { issue_id: id, method: "save", parameters: dto });
            wrap(&method, json!({"result_object": true}))
        }
        _ => sync_error("InvalidApiPath", "The specified API could not be found"),
    }
}
