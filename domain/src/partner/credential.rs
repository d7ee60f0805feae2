//! Machine credentials: a client id and a secret per credential, the scopes it may be granted, and the
//! rotation rule (the previous secret keeps working for an overlap window).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::ChannelId;
use crate::Id;
use crate::macros::code_enum;

pub type CredentialId = Id<Credential>;

/// The longest overlap a rotation may give the previous secret.
pub const MAX_ROTATION_OVERLAP: chrono::TimeDelta = chrono::TimeDelta::days(7);

code_enum!(
    /// What a machine token may do (RFC 6749 §3.3 scope tokens).
    Scope, "scope", {
    ProposalsWrite = "proposals:write", ProposalsRead = "proposals:read", WebhooksManage = "webhooks:manage",
});

/// A set of scopes, written space-delimited in canonical order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes(BTreeSet<&'static str>);

impl Scopes {
    pub fn all() -> Self {
        Self(Scope::ALL.iter().map(|s| s.as_str()).collect())
    }

    /// # Errors
    /// The first unknown scope token. An empty string is the empty set.
    pub fn parse_delimited(raw: &str) -> Result<Self, String> {
        raw.split(' ')
            .filter(|t| !t.is_empty())
            .map(|t| t.parse::<Scope>().map(Scope::as_str))
            .collect::<Result<BTreeSet<_>, _>>()
            .map(Self)
    }

    /// # Errors
    /// The first unknown scope.
    pub fn parse_list(raw: &[String]) -> Result<Self, String> {
        raw.iter()
            .map(|t| t.parse::<Scope>().map(Scope::as_str))
            .collect::<Result<BTreeSet<_>, _>>()
            .map(Self)
    }

    pub fn contains(&self, scope: Scope) -> bool {
        self.0.contains(scope.as_str())
    }

    pub fn is_subset(&self, of: &Self) -> bool {
        self.0.is_subset(&of.0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().copied()
    }

    /// Space-delimited, as OAuth writes scopes.
    pub fn delimited(&self) -> String {
        self.0.iter().copied().collect::<Vec<_>>().join(" ")
    }
}

/// A channel's credential as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub id: CredentialId,
    pub channel_id: ChannelId,
    /// Public: sent as the Basic user name.
    pub client_id: String,
    /// The most a token issued to it may carry.
    pub scopes: Scopes,
    pub created_at: DateTime<Utc>,
    pub rotated_at: Option<DateTime<Utc>>,
    /// Until then, the secret before the last rotation also works.
    pub previous_expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl Credential {
    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }
}

/// What is stored of a credential's secrets: their hashes (the secrets carry 256 random bits, so a fast
/// hash is enough).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialSecrets {
    pub current_hash: String,
    pub previous_hash: Option<String>,
    pub previous_expires_at: Option<DateTime<Utc>>,
}

impl CredentialSecrets {
    /// Whether a presented secret, hashed, opens the credential at `now`: the current secret always, the
    /// previous one until its overlap window ends. Compared in constant time.
    pub fn accepts(&self, presented_hash: &str, now: DateTime<Utc>) -> bool {
        let current = constant_time_eq(&self.current_hash, presented_hash);
        let previous = match (&self.previous_hash, self.previous_expires_at) {
            (Some(hash), Some(until)) => constant_time_eq(hash, presented_hash) && now < until,
            _ => false,
        };
        current | previous
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
