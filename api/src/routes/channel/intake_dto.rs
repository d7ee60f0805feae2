//! What the partner intake endpoints answer and accept.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ChannelPresenceView;

/// A partner's record: the proposal's content and the partner's provenance.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerProposalRequest {
    /// 5-150 characters after trimming, one line.
    #[schema(
        example = "아파트 주차장을 낮 시간에 이웃과 공유해요",
        min_length = 5,
        max_length = 150,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub title: String,
    /// 20-10,000 characters after trimming; line breaks allowed.
    #[schema(
        example = "낮 시간에 비어 있는 아파트 주차장을 인근 주민과 상점 이용객에게 개방하면 골목 주차 문제가 줄어듭니다.",
        min_length = 20,
        max_length = 10000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub body: String,
    /// A policy area code from `GET /policy-areas`.
    #[schema(example = "transport-logistics")]
    pub policy_area: String,
    /// Where it applies; leave out when it does not matter.
    #[schema(value_type = crate::vocab::Region, example = "seoul")]
    #[serde(
        default,
        deserialize_with = "crate::extract::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub region: Option<String>,
    /// Up to 10 labels.
    #[serde(default)]
    #[schema(schema_with = crate::routes::proposal::tag_list)]
    pub tags: Vec<String>,
    /// The record on the partner's site: an `https://` URL of at most 2,000 characters.
    #[schema(value_type = String, example = "https://idea.epeople.go.kr/ideas/123", max_length = 2000, pattern = "^https://")]
    #[serde(
        default,
        deserialize_with = "crate::extract::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub external_url: Option<String>,
    /// When the record was created on the partner's side (RFC 3339); kept beside OCF's own time.
    #[schema(value_type = String, format = DateTime, example = "2026-11-30T12:00:00Z")]
    #[serde(
        default,
        deserialize_with = "crate::extract::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub partner_created_at: Option<DateTime<Utc>>,
    /// When the record last changed on the partner's side (RFC 3339).
    #[schema(value_type = String, format = DateTime, example = "2026-12-01T08:00:00Z")]
    #[serde(
        default,
        deserialize_with = "crate::extract::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub partner_updated_at: Option<DateTime<Utc>>,
    /// Supports the partner counted on its own platform, 0-1,000,000,000; shown per channel, apart from
    /// OCF's one-per-person supports.
    #[schema(value_type = i64, minimum = 0, maximum = 1_000_000_000, example = 412)]
    #[serde(
        default,
        deserialize_with = "crate::extract::non_null_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub partner_support_count: Option<i64>,
}

/// One line of a bulk import: a partner's record (as `PUT` takes it) and its external id.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkLine {
    /// The partner's own id for the record: 1-128 ASCII letters, digits and `. _ ~ : @ -` (not `bulk`).
    #[schema(
        example = "IB-2026-000123",
        min_length = 1,
        max_length = 128,
        pattern = r"^[A-Za-z0-9._~:@-]{1,128}$"
    )]
    pub external_id: String,
    /// 5-150 characters after trimming, one line.
    #[schema(
        example = "아파트 주차장을 낮 시간에 이웃과 공유해요",
        min_length = 5,
        max_length = 150,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub title: String,
    /// 20-10,000 characters after trimming; line breaks allowed.
    #[schema(
        example = "낮 시간에 비어 있는 아파트 주차장을 인근 주민과 상점 이용객에게 개방하면 골목 주차 문제가 줄어듭니다.",
        min_length = 20,
        max_length = 10000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub body: String,
    /// A policy area code from `GET /policy-areas`.
    #[schema(example = "transport-logistics")]
    pub policy_area: String,
    /// Where it applies; leave out when it does not matter.
    #[schema(value_type = crate::vocab::Region, example = "seoul")]
    #[serde(
        default,
        deserialize_with = "crate::extract::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub region: Option<String>,
    /// Up to 10 labels.
    #[serde(default)]
    #[schema(schema_with = crate::routes::proposal::tag_list)]
    pub tags: Vec<String>,
    /// The record on the partner's site: an `https://` URL of at most 2,000 characters.
    #[schema(value_type = String, example = "https://idea.epeople.go.kr/ideas/123", max_length = 2000, pattern = "^https://")]
    #[serde(
        default,
        deserialize_with = "crate::extract::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub external_url: Option<String>,
    /// When the record was created on the partner's side (RFC 3339); kept beside OCF's own time.
    #[schema(value_type = String, format = DateTime, example = "2026-11-30T12:00:00Z")]
    #[serde(
        default,
        deserialize_with = "crate::extract::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub partner_created_at: Option<DateTime<Utc>>,
    /// When the record last changed on the partner's side (RFC 3339).
    #[schema(value_type = String, format = DateTime, example = "2026-12-01T08:00:00Z")]
    #[serde(
        default,
        deserialize_with = "crate::extract::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub partner_updated_at: Option<DateTime<Utc>>,
    /// Supports the partner counted on its own platform, 0-1,000,000,000; shown per channel, apart from
    /// OCF's one-per-person supports.
    #[schema(value_type = i64, minimum = 0, maximum = 1_000_000_000, example = 412)]
    #[serde(
        default,
        deserialize_with = "crate::extract::non_null_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub partner_support_count: Option<i64>,
}

impl BulkLine {
    /// The external id, and the record as `PUT` would take it (so both fingerprint it alike).
    pub fn split(self) -> (String, PartnerProposalRequest) {
        (
            self.external_id,
            PartnerProposalRequest {
                title: self.title,
                body: self.body,
                policy_area: self.policy_area,
                region: self.region,
                tags: self.tags,
                external_url: self.external_url,
                partner_created_at: self.partner_created_at,
                partner_updated_at: self.partner_updated_at,
                partner_support_count: self.partner_support_count,
            },
        )
    }
}

/// The proposal a record maps to, as it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordProposal {
    /// The proposal's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub id: String,
    /// Its place in the funnel.
    pub status: crate::vocab::ProposalStatus,
    /// OCF's own supports (one per person).
    #[schema(example = 17, minimum = 0)]
    pub support_count: i64,
}

/// A referral of the proposal, as a partner follows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordReferral {
    /// The referral's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub id: String,
    /// Its official document number.
    #[schema(example = "OCF-2026-000123")]
    pub number: String,
    /// The organization that holds it now.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub organization_id: String,
    /// Where it stands.
    pub status: crate::vocab::ReferralStatus,
    /// The answer's decision, or `null` before the answer.
    #[schema(required = true)]
    pub decision: Option<crate::vocab::Decision>,
    /// When the answer is due (RFC 3339, UTC).
    #[schema(example = "2026-12-31T14:59:59Z")]
    pub due_at: DateTime<Utc>,
}

/// A partner's record and what became of it: its proposal, the survivor when it was merged, and the
/// referrals of the proposal that carries the idea now.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerRecordView {
    /// The record and its provenance.
    pub record: ChannelPresenceView,
    /// What happened on the last write: `created`, `updated` or `unchanged`; `null` on a read.
    #[schema(value_type = Option<String>, example = "created", required = true)]
    pub outcome: Option<&'static str>,
    /// The proposal the record maps to.
    pub proposal: RecordProposal,
    /// When it was merged, the proposal that carries the idea now (following every merge); else `null`.
    #[schema(required = true)]
    pub current: Option<RecordProposal>,
    /// Referrals of the proposal that carries the idea now, newest first (at most 20).
    #[schema(max_items = 20)]
    pub referrals: Vec<RecordReferral>,
}
