//! The ids of the rules in `docs/rules.md`. Every error names the rule that refused the input.

use std::fmt;

/// One rule of `docs/rules.md`. The id is what the seller sees at the end of an error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleId {
    Input1,
    Input2,
    Input3,
    Money1,
    Money2,
    Money3,
    Create1,
    Create2,
    Create3,
    Create4,
    Create5,
    Apply1,
    Apply2,
    Apply3,
    Apply4,
    Apply5,
    Apply6,
    Refund1,
    Refund2,
    Refund3,
    Refund4,
    Refund5,
    Refund6,
    Refund7,
    Status1,
    Status2,
    Preview1,
    Codes1,
    Codes2,
    Codes3,
    Codes4,
    Codes5,
}

impl RuleId {
    pub const ALL: [RuleId; 32] = [
        RuleId::Input1,
        RuleId::Input2,
        RuleId::Input3,
        RuleId::Money1,
        RuleId::Money2,
        RuleId::Money3,
        RuleId::Create1,
        RuleId::Create2,
        RuleId::Create3,
        RuleId::Create4,
        RuleId::Create5,
        RuleId::Apply1,
        RuleId::Apply2,
        RuleId::Apply3,
        RuleId::Apply4,
        RuleId::Apply5,
        RuleId::Apply6,
        RuleId::Refund1,
        RuleId::Refund2,
        RuleId::Refund3,
        RuleId::Refund4,
        RuleId::Refund5,
        RuleId::Refund6,
        RuleId::Refund7,
        RuleId::Status1,
        RuleId::Status2,
        RuleId::Preview1,
        RuleId::Codes1,
        RuleId::Codes2,
        RuleId::Codes3,
        RuleId::Codes4,
        RuleId::Codes5,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::Input1 => "INPUT-1",
            RuleId::Input2 => "INPUT-2",
            RuleId::Input3 => "INPUT-3",
            RuleId::Money1 => "MONEY-1",
            RuleId::Money2 => "MONEY-2",
            RuleId::Money3 => "MONEY-3",
            RuleId::Create1 => "CREATE-1",
            RuleId::Create2 => "CREATE-2",
            RuleId::Create3 => "CREATE-3",
            RuleId::Create4 => "CREATE-4",
            RuleId::Create5 => "CREATE-5",
            RuleId::Apply1 => "APPLY-1",
            RuleId::Apply2 => "APPLY-2",
            RuleId::Apply3 => "APPLY-3",
            RuleId::Apply4 => "APPLY-4",
            RuleId::Apply5 => "APPLY-5",
            RuleId::Apply6 => "APPLY-6",
            RuleId::Refund1 => "REFUND-1",
            RuleId::Refund2 => "REFUND-2",
            RuleId::Refund3 => "REFUND-3",
            RuleId::Refund4 => "REFUND-4",
            RuleId::Refund5 => "REFUND-5",
            RuleId::Refund6 => "REFUND-6",
            RuleId::Refund7 => "REFUND-7",
            RuleId::Status1 => "STATUS-1",
            RuleId::Status2 => "STATUS-2",
            RuleId::Preview1 => "PREVIEW-1",
            RuleId::Codes1 => "CODES-1",
            RuleId::Codes2 => "CODES-2",
            RuleId::Codes3 => "CODES-3",
            RuleId::Codes4 => "CODES-4",
            RuleId::Codes5 => "CODES-5",
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Bad input, said once: which field, what is wrong with it, and which rule refused it.
///
/// It is displayed as one line: `orders[0].lines[1].unit_price: <what is wrong> [MONEY-2]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message} [{rule}]")]
pub struct InputError {
    pub field: String,
    pub rule: RuleId,
    pub message: String,
}

impl InputError {
    pub fn new(field: impl Into<String>, rule: RuleId, message: impl Into<String>) -> InputError {
        InputError { field: field.into(), rule, message: message.into() }
    }
}
