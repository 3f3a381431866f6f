//! Times as the inputs and the platforms write them: RFC 3339 with an offset (INPUT-3).

use jiff::Timestamp;
use jiff::civil::DateTime;

use crate::rules::{InputError, RuleId};

/// Reads an RFC 3339 time with an offset. A time written correctly but outside what Seller Desk
/// handles (years 0000 to 9999 once in UTC) is called that, not malformed.
pub fn parse_time(field: &str, text: &str, example: &str) -> Result<Timestamp, InputError> {
    let text = text.trim();
    if let Ok(time) = text.parse::<Timestamp>() {
        return Ok(time);
    }
    let message = if is_beyond_range(text) {
        format!(
            "\"{text}\" is beyond the times Seller Desk handles (the years 0000 to 9999, in UTC)"
        )
    } else {
        format!("\"{text}\" is not an RFC 3339 time such as \"{example}\"")
    };
    Err(InputError::new(field, RuleId::Input3, message))
}

/// Whether `text` is a well-formed RFC 3339 time (a date and time, then `Z` or `±hh:mm`) that
/// falls outside the representable range once its offset is applied.
fn is_beyond_range(text: &str) -> bool {
    let (local, offset) = if let Some(local) = text.strip_suffix(['Z', 'z']) {
        (local, "+00:00")
    } else if text.len() > 6 && text.is_char_boundary(text.len() - 6) {
        text.split_at(text.len() - 6)
    } else {
        return false;
    };
    let offset_shaped = offset.len() == 6
        && matches!(offset.as_bytes()[0], b'+' | b'-')
        && offset.as_bytes()[3] == b':'
        && [1, 2, 4, 5].iter().all(|&i| offset.as_bytes()[i].is_ascii_digit());
    offset_shaped && local.contains(['T', 't']) && local.parse::<DateTime>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_out_of_range_are_said_to_be_input_3() {
        let example = "2026-11-20T10:00:00Z";
        assert!(parse_time("as_of", "2026-11-15T09:00:00+09:00", example).is_ok());
        for (text, says) in [
            ("9999-12-31T23:00:00-02:00", "beyond the times Seller Desk handles"),
            ("2026-11-20T10:00:00", "is not an RFC 3339 time"),
            ("2026-13-01T00:00:00Z", "is not an RFC 3339 time"),
            ("tomorrow", "is not an RFC 3339 time"),
            ("2026-11-20", "is not an RFC 3339 time"),
        ] {
            let error = parse_time("as_of", text, example).unwrap_err();
            assert_eq!((error.field.as_str(), error.rule), ("as_of", RuleId::Input3), "{text}");
            assert!(error.message.contains(says), "{text}: {}", error.message);
        }
    }
}
