//! What the channel endpoints answer and accept.

use chrono::{DateTime, Utc};
use ocf_domain::partner::record::ChannelPresence;
use ocf_domain::partner::{ChannelRecord, Credential, PartnerChannel};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A partner platform that pushes proposals in and reads their status out.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelView {
    /// The channel's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub id: String,
    /// Short unique code; its proposals carry the channel `partner:<code>`. Never changes.
    #[schema(example = "idea_box", pattern = "^[a-z0-9_-]{2,40}$")]
    pub code: String,
    /// Display name.
    #[schema(example = "국민생각함")]
    pub name: String,
    /// What kind of platform it is.
    pub kind: crate::vocab::ChannelKind,
    /// The platform's address.
    #[schema(example = "https://idea.epeople.go.kr")]
    pub base_url: String,
    /// Who to call when something goes wrong.
    #[schema(example = "운영팀 02-2100-0000")]
    pub contact: String,
    /// `suspended` stops its machine tokens at once.
    pub status: crate::vocab::ChannelStatus,
    /// The service account its proposals are authored by on the record.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub service_user_id: String,
    /// When it was created (RFC 3339, UTC).
    #[schema(example = "2026-12-02T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it last changed (RFC 3339, UTC).
    #[schema(example = "2026-12-02T09:30:00Z")]
    pub updated_at: DateTime<Utc>,
}

impl From<PartnerChannel> for ChannelView {
    fn from(c: PartnerChannel) -> Self {
        Self {
            id: c.id.to_string(),
            code: c.code.as_str().to_owned(),
            name: c.name.as_str().to_owned(),
            kind: c.kind.into(),
            base_url: c.base_url.as_str().to_owned(),
            contact: c.contact.as_str().to_owned(),
            status: c.status.into(),
            service_user_id: c.service_user_id.to_string(),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// A new channel (it starts `active`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateChannelRequest {
    /// 2-40 lower-case ASCII letters, digits, `-` or `_`; never changes.
    #[schema(
        example = "idea_box",
        min_length = 2,
        max_length = 40,
        pattern = "^[a-z0-9_-]{2,40}$"
    )]
    pub code: String,
    /// Display name, 1-200 characters after trimming, one line.
    #[schema(
        example = "국민생각함",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub name: String,
    /// What kind of platform it is.
    #[schema(value_type = crate::vocab::ChannelKind, example = "idea_box")]
    pub kind: String,
    /// The platform's `https://` address, at most 2,000 characters.
    #[schema(
        example = "https://idea.epeople.go.kr",
        max_length = 2000,
        pattern = "^https://"
    )]
    pub base_url: String,
    /// Who to call, 1-200 characters after trimming, one line.
    #[schema(
        example = "운영팀 02-2100-0000",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub contact: String,
}

/// A change to a channel: name at least one field; absent fields stay as they are. The code never changes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1, example = json!({"status": "suspended"}))]
pub struct UpdateChannelRequest {
    /// New display name, 1-200 characters after trimming, one line.
    #[schema(value_type = String, example = "국민생각함", min_length = 1, max_length = 200, pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub name: Option<String>,
    /// New kind.
    #[schema(value_type = crate::vocab::ChannelKind, example = "e_people")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub kind: Option<String>,
    /// New `https://` address.
    #[schema(value_type = String, example = "https://www.epeople.go.kr", max_length = 2000, pattern = "^https://")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub base_url: Option<String>,
    /// New contact, 1-200 characters after trimming, one line.
    #[schema(value_type = String, example = "운영팀 02-2100-0000", min_length = 1, max_length = 200, pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub contact: Option<String>,
    /// `suspended` stops the channel's tokens at once; `active` lets them work again.
    #[schema(value_type = crate::vocab::ChannelStatus, example = "suspended")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub status: Option<String>,
}

/// A machine credential, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct CredentialView {
    /// The credential's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub id: String,
    /// The channel it belongs to.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub channel_id: String,
    /// Public: the HTTP Basic user name at `POST /oauth/token`.
    #[schema(example = "ocf_3q2-7wXjKkR1b0cT9yZ8aQ")]
    pub client_id: String,
    /// The most a token issued to it may carry.
    pub scopes: Vec<crate::vocab::Scope>,
    /// When it was created (RFC 3339, UTC).
    #[schema(example = "2026-12-02T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When its secret was last rotated, or `null`.
    #[schema(example = json!(null), required = true)]
    pub rotated_at: Option<DateTime<Utc>>,
    /// Until then the secret before the last rotation still works; `null` when there is none.
    #[schema(example = json!(null), required = true)]
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    /// When it was revoked (it then never works again), or `null`.
    #[schema(example = json!(null), required = true)]
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it last obtained a token, or `null`.
    #[schema(example = json!(null), required = true)]
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<Credential> for CredentialView {
    fn from(c: Credential) -> Self {
        Self {
            id: c.id.to_string(),
            channel_id: c.channel_id.to_string(),
            client_id: c.client_id,
            scopes: c
                .scopes
                .iter()
                .filter_map(|s| s.parse::<ocf_domain::partner::Scope>().ok())
                .map(crate::vocab::Scope::from)
                .collect(),
            created_at: c.created_at,
            rotated_at: c.rotated_at,
            previous_secret_expires_at: c.previous_expires_at,
            revoked_at: c.revoked_at,
            last_used_at: c.last_used_at,
        }
    }
}

/// A credential with its secret: shown this once, stored only hashed.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedCredential {
    /// The credential.
    pub credential: CredentialView,
    /// The secret (HTTP Basic password at `POST /oauth/token`). Keep it safe: it is never shown again.
    #[schema(example = "ocfs_kV3m0Qw9cYt2pX7rL1nB5sD8fG4hJ6kZ0aE2iU9oW3y")]
    pub client_secret: String,
}

/// A channel's credentials, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CredentialList {
    /// Every credential, revoked ones included.
    #[schema(max_items = 1000)]
    pub items: Vec<CredentialView>,
}

/// A new credential.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCredentialRequest {
    /// The scopes tokens may carry; all three when left out.
    #[schema(schema_with = scope_list)]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub scopes: Option<Vec<String>>,
}

/// A secret rotation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateCredentialRequest {
    /// How long the replaced secret keeps working, in seconds: 0-604800 (7 days); 86400 (a day) when
    /// left out.
    #[schema(value_type = u32, minimum = 0, maximum = 604_800, example = 86_400)]
    #[serde(default, deserialize_with = "crate::extract::non_null_integer")]
    pub overlap_seconds: Option<u32>,
}

/// A channel the proposal lives on: the partner's record, its provenance and its own support count.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelPresenceView {
    /// The channel's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub channel_id: String,
    /// The channel, as proposals name it.
    #[schema(example = "partner:idea_box")]
    pub channel: String,
    /// The partner's own id for the record.
    #[schema(example = "IB-2026-000123")]
    pub external_id: String,
    /// Whether the proposal came in through this record (`false`: linked afterwards).
    pub origin: bool,
    /// The record on the partner's site, or `null`.
    #[schema(example = "https://idea.epeople.go.kr/ideas/123", required = true)]
    pub external_url: Option<String>,
    /// Supports the partner counted on its own platform, apart from OCF's one-per-person supports; `null`
    /// when it reported none.
    #[schema(example = 412, required = true, minimum = 0)]
    pub partner_support_count: Option<i64>,
    /// When the record was created on the partner's side, as it says, or `null`.
    #[schema(example = "2026-11-30T12:00:00Z", required = true)]
    pub partner_created_at: Option<DateTime<Utc>>,
    /// When the record last changed on the partner's side, as it says, or `null`.
    #[schema(example = "2026-12-01T08:00:00Z", required = true)]
    pub partner_updated_at: Option<DateTime<Utc>>,
    /// When OCF first stored the record (RFC 3339, UTC).
    #[schema(example = "2026-12-02T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When OCF last stored a change to it (RFC 3339, UTC).
    #[schema(example = "2026-12-02T09:30:00Z")]
    pub updated_at: DateTime<Utc>,
}

impl From<ChannelPresence> for ChannelPresenceView {
    fn from(p: ChannelPresence) -> Self {
        let ChannelPresence {
            channel_id,
            channel_code,
            record,
        } = p;
        let mut view = Self::from_record(record);
        view.channel_id = channel_id.to_string();
        view.channel = format!("partner:{channel_code}");
        view
    }
}

impl ChannelPresenceView {
    /// The record's fields (`channel` is left for the caller, who knows the code).
    pub fn from_record(r: ChannelRecord) -> Self {
        Self {
            channel_id: r.channel_id.to_string(),
            channel: String::new(),
            external_id: r.external_id.as_str().to_owned(),
            origin: r.origin,
            external_url: r.provenance.external_url.map(|u| u.as_str().to_owned()),
            partner_support_count: r.provenance.partner_support_count,
            partner_created_at: r.provenance.partner_created_at,
            partner_updated_at: r.provenance.partner_updated_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// 1-3 distinct scopes.
fn scope_list() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(utoipa::openapi::Ref::from_schema_name("Scope"))
        .min_items(Some(1))
        .max_items(Some(3))
        .unique_items(true)
        .description(Some(
            "The scopes tokens may carry, each once; all three when left out.",
        ))
        .build()
}
