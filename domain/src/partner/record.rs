//! A partner's record and the proposal it maps to: the partner's own id, URL, timestamps and support
//! count, kept beside OCF's own (provenance).

use chrono::{DateTime, Utc};

use super::ChannelId;
use crate::proposal::ProposalId;
use crate::values::HttpsUrl;

/// The one external id a partner cannot use: its path is the bulk import's.
pub const RESERVED: &str = "bulk";

/// The longest external id, in characters.
pub const EXTERNAL_ID_MAX: usize = 128;

/// A partner's own id for a record: 1-128 ASCII letters, digits and `. _ ~ : @ -` (safe in a URL path).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExternalId(String);

impl ExternalId {
    /// # Errors
    /// A message unless it is 1-128 ASCII letters, digits, `.`, `_`, `~`, `:`, `@` or `-`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let ok = (1..=EXTERNAL_ID_MAX).contains(&raw.len())
            && raw.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '~' | ':' | '@' | '-')
            });
        if !ok {
            return Err(
                "must be 1-128 ASCII letters, digits, '.', '_', '~', ':', '@' or '-'".to_owned(),
            );
        }
        if raw == RESERVED {
            return Err(format!(
                "'{RESERVED}' is reserved (POST .../proposals/{RESERVED} is the bulk import)"
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a partner says about its record besides the proposal's content.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Provenance {
    pub external_url: Option<HttpsUrl>,
    pub partner_created_at: Option<DateTime<Utc>>,
    pub partner_updated_at: Option<DateTime<Utc>>,
    /// Supports the partner counted on its own platform (not OCF's one-per-person supports).
    pub partner_support_count: Option<i64>,
}

/// A partner record as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRecord {
    pub channel_id: ChannelId,
    pub external_id: ExternalId,
    pub proposal_id: ProposalId,
    /// Whether the proposal came in through this record (`true`), or the record was linked to a proposal
    /// that already existed (`false`): only an origin record's content edits its proposal.
    pub origin: bool,
    pub provenance: Provenance,
    /// A digest of everything the partner last sent, to tell an unchanged re-send at once.
    pub fingerprint: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A record as shown on its proposal: with its channel's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelPresence {
    pub channel_id: ChannelId,
    pub channel_code: String,
    pub record: ChannelRecord,
}
