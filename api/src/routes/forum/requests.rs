//! What forum endpoints accept.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::parts::{AgendaItemRequest, SpeakerRequest, VenueRequest};
use crate::extract::double_option;

/// At most 50 recommendations of 1-2,000 characters each.
fn recommendation_list() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(2000))
                .pattern(Some(r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$")),
        )
        .max_items(Some(ocf_domain::forum::outcome::MAX_RECOMMENDATIONS))
        .description(Some("What the forum recommends: at most 50, each 1-2,000 characters."))
        .examples([serde_json::json!(["여객선 공영제 확대"])])
        .build()
}

/// A new forum. It starts as a `draft`, seen only by those who manage it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateForumRequest {
    /// What kind of forum it is.
    #[schema(value_type = crate::vocab::ForumKind, example = "regional_conference")]
    pub kind: String,
    /// `offline` and `hybrid` need a `venue`; `online` must not have one.
    #[schema(value_type = crate::vocab::ForumMode, example = "hybrid")]
    pub mode: String,
    /// 5-150 characters after trimming, one line.
    #[schema(
        example = "섬 지역 교통 문제 지역 토론회",
        min_length = 5,
        max_length = 150,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub title: String,
    /// 20-10,000 characters after trimming; line breaks allowed.
    #[schema(
        example = "섬 주민의 교통 불편을 시민, 전문가, 공무원이 함께 논의합니다.",
        min_length = 20,
        max_length = 10000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub description: String,
    /// The hosting organization; officials may leave it out (their own), moderators and admins name one.
    #[schema(value_type = String, format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub organization_id: Option<String>,
    /// A policy area code from `GET /policy-areas`.
    #[schema(example = "transport-logistics")]
    pub policy_area: String,
    /// Topics to discuss, each `shortlisted` (they move to `scheduled`); at most 10.
    #[serde(default)]
    #[schema(value_type = Vec<uuid::Uuid>, max_items = 10, example = json!([]))]
    pub topic_ids: Vec<String>,
    /// Where it meets: required for offline and hybrid forums, left out for online ones.
    #[schema(value_type = VenueRequest)]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub venue: Option<VenueRequest>,
    /// When it starts (RFC 3339; stored in UTC, shown in Asia/Seoul by clients).
    #[schema(example = "2026-12-10T05:00:00Z")]
    pub starts_at: DateTime<Utc>,
    /// When it ends: after `starts_at`, at most 7 days later.
    #[schema(example = "2026-12-10T07:00:00Z")]
    pub ends_at: DateTime<Utc>,
    /// Registration opens then; left out, as soon as the forum is scheduled.
    #[schema(value_type = String, format = DateTime, example = "2026-12-01T00:00:00Z")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub registration_opens_at: Option<DateTime<Utc>>,
    /// Registration closes then (not after `starts_at`); left out, when the forum starts.
    #[schema(value_type = String, format = DateTime, example = "2026-12-09T15:00:00Z")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub registration_closes_at: Option<DateTime<Utc>>,
    /// Seats, 1-100,000; left out, no limit. Past it, registrations are waitlisted.
    #[schema(value_type = i64, example = 120, minimum = 1, maximum = 100000)]
    #[serde(default, deserialize_with = "crate::extract::non_null_integer")]
    pub capacity: Option<i64>,
    /// An `https://` URL; online and hybrid forums need one before they go live.
    #[schema(
        value_type = String,
        example = "https://tv.example.go.kr/live/island-2026",
        max_length = 2000,
        pattern = "^https://"
    )]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub livestream_url: Option<String>,
    /// At most 30 speakers.
    #[serde(default)]
    #[schema(max_items = 30)]
    pub panel: Vec<SpeakerRequest>,
    /// At most 50 items.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub agenda: Vec<AgendaItemRequest>,
}

/// A manager's edit: name at least one field; absent fields stay, `null` clears an optional one. Once
/// the forum is live, `kind`, `mode`, `venue`, `starts_at`, the registration window and `capacity` are
/// locked (`409 forum_field_locked`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1)]
pub struct UpdateForumRequest {
    /// New kind.
    #[schema(value_type = crate::vocab::ForumKind, example = "policy_conference")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub kind: Option<String>,
    /// New mode.
    #[schema(value_type = crate::vocab::ForumMode, example = "online")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub mode: Option<String>,
    /// New title, 5-150 characters after trimming, one line.
    #[schema(value_type = String, example = "섬 지역 교통 문제 토론회", min_length = 5, max_length = 150, pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub title: Option<String>,
    /// New description, 20-10,000 characters after trimming.
    #[schema(value_type = String, example = "섬 주민의 교통 불편을 함께 논의합니다. 누구나 참여할 수 있습니다.", min_length = 20, max_length = 10000, pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub description: Option<String>,
    /// New policy area code.
    #[schema(value_type = String, example = "transport-logistics")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub policy_area: Option<String>,
    /// Every linked topic and any new ones (shortlisted); topics cannot be unlinked.
    #[schema(value_type = Vec<uuid::Uuid>, max_items = 10)]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub topic_ids: Option<Vec<String>>,
    /// New venue; `null` removes it (for a forum becoming online).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<VenueRequest>)]
    pub venue: Option<Option<VenueRequest>>,
    /// New start (RFC 3339); locked once live.
    #[schema(value_type = String, format = DateTime, example = "2026-12-10T05:00:00Z")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub starts_at: Option<DateTime<Utc>>,
    /// New end (RFC 3339).
    #[schema(value_type = String, format = DateTime, example = "2026-12-10T08:00:00Z")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub ends_at: Option<DateTime<Utc>>,
    /// When registration opens; `null`: as soon as scheduled.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = DateTime, example = "2026-12-01T00:00:00Z")]
    pub registration_opens_at: Option<Option<DateTime<Utc>>>,
    /// When registration closes; `null`: at the start.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = DateTime, example = "2026-12-09T15:00:00Z")]
    pub registration_closes_at: Option<Option<DateTime<Utc>>>,
    /// Seats, 1-100,000; `null` is no limit. A larger capacity seats the waitlist.
    #[serde(default, deserialize_with = "crate::extract::double_option_integer")]
    #[schema(value_type = Option<i64>, example = 150, minimum = 1, maximum = 100000)]
    pub capacity: Option<Option<i64>>,
    /// The stream, an `https://` URL; `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, example = "https://tv.example.go.kr/live/island-2026", max_length = 2000, pattern = "^https://")]
    pub livestream_url: Option<Option<String>>,
    /// Replaces the panel.
    #[schema(value_type = Vec<SpeakerRequest>, max_items = 30)]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub panel: Option<Vec<SpeakerRequest>>,
    /// Replaces the agenda.
    #[schema(value_type = Vec<AgendaItemRequest>, max_items = 50)]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub agenda: Option<Vec<AgendaItemRequest>>,
}

/// A manager moves the forum: `scheduled`, `live`, `ended`, or `cancelled` (with a reason) before
/// `live`. A forum becomes `reported` by its outcome.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForumStatusRequest {
    /// The new status.
    #[schema(value_type = crate::vocab::ForumStatus, example = "scheduled")]
    pub status: String,
    /// Why, 1-2,000 characters; required for `cancelled`, shown on the public timeline.
    #[schema(value_type = String, example = "태풍 예보로 취소합니다.", min_length = 1, max_length = 2000, pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ForumsQuery {
    /// Only forums in this status (`draft`: managers only).
    #[param(value_type = Option<crate::vocab::ForumStatus>, example = "scheduled")]
    pub status: Option<String>,
    #[param(value_type = Option<crate::vocab::ForumKind>, example = "open_forum")]
    pub kind: Option<String>,
    #[param(value_type = Option<crate::vocab::ForumMode>, example = "hybrid")]
    pub mode: Option<String>,
    /// Only forums whose venue is in this region.
    #[param(value_type = Option<crate::vocab::Region>, example = "jeonnam")]
    pub region: Option<String>,
    /// Only forums discussing this topic.
    #[param(format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub topic_id: Option<String>,
    /// Only forums hosted by this organization.
    #[param(format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub organization_id: Option<String>,
    /// Starting at or after (RFC 3339).
    #[param(format = DateTime, example = "2026-12-01T00:00:00Z")]
    pub from: Option<String>,
    /// Starting before (RFC 3339).
    #[param(format = DateTime, example = "2027-01-01T00:00:00Z")]
    pub to: Option<String>,
    /// `upcoming` (not yet ended) or `past` (ended).
    #[param(example = "upcoming", pattern = "^(upcoming|past)$")]
    pub when: Option<String>,
    /// Full-text search in title and description: 2-200 characters.
    #[param(example = "교통", min_length = 2, max_length = 200)]
    pub q: Option<String>,
    /// The order; `starts_at` by default.
    #[param(value_type = Option<crate::vocab::ForumSort>, example = "starts_at")]
    pub sort: Option<String>,
    /// Page size, 1-100 (default 20).
    #[param(example = 20, minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page (with the same filters and sort).
    pub cursor: Option<String>,
}

/// Who attended, marked by staff once the forum is live or ended.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceRequest {
    /// 1-1,000 registrations of this forum.
    #[schema(value_type = Vec<uuid::Uuid>, min_items = 1, max_items = 1000, example = json!(["0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11"]))]
    pub registration_ids: Vec<String>,
    /// `true` marks them present, `false` absent.
    #[schema(example = true)]
    pub attended: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RegistrationsQuery {
    /// Only registrations in this status (staff).
    #[param(value_type = Option<crate::vocab::RegistrationStatus>, example = "waitlisted")]
    pub status: Option<String>,
    /// Page size, 1-100 (default 20).
    #[param(example = 20, minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The forum's outcome report.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRequest {
    /// What the forum concluded: 20-10,000 characters.
    #[schema(
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$",
        example = "섬 주민 이동권 보장을 위한 여객선 공영제 확대가 가장 많이 제안되었습니다.",
        min_length = 20,
        max_length = 10000
    )]
    pub summary: String,
    /// At most 50, each 1-2,000 characters.
    #[serde(default)]
    #[schema(schema_with = recommendation_list)]
    pub recommendations: Vec<String>,
    /// How many attended; left out, the attendance marked.
    #[schema(value_type = i64, example = 87, minimum = 0, maximum = 1000000)]
    #[serde(default, deserialize_with = "crate::extract::non_null_integer")]
    pub attendee_count: Option<i64>,
    /// Proposals born at the forum (each entered for this forum); at most 500.
    #[serde(default)]
    #[schema(value_type = Vec<uuid::Uuid>, max_items = 500, example = json!([]))]
    pub proposal_ids: Vec<String>,
}

/// An idea from the forum's paper cards or table notes, entered by staff on a participant's behalf.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForumProposalRequest {
    /// 5-150 characters after trimming, one line.
    #[schema(
        example = "섬 주민 여객선 요금 지원",
        min_length = 5,
        max_length = 150,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub title: String,
    /// 20-10,000 characters after trimming.
    #[schema(
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$",
        example = "섬 주민이 육지 병원에 갈 때 여객선 요금 부담이 큽니다. 요금을 지원해 주세요.",
        min_length = 20,
        max_length = 10000
    )]
    pub body: String,
    /// A policy area code.
    #[schema(example = "transport-logistics")]
    pub policy_area: String,
    /// Its region.
    #[schema(value_type = crate::vocab::Region, example = "jeonnam")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub region: Option<String>,
    #[serde(default)]
    #[schema(schema_with = crate::routes::proposal::tag_list)]
    pub tags: Vec<String>,
    /// The participant's name, if they gave it: 1-100 characters, for staff only, never public.
    #[schema(
        value_type = String,
        example = "박OO",
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub participant_name: Option<String>,
}
