//! Tests as data: every `tests/scenarios/NAME.json` is a refund-preview input, and
//! `NAME.expected.json` says what must come out of it (`output`) or which field and rule must
//! refuse it (`error`), and which rules of `docs/rules.md` the scenario exercises (`covers`).
//!
//! `every_rule_is_tested` checks that each rule id of `docs/rules.md` is exercised by a scenario
//! or by a Rust test whose name ends with the rule id in snake case (`..._apply_5`).

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use sellerdesk_core::contract::{self, RefundPreviewOutput};
use sellerdesk_core::{RuleId, Timestamp};
use serde::Deserialize;
use serde_json::Value;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    covers: Vec<String>,
    #[serde(default)]
    output: Option<RefundPreviewOutput>,
    #[serde(default)]
    error: Option<ExpectedError>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedError {
    field: String,
    rule: String,
    #[serde(default)]
    message: Option<String>,
}

struct Scenario {
    name: String,
    input: String,
    expected: Expected,
}

fn scenarios() -> Vec<Scenario> {
    let directory = workspace_root().join("tests/scenarios");
    let mut inputs: Vec<PathBuf> = fs::read_dir(&directory)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", directory.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with(".json") && !name.ends_with(".expected.json")
        })
        .collect();
    inputs.sort();
    inputs
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let expected_path = directory.join(format!("{name}.expected.json"));
            let expected_text = fs::read_to_string(&expected_path)
                .unwrap_or_else(|error| panic!("{}: {error}", expected_path.display()));
            let expected: Expected = serde_json::from_str(&expected_text)
                .unwrap_or_else(|error| panic!("{}: {error}", expected_path.display()));
            assert!(
                expected.output.is_some() != expected.error.is_some(),
                "{name}: the expectation has exactly one of `output` and `error`"
            );
            Scenario { name, input: fs::read_to_string(&path).unwrap(), expected }
        })
        .collect()
}

/// Runs one scenario and describes how it went wrong, if it did.
fn check(scenario: &Scenario) -> Option<String> {
    // Scenarios give `as_of`; this only stands in where one deliberately leaves it out.
    let now: Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
    let actual = contract::parse_input_json(&scenario.input)
        .and_then(|input| contract::preview(&input, now));
    match (&scenario.expected, actual) {
        (Expected { output: Some(expected), .. }, Ok(actual)) if &actual == expected => None,
        (Expected { output: Some(expected), .. }, Ok(actual)) => Some(format!(
            "output differs\n  expected: {}\n  actual:   {}",
            serde_json::to_string(expected).unwrap(),
            serde_json::to_string(&actual).unwrap()
        )),
        (Expected { output: Some(_), .. }, Err(error)) => {
            Some(format!("expected an output, got the error {error}"))
        }
        (Expected { error: Some(expected), .. }, Err(error)) => {
            let same_message = expected.message.as_ref().is_none_or(|m| *m == error.to_string());
            if error.field == expected.field && error.rule.as_str() == expected.rule && same_message
            {
                None
            } else {
                Some(format!(
                    "expected the error {} [{}]{}, got {error}",
                    expected.field,
                    expected.rule,
                    expected.message.as_ref().map(|m| format!(" \"{m}\"")).unwrap_or_default()
                ))
            }
        }
        (Expected { error: Some(expected), .. }, Ok(actual)) => Some(format!(
            "expected the error {} [{}], got an output: {}",
            expected.field,
            expected.rule,
            serde_json::to_string(&actual).unwrap()
        )),
        (Expected { output: None, error: None, .. }, _) => Some("empty expectation".into()),
    }
}

#[test]
fn every_scenario_gives_its_expected_result() {
    let scenarios = scenarios();
    assert!(scenarios.len() >= 30, "only {} scenarios", scenarios.len());
    let failures: Vec<String> = scenarios
        .iter()
        .filter_map(|scenario| check(scenario).map(|why| format!("{}: {why}", scenario.name)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} scenario(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn scenario_outputs_write_amounts_with_the_currency_digits() {
    for scenario in scenarios() {
        let Some(output) = &scenario.expected.output else { continue };
        let digits = sellerdesk_core::money::Currency::from_code(&output.currency)
            .unwrap()
            .minor_digits() as usize;
        let value = serde_json::to_value(output).unwrap();
        for amount in amounts_in(&value) {
            let fraction = amount.split_once('.').map_or(0, |(_, fraction)| fraction.len());
            assert_eq!(fraction, digits, "{}: amount {amount}", scenario.name);
        }
    }
}

fn amounts_in(value: &Value) -> Vec<String> {
    const AMOUNT_FIELDS: [&str; 5] =
        ["refund_amount", "amount", "seller_discount", "platform_discount", "paid"];
    let mut amounts = Vec::new();
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match child {
                    Value::String(text) if AMOUNT_FIELDS.contains(&key.as_str()) => {
                        amounts.push(text.clone())
                    }
                    _ => amounts.extend(amounts_in(child)),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| amounts.extend(amounts_in(item))),
        _ => {}
    }
    amounts
}

/// The rule ids written as `**ID**` in `docs/rules.md`.
fn documented_rule_ids() -> BTreeSet<String> {
    let rules = fs::read_to_string(workspace_root().join("docs/rules.md")).unwrap();
    rules
        .split("**")
        .skip(1)
        .step_by(2)
        .filter(|candidate| {
            candidate.split_once('-').is_some_and(|(group, number)| {
                !group.is_empty()
                    && group.bytes().all(|b| b.is_ascii_uppercase())
                    && !number.is_empty()
                    && number.bytes().all(|b| b.is_ascii_digit())
            })
        })
        .map(str::to_owned)
        .collect()
}

/// Names of Rust functions in the workspace's crates and desktop shell.
fn rust_function_names() -> Vec<String> {
    fn walk(directory: &Path, names: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(directory) else { return };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|name| name != "target") {
                    walk(&path, names);
                }
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                for line in text.lines() {
                    let Some(rest) = line.trim_start().strip_prefix("fn ") else { continue };
                    let name: String =
                        rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    names.push(name);
                }
            }
        }
    }
    let mut names = Vec::new();
    walk(&workspace_root().join("crates"), &mut names);
    walk(&workspace_root().join("src-tauri/src"), &mut names);
    walk(&workspace_root().join("src-tauri/tests"), &mut names);
    names
}

#[test]
fn every_rule_is_tested() {
    let documented = documented_rule_ids();
    let known: BTreeSet<String> = RuleId::ALL.iter().map(|rule| rule.as_str().to_owned()).collect();
    assert_eq!(documented, known, "docs/rules.md and RuleId must list the same rules");

    let covered_by_scenarios: BTreeSet<String> =
        scenarios().into_iter().flat_map(|scenario| scenario.expected.covers).collect();
    let unknown: Vec<&String> = covered_by_scenarios.difference(&known).collect();
    assert!(unknown.is_empty(), "scenarios cover unknown rules: {unknown:?}");

    let function_names = rust_function_names();
    let untested: Vec<&String> = known
        .iter()
        .filter(|rule| {
            let suffix = format!("_{}", rule.to_lowercase().replace('-', "_"));
            !covered_by_scenarios.contains(*rule)
                && !function_names.iter().any(|name| name.ends_with(&suffix))
        })
        .collect();
    assert!(untested.is_empty(), "rules no test exercises: {untested:?}");
}

#[test]
fn every_error_rule_in_a_scenario_is_in_its_covers() {
    for scenario in scenarios() {
        if let Some(error) = &scenario.expected.error {
            assert!(
                scenario.expected.covers.contains(&error.rule),
                "{}: covers should name the rule {} that refuses it",
                scenario.name,
                error.rule
            );
        }
    }
}
