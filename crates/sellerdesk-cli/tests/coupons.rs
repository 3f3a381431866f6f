//! Stores and seller coupons through the `sellerdesk` binary, on a database in a temporary folder.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

use common::{Desk, assert_refused_for};

#[test]
fn a_seller_creates_lists_and_stops_a_coupon() {
    let desk = Desk::new();
    desk.json(&["store", "add", "--id", "S1", "--name", "Acme Outlet", "--currency", "USD"]);
    let coupon = desk.create_coupon("S1", &[]);
    assert_eq!(coupon["state"], "pending");
    assert_eq!(coupon["discount"], "3.00");
    assert_eq!(coupon["limit_per_buyer"], 1);
    let id = coupon["coupon_id"].as_str().unwrap();

    let list = desk.json(&["coupon", "list", "--store", "S1"]);
    assert_eq!(list["coupons"].as_array().unwrap().len(), 1);
    assert_eq!(list["state_counts"]["pending"], 1);
    assert_eq!(list["state_counts"]["stopped"], 0);

    let stopped = desk.json(&["coupon", "stop", "--store", "S1", "--coupon", id]);
    assert_eq!(stopped["state"], "stopped");
    let list = desk.json(&["coupon", "list", "--store", "S1"]);
    assert_eq!(list["state_counts"]["stopped"], 1);
    let line = desk.refused(&["coupon", "stop", "--store", "S1", "--coupon", id]);
    assert!(line.contains("already stopped"), "{line}");
}

#[test]
fn creation_rules_are_enforced_with_the_rule_named_create_1_to_3() {
    let desk = Desk::new();
    desk.add_store("S1", "USD");
    /// Flags that replace good ones, and the field and rule that must refuse them.
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: [Case; 7] = [
        (&[("--min-purchase", "3.00")], "min_purchase", "CREATE-1"),
        (&[("--discount", "0.00")], "discount", "CREATE-1"),
        (&[("--valid-to", "2030-11-24T00:00:00Z")], "valid_to", "CREATE-2"),
        (
            &[("--valid-from", "2020-01-01T00:00:00Z"), ("--valid-to", "2020-02-01T00:00:00Z")],
            "valid_to",
            "CREATE-2",
        ),
        (&[("--quantity", "1000001")], "quantity", "CREATE-3"),
        (&[("--discount", "3.001")], "discount", "MONEY-2"),
        (&[("--valid-to", "next week")], "valid_to", "INPUT-3"),
    ];
    for (overrides, field, rule) in cases {
        let arguments = Desk::coupon_arguments("S1", overrides);
        let line = desk.refused(&arguments.iter().map(String::as_str).collect::<Vec<_>>());
        assert_refused_for(&line, field, rule);
    }
    let list = desk.json(&["coupon", "list", "--store", "S1"]);
    assert!(list["coupons"].as_array().unwrap().is_empty(), "nothing half-written");
}

#[test]
fn a_submitted_coupon_cannot_be_extended_or_repriced_create_5() {
    let desk = Desk::new();
    desk.add_store("S1", "EUR");
    let coupon = desk.create_coupon("S1", &[]);
    let id = coupon["coupon_id"].as_str().unwrap();
    for (flag, value, field) in [
        ("--valid-to", "2031-01-01T00:00:00Z", "valid_to"),
        ("--discount", "4.00", "discount"),
        ("--min-purchase", "25.00", "min_purchase"),
        ("--quantity", "2000", "quantity"),
    ] {
        let line = desk.refused(&["coupon", "edit", "--store", "S1", "--coupon", id, flag, value]);
        assert_refused_for(&line, field, "CREATE-5");
    }
    let renamed =
        desk.json(&["coupon", "edit", "--store", "S1", "--coupon", id, "--title", "Cyber Monday"]);
    assert_eq!(renamed["title"], "Cyber Monday");
    assert_eq!(renamed["valid_to"], "2030-12-25T00:00:00Z");
}

#[test]
fn nothing_of_store_a_is_reachable_from_store_b() {
    let desk = Desk::new();
    desk.add_store("A", "USD");
    desk.add_store("B", "USD");
    let coupon = desk.create_coupon("A", &[]);
    let id = coupon["coupon_id"].as_str().unwrap();
    let list = desk.json(&["coupon", "list", "--store", "B"]);
    assert!(list["coupons"].as_array().unwrap().is_empty());
    for args in [
        vec!["coupon", "show", "--store", "B", "--coupon", id],
        vec!["coupon", "stop", "--store", "B", "--coupon", id],
        vec!["coupon", "edit", "--store", "B", "--coupon", id, "--title", "mine now"],
    ] {
        let line = desk.refused(&args);
        assert!(line.contains("does not exist"), "{line}");
    }
    assert_eq!(
        desk.json(&["coupon", "show", "--store", "A", "--coupon", id])["title"],
        "Black Friday"
    );
}

#[test]
fn database_problems_are_clear_and_leave_the_file_alone() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("not-a-database.db");
    std::fs::write(&path, b"precious notes, not a database".repeat(200)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sellerdesk"))
        .args(["--db", path.to_str().unwrap(), "store", "list"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("damaged or is not a Seller Desk database"), "{stderr}");
    assert!(std::fs::read(&path).unwrap() == before, "the file was changed");
}

#[test]
fn unknown_store_and_duplicate_store_are_refused() {
    let desk = Desk::new();
    let line = desk.refused(&["coupon", "list", "--store", "NOPE"]);
    assert!(line.contains("store NOPE does not exist"), "{line}");
    desk.add_store("S1", "USD");
    let line =
        desk.refused(&["store", "add", "--id", "S1", "--name", "Again", "--currency", "USD"]);
    assert!(line.contains("already exists"), "{line}");
    let line = desk.refused(&["store", "add", "--id", "S2", "--name", "X", "--currency", "EURO"]);
    assert_refused_for(&line, "currency", "MONEY-2");
}
