//! The `sellerdesk` binary against a real Medusa 2 server: connecting with a key read on standard
//! input (kept in the system keyring: run through `scripts/with-keyring.sh`), and 1,000 codes
//! uploaded by a sync that is killed with SIGKILL in the middle and resumed: every code reaches
//! Medusa once, none is lost.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::Desk;
use sellerdesk_testkit::Medusa;

fn connect(desk: &Desk, store: &str, url: &str, key: &str) -> Output {
    let mut child = desk
        .command()
        .args(["platform", "connect", "--store", store, "--platform", "medusa", "--url", url])
        .env_remove("SELLERDESK_API_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{key}").unwrap();
    child.wait_with_output().unwrap()
}

/// The codes Medusa holds for the campaign.
fn codes_on_medusa(medusa: &Medusa, campaign_id: &str) -> Vec<String> {
    let page = medusa.admin_get(&format!(
        "/admin/promotions?campaign_id={campaign_id}&limit=5000&fields=id,code"
    ));
    page["promotions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|promotion| promotion["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_sync_killed_in_the_middle_of_an_upload_resumes_with_nothing_twice_and_nothing_lost() {
    let medusa = Medusa::get();
    let desk = Desk::new();
    desk.add_store("M9", "USD");

    // A wrong key: exit 2, the field named, nothing kept.
    let refused = connect(&desk, "M9", medusa.url(), "sk_not_a_key");
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
    let line = String::from_utf8_lossy(&refused.stderr);
    assert!(line.starts_with("error: api_key: Medusa refused this key"), "{line}");
    let status = desk.json(&["sync", "status", "--store", "M9"]);
    assert_eq!(status[0]["connected"], false);

    let connected = connect(&desk, "M9", medusa.url(), medusa.var("MEDUSA_SECRET_KEY"));
    assert_eq!(connected.status.code(), Some(0), "{}", String::from_utf8_lossy(&connected.stderr));
    let said = String::from_utf8_lossy(&connected.stdout);
    assert!(said.contains("connected to medusa"), "{said}");
    assert!(said.contains("does not enforce") && said.contains("CREATE-4"), "{said}");

    let coupon = desk.json(&[
        "coupon",
        "create",
        "--store",
        "M9",
        "--title",
        "Killed and resumed",
        "--discount",
        "2.00",
        "--min-purchase",
        "25.00",
        "--valid-from",
        "2026-01-01T00:00:00Z",
        "--valid-to",
        "2099-01-01T00:00:00Z",
        "--quantity",
        "5000",
    ]);
    let coupon_id = coupon["coupon_id"].as_str().unwrap().to_owned();
    desk.json(&[
        "codes",
        "generate",
        "--store",
        "M9",
        "--coupon",
        &coupon_id,
        "--count",
        "1000",
        "--channel",
        "tiktok",
    ]);
    let csv = desk.path("tiktok.csv");
    desk.json(&[
        "codes",
        "export",
        "--store",
        "M9",
        "--coupon",
        &coupon_id,
        "--out",
        csv.to_str().unwrap(),
    ]);
    let exported: BTreeSet<String> = std::fs::read_to_string(&csv)
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap().to_owned())
        .collect();
    assert_eq!(exported.len(), 1_000);

    // The first sync is killed once some of the codes are on Medusa.
    let mut sync = desk.command().args(["sync", "--store", "M9"]).spawn().unwrap();
    let started = Instant::now();
    let campaign_id = loop {
        assert!(started.elapsed() < Duration::from_secs(120), "the campaign never appeared");
        let found = medusa
            .admin_get(&format!("/admin/campaigns?campaign_identifier={coupon_id}&fields=id"));
        if let Some(id) = found["campaigns"][0]["id"].as_str() {
            break id.to_owned();
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    loop {
        assert!(started.elapsed() < Duration::from_secs(300), "the upload never got going");
        let on_medusa = codes_on_medusa(&medusa, &campaign_id).len();
        assert!(on_medusa < 1_000, "the sync finished before it could be killed");
        if on_medusa >= 50 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    sync.kill().unwrap(); // SIGKILL: no chance to tidy up
    sync.wait().unwrap();
    let before = codes_on_medusa(&medusa, &campaign_id).len();
    assert!((50..1_000).contains(&before), "{before} codes were up when it was killed");

    // The next sync picks up where it was: codes already on Medusa count as done.
    let resumed = desk.run(&["sync", "--store", "M9", "--json"]);
    assert_eq!(resumed.status.code(), Some(0), "{}", String::from_utf8_lossy(&resumed.stderr));
    let on_medusa = codes_on_medusa(&medusa, &campaign_id);
    assert_eq!(on_medusa.len(), 1_000, "each code once");
    assert_eq!(on_medusa.into_iter().collect::<BTreeSet<_>>(), exported, "the codes exported");
    let status = desk.json(&["sync", "status", "--store", "M9"]);
    assert_eq!(status[0]["pending_changes"], 0, "{status}");
    assert_eq!(status[0]["connected"], true);
}
