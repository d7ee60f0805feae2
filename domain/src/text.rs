//! Text rules shared by every user-facing string. Lengths are counted in characters (Korean and English are
//! both first-class), never in bytes.

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
}

/// Trims `raw` and checks it is a single line of `min..=max` characters without control characters.
///
/// # Errors
/// The first [`TextError`] that applies.
pub fn single_line(raw: &str, min: usize, max: usize) -> Result<String, TextError> {
    let trimmed = raw.trim();
    if trimmed.chars().any(char::is_control) {
        return Err(TextError::ControlCharacters);
    }
    length(trimmed, min, max)?;
    Ok(trimmed.to_owned())
}

/// Trims `raw` and checks its length; line breaks and tabs are allowed, other control characters are not.
///
/// # Errors
/// The first [`TextError`] that applies.
pub fn multi_line(raw: &str, min: usize, max: usize) -> Result<String, TextError> {
    let trimmed = raw.trim();
    if trimmed
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(TextError::ControlCharacters);
    }
    length(trimmed, min, max)?;
    Ok(trimmed.to_owned())
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
    fn whitespace_only_is_empty() {
        assert_eq!(single_line(" \t ", 1, 5), Err(TextError::Empty));
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
}
