//! Injected faults: failed calls change nothing; dropped answers come after the change.

use std::time::{Duration, Instant};

use hyper::StatusCode;
use sellerdesk_platform::api::methods;
use sellerdesk_sandbox::Probability;
use serde_json::json;

use crate::support::{TestSandbox, coupon_terms};

#[tokio::test]
async fn with_a_fail_rate_of_one_every_call_is_a_503_and_nothing_is_applied() {
    let sandbox = TestSandbox::start(|config| config.faults.fail_rate = Probability::ALWAYS).await;
    let before = sandbox.dump();
    let client = sandbox.client("S1").await;
    let create =
        json!({"mutation_id": "m-1", "coupon": coupon_terms("c-1", "USD", "5.00", "30.00")});
    for _ in 0..5 {
        let reply = client.call(methods::COUPON_CREATE, &create).await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(reply.error_code(), "unavailable");
    }
    // Even a call that would be refused is answered 503 first.
    let mut unsigned = client.prepare(methods::COUPONS_CHANGES, &json!({}));
    unsigned.app_secret = "wrong".to_owned();
    assert_eq!(client.send(&unsigned).await.unwrap().status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(sandbox.dump(), before);
}

#[tokio::test]
async fn the_503_sometimes_says_when_to_retry() {
    let sandbox = TestSandbox::start(|config| config.faults.fail_rate = Probability::ALWAYS).await;
    let client = sandbox.client("S1").await;
    let url = format!("{}{}", sandbox.running.base_url(), sellerdesk_platform::api::GATEWAY_PATH);
    let http = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Full<bytes::Bytes>>();
    let mut retry_after = std::collections::BTreeSet::new();
    for _ in 0..40 {
        let request = hyper::Request::post(&url).body(http_body_util::Full::default()).unwrap();
        let response = http.request(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        retry_after.insert(
            response.headers().get("retry-after").map(|value| value.to_str().unwrap().to_owned()),
        );
    }
    let _ = client;
    assert!(
        retry_after.iter().all(|value| matches!(value.as_deref(), None | Some("0") | Some("1")))
    );
    assert!(retry_after.len() >= 2, "{retry_after:?}");
}

#[tokio::test]
async fn with_a_drop_rate_of_one_a_mutation_is_applied_but_gets_no_answer() {
    let sandbox = TestSandbox::start(|config| config.faults.drop_rate = Probability::ALWAYS).await;
    let client = sandbox.client("S1").await;
    let create =
        json!({"mutation_id": "m-1", "coupon": coupon_terms("c-1", "USD", "5.00", "30.00")});
    let error = client.send(&client.prepare(methods::COUPON_CREATE, &create)).await.unwrap_err();
    assert!(
        error.contains("IncompleteMessage") || error.contains("closed") || error.contains("reset"),
        "{error}"
    );
    let dump = sandbox.dump();
    assert!(dump["coupons"].as_array().unwrap().iter().any(|coupon| coupon["coupon_id"] == "c-1"));
    assert!(
        dump["mutations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|mutation| mutation["mutation_id"] == "m-1")
    );

    // Reads are answered; the retry is dropped again but still changes nothing.
    let feed = client.call(methods::COUPONS_CHANGES, &json!({})).await.expect_ok();
    let published =
        feed["items"].as_array().unwrap().iter().filter(|item| item["coupon_id"] == "c-1").count();
    assert_eq!(published, 1);
    assert!(client.send(&client.prepare(methods::COUPON_CREATE, &create)).await.is_err());
    assert_eq!(sandbox.dump(), dump);
}

#[tokio::test]
async fn latency_delays_every_call() {
    let sandbox =
        TestSandbox::start(|config| config.faults.latency = Duration::from_millis(150)).await;
    let client = sandbox.client("S1").await;
    let started = Instant::now();
    client.call(methods::COUPONS_CHANGES, &json!({})).await.expect_ok();
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[test]
fn a_rate_is_a_share_from_zero_to_one() {
    assert!(Probability::new(0.0).is_ok());
    assert!(Probability::new(1.0).is_ok());
    assert!(Probability::new(1.5).is_err());
    assert!(Probability::new(-0.1).is_err());
    assert!(Probability::new(f64::NAN).is_err());
}
