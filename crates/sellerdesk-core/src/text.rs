//! Text a seller writes and others read (a coupon's title, a store's name): it must show as it
//! is (INPUT-4).

use crate::rules::{InputError, Reason, RuleId};

/// Refuses control characters (line breaks and tabs included) and the Unicode formatting marks
/// that reorder text on screen: the bidirectional embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069). A title holding U+202E shows reversed after it, so a list, an
/// export or a buyer's screen would show something other than what was stored.
pub fn check_shown_text(field: &str, text: &str) -> Result<(), InputError> {
    let Some((position, found)) =
        text.chars().enumerate().find(|(_, c)| c.is_control() || is_bidi_control(*c))
    else {
        return Ok(());
    };
    let (what, reason) = if found.is_control() {
        ("a control character", Reason::ControlCharacter)
    } else {
        ("a bidirectional override", Reason::BidiMark)
    };
    let code_point = format!("U+{:04X}", u32::from(found));
    Err(InputError::new(
        field,
        RuleId::Input4,
        format!(
            "character {} is {what} ({code_point}); text shows as written, so it may hold neither",
            position + 1,
        ),
    )
    .because(reason)
    .with("position", position + 1)
    .with("code_point", code_point))
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_shows_as_written_input_4() {
        assert!(check_shown_text("title", "Black Friday — 黑色星期五 ❤").is_ok());
        assert!(
            check_shown_text("title", "עברית and English").is_ok(),
            "right-to-left text is fine"
        );
        for (text, what, code) in [
            ("Sale\u{202E}gnp.exe", "a bidirectional override", "U+202E"),
            ("Sale\u{2066}x", "a bidirectional override", "U+2066"),
            ("two\nlines", "a control character", "U+000A"),
            ("tab\there", "a control character", "U+0009"),
            ("bell\u{7}", "a control character", "U+0007"),
        ] {
            let error = check_shown_text("title", text).unwrap_err();
            assert_eq!((error.field.as_str(), error.rule), ("title", RuleId::Input4), "{text:?}");
            assert!(error.message.contains(what) && error.message.contains(code), "{error}");
        }
    }
}
