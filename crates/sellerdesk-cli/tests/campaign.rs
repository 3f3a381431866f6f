//! `sellerdesk campaign results` as a seller types it: a table for people, the facade's view as
//! JSON, and refusals of stores and coupons that do not exist.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

mod common;

use common::Desk;
use serde_json::json;

/// The codes of a channel's batches, in code order, read from the desk's database.
fn codes_of(desk: &Desk, channel: &str) -> Vec<String> {
    let connection = rusqlite::Connection::open(desk.path("desk.db")).unwrap();
    let mut statement = connection
        .prepare(
            "SELECT code FROM codes JOIN code_batches USING (batch_id) WHERE channel = ?1 \
             ORDER BY code",
        )
        .unwrap();
    statement.query_map([channel], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// Gives codes a status and its time, as a sync with the platform would.
fn set_status(desk: &Desk, code: &str, status: &str, changed_at: &str) {
    let connection = rusqlite::Connection::open(desk.path("desk.db")).unwrap();
    let changed = connection
        .execute(
            "UPDATE codes SET status = ?2, status_changed_at = ?3 WHERE code = ?1",
            (code, status, changed_at),
        )
        .unwrap();
    assert_eq!(changed, 1);
}

#[test]
fn campaign_results_show_each_channel_and_each_day() {
    let desk = Desk::new();
    let coupon = desk.store_with_coupon("S1", "Campaign", "1000");
    desk.generate_codes(&coupon, "8", &["--channel", "facebook"]);
    desk.generate_codes(&coupon, "4", &["--channel", "newsletter"]);
    desk.generate_codes(&coupon, "2", &[]);
    desk.export_codes(&coupon, &desk.path("facebook.csv"), &["--channel", "facebook"]);

    let nothing_yet = desk.json(&["campaign", "results", "--store", "S1"]);
    assert_eq!(nothing_yet["days"], json!([]));
    assert_eq!(nothing_yet["channels"][0]["redemption_rate"], "0.0");

    let (facebook, newsletter) = (codes_of(&desk, "facebook"), codes_of(&desk, "newsletter"));
    set_status(&desk, &facebook[0], "used", "2030-12-01T10:00:00Z");
    set_status(&desk, &facebook[1], "used", "2030-12-03T23:59:59Z");
    set_status(&desk, &facebook[2], "inactive", "2030-12-02T08:00:00Z");
    set_status(&desk, &newsletter[0], "used", "2030-12-02T00:00:00Z");

    let results = desk.json(&["campaign", "results", "--store", "S1", "--coupon", &coupon]);
    assert_eq!(results["store_id"], "S1");
    assert_eq!(results["coupon_id"], coupon.as_str());
    assert_eq!(results["days"], json!(["2030-12-01", "2030-12-02", "2030-12-03"]));
    let channels = results["channels"].as_array().unwrap();
    let names: Vec<&serde_json::Value> =
        channels.iter().map(|channel| &channel["channel"]).collect();
    assert_eq!(names, [&json!("facebook"), &json!("newsletter"), &json!(null)]);
    assert_eq!(
        channels[0],
        json!({
            "channel": "facebook",
            "codes": {"generated": 8, "exported": 8, "claimed": 3, "valid": 0, "inactive": 1,
                      "used": 2, "expired": 0, "pending": 0},
            "redemptions": [{"day": "2030-12-01", "used": 1}, {"day": "2030-12-02", "used": 0},
                            {"day": "2030-12-03", "used": 1}],
            "earlier_redemptions": 0,
            "undated_redemptions": 0,
            "redemption_rate": "25.0",
        })
    );
    let used_per_day = |channel: &serde_json::Value| -> Vec<u64> {
        let days = channel["redemptions"].as_array().unwrap();
        days.iter().map(|day| day["used"].as_u64().unwrap()).collect()
    };
    assert_eq!(used_per_day(&channels[1]), [0, 1, 0]);
    assert_eq!(channels[1]["redemption_rate"], "25.0", "1 of 4 generated, none exported");
    assert_eq!(used_per_day(&channels[2]), [0, 0, 0]);
    assert_eq!(channels[2]["redemption_rate"], "0.0");
    // Without --coupon: every coupon of the store, here the same codes.
    let whole_store = desk.json(&["campaign", "results", "--store", "S1"]);
    assert_eq!(whole_store["channels"], results["channels"]);
    assert_eq!(whole_store["coupon_id"], json!(null));

    let output = desk.run(&["campaign", "results", "--store", "S1"]);
    assert_eq!(output.status.code(), Some(0));
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(table.contains("store S1 (every coupon)"), "{table}");
    let row = |name: &str| table.lines().find(|line| line.trim_start().starts_with(name)).unwrap();
    let facebook_row: Vec<&str> = row("facebook").split_whitespace().collect();
    assert_eq!(facebook_row, ["facebook", "8", "8", "3", "0", "1", "2", "0", "0", "25.0%"]);
    assert!(row("(no channel)").ends_with("0.0%"), "{table}");
    let header: Vec<&str> = row("day").split_whitespace().collect();
    assert_eq!(header, ["day", "facebook", "newsletter", "(no", "channel)"]);
    let december_2: Vec<&str> = row("2030-12-02").split_whitespace().collect();
    assert_eq!(december_2, ["2030-12-02", "0", "1", "0"]);
}

#[test]
fn unknown_stores_and_coupons_are_refused() {
    let desk = Desk::new();
    desk.store_with_coupon("S1", "Campaign", "10");
    let empty = desk.run(&["campaign", "results", "--store", "S1"]);
    assert_eq!(empty.status.code(), Some(0));
    assert!(String::from_utf8(empty.stdout).unwrap().contains("No codes for store S1"));

    let line = desk.refused(&["campaign", "results", "--store", "S9"]);
    assert!(line.contains("store S9 does not exist"), "{line}");
    let line = desk.refused(&["campaign", "results", "--store", "S1", "--coupon", "CNOPE"]);
    assert!(line.contains("coupon CNOPE of store S1 does not exist"), "{line}");
    let line = desk.refused(&["campaign", "results", "--store", "S1", "--coupon", "../x"]);
    common::assert_refused_for(&line, "coupon", "INPUT-1");
}
