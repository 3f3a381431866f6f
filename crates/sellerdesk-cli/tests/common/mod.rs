//! A seller's desk for CLI tests: a database in a temporary folder and the `sellerdesk` binary.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

pub struct Desk {
    pub directory: tempfile::TempDir,
}

impl Desk {
    pub fn new() -> Desk {
        Desk { directory: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.directory.path().join(name)
    }

    /// The binary, pointed at this desk's database.
    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sellerdesk"));
        command.arg("--db").arg(self.path("desk.db"));
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    /// Runs a command that must succeed and returns its JSON output.
    pub fn json(&self, args: &[&str]) -> Value {
        let output = self.run(&[args, &["--json"]].concat());
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }

    /// Runs a command that must be refused as bad input: exit status 2, nothing on stdout, one
    /// line on stderr, which is returned without its line end.
    pub fn refused(&self, args: &[&str]) -> String {
        let output = self.run(args);
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        stderr.trim_end().to_owned()
    }

    /// Adds the store unless it exists already.
    pub fn add_store(&self, store: &str, currency: &str) {
        let existing = self.json(&["store", "list"]);
        if !existing.as_array().unwrap().iter().any(|shop| shop["store_id"] == store) {
            self.json(&["store", "add", "--id", store, "--name", store, "--currency", currency]);
        }
    }

    /// The arguments of a good `coupon create` for `store`, with `overrides` replacing flags.
    pub fn coupon_arguments(store: &str, overrides: &[(&str, &str)]) -> Vec<String> {
        let mut flags = vec![
            ("--store", store.to_owned()),
            ("--title", "Black Friday".to_owned()),
            ("--discount", "3.00".to_owned()),
            ("--min-purchase", "20.00".to_owned()),
            ("--valid-from", "2030-11-25T00:00:00Z".to_owned()),
            ("--valid-to", "2030-12-25T00:00:00Z".to_owned()),
            ("--quantity", "1000".to_owned()),
        ];
        for (flag, value) in overrides {
            flags.retain(|(existing, _)| existing != flag);
            flags.push((flag, (*value).to_owned()));
        }
        let mut arguments = vec!["coupon".to_owned(), "create".to_owned()];
        // `--flag=value`, so that values starting with a dash stay values.
        arguments.extend(flags.into_iter().map(|(flag, value)| format!("{flag}={value}")));
        arguments
    }

    pub fn create_coupon(&self, store: &str, overrides: &[(&str, &str)]) -> Value {
        let arguments = Desk::coupon_arguments(store, overrides);
        self.json(&arguments.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// A USD store with one coupon; returns the coupon's id.
    pub fn store_with_coupon(&self, store: &str, title: &str, quantity: &str) -> String {
        self.add_store(store, "USD");
        let coupon = self.create_coupon(store, &[("--title", title), ("--quantity", quantity)]);
        coupon["coupon_id"].as_str().unwrap().to_owned()
    }
}

impl Desk {
    /// Generates codes for a coupon of store S1 (`extra`: more `codes generate` options).
    pub fn generate_codes(&self, coupon: &str, count: &str, extra: &[&str]) -> Value {
        let mut args =
            vec!["codes", "generate", "--store", "S1", "--coupon", coupon, "--count", count];
        args.extend_from_slice(extra);
        self.json(&args)
    }

    /// Exports a coupon of store S1 to `out` (`extra`: more `codes export` options).
    pub fn export_codes(&self, coupon: &str, out: &std::path::Path, extra: &[&str]) -> Value {
        let out = out.to_str().unwrap();
        let mut args = vec!["codes", "export", "--store", "S1", "--coupon", coupon, "--out", out];
        args.extend_from_slice(extra);
        self.json(&args)
    }
}

/// Checks a refusal line: `error: <field>: … [<rule>]`.
pub fn assert_refused_for(line: &str, field: &str, rule: &str) {
    assert!(
        line.starts_with(&format!("error: {field}: ")) && line.ends_with(&format!("[{rule}]")),
        "expected a refusal of {field} by {rule}, got: {line}"
    );
}
