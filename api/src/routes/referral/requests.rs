//! What referral endpoints accept. Calendar dates (`due_on`, `held_on`, ...) are days in Asia/Seoul,
//! `YYYY-MM-DD`; a due date ends at 23:59:59.999999 KST on that day.

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// Send a subject to an organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReferralRequest {
    /// A `selected` proposal or a `reported` forum (its outcome).
    #[schema(value_type = crate::vocab::ReferralSubjectKind, example = "proposal")]
    pub subject_kind: String,
    /// The proposal's or forum's id.
    #[schema(value_type = String, format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub subject_id: String,
    /// The competent organization (`GET /organizations`).
    #[schema(value_type = String, format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub organization_id: String,
    /// The cover note of the official document: 1-5,000 characters after trimming; line breaks allowed.
    #[schema(
        example = "국민제안 심사 결과 채택된 제안을 송부하오니 검토 후 회신하여 주시기 바랍니다.",
        min_length = 1,
        max_length = 5000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub cover_note: String,
    /// The due date, after today in Asia/Seoul and at most 90 days ahead; default 30 days on (the
    /// People's Proposal Regulation's one-month review).
    #[schema(value_type = String, format = Date, example = "2026-12-31", pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub due_on: Option<String>,
}

/// Confirm receipt.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeRequest {
    /// The division handling it: 1-200 characters, one line; public.
    #[schema(
        example = "교통정책과",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub division: String,
    /// Who to call about it inside the organization: 1-200 characters, one line. Shown only to staff and
    /// the organization's officials, never publicly.
    #[schema(
        value_type = String,
        example = "홍길동 사무관 044-000-0000",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub contact: Option<String>,
}

/// The organization's answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    /// `not_accepted` closes the referral (with the reasoning, in public).
    #[schema(value_type = crate::vocab::Decision, example = "accepted")]
    pub decision: String,
    /// Why: 1-5,000 characters after trimming.
    #[schema(
        example = "제안 취지에 공감하며 관련 제도 개선을 추진하겠습니다.",
        min_length = 1,
        max_length = 5000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub reasoning: String,
    /// What will be done: 1-5,000 characters; required unless `not_accepted`.
    #[schema(
        value_type = String,
        example = "2027년 상반기 시행령 개정",
        min_length = 1,
        max_length = 5000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub planned_measures: Option<String>,
    /// A national policy task number or similar reference: 1-100 characters, one line.
    #[schema(
        value_type = String,
        example = "국정과제 12",
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub policy_task: Option<String>,
    /// When it should be done, not in the past; required unless `not_accepted`.
    #[schema(value_type = String, format = Date, example = "2027-06-30", pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub expected_completion_on: Option<String>,
}

/// Extend the deadline, once per organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendRequest {
    /// Why: 1-5,000 characters after trimming; public.
    #[schema(
        example = "관계 부처 협의에 시간이 필요합니다.",
        min_length = 1,
        max_length = 5000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub reason: String,
    /// The new due date: after the current one and at most 30 days later.
    #[schema(value_type = String, format = Date, example = "2027-01-30", pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub due_on: String,
}

/// Pass the referral on to the competent organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    /// Another organization (`GET /organizations`).
    #[schema(value_type = String, format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub organization_id: String,
    /// Why: 1-5,000 characters after trimming; public.
    #[schema(
        example = "소관 부처가 아닙니다.",
        min_length = 1,
        max_length = 5000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub reason: String,
}

/// A person at a meeting, by role and organization (never a citizen's name).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantRequest {
    /// 1-100 characters, one line.
    #[schema(
        example = "과장",
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub role: String,
    /// 1-200 characters, one line.
    #[schema(
        example = "국토교통부",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub organization: String,
}

/// Something committed to at a meeting.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentRequest {
    /// 1-1,000 characters, one line.
    #[schema(
        example = "시범사업 예산 반영",
        min_length = 1,
        max_length = 1000,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub description: String,
    /// When it is due (a day in Asia/Seoul).
    #[schema(value_type = String, format = Date, example = "2027-03-31", pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub due_on: String,
    /// `planned` when left out.
    #[schema(value_type = crate::vocab::CommitmentStatus, example = "planned")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub status: Option<String>,
}

/// A follow-up meeting and the commitments made there.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpRequest {
    /// When it was held: not after today in Asia/Seoul.
    #[schema(value_type = String, format = Date, example = "2026-12-15", pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub held_on: String,
    /// 1-50 participants.
    #[schema(min_items = 1, max_items = 50)]
    pub participants: Vec<ParticipantRequest>,
    /// 1-20,000 characters after trimming; line breaks allowed.
    #[schema(
        example = "제안자와 담당 부서가 추진 일정을 논의했습니다.",
        min_length = 1,
        max_length = 20000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub minutes: String,
    /// At most 20.
    #[schema(max_items = 20)]
    #[serde(default)]
    pub commitments: Vec<CommitmentRequest>,
}

/// A commitment's new status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentStatusRequest {
    /// The new status.
    #[schema(value_type = crate::vocab::CommitmentStatus, example = "done")]
    pub status: String,
}

/// The proof that the proposal was carried out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    /// An `https://` URL of at most 2,000 characters (a press release, the amended rule).
    #[schema(
        example = "https://www.korea.kr/briefing/pressReleaseView.do?newsId=1",
        max_length = 2000,
        pattern = "^https://"
    )]
    pub evidence_url: String,
    /// 1-5,000 characters after trimming.
    #[schema(
        example = "시행령 개정으로 2027년 7월부터 시행되었습니다.",
        min_length = 1,
        max_length = 5000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub summary: String,
}

/// Filters of `GET /referrals`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReferralsQuery {
    /// Only referrals this organization holds now.
    #[param(value_type = Option<String>, format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub organization_id: Option<String>,
    /// Only referrals in this status.
    #[param(value_type = Option<crate::vocab::ReferralStatus>, example = "sent")]
    pub status: Option<String>,
    /// `true`: past the due date with no answer; `false`: the others.
    #[param(value_type = Option<bool>, example = true)]
    pub overdue: Option<String>,
    /// Only referrals of proposals, or of forums.
    #[param(value_type = Option<crate::vocab::ReferralSubjectKind>, example = "proposal")]
    pub subject_kind: Option<String>,
    /// Only referrals of this proposal or forum.
    #[param(value_type = Option<String>, format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub subject_id: Option<String>,
    /// The year of the document number.
    #[param(example = 2026, minimum = 2000, maximum = 9999)]
    pub year: Option<i32>,
    /// Page size, 1-100 (default 20).
    #[param(example = 20, minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page (with the same filters).
    pub cursor: Option<String>,
}
