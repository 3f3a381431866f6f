//! The gateway's checks, in order: app key, signature, timestamp, session.

use hyper::StatusCode;
use sellerdesk_platform::api::methods;
use sellerdesk_platform::signing::ALLOWED_CLOCK_SKEW_MS;
use serde_json::json;

use crate::support::{PlatformClient, TestSandbox, now_in_milliseconds};

fn feed_body() -> serde_json::Value {
    json!({"limit": 1})
}

#[tokio::test]
async fn a_well_signed_call_is_answered() {
    let sandbox = TestSandbox::demo().await;
    let client = sandbox.client("S1").await;
    let page = client.call(methods::COUPONS_CHANGES, &feed_body()).await.expect_ok();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_unknown_app_key_is_refused_before_the_signature_is_checked() {
    let sandbox = TestSandbox::demo().await;
    let client = sandbox.client("S1").await;
    let mut call = client.prepare(methods::COUPONS_CHANGES, &feed_body());
    call.set("app_key", "someone-else");
    call.app_secret = "their-secret".to_owned();
    client.send(&call).await.unwrap().expect_error(401, "unknown_app_key");

    let mut unsigned = client.prepare(methods::COUPONS_CHANGES, &feed_body());
    unsigned.parameters.retain(|(key, _)| key != "app_key");
    unsigned.parameters.push(("sign".to_owned(), "WRONG".to_owned()));
    client.send_as_is(&unsigned).await.unwrap().expect_error(401, "unknown_app_key");
}

#[tokio::test]
async fn a_bad_signature_is_refused() {
    let sandbox = TestSandbox::demo().await;
    let client = sandbox.client("S1").await;

    let mut wrong_secret = client.prepare(methods::COUPONS_CHANGES, &feed_body());
    wrong_secret.app_secret = "not-the-secret".to_owned();
    let reply = client.send(&wrong_secret).await.unwrap();
    reply.expect_error(401, "invalid_signature");

    // Signed for one body, sent with another.
    let call = client.prepare(methods::COUPONS_CHANGES, &feed_body());
    let pairs: Vec<(&str, &str)> =
        call.parameters.iter().map(|(key, value)| (key.as_str(), value.as_str())).collect();
    let sign =
        sellerdesk_platform::signing::sign(&call.app_secret, None, &pairs, call.body.as_bytes());
    let mut tampered = call.clone();
    tampered.parameters.push(("sign".to_owned(), sign.clone()));
    tampered.body = json!({"limit": 2}).to_string();
    client.send_as_is(&tampered).await.unwrap().expect_error(401, "invalid_signature");

    // No signature at all; and the right one in lower case.
    client.send_as_is(&call).await.unwrap().expect_error(401, "invalid_signature");
    let mut lower_case = call.clone();
    lower_case.parameters.push(("sign".to_owned(), sign.to_lowercase()));
    client.send_as_is(&lower_case).await.unwrap().expect_error(401, "invalid_signature");
}

#[tokio::test]
async fn a_stale_or_future_timestamp_is_refused_after_the_signature() {
    let sandbox = TestSandbox::demo().await;
    let client = sandbox.client("S1").await;
    for offset in [-ALLOWED_CLOCK_SKEW_MS - 60_000, ALLOWED_CLOCK_SKEW_MS + 60_000] {
        let mut call = client.prepare(methods::COUPONS_CHANGES, &feed_body());
        call.set("timestamp", &(now_in_milliseconds() + offset).to_string());
        client.send(&call).await.unwrap().expect_error(401, "timestamp_out_of_range");
    }
    let mut not_a_number = client.prepare(methods::COUPONS_CHANGES, &feed_body());
    not_a_number.set("timestamp", "yesterday");
    client.send(&not_a_number).await.unwrap().expect_error(401, "timestamp_out_of_range");

    // Within the allowed skew is fine.
    let mut skewed = client.prepare(methods::COUPONS_CHANGES, &feed_body());
    skewed.set("timestamp", &(now_in_milliseconds() - ALLOWED_CLOCK_SKEW_MS + 30_000).to_string());
    assert_eq!(client.send(&skewed).await.unwrap().status, StatusCode::OK);

    // A stale call with a bad signature is a bad signature first.
    let mut both = client.prepare(methods::COUPONS_CHANGES, &feed_body());
    both.set("timestamp", "1");
    both.app_secret = "wrong".to_owned();
    client.send(&both).await.unwrap().expect_error(401, "invalid_signature");
}

#[tokio::test]
async fn a_session_that_names_no_store_is_refused_after_the_timestamp() {
    let sandbox = TestSandbox::demo().await;
    let client = PlatformClient::new(&sandbox.running.base_url(), "not-a-token");
    client.call(methods::COUPONS_CHANGES, &feed_body()).await.expect_error(401, "invalid_session");

    let mut no_session = client.prepare(methods::COUPONS_CHANGES, &feed_body());
    no_session.parameters.retain(|(key, _)| key != "session");
    client.send(&no_session).await.unwrap().expect_error(401, "invalid_session");

    let mut stale = client.prepare(methods::COUPONS_CHANGES, &feed_body());
    stale.set("timestamp", "1");
    client.send(&stale).await.unwrap().expect_error(401, "timestamp_out_of_range");
}

#[tokio::test]
async fn unknown_methods_paths_and_malformed_calls_are_bad_requests() {
    let sandbox = TestSandbox::demo().await;
    let client = sandbox.client("S1").await;
    client.call("seller.coupon.delete", &json!({})).await.expect_error(400, "invalid_request");

    let mut wrong_sign_method = client.prepare(methods::COUPONS_CHANGES, &feed_body());
    wrong_sign_method.set("sign_method", "md5");
    client.send(&wrong_sign_method).await.unwrap().expect_error(400, "invalid_request");

    let mut not_json = client.prepare(methods::COUPON_CREATE, &json!({}));
    not_json.body = "{\"mutation_id\": ".to_owned();
    client.send(&not_json).await.unwrap().expect_error(400, "invalid_request");

    let reply =
        client.call(methods::COUPONS_CHANGES, &json!({"cursor": "0", "colour": "red"})).await;
    reply.expect_error(400, "invalid_request");

    let elsewhere = PlatformClient {
        base_url: format!("{}/other", sandbox.running.base_url()),
        ..client.clone()
    };
    elsewhere.call(methods::COUPONS_CHANGES, &feed_body()).await.expect_error(404, "not_found");
}
