//! The HTTP client against a scripted server on loopback: what goes on the wire (the signed
//! gateway call) and how every kind of answer is read.

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sellerdesk_platform::api::{
    ChangesRequest, CouponTerms, CreateCouponRequest, CreateCouponResult,
};
use sellerdesk_platform::{
    CallError, ClientError, ClientTimeouts, PlatformApi, PlatformClient, PlatformCredentials,
    signing,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

const SECRET: &str = "app-secret-never-shown";
const TOKEN: &str = "store-token-never-shown";

/// A request as the server received it.
#[derive(Debug)]
struct Received {
    request_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// What the scripted server does with one connection.
enum Script {
    Answer(String),
    /// Reads the request and never answers.
    Silence,
}

/// A server on loopback that takes one connection per script, in order, and reports what it
/// received.
async fn serve(scripts: Vec<Script>) -> (SocketAddr, mpsc::UnboundedReceiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (received, receiver) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        for script in scripts {
            let Ok((mut connection, _)) = listener.accept().await else { return };
            let request = read_request(&mut connection).await;
            let _ = received.send(request);
            match script {
                Script::Answer(answer) => {
                    let _ = connection.write_all(answer.as_bytes()).await;
                    let _ = connection.shutdown().await;
                }
                Script::Silence => {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
            }
        }
    });
    (address, receiver)
}

async fn read_request(connection: &mut TcpStream) -> Received {
    let mut bytes = Vec::new();
    let mut buffer = [0_u8; 4096];
    let header_end = loop {
        let read = connection.read(&mut buffer).await.unwrap();
        assert!(read > 0, "the client closed before sending a request");
        bytes.extend_from_slice(&buffer[..read]);
        if let Some(position) = bytes.windows(4).position(|window| window == b"\r\n\r\n") {
            break position + 4;
        }
    };
    let head = String::from_utf8(bytes[..header_end].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (key, value) = line.split_once(':').unwrap();
            (key.trim().to_owned(), value.trim().to_owned())
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, value)| value.parse().unwrap());
    let mut body = bytes[header_end..].to_vec();
    while body.len() < length {
        let read = connection.read(&mut buffer).await.unwrap();
        assert!(read > 0);
        body.extend_from_slice(&buffer[..read]);
    }
    Received { request_line, headers, body }
}

fn answer(status: &str, headers: &[(&str, &str)], body: &str) -> Script {
    let mut text =
        format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (key, value) in headers {
        text.push_str(&format!("{key}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    Script::Answer(text)
}

fn json_answer(status: &str, body: &str) -> Script {
    answer(status, &[("Content-Type", "application/json")], body)
}

fn credentials(base_url: String) -> PlatformCredentials {
    PlatformCredentials {
        base_url,
        app_key: "app-7".into(),
        app_secret: SECRET.into(),
        access_token: TOKEN.into(),
    }
}

fn client(address: SocketAddr) -> PlatformClient {
    PlatformClient::with_timeouts(
        credentials(format!("http://{address}")),
        ClientTimeouts { connect: Duration::from_secs(2), request: Duration::from_millis(800) },
    )
    .unwrap()
}

fn create_request() -> CreateCouponRequest {
    CreateCouponRequest {
        mutation_id: "m-1".into(),
        coupon: CouponTerms {
            coupon_id: "C1".into(),
            title: "Spring — 5 € off".into(),
            currency: "USD".into(),
            discount: "5.00".into(),
            min_purchase: "20.00".into(),
            valid_from: "2030-01-01T00:00:00Z".into(),
            valid_to: "2030-02-01T00:00:00Z".into(),
            quantity: 100,
        },
    }
}

#[tokio::test]
async fn calls_are_signed_as_the_gateway_expects() {
    let (address, mut received) =
        serve(vec![json_answer("200 OK", r#"{"coupon_id":"C1","state":"published"}"#)]).await;

    let result = client(address).create_coupon(&create_request()).await.unwrap();

    assert_eq!(result, CreateCouponResult { coupon_id: "C1".into(), state: "published".into() });
    let request = received.recv().await.unwrap();
    let (verb, rest) = request.request_line.split_once(' ').unwrap();
    assert_eq!(verb, "POST");
    let target = rest.strip_suffix(" HTTP/1.1").unwrap();
    let url = reqwest::Url::parse(&format!("http://{address}{target}")).unwrap();
    assert_eq!(url.path(), "/sync");
    let parameters: Vec<(String, String)> =
        url.query_pairs().map(|(key, value)| (key.into_owned(), value.into_owned())).collect();
    let value = |key: &str| {
        parameters.iter().find(|(name, _)| name == key).map(|(_, value)| value.clone()).unwrap()
    };
    assert_eq!(value("method"), "seller.coupon.create");
    assert_eq!(value("app_key"), "app-7");
    assert_eq!(value("sign_method"), "sha256");
    assert_eq!(value("session"), TOKEN);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64;
    let timestamp: i64 = value("timestamp").parse().unwrap();
    assert!((now - timestamp).abs() < signing::ALLOWED_CLOCK_SKEW_MS);
    // The signature covers the parameters and the body exactly as sent.
    let unsigned: Vec<(&str, &str)> = parameters
        .iter()
        .filter(|(key, _)| key != "sign")
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    assert!(signing::verify(SECRET, None, &unsigned, &request.body, &value("sign")));
    assert_eq!(request.header("content-type"), Some("application/json"));
    let body: CreateCouponRequest = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body, create_request());
    // The secret itself never travels.
    let everything = format!("{request:?}");
    assert!(!everything.contains(SECRET));
}

#[tokio::test]
async fn refusals_busy_answers_and_faults_are_told_apart() {
    let (address, _received) = serve(vec![
        json_answer(
            "409 Conflict",
            r#"{"error":{"code":"rule_violation","message":"the validity of a coupon is never extended"}}"#,
        ),
        json_answer(
            "401 Unauthorized",
            r#"{"error":{"code":"invalid_signature","message":"the signature does not match"}}"#,
        ),
        answer(
            "429 Too Many Requests",
            &[("Content-Type", "application/json"), ("Retry-After", "7")],
            r#"{"error":{"code":"rate_limited","message":"slow down"}}"#,
        ),
        answer("503 Service Unavailable", &[("Retry-After", "2")], ""),
        answer("500 Internal Server Error", &[("Content-Type", "text/plain")], "boom"),
    ])
    .await;
    let client = client(address);
    let request = create_request();

    let refused = client.create_coupon(&request).await.unwrap_err();
    assert_eq!(
        refused,
        CallError::Rejected {
            status: 409,
            code: "rule_violation".into(),
            message: "the validity of a coupon is never extended".into()
        }
    );
    assert!(refused.change_refusal().is_some());

    let unsigned = client.create_coupon(&request).await.unwrap_err();
    assert!(
        matches!(&unsigned, CallError::Rejected { status: 401, code, .. } if code == "invalid_signature")
    );
    assert!(unsigned.change_refusal().is_none(), "a credentials problem is not the change's");

    let busy = client.create_coupon(&request).await.unwrap_err();
    assert_eq!(busy.retry_after(), Some(Duration::from_secs(7)));
    assert!(busy.is_retryable());
    assert!(busy.to_string().contains("slow down"));

    let unavailable = client.create_coupon(&request).await.unwrap_err();
    assert!(matches!(unavailable, CallError::Unavailable { status: 503, .. }));
    assert_eq!(unavailable.retry_after(), Some(Duration::from_secs(2)));

    let failing = client.create_coupon(&request).await.unwrap_err();
    assert!(matches!(failing, CallError::Unavailable { status: 500, retry_after: None, .. }));
}

#[tokio::test]
async fn unusable_answers_are_bad_responses_that_say_what_was_wrong() {
    let (address, _received) = serve(vec![
        json_answer("200 OK", r#"{"coupon_id":"C1","state":"publ"#),
        json_answer("200 OK", r#"{"coupon_id":"C1"}"#),
        json_answer("200 OK", r#"{"items":[{"code":"A","coupon_id":"C1","changed_at":"x"}],"next_cursor":"1","has_more":false}"#),
        answer("200 OK", &[("Content-Type", "text/html")], "<html>welcome</html>"),
        answer("404 Not Found", &[("Content-Type", "text/html")], "<h1>Not Found</h1>"),
        answer("302 Found", &[("Location", "http://127.0.0.1:1/elsewhere")], ""),
    ])
    .await;
    let client = client(address);
    let request = create_request();
    let message = |error: CallError| match error {
        CallError::BadResponse { method, message } => format!("{method}: {message}"),
        other => panic!("expected a bad response, got {other:?}"),
    };

    let cut = message(client.create_coupon(&request).await.unwrap_err());
    assert!(cut.starts_with("seller.coupon.create: the JSON answer is wrong"), "{cut}");
    let missing = message(client.create_coupon(&request).await.unwrap_err());
    assert!(missing.contains("missing field `state`"), "{missing}");
    let missing_in_an_item =
        message(client.code_changes(&ChangesRequest::default()).await.unwrap_err());
    assert!(missing_in_an_item.contains("at items[0]"), "{missing_in_an_item}");
    assert!(missing_in_an_item.contains("missing field `status`"), "{missing_in_an_item}");
    let html = message(client.create_coupon(&request).await.unwrap_err());
    assert!(html.contains("text/html rather than JSON"), "{html}");
    let not_found = message(client.create_coupon(&request).await.unwrap_err());
    assert!(not_found.contains("HTTP 404 without the platform's error body"), "{not_found}");
    let redirected = message(client.create_coupon(&request).await.unwrap_err());
    assert!(redirected.contains("unexpected HTTP status 302"), "{redirected}");
}

#[tokio::test]
async fn an_unreachable_or_silent_platform_is_retryable_and_no_message_holds_a_secret() {
    // Nothing listens on a port that was just freed.
    let free = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let refused = client(free).create_coupon(&create_request()).await.unwrap_err();
    assert!(matches!(refused, CallError::Unreachable { .. }), "{refused:?}");
    assert!(refused.is_retryable() && !refused.reached_platform());

    let (address, mut received) = serve(vec![Script::Silence]).await;
    let started = std::time::Instant::now();
    let silent = client(address).create_coupon(&create_request()).await.unwrap_err();
    assert!(matches!(silent, CallError::Unreachable { .. }), "{silent:?}");
    assert!(silent.to_string().contains("no answer in time"), "{silent}");
    assert!(started.elapsed() < Duration::from_secs(5));
    received.recv().await.unwrap();

    for error in [refused, silent] {
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(TOKEN) && !shown.contains(SECRET), "{shown}");
    }
}

#[tokio::test]
async fn https_addresses_speak_tls() {
    // A plain TCP listener sees what an https:// client sends first: a TLS handshake record.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let first_byte = tokio::spawn(async move {
        let (mut connection, _) = listener.accept().await.unwrap();
        let mut byte = [0_u8; 1];
        connection.read_exact(&mut byte).await.unwrap();
        byte[0]
    });
    let client = PlatformClient::with_timeouts(
        credentials(format!("https://localhost:{port}")),
        ClientTimeouts { connect: Duration::from_secs(2), request: Duration::from_secs(2) },
    )
    .unwrap();
    let error = client.create_coupon(&create_request()).await.unwrap_err();
    assert!(matches!(error, CallError::Unreachable { .. }), "{error:?}");
    assert_eq!(first_byte.await.unwrap(), 0x16, "a TLS handshake record");
}

#[test]
fn platform_addresses_must_be_https_except_on_this_computer() {
    let refused = PlatformClient::new(credentials("http://platform.example.com".into()));
    assert!(matches!(refused, Err(ClientError::InsecureBaseUrl { .. })));
    assert!(PlatformClient::new(credentials("https://platform.example.com".into())).is_ok());
    assert!(PlatformClient::new(credentials("http://127.0.0.1:8700".into())).is_ok());
    let unusable = PlatformClient::new(credentials("not a url".into()));
    assert!(matches!(unusable, Err(ClientError::InvalidBaseUrl { .. })));
}
