//! The ids of the rules in `docs/rules.md`. Every error names the rule that refused the input.

use std::collections::BTreeMap;
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

/// Writes the reason list once: the enum, [`Reason::ALL`], [`Reason::as_str`] and
/// [`Reason::rule`] come from it.
macro_rules! reasons {
    ($($variant:ident => $name:literal, $rule:ident,)*) => {
        /// Which way a rule was broken, where a rule can be broken in more than one way. A front
        /// end chooses its words by it: the app's message for a rule (`refusals.<RULE-ID>` in
        /// `ui/src/locales/<language>/refusals.json`) is an ICU `select` on `reason`, whose
        /// `other` branch states the rule as a whole.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Reason {
            $($variant,)*
        }

        impl Reason {
            pub const ALL: &[Reason] = &[$(Reason::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Reason::$variant => $name,)*
                }
            }

            /// The rule this is a way of breaking.
            pub fn rule(self) -> RuleId {
                match self {
                    $(Reason::$variant => RuleId::$rule,)*
                }
            }
        }
    };
}

reasons! {
    Required => "required", Input1,
    TooLong => "too_long", Input1,
    IdShape => "id_shape", Input1,
    UnknownStatus => "unknown_status", Status1,
    ControlCharacter => "control_character", Input4,
    BidiMark => "bidi_mark", Input4,
    NotADecimal => "not_a_decimal", Money1,
    Negative => "negative", Money1,
    TooLarge => "too_large", Money1,
    UnknownCurrency => "unknown_currency", Money2,
    TooManyDigits => "too_many_digits", Money2,
    DiscountNotPositive => "discount_not_positive", Create1,
    MinimumNotAboveDiscount => "minimum_not_above_discount", Create1,
    EndsBeforeStart => "ends_before_start", Create2,
    EndsInPast => "ends_in_past", Create2,
    QuantityOutOfRange => "quantity_out_of_range", Create3,
    QuantityBelowCodes => "quantity_below_codes", Create3,
    TermFrozen => "term_frozen", Create5,
    NeverExtended => "never_extended", Create5,
    EndOnlyByStopping => "end_only_by_stopping", Create5,
    AlreadyEnded => "already_ended", Create5,
    AlreadyStopped => "already_stopped", Create5,
    CountNone => "count_none", Codes1,
    CountAboveLeft => "count_above_left", Codes1,
    CouponEnded => "coupon_ended", Codes1,
    LengthRange => "length_range", Codes1,
    GroupRange => "group_range", Codes1,
    AffixCharacters => "affix_characters", Codes1,
    AffixTooLong => "affix_too_long", Codes1,
    AlphabetCharacters => "alphabet_characters", Codes1,
    AlphabetRepeats => "alphabet_repeats", Codes1,
    AlphabetTooSmall => "alphabet_too_small", Codes1,
    CheckNeedsPrime => "check_needs_prime", Codes3,
    CodeMissing => "code_missing", Codes4,
    CodeLength => "code_length", Codes4,
    CodePrefix => "code_prefix", Codes4,
    CodeSuffix => "code_suffix", Codes4,
    CodeCharacter => "code_character", Codes4,
    CodeTypo => "code_typo", Codes4,
    UnitsLeft => "units_left", Refund3,
    AmountLeft => "amount_left", Refund3,
    NothingLeft => "nothing_left", Refund3,
    AmountNotPositive => "amount_not_positive", Refund3,
    Address => "address", Input1,
    KeyRefused => "key_refused", Input1,
    AuthorizationRefused => "authorization_refused", Input1,
    CallbackAddress => "callback_address", Input1,
    ReasonAsked => "reason_asked", Input1,
    ShopCurrency => "shop_currency", Money3,
    UsdOnly => "usd_only", Money3,
    MoreThanSpace => "more_than_space", Codes5,
    Guessable => "guessable", Codes5,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Bad input, said once: which field, what is wrong with it, and which rule refused it.
///
/// It is displayed as one line: `orders[0].lines[1].unit_price: <what is wrong> [MONEY-2]`. That
/// line, in English, is for the CLI and the logs. A front end that speaks the seller's language
/// words the refusal itself, from the rule, the [`Reason`] and the named values in `params`
/// (never from `message`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message} [{rule}]")]
pub struct InputError {
    pub field: String,
    pub rule: RuleId,
    pub message: String,
    /// Which way the rule was broken, where it can be broken in more than one way.
    pub reason: Option<Reason>,
    /// The values a front end's words name (`left`, `shortest`, `position` …), as text.
    pub params: Vec<(&'static str, String)>,
}

impl InputError {
    pub fn new(field: impl Into<String>, rule: RuleId, message: impl Into<String>) -> InputError {
        InputError {
            field: field.into(),
            rule,
            message: message.into(),
            reason: None,
            params: Vec::new(),
        }
    }

    /// Says which way the rule was broken; the reason must be one of the rule's own (a mistake
    /// in the code, caught by its tests: input never decides it).
    pub fn because(self, reason: Reason) -> InputError {
        debug_assert_eq!(
            reason.rule(),
            self.rule,
            "{reason} is not a way of breaking {}",
            self.rule
        );
        InputError { reason: Some(reason), ..self }
    }

    /// Names one value a front end's words show.
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> InputError {
        self.params.push((name, value.to_string()));
        self
    }

    /// The named values, as front ends receive them.
    pub fn params_by_name(&self) -> BTreeMap<String, String> {
        self.params.iter().map(|(name, value)| ((*name).to_owned(), value.clone())).collect()
    }
}
