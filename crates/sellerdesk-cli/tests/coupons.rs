//! Stores and seller coupons through the `sellerdesk` binary, on a database in a temporary folder.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

struct Desk {
    directory: tempfile::TempDir,
}

impl Desk {
    fn new() -> Desk {
        Desk { directory: tempfile::tempdir().unwrap() }
    }

    fn database(&self) -> String {
        self.directory.path().join("desk.db").display().to_string()
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_sellerdesk"))
            .arg("--db")
            .arg(self.database())
            .args(args)
            .output()
            .unwrap()
    }

    /// Runs a command that must succeed and returns its JSON output.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let output = self.run(&all);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }

    /// Runs a command that must fail with bad input, and returns its one stderr line.
    fn refused(&self, args: &[&str]) -> String {
        let output = self.run(args);
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty());
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        stderr
    }

    fn create_coupon(&self, store: &str, extra: &[(&str, &str)]) -> Value {
        let mut args = vec![
            ("--store", store),
            ("--title", "Black Friday"),
            ("--discount", "3.00"),
            ("--min-purchase", "20.00"),
            ("--valid-from", "2030-11-25T00:00:00Z"),
            ("--valid-to", "2030-12-25T00:00:00Z"),
            ("--quantity", "1000"),
        ];
        for (flag, value) in extra {
            args.retain(|(existing, _)| existing != flag);
            args.push((flag, value));
        }
        let mut command = vec!["coupon", "create"];
        for (flag, value) in &args {
            command.push(flag);
            command.push(value);
        }
        self.json(&command)
    }
}

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
    assert!(
        desk.refused(&["coupon", "stop", "--store", "S1", "--coupon", id])
            .contains("already stopped")
    );
}

#[test]
fn creation_rules_are_enforced_with_the_rule_named_create_1_to_3() {
    let desk = Desk::new();
    desk.json(&["store", "add", "--id", "S1", "--name", "Acme", "--currency", "USD"]);
    let base = [
        "coupon",
        "create",
        "--store",
        "S1",
        "--title",
        "T",
        "--valid-from",
        "2030-11-25T00:00:00Z",
    ];
    let refused = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        desk.refused(&args)
    };
    let line = refused(&[
        "--discount",
        "3.00",
        "--min-purchase",
        "3.00",
        "--valid-to",
        "2030-12-25T00:00:00Z",
        "--quantity",
        "5",
    ]);
    assert!(
        line.starts_with("error: min_purchase: ") && line.trim_end().ends_with("[CREATE-1]"),
        "{line}"
    );
    let line = refused(&[
        "--discount",
        "3.00",
        "--min-purchase",
        "20.00",
        "--valid-to",
        "2030-11-24T00:00:00Z",
        "--quantity",
        "5",
    ]);
    assert!(
        line.starts_with("error: valid_to: ") && line.trim_end().ends_with("[CREATE-2]"),
        "{line}"
    );
    let line = refused(&[
        "--discount",
        "3.00",
        "--min-purchase",
        "20.00",
        "--valid-to",
        "2030-12-25T00:00:00Z",
        "--quantity",
        "1000001",
    ]);
    assert!(
        line.starts_with("error: quantity: ") && line.trim_end().ends_with("[CREATE-3]"),
        "{line}"
    );
    let line = refused(&[
        "--discount",
        "3.001",
        "--min-purchase",
        "20.00",
        "--valid-to",
        "2030-12-25T00:00:00Z",
        "--quantity",
        "5",
    ]);
    assert!(
        line.starts_with("error: discount: ") && line.trim_end().ends_with("[MONEY-2]"),
        "{line}"
    );
    let line = refused(&[
        "--discount",
        "3.00",
        "--min-purchase",
        "20.00",
        "--valid-to",
        "next week",
        "--quantity",
        "5",
    ]);
    assert!(
        line.starts_with("error: valid_to: ") && line.trim_end().ends_with("[INPUT-3]"),
        "{line}"
    );
    assert!(
        desk.json(&["coupon", "list", "--store", "S1"])["coupons"].as_array().unwrap().is_empty()
    );
}

#[test]
fn a_submitted_coupon_cannot_be_extended_or_repriced_create_5() {
    let desk = Desk::new();
    desk.json(&["store", "add", "--id", "S1", "--name", "Acme", "--currency", "EUR"]);
    let coupon = desk.create_coupon("S1", &[]);
    let id = coupon["coupon_id"].as_str().unwrap();
    for (flag, value, field) in [
        ("--valid-to", "2031-01-01T00:00:00Z", "valid_to"),
        ("--discount", "4.00", "discount"),
        ("--min-purchase", "25.00", "min_purchase"),
        ("--quantity", "2000", "quantity"),
    ] {
        let line = desk.refused(&["coupon", "edit", "--store", "S1", "--coupon", id, flag, value]);
        assert!(line.starts_with(&format!("error: {field}: ")), "{line}");
        assert!(line.trim_end().ends_with("[CREATE-5]"), "{line}");
    }
    let renamed =
        desk.json(&["coupon", "edit", "--store", "S1", "--coupon", id, "--title", "Cyber Monday"]);
    assert_eq!(renamed["title"], "Cyber Monday");
    assert_eq!(renamed["valid_to"], "2030-12-25T00:00:00Z");
}

#[test]
fn nothing_of_store_a_is_reachable_from_store_b() {
    let desk = Desk::new();
    desk.json(&["store", "add", "--id", "A", "--name", "Store A", "--currency", "USD"]);
    desk.json(&["store", "add", "--id", "B", "--name", "Store B", "--currency", "USD"]);
    let coupon = desk.create_coupon("A", &[]);
    let id = coupon["coupon_id"].as_str().unwrap();
    assert!(
        desk.json(&["coupon", "list", "--store", "B"])["coupons"].as_array().unwrap().is_empty()
    );
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
    assert!(std::fs::read(&path).unwrap() == before);
    assert!(Path::new(&path).exists());
}

#[test]
fn unknown_store_and_duplicate_store_are_refused() {
    let desk = Desk::new();
    assert!(
        desk.refused(&["coupon", "list", "--store", "NOPE"]).contains("store NOPE does not exist")
    );
    desk.json(&["store", "add", "--id", "S1", "--name", "Acme", "--currency", "USD"]);
    assert!(
        desk.refused(&["store", "add", "--id", "S1", "--name", "Again", "--currency", "USD"])
            .contains("already exists")
    );
    let line = desk.refused(&["store", "add", "--id", "S2", "--name", "X", "--currency", "EURO"]);
    assert!(
        line.starts_with("error: currency: ") && line.trim_end().ends_with("[MONEY-2]"),
        "{line}"
    );
}
