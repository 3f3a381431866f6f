//! Change feeds read by cursor, and the paged coupon list.

use std::collections::HashMap;

use sellerdesk_core::status::CouponStatus;
use sellerdesk_platform::api::{ChangesPage, CodeChange, CouponChange, Page, methods};
use serde_json::json;

use crate::support::{PlatformClient, TestSandbox, coupon_terms};

async fn upload(client: &PlatformClient, mutation_id: &str, coupon_id: &str, codes: &[String]) {
    let body = json!({"mutation_id": mutation_id, "coupon_id": coupon_id, "batch_id": 1,
                      "channel": null, "codes": codes});
    client.call(methods::CODES_UPLOAD, &body).await.expect_ok();
}

async fn codes_page(client: &PlatformClient, cursor: &str, limit: u32) -> ChangesPage<CodeChange> {
    let body = json!({"cursor": cursor, "limit": limit});
    serde_json::from_value(client.call(methods::CODES_CHANGES, &body).await.expect_ok()).unwrap()
}

/// A store of its own, S1 in EUR, on a sandbox without demo data, and a client for it.
async fn empty_store(sandbox: &TestSandbox) -> PlatformClient {
    let store = sandbox
        .running
        .add_store(sellerdesk_sandbox::NewStore {
            store_id: "S1".to_owned(),
            name: "One".to_owned(),
            currency: "EUR".to_owned(),
        })
        .await
        .unwrap();
    PlatformClient::new(&sandbox.running.base_url(), &store.access_token)
}

async fn create_coupon(client: &PlatformClient, mutation_id: &str, coupon_id: &str) {
    let body = json!({"mutation_id": mutation_id, "coupon": coupon_terms(coupon_id, "EUR", "1.00", "9.00")});
    client.call(methods::COUPON_CREATE, &body).await.expect_ok();
}

/// Whether a buyer-side status may follow `previous` on the codes feed: STATUS-2, plus a claim
/// now and then reported in the legacy pending status.
fn allowed_move(previous: CouponStatus, next: CouponStatus) -> bool {
    matches!(
        (previous, next),
        (CouponStatus::Pending, _)
            | (
                CouponStatus::Valid,
                CouponStatus::Inactive | CouponStatus::Pending | CouponStatus::Expired
            )
            | (CouponStatus::Inactive, CouponStatus::Used | CouponStatus::Valid)
    )
}

/// What a claim by a simulated buyer puts on the feed: the code applied to the buyer's order, or
/// the legacy pending status.
fn is_claim(status: CouponStatus) -> bool {
    matches!(status, CouponStatus::Inactive | CouponStatus::Pending)
}

#[tokio::test]
async fn uploading_codes_adds_nothing_to_the_codes_feed() {
    let sandbox = TestSandbox::demo().await;
    // S2 sells in EUR.
    let client = sandbox.client("S2").await;
    let before = codes_page(&client, "", 5_000).await;
    assert!(!before.has_more);
    let cursor = before.next_cursor;
    create_coupon(&client, "m-0", "c-1").await;
    let codes: Vec<String> = (0..30).map(|index| format!("UPLOAD{index:03}")).collect();
    upload(&client, "m-1", "c-1", &codes[..20]).await;
    upload(&client, "m-2", "c-1", &codes[20..]).await;
    // The same call again (a retry) and codes the coupon already holds change nothing either.
    upload(&client, "m-2", "c-1", &codes[20..]).await;
    upload(&client, "m-3", "c-1", &codes[..5]).await;

    // The platform holds every code, valid and with no buyer ...
    let dump = sandbox.dump();
    let stored: Vec<&serde_json::Value> = dump["codes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|code| code["coupon_id"] == "c-1")
        .collect();
    assert_eq!(stored.len(), codes.len());
    assert!(stored.iter().all(|code| code["status"] == "valid" && code["buyer_id"].is_null()));
    // ... but nobody claimed them: nothing new on the codes feed, while the coupon is news.
    let after = codes_page(&client, &cursor, 5_000).await;
    assert!(after.items.is_empty() && !after.has_more, "{:?}", after.items);
    assert_eq!(after.next_cursor, cursor);
    let coupons = client.call(methods::COUPONS_CHANGES, &json!({})).await.expect_ok();
    assert!(coupons["items"].as_array().unwrap().iter().any(|item| item["coupon_id"] == "c-1"));

    // On a store with nothing else, the codes feed is empty from the start.
    let empty =
        TestSandbox::start(|config| config.demo_data = sellerdesk_sandbox::DemoData::Omit).await;
    let alone = empty_store(&empty).await;
    create_coupon(&alone, "m-0", "c-1").await;
    upload(&alone, "m-1", "c-1", &codes).await;
    let all = alone.call(methods::CODES_CHANGES, &json!({})).await.expect_ok();
    assert_eq!(all["items"], json!([]));
    assert_eq!(all["has_more"], false);

    // A claim is what puts a code on the feed.
    let activity = empty.running.simulate_buyers(1).await.unwrap();
    assert_eq!(activity.claimed, 1);
    let claimed = codes_page(&alone, "", 5_000).await;
    assert_eq!(claimed.items.len(), 1);
    assert!(codes.contains(&claimed.items[0].code));
    assert!(is_claim(claimed.items[0].status.parse().unwrap()), "{:?}", claimed.items[0]);
}

#[tokio::test]
async fn the_codes_feed_pages_by_cursor_in_order() {
    let sandbox =
        TestSandbox::start(|config| config.demo_data = sellerdesk_sandbox::DemoData::Omit).await;
    let client = empty_store(&sandbox).await;
    create_coupon(&client, "m-0", "c-1").await;
    let mut codes: Vec<String> = (0..25).map(|index| format!("FEED{index:03}")).collect();
    upload(&client, "m-1", "c-1", &codes[..20]).await;
    upload(&client, "m-2", "c-1", &codes[20..]).await;
    // Buyers claim all 25 codes; the next round moves every one of their orders on (closed,
    // cancelled, or a legacy pending claim applied): 50 changes, in two rounds.
    let claims = sandbox.running.simulate_buyers(25).await.unwrap();
    assert_eq!((claims.claimed, claims.progressed), (25, 0));
    let moves = sandbox.running.simulate_buyers(25).await.unwrap();
    assert_eq!((moves.claimed, moves.progressed), (0, 25));

    let mut cursor = String::new();
    let mut seen = Vec::new();
    let mut has_more_flags = Vec::new();
    loop {
        let page = codes_page(&client, &cursor, 10).await;
        has_more_flags.push(page.has_more);
        assert!(page.items.iter().all(|item| item.coupon_id == "c-1"));
        seen.extend(page.items);
        cursor = page.next_cursor;
        if !page.has_more {
            break;
        }
    }
    assert_eq!(has_more_flags, [true, true, true, true, false]);
    // In order: every claim before every move, each code claimed once and moved once.
    codes.sort();
    let codes_of = |items: &[CodeChange]| {
        let mut codes: Vec<String> = items.iter().map(|item| item.code.clone()).collect();
        codes.sort();
        codes
    };
    assert_eq!(codes_of(&seen[..25]), codes);
    assert_eq!(codes_of(&seen[25..]), codes);
    let mut last_status: HashMap<&str, CouponStatus> = HashMap::new();
    for item in &seen {
        let next: CouponStatus = item.status.parse().unwrap();
        match last_status.insert(&item.code, next) {
            None => assert!(is_claim(next), "{}: first seen as {next}", item.code),
            Some(previous) => {
                assert!(allowed_move(previous, next), "{}: {previous} → {next}", item.code);
            }
        }
    }
    // The pages, one after the other, are the feed read in one go (the default limit takes
    // everything here), item for item.
    let all: ChangesPage<CodeChange> =
        serde_json::from_value(client.call(methods::CODES_CHANGES, &json!({})).await.expect_ok())
            .unwrap();
    assert_eq!(all.items, seen);
    assert!(!all.has_more);
    assert_eq!(all.next_cursor, cursor);

    // Nothing new: an empty page that keeps the cursor.
    let empty = codes_page(&client, &cursor, 10).await;
    assert!(empty.items.is_empty() && !empty.has_more);
    assert_eq!(empty.next_cursor, cursor);

    // New changes show up after the cursor, and only they: a code uploaded to a second coupon,
    // no change yet, then claimed by a buyer (the same round may move on orders of c-1's codes).
    create_coupon(&client, "m-3", "c-2").await;
    upload(&client, "m-4", "c-2", &["FEEDNEW".to_owned()]).await;
    assert!(codes_page(&client, &cursor, 10).await.items.is_empty(), "an upload is no change");
    let activity = sandbox.running.simulate_buyers(1).await.unwrap();
    assert_eq!(activity.claimed, 1);
    let next = codes_page(&client, &cursor, 100).await;
    assert!(!next.has_more);
    assert!(next.items.iter().all(|item| !seen.contains(item)), "only changes after the cursor");
    let claim = next.items.iter().find(|item| item.code == "FEEDNEW").expect("the claim is new");
    assert_eq!(claim.coupon_id, "c-2");
    assert!(is_claim(claim.status.parse().unwrap()), "{claim:?}");
    let cursor = next.next_cursor;

    // A code nobody holds that expires with its coupon is no news: the seller still sees it as
    // unclaimed (else every code a campaign did not hand out would count as claimed).
    upload(&client, "m-6", "c-2", &["FEEDLOST".to_owned()]).await;
    // A second ago, so that the platform's clock has surely passed it.
    let now =
        sellerdesk_core::Timestamp::from_second(sellerdesk_core::Timestamp::now().as_second() - 1)
            .unwrap()
            .to_string();
    client
        .call(
            methods::COUPON_STOP,
            &json!({"mutation_id": "m-5", "coupon_id": "c-2", "stopped_at": now}),
        )
        .await
        .expect_ok();
    let after_stop = codes_page(&client, &cursor, 10).await;
    assert_eq!(after_stop.items, []);
    let dump = sandbox.dump();
    let lost =
        dump["codes"].as_array().unwrap().iter().find(|code| code["code"] == "FEEDLOST").unwrap();
    assert_eq!((&lost["status"], &lost["buyer_id"]), (&json!("expired"), &json!(null)));

    // The default limit takes everything here.
    let all = client.call(methods::CODES_CHANGES, &json!({})).await.expect_ok();
    assert_eq!(all["items"].as_array().unwrap().len(), seen.len() + next.items.len());
    assert_eq!(all["has_more"], false);

    for bad in [
        json!({"limit": 0}),
        json!({"limit": 5_001}),
        json!({"cursor": "x"}),
        json!({"cursor": "-1"}),
    ] {
        client.call(methods::CODES_CHANGES, &bad).await.expect_error(400, "invalid_request");
    }
}

#[tokio::test]
async fn feeds_belong_to_their_store() {
    let sandbox = TestSandbox::demo().await;
    for (store_id, coupons) in [("S1", 4), ("S2", 2), ("S3", 2)] {
        let client = sandbox.client(store_id).await;
        let page: ChangesPage<CouponChange> = serde_json::from_value(
            client.call(methods::COUPONS_CHANGES, &json!({})).await.expect_ok(),
        )
        .unwrap();
        assert_eq!(page.items.len(), coupons, "{store_id}");
        let codes = client.call(methods::CODES_CHANGES, &json!({})).await.expect_ok();
        let dump = sandbox.dump();
        // The feed carries buyer-side statuses: the codes a buyer holds; a code with no buyer is
        // not on it, valid or expired.
        let stored = dump["codes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|code| code["store_id"] == store_id)
            .filter(|code| !code["buyer_id"].is_null())
            .count();
        assert!(stored > 0, "{store_id}");
        assert_eq!(codes["items"].as_array().unwrap().len(), stored, "{store_id}");
    }
    let s1 = sandbox.client("S1").await;
    let coupons = s1.call(methods::COUPONS_CHANGES, &json!({})).await.expect_ok();
    let states: HashMap<&str, &str> = coupons["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| (item["coupon_id"].as_str().unwrap(), item["state"].as_str().unwrap()))
        .collect();
    assert_eq!(states["s1-spring5"], "published");
    assert_eq!(states["s1-summer8"], "stopped");
    assert_eq!(states["s1-freeship"], "rejected");
    let rejected = coupons["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["state"] == "rejected")
        .unwrap();
    assert!(rejected["reason"].as_str().unwrap().contains("free shipping"));
}

#[tokio::test]
async fn the_refunds_feed_shows_decisions_as_changes() {
    let sandbox = TestSandbox::demo().await;
    let client = sandbox.client("S1").await;
    let first = client.call(methods::REFUNDS_CHANGES, &json!({})).await.expect_ok();
    let requests: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["request_id"].as_str().unwrap())
        .collect();
    assert_eq!(requests, ["R-1001", "R-1002", "R-1003"]);
    assert!(first["items"][0].get("decision").is_none());

    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    client
        .call(
            methods::REFUND_DECIDE,
            &json!({"mutation_id": "m-1", "request_id": "R-1002", "decision": "refuse"}),
        )
        .await
        .expect_ok();
    let next = client.call(methods::REFUNDS_CHANGES, &json!({"cursor": cursor})).await.expect_ok();
    let items = next["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["request_id"], "R-1002");
    assert_eq!(items[0]["decision"], "refuse");
    assert!(items[0]["decided_at"].is_string());
    assert_eq!(items[0]["preview_input"]["payment_id"], "PAY-1002");
}

#[tokio::test]
async fn the_coupon_list_pages() {
    let sandbox = TestSandbox::demo().await;
    let client = sandbox.client("S2").await;
    for index in 0..3 {
        let terms = coupon_terms(&format!("c-{index}"), "EUR", "1.00", "9.00");
        client
            .call(
                methods::COUPON_CREATE,
                &json!({"mutation_id": format!("m-{index}"), "coupon": terms}),
            )
            .await
            .expect_ok();
    }
    let list = |page: u32, page_size: u32| {
        let client = client.clone();
        async move {
            let body = client
                .call(methods::COUPONS_LIST, &json!({"page": page, "page_size": page_size}))
                .await;
            serde_json::from_value::<Page<CouponChange>>(body.expect_ok()).unwrap()
        }
    };
    let first = list(1, 2).await;
    let third = list(3, 2).await;
    assert_eq!(first.total, 5);
    assert_eq!(
        first.items.iter().map(|item| item.terms.coupon_id.as_str()).collect::<Vec<_>>(),
        ["c-0", "c-1"]
    );
    assert_eq!(third.items.len(), 1);
    assert_eq!(list(4, 2).await.items.len(), 0);
    for (page, page_size) in [(0, 10), (1, 0), (1, 51)] {
        client
            .call(methods::COUPONS_LIST, &json!({"page": page, "page_size": page_size}))
            .await
            .expect_error(400, "invalid_request");
    }
}

#[tokio::test]
async fn simulated_buyers_move_codes_through_allowed_statuses() {
    let sandbox = TestSandbox::demo().await;
    let client = sandbox.client("S1").await;
    let start = client.call(methods::CODES_CHANGES, &json!({})).await.expect_ok();
    let mut cursor = start["next_cursor"].as_str().unwrap().to_owned();
    let mut last_status: HashMap<String, CouponStatus> = start["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["code"].as_str().unwrap().to_owned(),
                item["status"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect();

    let mut changes = 0;
    let mut first_seen = Vec::new();
    for _ in 0..6 {
        let activity = sandbox.running.simulate_buyers(3).await.unwrap();
        assert!(activity.claimed + activity.progressed > 0, "{activity:?}");
        let page = codes_page(&client, &cursor, 5_000).await;
        cursor = page.next_cursor;
        for item in page.items {
            let next: CouponStatus = item.status.parse().unwrap();
            match last_status.get(&item.code) {
                // A code not on the feed yet was valid with no buyer: its first change is a claim.
                None => {
                    assert!(is_claim(next), "{}: first seen as {next}", item.code);
                    first_seen.push(item.code.clone());
                }
                Some(&previous) => {
                    assert!(allowed_move(previous, next), "{}: {previous} → {next}", item.code);
                }
            }
            last_status.insert(item.code, next);
            changes += 1;
        }
    }
    assert!(changes > 0);
    assert!(!first_seen.is_empty(), "the buyers claimed codes nobody held");
    // Every claimed code is held by a different buyer per coupon, and every code that first
    // came on the feed with a claim has a buyer.
    let dump = sandbox.dump();
    for code in &first_seen {
        let row = dump["codes"].as_array().unwrap().iter().find(|row| row["code"] == *code);
        assert!(row.unwrap()["buyer_id"].is_string(), "{code}");
    }
    let mut claims = std::collections::HashSet::new();
    for code in dump["codes"].as_array().unwrap() {
        if let Some(buyer) = code["buyer_id"].as_str() {
            let key =
                (code["store_id"].as_str().unwrap(), code["coupon_id"].as_str().unwrap(), buyer);
            assert!(claims.insert(key), "two claims by {buyer}");
        }
    }
}

#[tokio::test]
async fn with_a_redeem_rate_buyers_act_on_their_own() {
    let sandbox = TestSandbox::start(|config| {
        config.redeem_rate = sellerdesk_sandbox::RedeemRate::per_second(100);
    })
    .await;
    let client = sandbox.client("S1").await;
    let start = client.call(methods::CODES_CHANGES, &json!({})).await.expect_ok();
    let cursor = start["next_cursor"].as_str().unwrap().to_owned();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let page = codes_page(&client, &cursor, 100).await;
        if !page.items.is_empty() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no buyer claimed a code of S1");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
