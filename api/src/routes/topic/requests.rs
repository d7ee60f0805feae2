//! What topic endpoints accept.

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::extract::double_option;
use crate::routes::proposal::tag_list;

/// A new topic: a problem or inconvenience worth a public forum.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTopicRequest {
    /// 5-150 characters after trimming, one line.
    #[schema(
        example = "골목길 불법 주차로 소방차가 못 지나갑니다",
        min_length = 5,
        max_length = 150,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub title: String,
    /// What the problem is and whom it affects: 20-10,000 characters after trimming; line breaks allowed.
    #[schema(
        example = "주택가 골목길마다 불법 주차가 많아 화재가 나도 소방차가 들어가지 못합니다.",
        min_length = 20,
        max_length = 10000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub description: String,
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
}

/// An author's edit: name at least one field; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1)]
pub struct UpdateTopicRequest {
    /// New title, 5-150 characters after trimming, one line.
    #[schema(value_type = String, example = "골목길 불법 주차", min_length = 5, max_length = 150, pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub title: Option<String>,
    /// New description, 20-10,000 characters after trimming.
    #[schema(value_type = String, example = "주택가 골목길마다 불법 주차가 많아 소방차가 들어가지 못합니다.", min_length = 20, max_length = 10000, pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub description: Option<String>,
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

/// A staff decision on the agenda.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicStatusRequest {
    /// The new status.
    #[schema(value_type = crate::vocab::TopicStatus, example = "shortlisted")]
    pub status: String,
    /// Why, 1-2,000 characters after trimming; required for `declined`, shown on the public timeline.
    #[schema(value_type = String, example = "다음 분기 토론 주제로 선정했습니다.", min_length = 1, max_length = 2000, pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TopicsQuery {
    /// Only topics in this status.
    #[param(value_type = Option<crate::vocab::TopicStatus>, example = "suggested")]
    pub status: Option<String>,
    /// Only this policy area (code).
    #[param(example = "transport-logistics")]
    pub policy_area: Option<String>,
    /// Only this region.
    #[param(value_type = Option<crate::vocab::Region>, example = "seoul")]
    pub region: Option<String>,
    /// Only topics with this tag (compared lower-cased).
    #[param(
        example = "주차",
        min_length = 1,
        max_length = 30,
        pattern = r"^[^#,\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^#,\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^#,\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub tag: Option<String>,
    /// Full-text search in title and description, Korean or English (e.g. `주차`): 2-200 characters.
    /// Every term must match; a query without letters or digits matches nothing.
    #[param(example = "주차", min_length = 2, max_length = 200)]
    pub q: Option<String>,
    /// The order; `most_voted` by default.
    #[param(value_type = Option<crate::vocab::TopicSort>, example = "most_voted")]
    pub sort: Option<String>,
    /// Page size, 1-100 (default 20).
    #[param(example = 20, minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page (with the same filters and sort).
    pub cursor: Option<String>,
}
