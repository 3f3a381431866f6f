//! The HTTP side: the `POST /sync` gateway on loopback, its checks (app key, signature, timestamp,
//! session, in that order), the injected faults, and the accept loop with its shutdown.

use std::collections::HashSet;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method as HttpMethod, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use sellerdesk_platform::api::GATEWAY_PATH;
use sellerdesk_platform::signing::{self, ALLOWED_CLOCK_SKEW_MS};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use crate::config::{AppCredentials, FaultInjection};
use crate::database::{Database, store_by_access_token};
use crate::error::{ApiError, ApiErrorKind};
use crate::methods::{self, Effect, Method};

/// The largest body the gateway reads: an upload of 1,000 long codes is far below it.
const MAXIMUM_BODY_BYTES: usize = 4 * 1024 * 1024;

/// What every connection shares.
#[derive(Debug)]
pub struct Gateway {
    pub database: Arc<Database>,
    pub apps: Vec<AppCredentials>,
    pub faults: FaultInjection,
}

/// Accepts connections until `shutdown` turns true, then closes every open connection.
pub async fn serve(listener: TcpListener, gateway: Arc<Gateway>, shutdown: watch::Receiver<bool>) {
    accept_until_shutdown(listener, shutdown, move |stream, stop| {
        serve_connection(stream, Arc::clone(&gateway), stop)
    })
    .await;
}

/// The accept loop of every dialect: each connection served by `connect` (given the shutdown
/// signal) until `shutdown` turns true, then every open connection closed.
pub(crate) async fn accept_until_shutdown<Connect, Served>(
    listener: TcpListener,
    mut shutdown: watch::Receiver<bool>,
    connect: Connect,
) where
    Connect: Fn(TcpStream, watch::Receiver<bool>) -> Served,
    Served: std::future::Future<Output = ()> + Send + 'static,
{
    let mut connections = JoinSet::new();
    let connection_shutdown = shutdown.clone();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                // A failed accept (too many open files, a reset before accept) only loses that
                // connection; the client sees it refused and retries.
                if let Ok((stream, _)) = accepted {
                    connections.spawn(connect(stream, connection_shutdown.clone()));
                }
            }
            _ = shutdown.wait_for(|stopping| *stopping) => break,
            // Reap finished connections so that the set does not grow without end.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

async fn serve_connection(
    stream: TcpStream,
    gateway: Arc<Gateway>,
    mut shutdown: watch::Receiver<bool>,
) {
    // Small answers go out at once rather than waiting for more to send.
    let _ = stream.set_nodelay(true);
    let drop_connection = Arc::new(Notify::new());
    let service = {
        let drop_connection = Arc::clone(&drop_connection);
        service_fn(move |request| {
            handle(Arc::clone(&gateway), Arc::clone(&drop_connection), request)
        })
    };
    let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        // A broken connection concerns only its client.
        _ = connection => {}
        // Dropping the connection future closes the socket without an answer.
        () = drop_connection.notified() => {}
        _ = shutdown.wait_for(|stopping| *stopping) => {}
    }
}

async fn handle(
    gateway: Arc<Gateway>,
    drop_connection: Arc<Notify>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let faults = gateway.faults;
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    if faults.fail_rate.happens() {
        return Ok(unavailable());
    }
    match answer(&gateway, request).await {
        Ok(Answer { json, effect }) => {
            if effect == Effect::Mutation && faults.drop_rate.happens() {
                // The change is committed; now the client gets no answer at all.
                drop_connection.notify_one();
                std::future::pending::<()>().await;
            }
            Ok(json_response(StatusCode::OK, json))
        }
        Err(error) => Ok(error_response(&error)),
    }
}

/// The JSON text of a successful call and whether it changed something.
struct Answer {
    json: String,
    effect: Effect,
}

async fn answer(gateway: &Arc<Gateway>, request: Request<Incoming>) -> Result<Answer, ApiError> {
    if request.uri().path() != GATEWAY_PATH {
        return Err(ApiError::not_found(format!(
            "there is no API at {}; every call goes to POST {GATEWAY_PATH}",
            request.uri().path()
        )));
    }
    if request.method() != HttpMethod::POST {
        return Err(ApiError::new(
            ApiErrorKind::MethodNotAllowed,
            format!("{GATEWAY_PATH} takes POST, not {}", request.method()),
        ));
    }
    let parameters = QueryParameters::parse(request.uri().query().unwrap_or_default())?;
    let body = Limited::new(request.into_body(), MAXIMUM_BODY_BYTES)
        .collect()
        .await
        .map_err(|error| ApiError::invalid_request(format!("cannot read the body: {error}")))?
        .to_bytes();

    let app = parameters
        .get("app_key")
        .and_then(|app_key| gateway.apps.iter().find(|app| app.app_key == app_key))
        .ok_or_else(|| {
            ApiError::new(ApiErrorKind::UnknownAppKey, "app_key names no app known to the platform")
        })?;
    let signature = parameters.get("sign").unwrap_or_default();
    if !signing::verify(&app.app_secret, None, &parameters.as_pairs(), &body, signature) {
        return Err(ApiError::new(
            ApiErrorKind::InvalidSignature,
            "sign is not the HMAC-SHA256 of the parameters and the body with the app secret",
        ));
    }
    let now = crate::now();
    let in_range = parameters
        .get("timestamp")
        .and_then(|timestamp| timestamp.parse::<i64>().ok())
        .is_some_and(|timestamp| {
            now.as_millisecond().abs_diff(timestamp) <= ALLOWED_CLOCK_SKEW_MS.unsigned_abs()
        });
    if !in_range {
        return Err(ApiError::new(
            ApiErrorKind::TimestampOutOfRange,
            format!(
                "timestamp must be milliseconds since the Unix epoch within {ALLOWED_CLOCK_SKEW_MS} ms \
                 of the platform's clock ({})",
                now.as_millisecond()
            ),
        ));
    }
    if parameters.get("sign_method") != Some("sha256") {
        return Err(ApiError::invalid_request("sign_method must be sha256"));
    }
    let session = parameters.get("session").unwrap_or_default().to_owned();
    let method_name = parameters.get("method").unwrap_or_default().to_owned();

    gateway
        .database
        .run(move |connection| {
            let store = store_by_access_token(connection, &session)?.ok_or_else(|| {
                ApiError::new(ApiErrorKind::InvalidSession, "session is no store's access token")
            })?;
            let method = Method::parse(&method_name).ok_or_else(|| {
                ApiError::invalid_request(format!("method \"{method_name}\" is not a platform API"))
            })?;
            let json = methods::call(connection, &store, method, &body, now)?;
            Ok(Answer { json, effect: method.effect() })
        })
        .await
}

/// The query string's parameters, each name at most once.
struct QueryParameters {
    pairs: Vec<(String, String)>,
}

impl QueryParameters {
    fn parse(query: &str) -> Result<QueryParameters, ApiError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        let mut names = HashSet::with_capacity(pairs.len());
        for (key, _) in &pairs {
            if !names.insert(key.as_str()) {
                return Err(ApiError::invalid_request(format!(
                    "parameter {key} appears more than once"
                )));
            }
        }
        Ok(QueryParameters { pairs })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    fn as_pairs(&self) -> Vec<(&str, &str)> {
        self.pairs.iter().map(|(key, value)| (key.as_str(), value.as_str())).collect()
    }
}

fn json_response(status: StatusCode, json: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(json)));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn error_response(error: &ApiError) -> Response<Full<Bytes>> {
    // An ErrorBody always serialises; the fallback only keeps this infallible.
    let json = serde_json::to_string(&error.body()).unwrap_or_default();
    json_response(error.kind.status(), json)
}

/// An injected `503`, sometimes with `Retry-After: 0` or `1`, sometimes without.
fn unavailable() -> Response<Full<Bytes>> {
    let mut response = error_response(&ApiError::new(
        ApiErrorKind::Unavailable,
        "the sandbox injected this fault (--fail-rate); nothing was done, retry the call",
    ));
    match rand::random_range(0..3_u8) {
        0 => {}
        1 => {
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static("0"));
        }
        _ => {
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static("1"));
        }
    }
    response
}

/// A running server's tasks (the listener, the simulated buyers), which its shutdown waits for;
/// taken once, by whichever shutdown comes first.
#[derive(Debug)]
pub struct ServerTasks(std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>);

impl ServerTasks {
    pub fn new(tasks: Vec<tokio::task::JoinHandle<()>>) -> ServerTasks {
        ServerTasks(std::sync::Mutex::new(tasks))
    }

    /// Waits for every task (told to stop beforehand); a second call has nothing to wait for.
    pub async fn join(&self) {
        let tasks =
            std::mem::take(&mut *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        for task in tasks {
            // A task that panicked has nothing left to stop.
            let _ = task.await;
        }
    }
}

/// Binds the loopback listener.
pub async fn bind(port: u16) -> Result<(TcpListener, SocketAddr), crate::SandboxError> {
    let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, port))
        .await
        .map_err(|source| crate::SandboxError::Listen { port, source })?;
    let address =
        listener.local_addr().map_err(|source| crate::SandboxError::Listen { port, source })?;
    Ok((listener, address))
}
