//! Policy areas: the fixed subject list proposals, topics and statistics are grouped by.

use chrono::{DateTime, Utc};

use crate::Id;
use crate::organization::Name;

pub type PolicyAreaId = Id<PolicyArea>;

/// A lower-case slug such as `transport` or `public-health`: ASCII letters, digits and hyphens, 2-40
/// characters. Unique; clients filter by it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PolicyAreaCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("must be 2-40 characters")]
    Length,
    #[error("may contain only lower-case ASCII letters, digits and single hyphens between them")]
    Charset,
}

impl PolicyAreaCode {
    /// # Errors
    /// [`SlugError`] when the code is not a slug of 2-40 characters.
    pub fn parse(raw: &str) -> Result<Self, SlugError> {
        let code = raw.trim();
        if !(2..=40).contains(&code.len()) {
            return Err(SlugError::Length);
        }
        let charset_ok = code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !charset_ok || code.starts_with('-') || code.ends_with('-') || code.contains("--") {
            return Err(SlugError::Charset);
        }
        Ok(Self(code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyArea {
    pub id: PolicyAreaId,
    pub code: PolicyAreaCode,
    pub name_ko: Name,
    pub name_en: Name,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_checked() {
        assert!(PolicyAreaCode::parse("public-health").is_ok());
        assert_eq!(PolicyAreaCode::parse("x"), Err(SlugError::Length));
        assert_eq!(PolicyAreaCode::parse("Public"), Err(SlugError::Charset));
        assert_eq!(PolicyAreaCode::parse("-a"), Err(SlugError::Charset));
        assert_eq!(PolicyAreaCode::parse("a--b"), Err(SlugError::Charset));
    }
}
