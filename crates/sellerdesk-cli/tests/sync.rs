//! Connecting a store and syncing it through the `sellerdesk` binary, against the real sandbox
//! platform on loopback, with the credentials in the real system keyring (a private Secret Service:
//! run through `scripts/with-keyring.sh`, as `scripts/test-all.sh` does).

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::process::{Output, Stdio};

use common::Desk;
use sellerdesk_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, DemoData, SandboxConfig};
use serde_json::Value;

fn connect(desk: &Desk, url: &str, secret: &str, token: &str) -> Output {
    let mut child = desk
        .command()
        .args(["platform", "connect", "--store", "S1", "--url", url, "--app-key", DEMO_APP_KEY])
        .env_remove("SELLERDESK_APP_SECRET")
        .env_remove("SELLERDESK_ACCESS_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{secret}\n{token}").unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn a_seller_connects_syncs_and_answers_a_refund_request_from_the_command_line() {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let platform_data = tempfile::tempdir().unwrap();
    let mut config = SandboxConfig::new(platform_data.path());
    config.demo_data = DemoData::Seed;
    let sandbox = runtime.block_on(sellerdesk_sandbox::start(config)).unwrap();
    let stores = runtime.block_on(sandbox.stores()).unwrap();
    let token = stores.into_iter().find(|store| store.store_id == "S1").unwrap().access_token;

    let desk = Desk::new();
    desk.add_store("S1", "USD");
    let connected = connect(&desk, &sandbox.base_url(), DEMO_APP_SECRET, &token);
    assert_eq!(
        connected.status.code(),
        Some(0),
        "platform connect failed (this test needs a Secret Service: run it through \
         scripts/with-keyring.sh): {}",
        String::from_utf8_lossy(&connected.stderr)
    );

    // Live now, so that the platform's buyers can claim its codes.
    let coupon = desk.create_coupon(
        "S1",
        &[
            ("--title", "Synced from the command line"),
            ("--valid-from", "2026-01-01T00:00:00Z"),
            ("--valid-to", "2099-01-01T00:00:00Z"),
        ],
    )["coupon_id"]
        .as_str()
        .unwrap()
        .to_owned();
    desk.generate_codes(&coupon, "300", &["--channel", "newsletter"]);
    let status = desk.json(&["sync", "status", "--store", "S1"]);
    assert_eq!(status[0]["pending_changes"], 2);

    let reports = desk.json(&["sync", "--store", "S1"]);
    assert_eq!(reports[0]["pending_left"], 0);
    assert_eq!(reports[0]["codes_uploaded"], 300);
    let status = desk.json(&["sync", "status"]);
    assert_eq!(status[0]["online"], true);
    assert_eq!(status[0]["pending_changes"], 0);
    let shown = desk.json(&["coupon", "show", "--store", "S1", "--coupon", &coupon]);
    assert_eq!(shown["state"], "published");

    let requests = desk.json(&["refund", "list", "--store", "S1"]);
    let open = requests
        .as_array()
        .unwrap()
        .iter()
        .find(|request| request["platform_decision"].is_null())
        .unwrap()
        .clone();
    let request_id = open["request_id"].as_str().unwrap();
    let preview = desk.json(&["refund", "preview", "--store", "S1", "--request", request_id]);
    assert_eq!(preview["order_id"], open["order_id"]);
    let answered = desk.json(&["refund", "approve", "--store", "S1", "--request", request_id]);
    assert_eq!(answered["seller_decision"], "approve");
    let line = desk.refused(&["refund", "refuse", "--store", "S1", "--request", request_id]);
    assert!(line.contains("already decided"), "{line}");
    // Only a refused change is sent again, named by its number in `sync status`.
    let line = desk.refused(&["sync", "retry", "--store", "S1", "--change", "999999"]);
    assert!(line.contains("store S1 has no change 999999"), "{line}");
    // Meanwhile buyers claim codes and redeem them; the sync brings their statuses down.
    for _ in 0..3 {
        runtime.block_on(sandbox.simulate_buyers(200)).unwrap();
    }
    desk.json(&["sync"]);

    let dump: Value = sellerdesk_sandbox::dump(platform_data.path()).unwrap();
    let decided = dump["refund_requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["request_id"] == request_id)
        .unwrap();
    assert_eq!(decided["decision"], "approve");
    let codes = dump["codes"].as_array().unwrap();
    let ours: Vec<&Value> =
        codes.iter().filter(|row| row["coupon_id"] == coupon.as_str()).collect();
    assert_eq!(ours.len(), 300);

    // The campaign's results are the platform's statuses, and its redemptions per day.
    let results = desk.json(&["campaign", "results", "--store", "S1", "--coupon", &coupon]);
    let newsletter = &results["channels"][0];
    assert_eq!(newsletter["channel"], "newsletter");
    for status in ["valid", "inactive", "used", "expired", "pending"] {
        let on_platform = ours.iter().filter(|row| row["status"] == status).count();
        assert_eq!(newsletter["codes"][status], on_platform, "{status}: {results}");
    }
    let mut used_per_day = std::collections::BTreeMap::new();
    for row in ours.iter().filter(|row| row["status"] == "used") {
        let day = row["changed_at"].as_str().unwrap()[..10].to_owned();
        *used_per_day.entry(day).or_insert(0_u64) += 1;
    }
    assert!(!used_per_day.is_empty(), "the buyers redeemed some codes");
    let shown: std::collections::BTreeMap<String, u64> = newsletter["redemptions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|day| day["used"] != 0)
        .map(|day| (day["day"].as_str().unwrap().to_owned(), day["used"].as_u64().unwrap()))
        .collect();
    assert_eq!(shown, used_per_day);

    // The secret and the token are in the keyring, never in the database nor in the log beside it.
    let logs = desk.path("logs");
    let files = std::fs::read_dir(desk.directory.path())
        .unwrap()
        .chain(std::fs::read_dir(&logs).unwrap())
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file());
    let mut logged = 0;
    for file in files {
        logged += usize::from(file.starts_with(&logs));
        let bytes = std::fs::read(&file).unwrap();
        for secret in [DEMO_APP_SECRET, token.as_str()] {
            assert!(
                !bytes.windows(secret.len()).any(|window| window == secret.as_bytes()),
                "{} holds a secret",
                file.display()
            );
        }
    }
    assert_eq!(logged, 1, "the runs were logged");
    runtime.block_on(sandbox.shutdown());
}

#[test]
fn secrets_are_never_taken_from_the_command_line() {
    let desk = Desk::new();
    desk.add_store("S1", "USD");
    // Nothing on stdin and nothing in the environment: refused, naming where they go.
    let output = connect(&desk, "http://127.0.0.1:9", "", "");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("standard input"), "{stderr}");
    let refused = desk
        .command()
        .args(["platform", "connect", "--store", "S1", "--url", "http://127.0.0.1:9"])
        .args(["--app-key", "k", "--app-secret", "s"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "there is no --app-secret option");
}
