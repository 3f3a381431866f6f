//! The demo data: every refund request previews, the dump has a stable shape, and seeding only
//! happens into an empty sandbox.

use sellerdesk_core::contract::{check_input, preview};
use sellerdesk_platform::api::{ChangesPage, RefundRequestChange, methods};
use sellerdesk_sandbox::{DemoData, SandboxConfig, Seeding};
use serde_json::{Value, json};

use crate::support::TestSandbox;

#[tokio::test]
async fn every_demo_refund_request_previews_without_error() {
    let sandbox = TestSandbox::demo().await;
    let now = sellerdesk_core::Timestamp::now();
    let mut previewed = Vec::new();
    for store in sandbox.running.stores().await.unwrap() {
        let client = sandbox.client(&store.store_id).await;
        let page: ChangesPage<RefundRequestChange> = serde_json::from_value(
            client.call(methods::REFUNDS_CHANGES, &json!({})).await.expect_ok(),
        )
        .unwrap();
        for request in page.items {
            let input = &request.preview_input;
            check_input(input, now).unwrap();
            let output = preview(input, now)
                .unwrap_or_else(|error| panic!("{}: {error}", request.request_id));
            let order =
                input.orders.iter().find(|order| order.order_id == input.refund.order_id).unwrap();
            assert_eq!(order.store_id, store.store_id, "{}", request.request_id);
            assert_eq!(input.currency, store.currency, "{}", request.request_id);
            previewed.push((request.request_id, output.order_refund, output.coupons.len()));
        }
    }
    assert_eq!(previewed.len(), 7);
    let kinds: std::collections::HashSet<String> =
        previewed.iter().map(|(_, refund, _)| format!("{refund:?}")).collect();
    assert_eq!(kinds.len(), 2, "both partial and full refunds: {previewed:?}");
}

#[tokio::test]
async fn the_demo_has_three_stores_with_coupons_codes_and_requests() {
    let sandbox = TestSandbox::demo().await;
    assert_eq!(sandbox.running.seeding(), Some(Seeding::Seeded));
    let dump = sandbox.dump();
    let currencies: Vec<&str> = dump["stores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|store| store["currency"].as_str().unwrap())
        .collect();
    assert_eq!(currencies, ["USD", "EUR", "JPY"]);
    let statuses: std::collections::BTreeSet<&str> = dump["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|code| code["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses.into_iter().collect::<Vec<_>>(),
        ["expired", "inactive", "pending", "used", "valid"]
    );
    let decided = dump["refund_requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["decision"].is_string())
        .count();
    assert_eq!(decided, 1);
}

#[tokio::test]
async fn the_dump_has_a_stable_shape_and_order() {
    let sandbox = TestSandbox::demo().await;
    let dump = sandbox.dump();
    let keys: Vec<&str> = dump.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected =
        vec!["buyers", "codes", "coupons", "feeds", "mutations", "refund_requests", "stores"];
    let mut sorted_keys = keys.clone();
    sorted_keys.sort_unstable();
    expected.sort_unstable();
    assert_eq!(sorted_keys, expected);

    let fields = |list: &str| -> Vec<String> {
        let mut fields: Vec<String> = dump[list][0].as_object().unwrap().keys().cloned().collect();
        fields.sort();
        fields
    };
    assert_eq!(fields("stores"), ["access_token", "currency", "name", "store_id"]);
    assert_eq!(
        fields("codes"),
        [
            "batch_id",
            "buyer_id",
            "changed_at",
            "channel",
            "code",
            "coupon_id",
            "status",
            "store_id"
        ]
    );
    assert_eq!(
        fields("coupons"),
        [
            "code_count",
            "coupon_id",
            "currency",
            "discount",
            "min_purchase",
            "quantity",
            "reason",
            "state",
            "store_id",
            "title",
            "valid_from",
            "valid_to"
        ]
    );
    assert_eq!(
        fields("refund_requests"),
        [
            "buyer_id",
            "decided_at",
            "decision",
            "preview_input",
            "request_id",
            "requested_at",
            "store_id"
        ]
    );
    assert_eq!(fields("feeds"), ["changes", "feed", "last_cursor", "store_id"]);
    assert!(dump["refund_requests"][0]["preview_input"]["orders"].is_array());

    // Sorted by key, and the same twice.
    let codes: Vec<(String, String, String)> = dump["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|code| {
            let text = |field: &str| code[field].as_str().unwrap().to_owned();
            (text("store_id"), text("coupon_id"), text("code"))
        })
        .collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted);
    assert_eq!(sandbox.dump(), dump);
}

#[tokio::test]
async fn demo_data_is_seeded_only_into_an_empty_sandbox() {
    let directory = tempfile::tempdir().unwrap();
    let config = || {
        let mut config = SandboxConfig::new(directory.path());
        config.demo_data = DemoData::Seed;
        config
    };
    let first = sellerdesk_sandbox::start(config()).await.unwrap();
    let stores = first.stores().await.unwrap();
    first.shutdown().await;
    let before: Value = sellerdesk_sandbox::dump(directory.path()).unwrap();

    let second = sellerdesk_sandbox::start(config()).await.unwrap();
    assert_eq!(second.seeding(), Some(Seeding::AlreadyHadStores));
    assert_eq!(second.stores().await.unwrap(), stores);
    second.shutdown().await;
    assert_eq!(sellerdesk_sandbox::dump(directory.path()).unwrap(), before);
}

#[test]
fn dumping_a_directory_without_a_sandbox_is_an_error() {
    let directory = tempfile::tempdir().unwrap();
    let error = sellerdesk_sandbox::dump(directory.path()).unwrap_err();
    assert!(matches!(error, sellerdesk_sandbox::SandboxError::NoSandboxData { .. }), "{error}");
}
