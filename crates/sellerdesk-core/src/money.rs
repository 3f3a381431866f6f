//! Money: a currency with its ISO 4217 minor unit, and exact amounts counted in minor units.
//!
//! Amounts are parsed from and written as decimal strings through `rust_decimal`; arithmetic is done
//! on whole minor units (`i128`), so nothing is ever rounded by accident.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::rules::{InputError, Reason, RuleId};

/// The largest amount, in major units, that the product accepts for a single figure.
/// It keeps every product of price and quantity far inside `i128` minor units.
const LARGEST_AMOUNT_IN_MAJOR_UNITS: i128 = 1_000_000_000_000;

/// A currency known to ISO 4217 that has a minor unit (so `XAU` and the like are refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    iso: iso_currency::Currency,
    minor_digits: u32,
}

impl Currency {
    /// Looks a currency up by its three-letter code (`"USD"`).
    pub fn from_code(code: &str) -> Result<Currency, MoneyError> {
        let iso = iso_currency::Currency::from_code(code)
            .ok_or_else(|| MoneyError::UnknownCurrency { code: code.to_owned() })?;
        let minor_digits = iso
            .exponent()
            .ok_or_else(|| MoneyError::CurrencyWithoutMinorUnit { code: code.to_owned() })?;
        Ok(Currency { iso, minor_digits: u32::from(minor_digits) })
    }

    pub fn code(self) -> &'static str {
        self.iso.code()
    }

    /// How many digits the currency writes after the decimal point (USD 2, JPY 0, KWD 3).
    pub fn minor_digits(self) -> u32 {
        self.minor_digits
    }

    /// Parses a non-negative decimal string into an amount of this currency.
    ///
    /// Only plain digits with an optional fraction are accepted: no sign, no exponent, no spaces.
    /// A fraction longer than the currency's minor unit is refused rather than rounded.
    pub fn parse_amount(self, text: &str) -> Result<Money, MoneyError> {
        let plain_decimal = {
            let (whole, fraction) = match text.split_once('.') {
                Some((whole, fraction)) => (whole, Some(fraction)),
                None => (text, None),
            };
            let all_digits =
                |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
            all_digits(whole) && fraction.is_none_or(all_digits)
        };
        if text.starts_with('-') {
            return Err(MoneyError::Negative { text: text.to_owned() });
        }
        if !plain_decimal {
            return Err(MoneyError::NotADecimal { text: text.to_owned() });
        }
        let decimal =
            Decimal::from_str(text).map_err(|_| MoneyError::TooLarge { text: text.to_owned() })?;
        if decimal.scale() > self.minor_digits {
            return Err(MoneyError::TooManyDigits {
                text: text.to_owned(),
                currency: self.code(),
                minor_digits: self.minor_digits,
            });
        }
        let minor_units = decimal.mantissa() * 10_i128.pow(self.minor_digits - decimal.scale());
        let money = Money::from_minor_units(self, minor_units);
        if minor_units > LARGEST_AMOUNT_IN_MAJOR_UNITS * 10_i128.pow(self.minor_digits) {
            return Err(MoneyError::TooLarge { text: text.to_owned() });
        }
        Ok(money)
    }

    pub fn zero(self) -> Money {
        Money::from_minor_units(self, 0)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An exact amount of one currency, counted in its minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Money {
    minor_units: i128,
    currency: Currency,
}

impl PartialOrd for Currency {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Currency {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.code().cmp(other.code())
    }
}

impl Money {
    pub fn from_minor_units(currency: Currency, minor_units: i128) -> Money {
        Money { minor_units, currency }
    }

    pub fn minor_units(self) -> i128 {
        self.minor_units
    }

    pub fn currency(self) -> Currency {
        self.currency
    }

    /// The amount as a decimal with exactly the currency's minor digits (`12.30`, `1200`).
    pub fn to_decimal(self) -> Decimal {
        Decimal::from_i128_with_scale(self.minor_units, self.currency.minor_digits)
    }
}

/// Writes the amount with exactly the currency's minor digits, without the currency code.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_decimal(), f)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("unknown currency code \"{code}\" (expected an ISO 4217 code such as USD)")]
    UnknownCurrency { code: String },
    #[error("currency {code} has no minor unit and cannot be used for prices")]
    CurrencyWithoutMinorUnit { code: String },
    #[error("amount \"{text}\" is negative; amounts are never negative")]
    Negative { text: String },
    #[error("amount \"{text}\" is not a plain decimal string such as \"12.30\"")]
    NotADecimal { text: String },
    #[error(
        "amount \"{text}\" has more digits than {currency} allows ({minor_digits} after the point); it is not rounded"
    )]
    TooManyDigits { text: String, currency: &'static str, minor_digits: u32 },
    #[error("amount \"{text}\" is too large")]
    TooLarge { text: String },
}

impl MoneyError {
    /// The refusal of the input at `field` that this error makes.
    pub fn at(self, field: impl Into<String>) -> InputError {
        let refusal = InputError::new(field, self.rule(), self.to_string());
        match self {
            MoneyError::UnknownCurrency { code }
            | MoneyError::CurrencyWithoutMinorUnit { code } => {
                refusal.because(Reason::UnknownCurrency).with("currency", code)
            }
            MoneyError::TooManyDigits { text, currency, minor_digits } => refusal
                .because(Reason::TooManyDigits)
                .with("amount", text)
                .with("currency", currency)
                .with("digits", minor_digits),
            MoneyError::Negative { text } => refusal.because(Reason::Negative).with("amount", text),
            MoneyError::NotADecimal { text } => {
                refusal.because(Reason::NotADecimal).with("amount", text)
            }
            MoneyError::TooLarge { text } => refusal.because(Reason::TooLarge).with("amount", text),
        }
    }

    pub fn rule(&self) -> RuleId {
        match self {
            MoneyError::UnknownCurrency { .. }
            | MoneyError::CurrencyWithoutMinorUnit { .. }
            | MoneyError::TooManyDigits { .. } => RuleId::Money2,
            MoneyError::Negative { .. }
            | MoneyError::NotADecimal { .. }
            | MoneyError::TooLarge { .. } => RuleId::Money1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_parse(currency: &str, text: &str, expected: Result<&str, RuleId>) {
        let currency = Currency::from_code(currency).unwrap();
        let actual =
            currency.parse_amount(text).map(|money| money.to_string()).map_err(|e| e.rule());
        assert_eq!(actual.as_deref().map_err(|rule| *rule), expected, "parsing {text:?}");
    }

    #[test]
    fn amounts_are_plain_decimal_strings_money_1() {
        check_parse("USD", "12.3", Ok("12.30"));
        check_parse("USD", "0", Ok("0.00"));
        check_parse("USD", "007.10", Ok("7.10"));
        check_parse("USD", "-1.00", Err(RuleId::Money1));
        check_parse("USD", "+1.00", Err(RuleId::Money1));
        check_parse("USD", "1e3", Err(RuleId::Money1));
        check_parse("USD", " 1.00", Err(RuleId::Money1));
        check_parse("USD", "1.", Err(RuleId::Money1));
        check_parse("USD", ".5", Err(RuleId::Money1));
        check_parse("USD", "", Err(RuleId::Money1));
        check_parse("USD", "1000000000001", Err(RuleId::Money1));
        check_parse("USD", "99999999999999999999999999999999999", Err(RuleId::Money1));
    }

    #[test]
    fn minor_digits_come_from_iso_4217_money_2() {
        check_parse("JPY", "1200", Ok("1200"));
        check_parse("JPY", "1200.5", Err(RuleId::Money2));
        check_parse("KWD", "1.234", Ok("1.234"));
        check_parse("USD", "12.345", Err(RuleId::Money2));
        check_parse("USD", "12.300", Err(RuleId::Money2));
        assert_eq!(Currency::from_code("XYZ").unwrap_err().rule(), RuleId::Money2);
        assert_eq!(Currency::from_code("XAU").unwrap_err().rule(), RuleId::Money2);
    }
}
