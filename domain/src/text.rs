//! Text rules shared by every user-facing string. Lengths are counted in characters (Korean and English are
//! both first-class), never in bytes. Text is normalised to NFC first, so the same word typed on two
//! keyboards (precomposed Hangul or conjoining jamo) is stored, searched and counted the same way.

use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at least {min} characters")]
    TooShort { min: usize },
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must not contain control characters")]
    ControlCharacters,
    #[error(
        "must not contain invisible formatting characters (zero-width or bidirectional controls)"
    )]
    InvisibleCharacters,
}

/// Zero-width and bidirectional formatting characters: they render as nothing, or reorder what is around
/// them, so in a name or a title they hide text or impersonate (`admin` followed by U+202E).
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' // zero-width space, non-joiner, joiner; LRM, RLM
        | '\u{202A}'..='\u{202E}' // bidirectional embeddings and overrides
        | '\u{2060}'..='\u{2069}' // word joiner, invisible operators, bidirectional isolates
        | '\u{FEFF}' // zero-width no-break space (byte order mark)
    )
}

/// NFC-normalises and trims `raw`, and checks it is a single line of `min..=max` characters without control
/// or invisible formatting characters.
///
/// # Errors
/// The first [`TextError`] that applies.
pub fn single_line(raw: &str, min: usize, max: usize) -> Result<String, TextError> {
    // As sent, before trimming: what the document's `pattern` and `maxLength` describe (a C1 control
    // such as U+0085 is also whitespace, and trimming would hide it). The length counts the text once
    // normalised, so Hangul typed as conjoining jamo counts as its syllables.
    if raw.chars().any(char::is_control) {
        return Err(TextError::ControlCharacters);
    }
    if raw.nfc().count() > max {
        return Err(TextError::TooLong { max });
    }
    let text: String = raw.trim().nfc().collect();
    if text.chars().any(char::is_control) {
        return Err(TextError::ControlCharacters);
    }
    if text.chars().any(is_invisible) {
        return Err(TextError::InvisibleCharacters);
    }
    length(&text, min, max)?;
    Ok(text)
}

/// NFC-normalises and trims `raw` and checks its length; line breaks and tabs are allowed, other control
/// characters are not. Invisible formatting characters keep their legitimate uses here (a zero-width joiner
/// inside an emoji, a right-to-left mark in quoted Arabic), but text that is blank without them is empty.
///
/// # Errors
/// The first [`TextError`] that applies.
pub fn multi_line(raw: &str, min: usize, max: usize) -> Result<String, TextError> {
    // As sent, before trimming (see `single_line`).
    if raw
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(TextError::ControlCharacters);
    }
    if raw.nfc().count() > max {
        return Err(TextError::TooLong { max });
    }
    let text: String = raw.trim().nfc().collect();
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(TextError::ControlCharacters);
    }
    if text.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        return Err(TextError::Empty);
    }
    length(&text, min, max)?;
    Ok(text)
}

fn length(text: &str, min: usize, max: usize) -> Result<(), TextError> {
    let count = text.chars().count();
    if count == 0 {
        Err(TextError::Empty)
    } else if count < min {
        Err(TextError::TooShort { min })
    } else if count > max {
        Err(TextError::TooLong { max })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_is_counted_in_characters_not_bytes() {
        // 5 syllables, 15 bytes.
        assert_eq!(single_line("광화문광장", 5, 5), Ok("광화문광장".to_owned()));
        assert_eq!(
            single_line("광화문광장입니다", 1, 5),
            Err(TextError::TooLong { max: 5 })
        );
    }

    #[test]
    fn conjoining_jamo_are_composed_before_counting() {
        // "한" typed as three conjoining jamo is one syllable once normalised.
        let decomposed = "\u{1112}\u{1161}\u{11AB}";
        assert_eq!(single_line(decomposed, 1, 1), Ok("한".to_owned()));
        assert_eq!(multi_line("cafe\u{301}", 1, 4), Ok("café".to_owned()));
    }

    #[test]
    fn whitespace_only_is_empty() {
        assert_eq!(single_line("   ", 1, 5), Err(TextError::Empty));
        assert_eq!(multi_line(" \t\n ", 1, 5), Err(TextError::Empty));
        // A tab is a control character in a single line, also where trimming would remove it.
        assert_eq!(single_line(" \t ", 1, 5), Err(TextError::ControlCharacters));
    }

    #[test]
    fn the_maximum_and_controls_apply_to_the_text_as_sent() {
        // U+0085 (NEL) is a C1 control and whitespace: trimming it must not let it through.
        assert_eq!(
            multi_line("\u{85}ab", 1, 5),
            Err(TextError::ControlCharacters)
        );
        assert_eq!(
            single_line("ab\u{85}", 1, 5),
            Err(TextError::ControlCharacters)
        );
        assert_eq!(
            multi_line(" abcde", 1, 5),
            Err(TextError::TooLong { max: 5 })
        );
        assert_eq!(multi_line("abcde", 1, 5), Ok("abcde".to_owned()));
    }

    #[test]
    fn control_characters_are_refused_in_single_lines() {
        assert_eq!(
            single_line("a\u{7}b", 1, 5),
            Err(TextError::ControlCharacters)
        );
        assert_eq!(single_line("a\nb", 1, 5), Err(TextError::ControlCharacters));
        assert_eq!(multi_line("a\nb", 1, 5), Ok("a\nb".to_owned()));
        assert_eq!(
            multi_line("a\u{0}b", 1, 5),
            Err(TextError::ControlCharacters)
        );
    }

    #[test]
    fn invisible_characters_are_refused_in_single_lines() {
        for c in [
            '\u{200B}', '\u{200D}', '\u{200F}', '\u{202A}', '\u{202E}', '\u{2060}', '\u{2066}',
            '\u{2069}', '\u{FEFF}',
        ] {
            assert_eq!(
                single_line(&format!("admin{c}"), 1, 50),
                Err(TextError::InvisibleCharacters),
                "U+{:04X}",
                u32::from(c)
            );
        }
        assert_eq!(
            single_line(&"\u{200B}".repeat(6), 5, 150),
            Err(TextError::InvisibleCharacters)
        );
    }

    #[test]
    fn multi_line_bodies_keep_joiners_but_not_invisible_only_text() {
        let family = "우리 가족 \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(multi_line(family, 1, 50), Ok(family.to_owned()));
        assert_eq!(
            multi_line("\u{200B}\u{FEFF}\n\u{2060}", 1, 50),
            Err(TextError::Empty)
        );
    }
}
