//! The `sellerdesk` binary driven the way a user drives it: files, stdin, exit statuses, stderr.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sellerdesk(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sellerdesk"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or_default().as_bytes()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn scenario_pairs() -> Vec<(PathBuf, Value)> {
    let directory = workspace_root().join("tests/scenarios");
    let mut pairs: Vec<(PathBuf, Value)> = std::fs::read_dir(&directory)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.to_string_lossy();
            name.ends_with(".json") && !name.ends_with(".expected.json")
        })
        .map(|path| {
            let expected = path.with_extension("expected.json");
            let expected: Value =
                serde_json::from_str(&std::fs::read_to_string(expected).unwrap()).unwrap();
            (path, expected)
        })
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

#[test]
fn json_preview_of_every_scenario_matches_or_fails_with_one_line() {
    for (path, expected) in scenario_pairs() {
        let output =
            sellerdesk(&["refund", "preview", "--input", path.to_str().unwrap(), "--json"], None);
        let stderr = String::from_utf8(output.stderr).unwrap();
        if let Some(expected_output) = expected.get("output") {
            assert_eq!(output.status.code(), Some(0), "{}: {stderr}", path.display());
            let actual: Value = serde_json::from_slice(&output.stdout).unwrap();
            assert_eq!(&actual, expected_output, "{}", path.display());
            assert!(stderr.is_empty(), "{}: {stderr}", path.display());
        } else {
            let error = &expected["error"];
            assert_eq!(output.status.code(), Some(2), "{}", path.display());
            assert!(output.stdout.is_empty(), "{}: nothing on stdout", path.display());
            assert_eq!(stderr.lines().count(), 1, "{}: one line: {stderr}", path.display());
            let field = error["field"].as_str().unwrap();
            let rule = error["rule"].as_str().unwrap();
            assert!(
                stderr.starts_with(&format!("error: {field}: "))
                    && stderr.trim_end().ends_with(&format!("[{rule}]")),
                "{}: {stderr}",
                path.display()
            );
        }
    }
}

#[test]
fn input_can_come_from_stdin() {
    let example =
        workspace_root().join("crates/sellerdesk-facade/data/examples/combined-cart.json");
    let text = std::fs::read_to_string(example).unwrap();
    let output = sellerdesk(&["refund", "preview", "--input", "-", "--json"], Some(&text));
    assert_eq!(output.status.code(), Some(0));
    let preview: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(preview["refund_amount"], "8.06");
    assert_eq!(preview["order_refund"], "partial");
}

#[test]
fn without_json_a_person_reads_a_summary() {
    let example =
        workspace_root().join("crates/sellerdesk-facade/data/examples/yen-two-stores-expired.json");
    let output = sellerdesk(&["refund", "preview", "--input", example.to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with(
            "Refund of order T1 (payment P-3003): 3016 JPY, full refund of the order\n"
        ),
        "{text}"
    );
    assert!(text.contains("ae-500 (platform): returned, status after: expired"), "{text}");
    assert!(text.contains("tokyo-300 (seller): not returned, status after: used"), "{text}");
}

#[test]
fn a_missing_file_is_bad_input() {
    let output = sellerdesk(&["refund", "preview", "--input", "/nonexistent/payment.json"], None);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: --input: cannot read /nonexistent/payment.json"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1);
}

#[test]
fn empty_stdin_is_malformed_json() {
    let output = sellerdesk(&["refund", "preview", "--input", "-"], Some(""));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: input: ") && stderr.trim_end().ends_with("[INPUT-1]"),
        "{stderr}"
    );
}
