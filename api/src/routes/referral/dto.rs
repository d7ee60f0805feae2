//! What referral endpoints answer: the whole chain of one referral, public except its internal contact.

use chrono::{DateTime, NaiveDate, Utc};
use ocf_domain::referral::{Referral, deadline};
use serde::Serialize;
use utoipa::ToSchema;

use crate::vocab::{CommitmentStatus, Decision, ReferralStatus, ReferralSubjectKind};

/// One organization's turn: the sending, then each transfer.
#[derive(Debug, Serialize, ToSchema)]
pub struct HopView {
    /// The organization of this hop.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub organization_id: String,
    /// Why it was transferred there; `null` for the first hop.
    #[schema(example = json!(null), required = true)]
    pub reason: Option<String>,
    /// When it was sent (or transferred) there.
    #[schema(example = "2026-12-01T03:00:00Z")]
    pub sent_at: DateTime<Utc>,
    /// The due date this hop started with (before any extension).
    #[schema(example = "2026-12-31T14:59:59.999999Z")]
    pub due_at: DateTime<Utc>,
    /// Whether the organization extended the deadline during this hop.
    pub extended: bool,
}

/// The receipt.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcknowledgementView {
    /// The division handling it.
    #[schema(example = "교통정책과")]
    pub division: String,
    /// Shown only to moderators, admins and the organization's officials; `null` to everyone else.
    #[schema(example = "홍길동 사무관 044-000-0000", required = true)]
    pub contact: Option<String>,
    /// When receipt was confirmed.
    #[schema(example = "2026-12-02T01:00:00Z")]
    pub acknowledged_at: DateTime<Utc>,
}

/// The organization's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerView {
    /// The decision.
    pub decision: Decision,
    /// Why.
    #[schema(example = "제안 취지에 공감하며 관련 제도 개선을 추진하겠습니다.")]
    pub reasoning: String,
    /// What will be done; `null` if none were given (`not_accepted`).
    #[schema(example = "2027년 상반기 시행령 개정", required = true)]
    pub planned_measures: Option<String>,
    /// A national policy task number or similar reference; `null` if none.
    #[schema(example = "국정과제 12", required = true)]
    pub policy_task: Option<String>,
    /// When it should be done (a day in Asia/Seoul); `null` if not given.
    #[schema(value_type = Option<String>, format = Date, example = "2027-06-30", required = true)]
    pub expected_completion_on: Option<NaiveDate>,
    /// When it was answered.
    #[schema(example = "2026-12-20T05:00:00Z")]
    pub answered_at: DateTime<Utc>,
}

/// A participant of a meeting.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantView {
    /// The participant's role.
    #[schema(example = "과장")]
    pub role: String,
    /// The participant's organization.
    #[schema(example = "국토교통부")]
    pub organization: String,
}

/// A follow-up meeting.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpView {
    /// The follow-up's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// When the meeting was held (a day in Asia/Seoul).
    #[schema(value_type = String, format = Date, example = "2026-12-15")]
    pub held_on: NaiveDate,
    /// Who took part, by role and organization.
    pub participants: Vec<ParticipantView>,
    /// The minutes.
    #[schema(example = "제안자와 담당 부서가 추진 일정을 논의했습니다.")]
    pub minutes: String,
    /// When it was recorded.
    #[schema(example = "2026-12-15T09:00:00Z")]
    pub created_at: DateTime<Utc>,
}

/// A commitment made at a follow-up.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentView {
    /// The commitment's id (for `PATCH /referrals/{id}/commitments/{commitment_id}`).
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// The follow-up it came out of.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub follow_up_id: String,
    /// What was committed to.
    #[schema(example = "시범사업 예산 반영")]
    pub description: String,
    /// When it is due (a day in Asia/Seoul).
    #[schema(value_type = String, format = Date, example = "2027-03-31")]
    pub due_on: NaiveDate,
    /// Where it stands.
    pub status: CommitmentStatus,
    /// Past its due date (Asia/Seoul) and neither done nor dropped.
    pub overdue: bool,
    /// When its status last changed.
    #[schema(example = "2026-12-15T09:00:00Z")]
    pub updated_at: DateTime<Utc>,
}

/// The proof of implementation.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompletionView {
    /// Where the implementation can be checked.
    #[schema(example = "https://www.korea.kr/briefing/pressReleaseView.do?newsId=1")]
    pub evidence_url: String,
    /// What was done.
    #[schema(example = "시행령 개정으로 2027년 7월부터 시행되었습니다.")]
    pub summary: String,
    /// When it was completed.
    #[schema(example = "2027-07-01T00:00:00Z")]
    pub completed_at: DateTime<Utc>,
}

/// A referral: the official document, where it stands, and its whole chain.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralView {
    /// The referral's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// The document number, unique, without gaps per year: `OCF-<year>-<serial>`.
    #[schema(example = "OCF-2026-000123", pattern = r"^OCF-[0-9]{4}-[0-9]{6,}$")]
    pub number: String,
    /// What is referred.
    pub subject_kind: ReferralSubjectKind,
    /// The referred proposal or forum.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub subject_id: String,
    /// The organization that holds it now.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub organization_id: String,
    /// Where it stands.
    pub status: ReferralStatus,
    /// The cover note of the official document.
    #[schema(
        example = "국민제안 심사 결과 채택된 제안을 송부하오니 검토 후 회신하여 주시기 바랍니다."
    )]
    pub cover_note: String,
    /// When it was first sent.
    #[schema(example = "2026-12-01T03:00:00Z")]
    pub sent_at: DateTime<Utc>,
    /// The end of the due day in Asia/Seoul (23:59:59.999999 KST), extension included.
    #[schema(example = "2026-12-31T14:59:59.999999Z")]
    pub due_at: DateTime<Utc>,
    /// The due day in Asia/Seoul.
    #[schema(value_type = String, format = Date, example = "2026-12-31")]
    pub due_on: NaiveDate,
    /// Past `due_at` with no answer.
    pub overdue: bool,
    /// Whether the organization holding it has used its one extension (in this hop, or in an earlier one
    /// if the referral came back to it).
    pub extended: bool,
    /// The extension's reason; `null` if not extended.
    #[schema(example = json!(null), required = true)]
    pub extension_reason: Option<String>,
    /// The hops, oldest first: the sending, then each transfer.
    pub hops: Vec<HopView>,
    /// The current organization's receipt; `null` before it (and again after a transfer).
    #[schema(required = true)]
    pub acknowledgement: Option<AcknowledgementView>,
    /// The answer; `null` before it.
    #[schema(required = true)]
    pub answer: Option<AnswerView>,
    /// The follow-up meetings, oldest first.
    pub follow_ups: Vec<FollowUpView>,
    /// The commitments made at follow-ups, in the order they were made.
    pub commitments: Vec<CommitmentView>,
    /// The proof of implementation; `null` until `implemented`.
    #[schema(required = true)]
    pub completion: Option<CompletionView>,
    /// When it last changed.
    #[schema(example = "2026-12-01T03:00:00Z")]
    pub updated_at: DateTime<Utc>,
}

/// The view of `r` at `now`; the internal contact only when `internal`.
pub fn view(r: Referral, internal: bool, now: DateTime<Utc>) -> ReferralView {
    let overdue = r.is_overdue(now);
    let extended = r.extended_by_holder();
    let today = deadline::seoul_date(now);
    let r = r.into_record();
    ReferralView {
        id: r.id.to_string(),
        number: r.number,
        subject_kind: r.subject_kind.into(),
        subject_id: r.subject_id,
        organization_id: r.organization_id.to_string(),
        status: r.status.into(),
        cover_note: r.cover_note,
        sent_at: r.sent_at,
        due_at: r.due_at,
        due_on: deadline::seoul_date(r.due_at),
        overdue,
        extended,
        extension_reason: r.extension.map(|(reason, _)| reason),
        hops: r
            .hops
            .into_iter()
            .map(|h| HopView {
                organization_id: h.organization_id.to_string(),
                reason: h.reason,
                sent_at: h.sent_at,
                due_at: h.due_at,
                extended: h.extended,
            })
            .collect(),
        acknowledgement: r.acknowledgement.map(|a| AcknowledgementView {
            division: a.division,
            contact: a.contact.filter(|_| internal),
            acknowledged_at: a.acknowledged_at,
        }),
        answer: r.answer.map(|a| AnswerView {
            decision: a.decision.into(),
            reasoning: a.reasoning,
            planned_measures: a.planned_measures,
            policy_task: a.policy_task,
            expected_completion_on: a.expected_completion_on,
            answered_at: a.answered_at,
        }),
        follow_ups: r
            .follow_ups
            .into_iter()
            .map(|f| FollowUpView {
                id: f.id.to_string(),
                held_on: f.held_on,
                participants: f
                    .participants
                    .into_iter()
                    .map(|p| ParticipantView {
                        role: p.role,
                        organization: p.organization,
                    })
                    .collect(),
                minutes: f.minutes,
                created_at: f.created_at,
            })
            .collect(),
        commitments: r
            .commitments
            .into_iter()
            .map(|c| CommitmentView {
                id: c.id.to_string(),
                follow_up_id: c.follow_up_id.to_string(),
                description: c.description,
                due_on: c.due_on,
                overdue: c.due_on < today
                    && !matches!(
                        c.status,
                        ocf_domain::referral::CommitmentStatus::Done
                            | ocf_domain::referral::CommitmentStatus::Dropped
                    ),
                status: c.status.into(),
                updated_at: c.updated_at,
            })
            .collect(),
        completion: r.completion.map(|c| CompletionView {
            evidence_url: c.evidence_url,
            summary: c.summary,
            completed_at: c.completed_at,
        }),
        updated_at: r.updated_at,
    }
}
