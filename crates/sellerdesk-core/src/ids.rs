//! Identifiers a seller types or reads: stores, coupons and campaign channels.
//!
//! Each is checked once, where it enters, so that everything past that point holds a valid one.

use std::fmt;

use crate::rules::{InputError, Reason, RuleId};

fn check_identifier(
    field: &str,
    text: &str,
    what: &str,
    maximum_chars: usize,
    allowed: impl Fn(char) -> bool,
    allowed_symbols: &str,
) -> Result<(), InputError> {
    if text.is_empty() || text.chars().count() > maximum_chars || !text.chars().all(allowed) {
        return Err(InputError::new(
            field,
            RuleId::Input1,
            format!(
                "{what} \"{text}\" must be 1 to {maximum_chars} characters: letters, digits \
                 or {allowed_symbols}"
            ),
        )
        .because(Reason::IdShape)
        .with("maximum", maximum_chars)
        .with("symbols", allowed_symbols));
    }
    Ok(())
}

/// A store's id on the platform, such as `S1` or `acme-outlet`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoreId(String);

impl StoreId {
    pub fn parse(field: &str, text: &str) -> Result<StoreId, InputError> {
        check_identifier(
            field,
            text,
            "store id",
            64,
            |c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'),
            "- _ .",
        )?;
        Ok(StoreId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A seller coupon's id, made by Seller Desk when the coupon is created.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CouponId(String);

impl CouponId {
    pub fn parse(field: &str, text: &str) -> Result<CouponId, InputError> {
        check_identifier(
            field,
            text,
            "coupon id",
            64,
            |c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'),
            "- _",
        )?;
        Ok(CouponId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The campaign channel a batch of codes is meant for, such as `facebook` or `newsletter`.
/// Channels are compared in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Channel(String);

impl Channel {
    pub fn parse(field: &str, text: &str) -> Result<Channel, InputError> {
        let lower = text.trim().to_lowercase();
        check_identifier(
            field,
            &lower,
            "channel",
            40,
            |c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'),
            "- _ .",
        )?;
        Ok(Channel(lower))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! display_as_str {
    ($($name:ident),*) => {$(
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}
display_as_str!(StoreId, CouponId, Channel);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_checked_where_they_enter_input_1() {
        assert!(StoreId::parse("store", "S1").is_ok());
        assert!(StoreId::parse("store", "acme.outlet_2").is_ok());
        assert_eq!(StoreId::parse("store", "").unwrap_err().rule, RuleId::Input1);
        assert_eq!(StoreId::parse("store", "a b").unwrap_err().field, "store");
        assert!(CouponId::parse("coupon", "C-01J").is_ok());
        assert!(CouponId::parse("coupon", "../etc").is_err());
        assert_eq!(Channel::parse("channel", " Facebook ").unwrap().as_str(), "facebook");
        assert!(Channel::parse("channel", "=cmd()").is_err());
    }
}
