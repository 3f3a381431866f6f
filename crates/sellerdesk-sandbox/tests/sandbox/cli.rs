//! The `sellerdesk-sandbox` binary: its start lines, `dump`, and its help.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_sellerdesk-sandbox");

/// Kills the server when the test ends, however it ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_prints_its_address_and_the_demo_tokens_and_dump_prints_the_state() {
    let directory = tempfile::tempdir().unwrap();
    let mut server = Server(
        Command::new(BINARY)
            .args(["serve", "--port", "0", "--demo", "--data"])
            .arg(directory.path())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut lines = BufReader::new(server.0.stdout.take().unwrap()).lines();
    let listening = lines.next().unwrap().unwrap();
    let port: u16 =
        listening.strip_prefix("listening on http://127.0.0.1:").unwrap().parse().unwrap();
    assert_ne!(port, 0);
    let mut tokens = Vec::new();
    for store_id in ["S1", "S2", "S3"] {
        let line = lines.next().unwrap().unwrap();
        let words: Vec<&str> = line.split(' ').collect();
        assert_eq!(words[..3], ["store", store_id, "token"], "{line}");
        assert_eq!(words[3].len(), 32, "{line}");
        tokens.push(words[3].to_owned());
    }
    std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();

    let output =
        Command::new(BINARY).arg("dump").arg("--data").arg(directory.path()).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let state: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let dumped: Vec<&str> = state["stores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|store| store["access_token"].as_str().unwrap())
        .collect();
    assert_eq!(dumped, tokens);
}

#[test]
fn help_names_the_demo_credentials_and_bad_arguments_fail() {
    let help = Command::new(BINARY).arg("--help").output().unwrap();
    let text = String::from_utf8(help.stdout).unwrap();
    assert!(text.contains("sandbox-app") && text.contains("sandbox-secret"), "{text}");

    let directory = tempfile::tempdir().unwrap();
    let unpaired = Command::new(BINARY)
        .args(["serve", "--port", "0", "--app-key", "k", "--data"])
        .arg(directory.path())
        .output()
        .unwrap();
    assert!(!unpaired.status.success());
    let bad_rate = Command::new(BINARY)
        .args(["serve", "--port", "0", "--fail-rate", "2", "--data"])
        .arg(directory.path())
        .output()
        .unwrap();
    assert!(!bad_rate.status.success());
    let no_sandbox = Command::new(BINARY)
        .arg("dump")
        .arg("--data")
        .arg(directory.path().join("none"))
        .output()
        .unwrap();
    assert!(!no_sandbox.status.success());
}
