//! Mutations: applied exactly once per mutation id (even across a restart), and refused when the
//! platform's rules say no.

use sellerdesk_platform::api::methods;
use sellerdesk_sandbox::{NewStore, SandboxConfig};
use serde_json::{Value, json};

use crate::support::{PlatformClient, TestSandbox, coupon_terms};

fn coupons_of(dump: &Value, store_id: &str) -> Vec<Value> {
    dump["coupons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|coupon| coupon["store_id"] == store_id)
        .cloned()
        .collect()
}

fn codes_of(dump: &Value, coupon_id: &str) -> Vec<String> {
    dump["codes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|code| code["coupon_id"] == coupon_id)
        .map(|code| code["code"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_repeated_create_answers_the_same_and_makes_one_coupon_even_after_a_restart() {
    let directory = tempfile::tempdir().unwrap();
    let running = sellerdesk_sandbox::start(SandboxConfig::new(directory.path())).await.unwrap();
    let store = running
        .add_store(NewStore {
            store_id: "S9".to_owned(),
            name: "Nine".to_owned(),
            currency: "USD".to_owned(),
        })
        .await
        .unwrap();
    let client = PlatformClient::new(&running.base_url(), &store.access_token);
    let body =
        json!({"mutation_id": "m-create-1", "coupon": coupon_terms("c-1", "USD", "5", "30.00")});

    let first = client.call(methods::COUPON_CREATE, &body).await.expect_ok();
    assert_eq!(first, json!({"coupon_id": "c-1", "state": "published"}));
    let again = client.call(methods::COUPON_CREATE, &body).await.expect_ok();
    assert_eq!(again, first);

    let dump = sellerdesk_sandbox::dump(directory.path()).unwrap();
    let coupons = coupons_of(&dump, "S9");
    assert_eq!(coupons.len(), 1);
    // Amounts are written back with the currency's digits.
    assert_eq!(coupons[0]["discount"], "5.00");
    assert_eq!(dump["mutations"].as_array().unwrap().len(), 1);
    let feed = client.call(methods::COUPONS_CHANGES, &json!({})).await.expect_ok();
    assert_eq!(feed["items"].as_array().unwrap().len(), 1);

    running.shutdown().await;
    let restarted = sellerdesk_sandbox::start(SandboxConfig::new(directory.path())).await.unwrap();
    let client = PlatformClient { base_url: restarted.base_url(), ..client };
    let after_restart = client.call(methods::COUPON_CREATE, &body).await.expect_ok();
    assert_eq!(after_restart, first);
    assert_eq!(sellerdesk_sandbox::dump(directory.path()).unwrap(), dump);
    restarted.shutdown().await;
}

#[tokio::test]
async fn a_mutation_id_used_for_another_call_is_refused() {
    let sandbox = TestSandbox::demo().await;
    let client = sandbox.client("S1").await;
    let create =
        json!({"mutation_id": "m-1", "coupon": coupon_terms("c-1", "USD", "5.00", "30.00")});
    client.call(methods::COUPON_CREATE, &create).await.expect_ok();
    let other =
        json!({"mutation_id": "m-1", "coupon": coupon_terms("c-2", "USD", "5.00", "30.00")});
    let reply = client.call(methods::COUPON_CREATE, &other).await;
    reply.expect_error(409, "rule_violation");
    assert!(reply.error_message().contains("m-1"), "{}", reply.body);
    assert_eq!(
        coupons_of(&sandbox.dump(), "S1").iter().filter(|c| c["coupon_id"] == "c-2").count(),
        0
    );

    // Mutation ids are per store: S2 may use the same one.
    let euro = json!({"mutation_id": "m-1", "coupon": coupon_terms("c-1", "EUR", "5.00", "30.00")});
    sandbox.client("S2").await.call(methods::COUPON_CREATE, &euro).await.expect_ok();
}

#[tokio::test]
async fn validity_is_never_extended_and_terms_never_change() {
    let sandbox = TestSandbox::demo().await;
    let client = sandbox.client("S1").await;
    let terms = coupon_terms("c-1", "USD", "5.00", "30.00");
    client
        .call(methods::COUPON_CREATE, &json!({"mutation_id": "m-1", "coupon": terms}))
        .await
        .expect_ok();

    // The same terms under a new mutation id: nothing to change.
    let same =
        client.call(methods::COUPON_CREATE, &json!({"mutation_id": "m-2", "coupon": terms})).await;
    assert_eq!(same.expect_ok(), json!({"coupon_id": "c-1", "state": "published"}));

    let mut extended = terms.clone();
    extended["valid_to"] = json!("2099-01-01T00:00:00Z");
    let reply = client
        .call(methods::COUPON_CREATE, &json!({"mutation_id": "m-3", "coupon": extended}))
        .await;
    reply.expect_error(409, "rule_violation");
    assert!(reply.error_message().contains("never be extended"), "{}", reply.body);
    assert!(reply.error_message().contains("CREATE-5"), "{}", reply.body);

    let mut richer = terms.clone();
    richer["discount"] = json!("6.00");
    let reply =
        client.call(methods::COUPON_CREATE, &json!({"mutation_id": "m-4", "coupon": richer})).await;
    reply.expect_error(409, "rule_violation");

    // The title is not a term: a new one is taken.
    let mut renamed = terms.clone();
    renamed["title"] = json!("A better title");
    client
        .call(methods::COUPON_CREATE, &json!({"mutation_id": "m-5", "coupon": renamed}))
        .await
        .expect_ok();

    let coupon =
        coupons_of(&sandbox.dump(), "S1").into_iter().find(|c| c["coupon_id"] == "c-1").unwrap();
    assert_eq!(coupon["valid_to"], terms["valid_to"]);
    assert_eq!(coupon["discount"], "5.00");
    assert_eq!(coupon["title"], "A better title");
}

#[tokio::test]
async fn the_creation_rules_are_enforced() {
    let sandbox = TestSandbox::demo().await;
    let client = sandbox.client("S1").await;
    let with = |coupon_id: &str, field: &str, value: Value| {
        let mut terms = coupon_terms(coupon_id, "USD", "5.00", "30.00");
        terms[field] = value;
        terms
    };
    let cases = [
        (coupon_terms("c-1", "USD", "5.00", "5.00"), 409, "CREATE-1"),
        (coupon_terms("c-2", "USD", "0.00", "5.00"), 409, "CREATE-1"),
        (coupon_terms("c-3", "USD", "5.001", "30.00"), 409, "MONEY-2"),
        (coupon_terms("c-4", "EUR", "5.00", "30.00"), 409, "MONEY-3"),
        (coupon_terms("c-5", "USD", "-5.00", "30.00"), 400, "MONEY-1"),
        (with("c-6", "quantity", json!(0)), 409, "CREATE-3"),
        (with("c-7", "quantity", json!(1_000_001)), 409, "CREATE-3"),
        (with("c-8", "valid_to", json!("2020-01-01T00:00:00Z")), 409, "CREATE-2"),
        (with("c-9", "valid_from", json!("2020-01-01T00:00:00")), 400, "INPUT-3"),
        (with("c 10", "title", json!("Bad id")), 400, "INPUT-1"),
    ];
    for (index, (terms, status, rule)) in cases.into_iter().enumerate() {
        let body = json!({"mutation_id": format!("m-{index}"), "coupon": terms});
        let reply = client.call(methods::COUPON_CREATE, &body).await;
        let code = if status == 409 { "rule_violation" } else { "invalid_request" };
        reply.expect_error(status, code);
        assert!(reply.error_message().contains(rule), "case {index}: {}", reply.body);
    }
    let missing_field = json!({"mutation_id": "m-x", "coupon": {"coupon_id": "c-11"}});
    client.call(methods::COUPON_CREATE, &missing_field).await.expect_error(400, "invalid_request");
    let no_mutation_id =
        json!({"mutation_id": "", "coupon": coupon_terms("c-12", "USD", "5.00", "30.00")});
    client.call(methods::COUPON_CREATE, &no_mutation_id).await.expect_error(400, "invalid_request");
    assert_eq!(coupons_of(&sandbox.dump(), "S1").len(), 4, "only the demo coupons");
}

#[tokio::test]
async fn stopping_ends_the_validity_never_later() {
    let sandbox = TestSandbox::demo().await;
    let client = sandbox.client("S1").await;
    let terms = coupon_terms("c-1", "USD", "5.00", "30.00");
    client
        .call(methods::COUPON_CREATE, &json!({"mutation_id": "m-1", "coupon": terms}))
        .await
        .expect_ok();
    let upload = json!({"mutation_id": "m-2", "coupon_id": "c-1", "batch_id": 1, "channel": null,
                        "codes": ["STOPA1", "STOPA2"]});
    client.call(methods::CODES_UPLOAD, &upload).await.expect_ok();

    let later =
        json!({"mutation_id": "m-3", "coupon_id": "c-1", "stopped_at": "2099-01-01T00:00:00Z"});
    let stopped = client.call(methods::COUPON_STOP, &later).await.expect_ok();
    assert_eq!(
        stopped,
        json!({"coupon_id": "c-1", "state": "stopped", "valid_to": terms["valid_to"]})
    );

    // A second ago, so that the platform's clock has surely passed it.
    let now =
        sellerdesk_core::Timestamp::from_second(sellerdesk_core::Timestamp::now().as_second() - 1)
            .unwrap()
            .to_string();
    let now_stop = json!({"mutation_id": "m-4", "coupon_id": "c-1", "stopped_at": now});
    let stopped = client.call(methods::COUPON_STOP, &now_stop).await.expect_ok();
    assert_eq!(stopped["state"], "stopped");
    let valid_to: sellerdesk_core::Timestamp =
        stopped["valid_to"].as_str().unwrap().parse().unwrap();
    assert_eq!(valid_to, now.parse().unwrap());

    // Its codes expired with it, and it takes no new ones.
    let dump = sandbox.dump();
    let statuses: Vec<&Value> = dump["codes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|code| code["coupon_id"] == "c-1")
        .map(|code| &code["status"])
        .collect();
    assert_eq!(statuses, [&json!("expired"), &json!("expired")]);
    let more = json!({"mutation_id": "m-5", "coupon_id": "c-1", "batch_id": 2, "channel": null,
                      "codes": ["STOPA3"]});
    client.call(methods::CODES_UPLOAD, &more).await.expect_error(409, "rule_violation");

    let missing = json!({"mutation_id": "m-6", "coupon_id": "nope", "stopped_at": now});
    client.call(methods::COUPON_STOP, &missing).await.expect_error(404, "not_found");
}

#[tokio::test]
async fn a_taken_code_is_reported_and_not_stored() {
    let sandbox = TestSandbox::demo().await;
    let usd = sandbox.client("S1").await;
    let eur = sandbox.client("S2").await;
    usd.call(
        methods::COUPON_CREATE,
        &json!({"mutation_id": "m-1", "coupon": coupon_terms("c-1", "USD", "5.00", "30.00")}),
    )
    .await
    .expect_ok();
    eur.call(
        methods::COUPON_CREATE,
        &json!({"mutation_id": "m-1", "coupon": coupon_terms("c-9", "EUR", "5.00", "30.00")}),
    )
    .await
    .expect_ok();
    let first = json!({"mutation_id": "m-2", "coupon_id": "c-1", "batch_id": 7, "channel": "Newsletter",
                       "codes": ["AAAA1", "AAAA2", "AAAA3"]});
    assert_eq!(
        usd.call(methods::CODES_UPLOAD, &first).await.expect_ok(),
        json!({"accepted": 3, "taken": []})
    );

    // Another store's coupon cannot take them; the same coupon holding one already accepts it.
    let other_store = json!({"mutation_id": "m-2", "coupon_id": "c-9", "batch_id": 1, "channel": null,
                             "codes": ["BBBB1", "AAAA2", "BBBB2"]});
    assert_eq!(
        eur.call(methods::CODES_UPLOAD, &other_store).await.expect_ok(),
        json!({"accepted": 2, "taken": ["AAAA2"]})
    );
    let overlap = json!({"mutation_id": "m-3", "coupon_id": "c-1", "batch_id": 8, "channel": null,
                         "codes": ["AAAA3", "AAAA4", "BBBB1"]});
    assert_eq!(
        usd.call(methods::CODES_UPLOAD, &overlap).await.expect_ok(),
        json!({"accepted": 2, "taken": ["BBBB1"]})
    );

    let dump = sandbox.dump();
    assert_eq!(codes_of(&dump, "c-1"), ["AAAA1", "AAAA2", "AAAA3", "AAAA4"]);
    assert_eq!(codes_of(&dump, "c-9"), ["BBBB1", "BBBB2"]);
    let aaaa1 =
        dump["codes"].as_array().unwrap().iter().find(|code| code["code"] == "AAAA1").unwrap();
    assert_eq!(aaaa1["channel"], "newsletter");
    assert_eq!(aaaa1["batch_id"], 7);
    assert_eq!(aaaa1["status"], "valid");
    let c1 =
        coupons_of(&dump, "S1").into_iter().find(|coupon| coupon["coupon_id"] == "c-1").unwrap();
    assert_eq!(c1["code_count"], 4);
}

#[tokio::test]
async fn uploads_are_checked_whole() {
    let sandbox = TestSandbox::demo().await;
    let client = sandbox.client("S1").await;
    let mut terms = coupon_terms("c-1", "USD", "5.00", "30.00");
    terms["quantity"] = json!(3);
    client
        .call(methods::COUPON_CREATE, &json!({"mutation_id": "m-1", "coupon": terms}))
        .await
        .expect_ok();
    let upload = |mutation_id: &str, codes: Value| json!({"mutation_id": mutation_id, "coupon_id": "c-1", "batch_id": 1, "channel": null, "codes": codes});
    let too_many =
        client.call(methods::CODES_UPLOAD, &upload("m-2", json!(["Q1", "Q2", "Q3", "Q4"]))).await;
    too_many.expect_error(409, "rule_violation");
    assert!(too_many.error_message().contains("CODES-1"), "{}", too_many.body);
    assert!(codes_of(&sandbox.dump(), "c-1").is_empty(), "none of a refused batch is stored");

    for codes in [json!([]), json!(["lower"]), json!(["WITH-DASH"]), json!(["TWICE", "TWICE"])] {
        client
            .call(methods::CODES_UPLOAD, &upload("m-3", codes))
            .await
            .expect_error(400, "invalid_request");
    }
    let thousand_and_one: Vec<String> = (0..1_001).map(|index| format!("C{index}")).collect();
    client
        .call(methods::CODES_UPLOAD, &upload("m-4", json!(thousand_and_one)))
        .await
        .expect_error(400, "invalid_request");
    let unknown = json!({"mutation_id": "m-5", "coupon_id": "c-404", "batch_id": 1, "channel": null, "codes": ["X1"]});
    client.call(methods::CODES_UPLOAD, &unknown).await.expect_error(404, "not_found");
    let rejected = json!({"mutation_id": "m-6", "coupon_id": "s1-freeship", "batch_id": 1, "channel": null, "codes": ["X1"]});
    client.call(methods::CODES_UPLOAD, &rejected).await.expect_error(409, "rule_violation");
}

#[tokio::test]
async fn a_refund_request_is_decided_once() {
    let sandbox = TestSandbox::demo().await;
    let client = sandbox.client("S1").await;
    let approve = json!({"mutation_id": "m-1", "request_id": "R-1001", "decision": "approve"});
    let decided = client.call(methods::REFUND_DECIDE, &approve).await.expect_ok();
    assert_eq!(decided["request_id"], "R-1001");
    assert_eq!(decided["decision"], "approve");

    let refuse = json!({"mutation_id": "m-2", "request_id": "R-1001", "decision": "refuse"});
    let reply = client.call(methods::REFUND_DECIDE, &refuse).await;
    reply.expect_error(409, "rule_violation");
    assert!(reply.error_message().contains("decided once"), "{}", reply.body);

    // The same decision again, under a new mutation id, answers as the first time.
    let approve_again =
        json!({"mutation_id": "m-3", "request_id": "R-1001", "decision": "approve"});
    assert_eq!(client.call(methods::REFUND_DECIDE, &approve_again).await.expect_ok(), decided);

    let dump = sandbox.dump();
    let request = dump["refund_requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|request| request["request_id"] == "R-1001")
        .unwrap();
    assert_eq!(request["decision"], "approve");
    assert_eq!(request["decided_at"], decided["decided_at"]);

    // A request of another store is not found from this one.
    let elsewhere = json!({"mutation_id": "m-4", "request_id": "R-2001", "decision": "approve"});
    client.call(methods::REFUND_DECIDE, &elsewhere).await.expect_error(404, "not_found");
    let bad_decision = json!({"mutation_id": "m-5", "request_id": "R-1002", "decision": "maybe"});
    client.call(methods::REFUND_DECIDE, &bad_decision).await.expect_error(400, "invalid_request");
}
