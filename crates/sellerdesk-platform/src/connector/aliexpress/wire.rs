//! Reading AliExpress's answers: lists in their several wrappings, its two money shapes, and its
//! times (US Pacific wall-clock time without an offset).

use jiff::civil::DateTime;
use jiff::tz::{Disambiguation, TimeZone};
use serde_json::{Map, Value};

/// The zone AliExpress gives order and dispute times in ("it's US pacific time";
/// `America/Los_Angeles` in the dispute detail), daylight saving included.
pub const PLATFORM_ZONE: &str = "America/Los_Angeles";

/// A list as the gateway may send it: an array, an object holding one array
/// (`{"aeop_order_item_dto": [...]}`), a single object, or nothing.
pub fn list(value: Option<&Value>) -> Vec<&Map<String, Value>> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(object)) => {
            let arrays: Vec<&Vec<Value>> = object.values().filter_map(Value::as_array).collect();
            match arrays.as_slice() {
                [items] => items.iter().filter_map(Value::as_object).collect(),
                // One item given bare, or wrapped once as an object.
                _ if object.len() == 1 => match object.values().next() {
                    Some(Value::Object(item)) => vec![item],
                    _ => Vec::new(),
                },
                _ => vec![object],
            }
        }
        _ => Vec::new(),
    }
}

/// A field as text: strings as they are, numbers written out (ids are Longs in JSON).
pub fn text(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key) {
        Some(Value::String(text)) if !text.is_empty() => Some(text.clone()),
        Some(Value::Number(number)) => Some(number.to_string()),
        _ => None,
    }
}

/// A whole number field, written as a number or as digits.
pub fn integer(object: &Map<String, Value>, key: &str) -> Option<i64> {
    match object.get(key) {
        Some(Value::Number(number)) => number.as_i64(),
        Some(Value::String(text)) => text.trim().parse().ok(),
        _ => None,
    }
}

/// An amount of money, in major units as decimal text, and its currency when said:
/// `SimpleMoney` (`{"amount": "1.01", "currency_code": "USD"}`) or `MoneyStr` (`cent` and
/// `cent_factor`, which win over `amount`, which some samples leave at 0; or `amount_str`).
pub fn money(value: Option<&Value>) -> Option<(String, Option<String>)> {
    let object = value?.as_object()?;
    let currency = text(object, "currency_code").or_else(|| {
        object.get("currency").and_then(Value::as_object).and_then(|c| text(c, "currency_code"))
    });
    if let (Some(cent), Some(factor)) = (integer(object, "cent"), integer(object, "cent_factor"))
        && [1, 10, 100, 1000, 10_000].contains(&factor)
    {
        let digits = factor.ilog10() as usize;
        let sign = if cent < 0 { "-" } else { "" };
        let cent = cent.unsigned_abs();
        let factor = factor.unsigned_abs();
        let amount = if digits == 0 {
            format!("{sign}{cent}")
        } else {
            format!("{sign}{}.{:0digits$}", cent / factor, cent % factor)
        };
        return Some((amount, currency));
    }
    let amount = text(object, "amount")
        .filter(|amount| amount != "0" || text(object, "amount_str").is_none())
        .or_else(|| text(object, "amount_str"))?;
    Some((amount, currency))
}

/// A Pacific wall-clock time (`2026-03-08 02:30:00`, or without seconds) as an RFC 3339 instant
/// in UTC. A time the clocks skipped is read as after the change; one they repeated as the first.
pub fn pacific_time(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let civil: DateTime = trimmed
        .parse()
        .or_else(|_| format!("{trimmed}:00").parse())
        .map_err(|_| format!("\"{text}\" is not a time of the form 2026-12-07 09:30:00"))?;
    let zone = TimeZone::get(PLATFORM_ZONE)
        .map_err(|error| format!("the zone {PLATFORM_ZONE} is not known: {error}"))?;
    let zoned = zone
        .to_ambiguous_zoned_datetime(civil)
        .disambiguate(Disambiguation::Compatible)
        .map_err(|error| format!("\"{text}\" in {PLATFORM_ZONE}: {error}"))?;
    Ok(zoned.timestamp().to_string())
}

/// An instant as AliExpress writes it in requests: Pacific wall-clock time.
pub fn to_pacific(instant: jiff::Timestamp) -> Result<String, String> {
    let zone = TimeZone::get(PLATFORM_ZONE)
        .map_err(|error| format!("the zone {PLATFORM_ZONE} is not known: {error}"))?;
    Ok(instant.to_zoned_datetime(zone).strftime("%Y-%m-%d %H:%M:%S").to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;

    #[test]
    fn lists_come_in_every_wrapping() {
        let ids = |value: Value| -> Vec<i64> {
            list(Some(&value)).iter().map(|item| integer(item, "id").unwrap()).collect()
        };
        assert_eq!(ids(json!([{"id": 1}, {"id": 2}])), [1, 2]);
        assert_eq!(ids(json!({"seller_coupon_activity": [{"id": 1}, {"id": 2}]})), [1, 2]);
        assert_eq!(ids(json!({"seller_coupon_activity": {"id": 3}})), [3]);
        assert_eq!(ids(json!({"id": 4, "status": "x"})), [4]);
        assert!(list(None).is_empty());
        assert!(list(Some(&json!("text"))).is_empty());
    }

    #[test]
    fn money_is_read_in_both_shapes() {
        let check = |value: Value, expected: Option<(&str, Option<&str>)>| {
            let got = money(Some(&value));
            let got = got.as_ref().map(|(amount, currency)| (amount.as_str(), currency.as_deref()));
            assert_eq!(got, expected, "{value}");
        };
        check(json!({"amount": "1.01", "currency_code": "USD"}), Some(("1.01", Some("USD"))));
        check(
            json!({"amount": 0, "cent": 333100, "cent_factor": 100, "currency_code": "EUR"}),
            Some(("3331.00", Some("EUR"))),
        );
        check(
            json!({"cent": 5, "cent_factor": 100, "currency": {"currency_code": "USD"}}),
            Some(("0.05", Some("USD"))),
        );
        check(
            json!({"cent": 1500, "cent_factor": 1, "currency_code": "JPY"}),
            Some(("1500", Some("JPY"))),
        );
        check(json!({"amount_str": "2.50", "currency_code": "USD"}), Some(("2.50", Some("USD"))));
        check(json!({"currency_code": "USD"}), None);
        check(json!("1.00"), None);
    }

    #[test]
    fn pacific_times_become_utc_instants_with_daylight_saving() {
        for (pacific, utc) in [
            ("2026-12-07 09:30:00", "2026-12-07T17:30:00Z"),
            ("2026-07-01 09:30:00", "2026-07-01T16:30:00Z"),
            ("2018-03-01 12:12", "2018-03-01T20:12:00Z"),
            // Skipped by the clocks (2026-03-08 02:00 to 03:00): after the change.
            ("2026-03-08 02:30:00", "2026-03-08T10:30:00Z"),
            // Repeated (2026-11-01 01:00 to 02:00): the first.
            ("2026-11-01 01:30:00", "2026-11-01T08:30:00Z"),
        ] {
            assert_eq!(pacific_time(pacific).unwrap(), utc, "{pacific}");
        }
        assert!(pacific_time("07/12/2026").unwrap_err().contains("not a time"));
        let instant: jiff::Timestamp = "2026-07-01T16:30:00Z".parse().unwrap();
        assert_eq!(to_pacific(instant).unwrap(), "2026-07-01 09:30:00");
    }
}
