//! The app words every refusal in the seller's language from its rule and reason: each rule and
//! each reason the core can give has its words in the English catalog (the UI's own tests check
//! that every other language has the same keys and placeholders).

use std::collections::BTreeMap;

use sellerdesk_core::RuleId;
use sellerdesk_core::rules::Reason;

fn english_refusals() -> BTreeMap<String, String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/src/locales/en/refusals.json");
    let text = std::fs::read_to_string(path).expect("the English refusals catalog is there");
    serde_json::from_str(&text).expect("the catalog is a JSON object of messages")
}

#[test]
fn every_rule_has_words() {
    let catalog = english_refusals();
    let missing: Vec<&str> = RuleId::ALL
        .iter()
        .map(|rule| rule.as_str())
        .filter(|id| !catalog.contains_key(*id))
        .collect();
    assert_eq!(missing, Vec::<&str>::new(), "rules without a message in refusals.json");
}

#[test]
fn every_reason_is_a_branch_of_its_rules_words() {
    let catalog = english_refusals();
    let missing: Vec<String> = Reason::ALL
        .iter()
        .filter(|reason| {
            let words = catalog.get(reason.rule().as_str()).map(String::as_str).unwrap_or("");
            // An ICU select branch: `{reason, select, … <name> {…} …}`.
            !(words.starts_with("{reason, select,")
                && words.contains(&format!(" {} {{", reason.as_str())))
        })
        .map(|reason| format!("{} ({})", reason.as_str(), reason.rule()))
        .collect();
    assert_eq!(missing, Vec::<String>::new(), "reasons without words in their rule's message");
}
