//! Starting sandboxes in a temporary directory, and a tiny signed client for the gateway.

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use sellerdesk_platform::api::{ErrorBody, GATEWAY_PATH};
use sellerdesk_platform::signing;
use sellerdesk_sandbox::{
    DEMO_APP_KEY, DEMO_APP_SECRET, DemoData, RunningSandbox, SandboxConfig, StoreAccess,
};
use serde_json::Value;
use tempfile::TempDir;

/// A sandbox running in-process on a free port, with its data directory.
pub struct TestSandbox {
    pub running: RunningSandbox,
    pub directory: TempDir,
}

impl TestSandbox {
    /// A sandbox with the demo data.
    pub async fn demo() -> TestSandbox {
        TestSandbox::start(|_| {}).await
    }

    /// A sandbox with the demo data and whatever `adjust` changes in its configuration.
    pub async fn start(adjust: impl FnOnce(&mut SandboxConfig)) -> TestSandbox {
        let directory = tempfile::tempdir().unwrap();
        let mut config = SandboxConfig::new(directory.path());
        config.demo_data = DemoData::Seed;
        adjust(&mut config);
        let running = sellerdesk_sandbox::start(config).await.unwrap();
        TestSandbox { running, directory }
    }

    pub async fn store(&self, store_id: &str) -> StoreAccess {
        self.running
            .stores()
            .await
            .unwrap()
            .into_iter()
            .find(|store| store.store_id == store_id)
            .unwrap()
    }

    /// A client signed with the demo app, acting as `store_id`.
    pub async fn client(&self, store_id: &str) -> PlatformClient {
        let store = self.store(store_id).await;
        PlatformClient::new(&self.running.base_url(), &store.access_token)
    }

    pub fn dump(&self) -> Value {
        sellerdesk_sandbox::dump(self.directory.path()).unwrap()
    }
}

/// An answer: the status and the JSON body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

impl Reply {
    /// The `code` of an `ErrorBody` answer.
    pub fn error_code(&self) -> String {
        let error: ErrorBody = serde_json::from_value(self.body.clone()).unwrap();
        error.error.code
    }

    pub fn error_message(&self) -> String {
        let error: ErrorBody = serde_json::from_value(self.body.clone()).unwrap();
        error.error.message
    }

    #[track_caller]
    pub fn expect_ok(self) -> Value {
        assert_eq!(self.status, StatusCode::OK, "{}", self.body);
        self.body
    }

    #[track_caller]
    pub fn expect_error(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        assert_eq!(self.error_code(), code, "{}", self.body);
    }
}

/// The parts of a call, signed when sent; tests change them to break the call on purpose.
#[derive(Debug, Clone)]
pub struct Call {
    pub parameters: Vec<(String, String)>,
    pub body: String,
    pub app_secret: String,
}

impl Call {
    pub fn set(&mut self, name: &str, value: &str) {
        self.parameters.retain(|(key, _)| key != name);
        self.parameters.push((name.to_owned(), value.to_owned()));
    }
}

pub fn now_in_milliseconds() -> i64 {
    i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis()).unwrap()
}

/// A signed client of the gateway for one store.
#[derive(Debug, Clone)]
pub struct PlatformClient {
    pub http: Client<HttpConnector, Full<Bytes>>,
    pub base_url: String,
    pub app_key: String,
    pub app_secret: String,
    pub session: String,
}

impl PlatformClient {
    pub fn new(base_url: &str, session: &str) -> PlatformClient {
        PlatformClient {
            http: Client::builder(TokioExecutor::new()).build_http(),
            base_url: base_url.to_owned(),
            app_key: DEMO_APP_KEY.to_owned(),
            app_secret: DEMO_APP_SECRET.to_owned(),
            session: session.to_owned(),
        }
    }

    /// A call of `method` with `body`, signed now, not sent yet.
    pub fn prepare(&self, method: &str, body: &Value) -> Call {
        Call {
            parameters: vec![
                ("method".to_owned(), method.to_owned()),
                ("app_key".to_owned(), self.app_key.clone()),
                ("timestamp".to_owned(), now_in_milliseconds().to_string()),
                ("sign_method".to_owned(), "sha256".to_owned()),
                ("session".to_owned(), self.session.clone()),
            ],
            body: body.to_string(),
            app_secret: self.app_secret.clone(),
        }
    }

    /// Signs and sends a call; an error is a connection that gave no answer.
    pub async fn send(&self, call: &Call) -> Result<Reply, String> {
        let pairs: Vec<(&str, &str)> =
            call.parameters.iter().map(|(key, value)| (key.as_str(), value.as_str())).collect();
        let sign = signing::sign(&call.app_secret, None, &pairs, call.body.as_bytes());
        let mut signed = call.clone();
        if !signed.parameters.iter().any(|(key, _)| key == "sign") {
            signed.parameters.push(("sign".to_owned(), sign));
        }
        self.send_as_is(&signed).await
    }

    /// Sends the call exactly as it is, without signing it.
    pub async fn send_as_is(&self, call: &Call) -> Result<Reply, String> {
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(call.parameters.iter())
            .finish();
        let request = Request::builder()
            .method(Method::POST)
            .uri(format!("{}{GATEWAY_PATH}?{query}", self.base_url))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(call.body.clone())))
            .unwrap();
        let response = self.http.request(request).await.map_err(|error| format!("{error:?}"))?;
        let status = response.status();
        let bytes =
            response.into_body().collect().await.map_err(|error| format!("{error:?}"))?.to_bytes();
        let body =
            if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap() };
        Ok(Reply { status, body })
    }

    /// Calls `method` with `body`, and expects an answer.
    pub async fn call(&self, method: &str, body: &Value) -> Reply {
        self.send(&self.prepare(method, body)).await.unwrap()
    }
}

/// Coupon terms valid now: from an hour ago to thirty days from now (whole seconds).
pub fn coupon_terms(coupon_id: &str, currency: &str, discount: &str, min_purchase: &str) -> Value {
    let now = now_in_milliseconds() / 1_000;
    let at = |seconds: i64| {
        sellerdesk_core::Timestamp::from_second(now - now % 3_600 + seconds).unwrap().to_string()
    };
    serde_json::json!({
        "coupon_id": coupon_id,
        "title": format!("Coupon {coupon_id}"),
        "currency": currency,
        "discount": discount,
        "min_purchase": min_purchase,
        "valid_from": at(-3_600),
        "valid_to": at(30 * 24 * 3_600),
        "quantity": 1_000,
    })
}
