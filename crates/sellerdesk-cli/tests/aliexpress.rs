//! The `sellerdesk` binary with an AliExpress store, against the sandbox's AliExpress dialect on
//! loopback: the authorization page printed, the app secret and the code read on standard input
//! and exchanged (kept in the system keyring: run through `scripts/with-keyring.sh`; a refused
//! exchange exits 2 with AliExpress's reason and keeps nothing), a sync, a dispute previewed and
//! refused with the seller's reason, which reaches AliExpress.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::Desk;
use sellerdesk_sandbox::{ALIEXPRESS_APP_KEY, ALIEXPRESS_APP_SECRET, AliexpressConfig};

/// `platform connect` for `store`, the secret and the code on standard input. (Each test has a
/// store of its own: the system keyring is one for every test.)
fn connect(desk: &Desk, store: &str, url: &str, secret: &str, code: &str) -> Output {
    let mut child = desk
        .command()
        .args(["platform", "connect", "--store", store, "--platform", "aliexpress"])
        .args(["--app-key", ALIEXPRESS_APP_KEY, "--url", url])
        .env_remove("SELLERDESK_APP_SECRET")
        .env_remove("SELLERDESK_AUTH_CODE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{secret}\n{code}").unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_seller_authorizes_syncs_and_refuses_a_dispute_from_the_command_line() {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let sandbox = runtime
        .block_on(sellerdesk_sandbox::start_aliexpress(AliexpressConfig::default()))
        .unwrap();
    let url = sandbox.base_url();
    let desk = Desk::new();
    desk.add_store("AE1", "USD");

    // The page the seller opens, on the gateway given.
    let page = desk.run(&[
        "platform",
        "authorize",
        "--store",
        "AE1",
        "--platform",
        "aliexpress",
        "--app-key",
        ALIEXPRESS_APP_KEY,
        "--redirect-uri",
        "https://seller.example.com/callback",
        "--url",
        &url,
    ]);
    let printed = String::from_utf8(page.stdout).unwrap();
    assert_eq!(page.status.code(), Some(0), "{}", String::from_utf8_lossy(&page.stderr));
    assert!(printed.starts_with(&format!("{url}/oauth/authorize?response_type=code")), "{printed}");
    assert!(printed.contains(&format!("client_id={ALIEXPRESS_APP_KEY}")), "{printed}");
    // Medusa and the Seller Desk API take no authorization.
    let refused = desk.refused(&[
        "platform",
        "authorize",
        "--store",
        "AE1",
        "--platform",
        "medusa",
        "--app-key",
        "k",
        "--redirect-uri",
        "https://a.example",
    ]);
    assert!(refused.contains("Medusa takes no authorization"), "{refused}");

    // A wrong secret: exit 2 with AliExpress's reason, nothing kept.
    let wrong = connect(&desk, "AE1", &url, "not-the-secret", &sandbox.authorization_code());
    let said = String::from_utf8(wrong.stderr).unwrap();
    assert_eq!(wrong.status.code(), Some(2), "{said}");
    assert!(said.contains("IncompleteSignature"), "{said}");
    let not_connected = desk.run(&["sync", "--store", "AE1"]);
    assert_ne!(not_connected.status.code(), Some(0));

    let connected =
        connect(&desk, "AE1", &url, ALIEXPRESS_APP_SECRET, &sandbox.authorization_code());
    assert_eq!(connected.status.code(), Some(0), "{}", String::from_utf8_lossy(&connected.stderr));
    let reports = desk.json(&["sync", "--store", "AE1"]);
    assert_eq!(reports[0]["coupons_pulled"], 2, "{reports}");
    assert_eq!(reports[0]["refund_requests_pulled"], 4, "{reports}");
    // AliExpress counts the buyers who claimed an activity; the coupon says so.
    let shown = desk.run(&["coupon", "show", "--store", "AE1", "--coupon", "ae-3000000001"]);
    let shown = String::from_utf8(shown.stdout).unwrap();
    assert!(
        shown.contains("claimed on the platform by 42 of 500 buyers (the platform counts no uses)"),
        "{shown}"
    );
    // Its codes are the seller's own: the batch says it is not registered.
    desk.json(&[
        "codes",
        "generate",
        "--store",
        "AE1",
        "--coupon",
        "ae-3000000001",
        "--count",
        "5",
    ]);
    let batches = desk.run(&["codes", "batches", "--store", "AE1", "--coupon", "ae-3000000001"]);
    let batches = String::from_utf8(batches.stdout).unwrap();
    assert!(
        batches.contains("; not registered on the platform, whose API registers no codes"),
        "{batches}"
    );

    let preview = desk.json(&["refund", "preview", "--store", "AE1", "--request", "7000001"]);
    assert_eq!(preview["refund_amount"], "16.29", "{preview}");

    // Refusing needs the seller's reason; with it, the refusal reaches AliExpress.
    let no_reason = desk.refused(&["refund", "refuse", "--store", "AE1", "--request", "7000002"]);
    assert!(no_reason.contains("reason: AliExpress asks for the seller's reason"), "{no_reason}");
    desk.json(&[
        "refund",
        "refuse",
        "--store",
        "AE1",
        "--request",
        "7000002",
        "--reason",
        "The scarf matches its photos.",
    ]);
    let reports = desk.json(&["sync", "--store", "AE1"]);
    assert_eq!(
        (reports[0]["sent"].as_u64(), reports[0]["pending_left"].as_u64()),
        (Some(1), Some(0))
    );
    let answers = sandbox.answers();
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_eq!(answers[0].method, "save");
    assert_eq!(answers[0].parameters["solution_context"], "The scarf matches its photos.");
    drop(sandbox);
}

#[test]
fn a_sync_killed_while_answering_sends_each_answer_once() {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    // Every call takes a while, and an answer once recorded takes long to come back, so that
    // the kill falls in between: the desk never learns the first answer was taken.
    let config = AliexpressConfig {
        latency: Duration::from_millis(150),
        answer_latency: Duration::from_secs(3),
        ..AliexpressConfig::default()
    };
    let sandbox = runtime.block_on(sellerdesk_sandbox::start_aliexpress(config)).unwrap();
    let url = sandbox.base_url();
    let desk = Desk::new();
    desk.add_store("AE2", "USD");
    let connected =
        connect(&desk, "AE2", &url, ALIEXPRESS_APP_SECRET, &sandbox.authorization_code());
    assert_eq!(connected.status.code(), Some(0), "{}", String::from_utf8_lossy(&connected.stderr));
    desk.json(&["sync", "--store", "AE2"]);
    desk.json(&["refund", "approve", "--store", "AE2", "--request", "7000001"]);
    desk.json(&[
        "refund",
        "refuse",
        "--store",
        "AE2",
        "--request",
        "7000002",
        "--reason",
        "As described.",
    ]);

    // Killed once the first answer reached AliExpress, before the sync could learn it.
    let mut sync = desk
        .command()
        .args(["sync", "--store", "AE2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while sandbox.answers().is_empty() {
        assert!(started.elapsed() < Duration::from_secs(30), "no answer reached AliExpress");
        std::thread::sleep(Duration::from_millis(5));
    }
    sync.kill().unwrap();
    sync.wait().unwrap();
    assert_eq!(sandbox.answers().len(), 1);

    // The next sync sends what is left; nothing twice.
    let reports = desk.json(&["sync", "--store", "AE2"]);
    assert_eq!(reports[0]["pending_left"], 0, "{reports}");
    let answers = sandbox.answers();
    let methods: Vec<(&str, &str)> =
        answers.iter().map(|answer| (answer.issue_id.as_str(), answer.method)).collect();
    assert_eq!(methods, [("7000001", "agree"), ("7000002", "save")]);
    desk.json(&["sync", "--store", "AE2"]);
    assert_eq!(sandbox.answers().len(), 2);
    drop(sandbox);
}
