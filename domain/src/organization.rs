//! Organizations: ministries and agencies that receive referrals and whose officials answer them.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::Id;
use crate::text::{self, TextError};

pub type OrganizationId = Id<Organization>;

/// A short, stable code such as `MOIS` (Ministry of the Interior and Safety): upper-case ASCII letters,
/// digits and hyphens, 2-32 characters. Unique.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrganizationCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("must be {min}-{max} characters")]
    Length { min: usize, max: usize },
    #[error("{0}")]
    Charset(&'static str),
}

impl OrganizationCode {
    /// # Errors
    /// [`CodeError`] when the code has the wrong length or characters. Lower case is upper-cased.
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let code = raw.trim().to_ascii_uppercase();
        if !(2..=32).contains(&code.len()) {
            return Err(CodeError::Length { min: 2, max: 32 });
        }
        if !code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(CodeError::Charset(
                "may contain only ASCII letters, digits and hyphens",
            ));
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A name in one language, 1-200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    /// # Errors
    /// [`TextError`] when empty, longer than 200 characters, or containing control characters.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        text::single_line(raw, 1, 200).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganizationKind {
    Ministry,
    Agency,
    Committee,
    LocalGovernment,
    Other,
}

impl OrganizationKind {
    pub const ALL: [Self; 5] = [
        Self::Ministry,
        Self::Agency,
        Self::Committee,
        Self::LocalGovernment,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ministry => "ministry",
            Self::Agency => "agency",
            Self::Committee => "committee",
            Self::LocalGovernment => "local_government",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for OrganizationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind '{0}'; expected one of ministry, agency, committee, local_government, other")]
pub struct UnknownKind(pub String);

impl FromStr for OrganizationKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub id: OrganizationId,
    pub code: OrganizationCode,
    pub kind: OrganizationKind,
    pub name_ko: Name,
    pub name_en: Name,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A change to an organization; `None` keeps the field.
#[derive(Debug, Clone, Default)]
pub struct OrganizationChange {
    pub code: Option<OrganizationCode>,
    pub kind: Option<OrganizationKind>,
    pub name_ko: Option<Name>,
    pub name_en: Option<Name>,
}

impl Organization {
    pub fn apply(&mut self, change: OrganizationChange, now: DateTime<Utc>) {
        if let Some(code) = change.code {
            self.code = code;
        }
        if let Some(kind) = change.kind {
            self.kind = kind;
        }
        if let Some(name) = change.name_ko {
            self.name_ko = name;
        }
        if let Some(name) = change.name_en {
            self.name_en = name;
        }
        self.updated_at = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_upper_cased_and_checked() {
        assert_eq!(
            OrganizationCode::parse(" mois ").map(|c| c.0),
            Ok("MOIS".to_owned())
        );
        assert!(OrganizationCode::parse("M").is_err());
        assert!(OrganizationCode::parse("행정안전부").is_err());
        assert!(OrganizationCode::parse("MO IS").is_err());
    }

    #[test]
    fn kinds_round_trip() {
        for kind in OrganizationKind::ALL {
            assert_eq!(kind.as_str().parse(), Ok(kind));
        }
        assert!("ministryy".parse::<OrganizationKind>().is_err());
    }
}
