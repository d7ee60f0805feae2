//! Accounts: who a person is on the platform, what they may do, and the rules for changing that.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::organization::Organization;
use crate::text::{self, TextError};
use crate::{Id, ValidationErrors};

pub type UserId = Id<User>;

/// An email address, trimmed and lower-cased so that `A@x.kr` and `a@x.kr` are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must be an email address such as name@example.kr")]
    Malformed,
}

impl Email {
    pub const MAX_LEN: usize = 254;

    /// # Errors
    /// [`EmailError`] when the text is empty, too long, or not shaped like `local@domain.tld`.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(EmailError::Empty);
        }
        if email.chars().count() > Self::MAX_LEN {
            return Err(EmailError::TooLong { max: Self::MAX_LEN });
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(EmailError::Malformed);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.chars().count() <= 64
            && !local
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '@');
        if domain_ok && local_ok {
            Ok(Self(email))
        } else {
            Err(EmailError::Malformed)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name shown next to a person's contributions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MIN_LEN: usize = 2;
    pub const MAX_LEN: usize = 50;

    /// # Errors
    /// [`TextError`] when empty, outside 2-50 characters, or containing control characters.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        text::single_line(raw, Self::MIN_LEN, Self::MAX_LEN).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that satisfies the policy. It is never stored: the API hashes it with argon2id.
/// Its `Debug` output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("must be at least {min} characters")]
    TooShort { min: usize },
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must not be the email address")]
    SameAsEmail,
}

impl NewPassword {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 128;

    /// Checks the password policy (NIST SP 800-63B style: length over composition rules).
    ///
    /// # Errors
    /// [`PasswordError`] when the password is outside 10-128 characters or equals the email.
    pub fn parse(raw: &str, email: Option<&Email>) -> Result<Self, PasswordError> {
        let count = raw.chars().count();
        if count < Self::MIN_LEN {
            return Err(PasswordError::TooShort { min: Self::MIN_LEN });
        }
        if count > Self::MAX_LEN {
            return Err(PasswordError::TooLong { max: Self::MAX_LEN });
        }
        if let Some(email) = email {
            let lowered = raw.trim().to_lowercase();
            let local = email.as_str().split('@').next().unwrap_or_default();
            if lowered == email.as_str() || lowered == local {
                return Err(PasswordError::SameAsEmail);
            }
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

/// What a person may do. Partner platforms are machine clients, not users, and have no role here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Citizen,
    Moderator,
    Official,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Citizen, Role::Moderator, Role::Official, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::Moderator => "moderator",
            Role::Official => "official",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role '{0}'; expected one of citizen, moderator, official, admin")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// A non-empty set of roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roles(BTreeSet<Role>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RolesError {
    #[error("must name at least one role")]
    Empty,
    #[error(transparent)]
    Unknown(#[from] UnknownRole),
}

impl Roles {
    pub fn citizen() -> Self {
        Self(BTreeSet::from([Role::Citizen]))
    }

    /// # Errors
    /// [`RolesError`] when the list is empty or names an unknown role. Repeats are merged.
    pub fn parse<S: AsRef<str>>(names: &[S]) -> Result<Self, RolesError> {
        let roles = names
            .iter()
            .map(|n| n.as_ref().parse::<Role>())
            .collect::<Result<BTreeSet<_>, _>>()?;
        Self::from_set(roles)
    }

    /// # Errors
    /// [`RolesError::Empty`] for an empty set.
    pub fn from_set(roles: BTreeSet<Role>) -> Result<Self, RolesError> {
        if roles.is_empty() {
            Err(RolesError::Empty)
        } else {
            Ok(Self(roles))
        }
    }

    pub fn contains(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    /// Moderators and admins: the staff who review, moderate and see hidden content. Defined here only.
    pub fn is_staff(&self) -> bool {
        self.contains(Role::Moderator) || self.contains(Role::Admin)
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }
}

/// A person's account as the rest of the system sees it (no password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub display_name: DisplayName,
    pub roles: Roles,
    pub organization_id: Option<Id<Organization>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl User {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(role)
    }
}

/// What registration stores: the account and its password hash (computed by the API).
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: UserId,
    pub email: Email,
    pub display_name: DisplayName,
    pub password_hash: String,
    pub roles: Roles,
    pub created_at: DateTime<Utc>,
}

/// An account's credentials, for login only.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

/// The roles and organization an admin assigns. The rule that ties them together lives here, so that no
/// caller can store an official without a ministry or a citizen attached to one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub roles: Roles,
    pub organization_id: Option<Id<Organization>>,
}

impl Assignment {
    /// Applies an admin's change on top of the current assignment and checks the result.
    ///
    /// `organization_id` is `None` to keep the current value, `Some(None)` to clear it.
    ///
    /// # Errors
    /// A field error when an official would have no organization, or a non-official would have one.
    pub fn change(
        current: &User,
        roles: Option<Roles>,
        organization_id: Option<Option<Id<Organization>>>,
    ) -> Result<Self, ValidationErrors> {
        let roles = roles.unwrap_or_else(|| current.roles.clone());
        let organization_id = organization_id.unwrap_or(current.organization_id);
        match (roles.contains(Role::Official), organization_id) {
            (true, None) => Err(ValidationErrors::single(
                "organization_id",
                "an official must belong to an organization",
            )),
            (false, Some(_)) => Err(ValidationErrors::single(
                "organization_id",
                "only officials belong to an organization",
            )),
            _ => Ok(Self {
                roles,
                organization_id,
            }),
        }
    }
}

#[cfg(test)]
mod tests;
