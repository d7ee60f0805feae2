//! Partner channels: the platforms (People's Idea Box, e-People, local government sites) that push
//! proposals in and read their status out through the API, each as a machine client.
//!
//! - this module: a channel and what admins change about it;
//! - `credential`: the client ids and secrets a channel's machines authenticate with, and their scopes;
//! - `record`: a partner's record (its own id, URL, timestamps and support count) and the proposal it maps to;
//! - `intake`: the use case that creates or updates the proposal a partner record maps to;
//! - `repository`: what is stored, inside and outside a unit of work.

use chrono::{DateTime, Utc};

use crate::Id;
use crate::account::UserId;
use crate::macros::code_enum;
use crate::text::{self, TextError};
use crate::values::HttpsUrl;

pub mod credential;
pub mod intake;
pub mod record;
mod repository;
#[cfg(test)]
mod tests;

pub use credential::{Credential, CredentialSecrets, Scope, Scopes};
pub use record::{ChannelRecord, ExternalId};
pub use repository::{
    ChannelRecordStore, ChannelRepository, FLAG_SCORE, INTAKE_SIMILAR_READER, IntakeFlag,
    IntakeFlags, KeyClaim, PartnerGate, StoredResponse,
};

pub type ChannelId = Id<PartnerChannel>;

code_enum!(
    /// What kind of platform a channel is.
    ChannelKind, "channel kind", {
    IdeaBox = "idea_box", EPeople = "e_people", LocalGovernment = "local_government", Other = "other",
});

code_enum!(
    /// Whether a channel's machines may act: a suspended channel's tokens stop working at once.
    ChannelStatus, "channel status", {
    Active = "active", Suspended = "suspended",
});

/// A channel's short code: 2-40 lower-case ASCII letters, digits, `-` and `_`. Its proposals carry the
/// channel `partner:<code>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChannelCode(String);

impl ChannelCode {
    /// # Errors
    /// A message unless it is 2-40 lower-case ASCII letters, digits, `-` or `_`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let ok = (2..=40).contains(&raw.len())
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err("must be 2-40 lower-case ASCII letters, digits, '-' or '_'".to_owned())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The channel its proposals carry.
    pub fn proposal_channel(&self) -> crate::proposal::Channel {
        crate::proposal::Channel::Partner(self.0.clone())
    }
}

/// A channel's display name or contact: one line, 1-200 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line(String);

impl Line {
    /// # Errors
    /// [`TextError`] for an empty, overlong or multi-line value.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        text::single_line(raw, 1, 200).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A partner platform. Its proposals are authored, on the record, by its service account
/// (`service_user_id`): the partner's own users are people OCF does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerChannel {
    pub id: ChannelId,
    pub code: ChannelCode,
    pub name: Line,
    pub kind: ChannelKind,
    pub base_url: HttpsUrl,
    /// Who to call when something goes wrong: a name, an email or a telephone number.
    pub contact: Line,
    pub status: ChannelStatus,
    pub service_user_id: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What an admin changes about a channel; `None` keeps a field. The code never changes: proposals
/// carry it.
#[derive(Debug, Clone, Default)]
pub struct ChannelChange {
    pub name: Option<Line>,
    pub kind: Option<ChannelKind>,
    pub base_url: Option<HttpsUrl>,
    pub contact: Option<Line>,
    pub status: Option<ChannelStatus>,
}

impl PartnerChannel {
    /// A new, active channel with a fresh service account id.
    pub fn new(
        code: ChannelCode,
        name: Line,
        kind: ChannelKind,
        base_url: HttpsUrl,
        contact: Line,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: Id::generate(),
            code,
            name,
            kind,
            base_url,
            contact,
            status: ChannelStatus::Active,
            service_user_id: Id::generate(),
            created_at: now,
            updated_at: now,
        }
    }

    pub fn apply(&mut self, change: ChannelChange, now: DateTime<Utc>) {
        if let Some(v) = change.name {
            self.name = v;
        }
        if let Some(v) = change.kind {
            self.kind = v;
        }
        if let Some(v) = change.base_url {
            self.base_url = v;
        }
        if let Some(v) = change.contact {
            self.contact = v;
        }
        if let Some(v) = change.status {
            self.status = v;
        }
        self.updated_at = now;
    }

    pub fn is_active(&self) -> bool {
        self.status == ChannelStatus::Active
    }
}
