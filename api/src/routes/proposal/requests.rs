//! What proposal endpoints accept.

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use ocf_domain::values::Tags;

use crate::extract::double_option;

/// Up to 10 tags of 1-30 characters (after trimming, one line) without `#` or `,`. Tags are stored
/// lower-cased, without repeats, and sorted.
pub fn tag_list() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(30))
                .pattern(Some(r"^[^#,\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^#,\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^#,\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$")),
        )
        .max_items(Some(Tags::MAX))
        .description(Some(
            "Up to 10 labels of 1-30 characters without `#` or `,`; stored lower-cased, without \
repeats, and sorted.",
        ))
        .examples([serde_json::json!(["주차"])])
        .build()
}

/// A new proposal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProposalRequest {
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
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub region: Option<String>,
    /// Up to 10 labels.
    #[serde(default)]
    #[schema(schema_with = tag_list)]
    pub tags: Vec<String>,
    /// The topic this proposal answers (an identifier).
    #[schema(value_type = String, format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub topic_id: Option<String>,
    /// The forum this proposal came out of (an identifier).
    #[schema(value_type = String, format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub forum_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProposalsQuery {
    /// Only proposals in this status.
    #[param(value_type = Option<crate::vocab::ProposalStatus>, example = "submitted")]
    pub status: Option<String>,
    /// Only this policy area (code).
    #[param(example = "transport-logistics")]
    pub policy_area: Option<String>,
    /// Only this region.
    #[param(value_type = Option<crate::vocab::Region>, example = "seoul")]
    pub region: Option<String>,
    /// Only proposals with this tag (compared lower-cased).
    #[param(
        example = "주차",
        min_length = 1,
        max_length = 30,
        pattern = r"^[^#,\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^#,\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^#,\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub tag: Option<String>,
    /// Only this channel: `web`, `offline`, `offline_forum` or `partner:<code>`.
    #[param(
        example = "web",
        pattern = "^(web|offline|partner:[A-Za-z0-9_-]{1,40})$"
    )]
    pub channel: Option<String>,
    /// `me` for the caller's own proposals (needs a token); moderators may pass an account id.
    #[param(
        pattern = r"^(me|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
    )]
    pub author: Option<String>,
    /// Only proposals answering this topic.
    #[param(format = Uuid)]
    pub topic_id: Option<String>,
    /// Only proposals from this forum.
    #[param(format = Uuid)]
    pub forum_id: Option<String>,
    /// Only proposals submitted after this time (RFC 3339).
    #[param(value_type = Option<DateTime<Utc>>, example = "2026-01-01T00:00:00Z")]
    pub created_after: Option<String>,
    /// Only proposals submitted before this time (RFC 3339).
    #[param(value_type = Option<DateTime<Utc>>, example = "2099-12-31T23:59:59Z")]
    pub created_before: Option<String>,
    /// Full-text search in title and body, Korean or English (e.g. `주차`): 2-200 characters. Every term
    /// must match; a query without letters or digits matches nothing.
    #[param(example = "주차", min_length = 2, max_length = 200)]
    pub q: Option<String>,
    /// The order; `newest` by default.
    #[param(value_type = Option<crate::vocab::ProposalSort>, example = "newest")]
    pub sort: Option<String>,
    /// Page size, 1-100 (default 20).
    #[param(example = 20, minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page (with the same filters and sort).
    pub cursor: Option<String>,
}

/// An author's edit: name at least one field; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1)]
pub struct UpdateProposalRequest {
    /// New title, 5-150 characters after trimming, one line.
    #[schema(value_type = String, example = "아파트 주차장 낮 시간 공유", min_length = 5, max_length = 150, pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub title: Option<String>,
    /// New body, 20-10,000 characters after trimming.
    #[schema(
        value_type = String,
        example = "낮 시간에 비어 있는 아파트 주차장을 개방하면 골목 주차 문제가 줄어듭니다.",
        min_length = 20,
        max_length = 10000, pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub body: Option<String>,
    /// New policy area code.
    #[schema(value_type = String, example = "transport-logistics")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub policy_area: Option<String>,
    /// New region; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<crate::vocab::Region>, example = "busan")]
    pub region: Option<Option<String>>,
    /// New tags, replacing all.
    #[schema(schema_with = tag_list)]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub tags: Option<Vec<String>>,
}

/// A draft to check against existing proposals.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SimilarRequest {
    /// The draft title, 2-150 characters after trimming, one line.
    #[schema(
        example = "아파트 주차장 공유",
        min_length = 2,
        max_length = 150,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub title: String,
    /// The draft body so far (optional, up to 10,000 characters).
    #[serde(default)]
    #[schema(
        example = "낮에 비어 있는 주차장을 이웃에게 열어 주세요",
        max_length = 10000
    )]
    pub body: String,
}

/// A staff decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeStatusRequest {
    /// The new status.
    #[schema(value_type = crate::vocab::ReviewStatus, example = "under_review")]
    pub status: String,
    /// Why, 1-2,000 characters after trimming; required for `rejected`, shown on the public timeline.
    #[schema(value_type = String, example = "검토를 시작합니다.", min_length = 1, max_length = 2000, pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub reason: Option<String>,
}

/// Which proposal survives a merge, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The surviving proposal's id.
    #[schema(format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub into: String,
    /// Why they are duplicates, 1-2,000 characters after trimming; shown on both timelines.
    #[schema(
        example = "같은 내용의 제안입니다.",
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub reason: String,
}

/// A report of a proposal that breaks the rules.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// What is wrong, 1-1,000 characters after trimming.
    #[schema(
        example = "개인정보가 포함되어 있습니다.",
        min_length = 1,
        max_length = 1000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub reason: String,
}
