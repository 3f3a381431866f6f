//! The ids of the rules in `docs/rules.md`. Every error names the rule that refused the input.

use std::fmt;

/// Writes the rule list once: the enum, [`RuleId::ALL`] and [`RuleId::as_str`] come from it.
macro_rules! rule_ids {
    ($($variant:ident => $id:literal,)*) => {
        /// One rule of `docs/rules.md`. The id is what the seller sees at the end of an error
        /// message.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RuleId {
            $($variant,)*
        }

        impl RuleId {
            pub const ALL: &[RuleId] = &[$(RuleId::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }
        }
    };
}

rule_ids! {
    Input1 => "INPUT-1",
    Input2 => "INPUT-2",
    Input3 => "INPUT-3",
    Input4 => "INPUT-4",
    Money1 => "MONEY-1",
    Money2 => "MONEY-2",
    Money3 => "MONEY-3",
    Create1 => "CREATE-1",
    Create2 => "CREATE-2",
    Create3 => "CREATE-3",
    Create4 => "CREATE-4",
    Create5 => "CREATE-5",
    Apply1 => "APPLY-1",
    Apply2 => "APPLY-2",
    Apply3 => "APPLY-3",
    Apply4 => "APPLY-4",
    Apply5 => "APPLY-5",
    Apply6 => "APPLY-6",
    Apply7 => "APPLY-7",
    Refund1 => "REFUND-1",
    Refund2 => "REFUND-2",
    Refund3 => "REFUND-3",
    Refund4 => "REFUND-4",
    Refund5 => "REFUND-5",
    Refund6 => "REFUND-6",
    Refund7 => "REFUND-7",
    Status1 => "STATUS-1",
    Status2 => "STATUS-2",
    Preview1 => "PREVIEW-1",
    Codes1 => "CODES-1",
    Codes2 => "CODES-2",
    Codes3 => "CODES-3",
    Codes4 => "CODES-4",
    Codes5 => "CODES-5",
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
