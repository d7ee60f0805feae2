//! What the annual report answers in JSON (the HTML page shows the same values).

use chrono::{DateTime, Utc};
use ocf_domain::stats::{ForumRow, Journey};
use ocf_domain::stats::{ImplementedRow, TopicRow};
use serde::Serialize;
use utoipa::ToSchema;

use crate::routes::stats::dto::{OrganizationRecordView, OrganizationRef};
use crate::routes::stats::{ForumStatsView, FunnelView};
use crate::vocab;

/// The days a report covers, Korea Standard Time, both inclusive.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportPeriod {
    /// 1 January.
    #[schema(example = "2026-01-01", format = Date)]
    pub from: String,
    /// 31 December.
    #[schema(example = "2026-12-31", format = Date)]
    pub to: String,
}

/// A forum of the year that took place.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForumHeldView {
    /// The forum's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub id: String,
    /// Its title.
    #[schema(example = "섬 지역 교통 정책 토론회")]
    pub title: String,
    /// Its kind.
    pub kind: vocab::ForumKind,
    /// Where it was held; `null` for an online forum without a region.
    #[schema(required = true)]
    pub region: Option<vocab::Region>,
    /// When it started.
    pub starts_at: DateTime<Utc>,
    /// Its status now (live, ended or reported).
    pub status: vocab::ForumStatus,
    /// Registrations.
    #[schema(example = 120, minimum = 0)]
    pub registered: i64,
    /// Attendance recorded.
    #[schema(example = 104, minimum = 0)]
    pub attended: i64,
    /// Proposals born at it.
    #[schema(example = 18, minimum = 0)]
    pub proposals: usize,
}

impl From<ForumRow> for ForumHeldView {
    fn from(f: ForumRow) -> Self {
        Self {
            id: f.id.to_string(),
            title: f.title,
            kind: f.kind.into(),
            region: f.region.map(Into::into),
            starts_at: f.starts_at,
            status: f.status.into(),
            registered: f.registered,
            attended: f.attended,
            proposals: f.proposals.len(),
        }
    }
}

/// A topic suggested in the year, with its votes.
#[derive(Debug, Serialize, ToSchema)]
pub struct TopicVotesView {
    /// The topic's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub id: String,
    /// Its title.
    #[schema(example = "청년 주거 지원")]
    pub title: String,
    /// Its status now.
    pub status: vocab::TopicStatus,
    /// Votes now.
    #[schema(example = 5210, minimum = 0)]
    pub votes: i64,
}

impl From<TopicRow> for TopicVotesView {
    fn from(t: TopicRow) -> Self {
        Self {
            id: t.id.to_string(),
            title: t.title,
            status: t.status.into(),
            votes: t.votes,
        }
    }
}

/// When a proposal reached each step; `null` for a step it skipped.
#[derive(Debug, Serialize, ToSchema)]
pub struct JourneyView {
    /// Submitted.
    pub collected_at: DateTime<Utc>,
    /// First taken up by staff.
    #[schema(required = true)]
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Selected.
    #[schema(required = true)]
    pub selected_at: Option<DateTime<Utc>>,
    /// Referred to the organization.
    #[schema(required = true)]
    pub referred_at: Option<DateTime<Utc>>,
    /// Receipt acknowledged by the organization that holds it.
    #[schema(required = true)]
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Answered.
    #[schema(required = true)]
    pub answered_at: Option<DateTime<Utc>>,
    /// The answer's decision.
    #[schema(required = true)]
    pub decision: Option<vocab::Decision>,
    /// Implemented (in the report's year).
    #[schema(required = true)]
    pub implemented_at: Option<DateTime<Utc>>,
}

impl JourneyView {
    fn new(j: Journey, acknowledged_at: Option<DateTime<Utc>>) -> Self {
        Self {
            collected_at: j.collected_at,
            reviewed_at: j.reviewed_at,
            selected_at: j.selected_at,
            referred_at: j.referred_at,
            acknowledged_at,
            answered_at: j.answered_at,
            decision: j.decision.map(Into::into),
            implemented_at: j.implemented_at,
        }
    }
}

/// A proposal implemented in the year, with its journey.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImplementedView {
    /// The proposal's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub proposal_id: String,
    /// Its title.
    #[schema(example = "섬 주민 여객선 운임 지원 확대")]
    pub title: String,
    /// The official number of its referral.
    #[schema(example = "OCF-2026-000042")]
    pub referral_number: String,
    /// The organization that answered and implemented it.
    pub organization: OrganizationRef,
    /// The national policy task it became part of; `null` when the answer named none.
    #[schema(required = true, example = "국정과제 12")]
    pub policy_task: Option<String>,
    /// The published proof of implementation.
    #[schema(
        required = true,
        example = "https://www.korea.kr/briefing/pressReleaseView.do?newsId=1"
    )]
    pub evidence_url: Option<String>,
    /// The date of every step.
    pub journey: JourneyView,
}

impl ImplementedView {
    pub fn new(r: ImplementedRow, organization: OrganizationRef) -> Self {
        Self {
            proposal_id: r.proposal_id.to_string(),
            title: r.title,
            referral_number: r.referral_number,
            organization,
            policy_task: r.policy_task,
            evidence_url: r.evidence_url,
            journey: JourneyView::new(r.journey, r.acknowledged_at),
        }
    }
}

/// One year of the platform, the white paper's data: the funnel, the forums held, the most voted
/// topics, each organization's record and the proposals implemented, each with its journey.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnnualReportView {
    /// The year.
    #[schema(example = 2026)]
    pub year: i32,
    /// Its days.
    pub period: ReportPeriod,
    /// The proposals collected in the year and how far they went.
    pub funnel: FunnelView,
    /// The forums that started in the year.
    pub forums: ForumStatsView,
    /// Each forum of the year that took place, by start.
    pub forums_held: Vec<ForumHeldView>,
    /// The most voted topics suggested in the year (at most 10, hidden ones left out).
    pub top_topics: Vec<TopicVotesView>,
    /// The record of each organization with the referrals first sent in the year, by code.
    pub organizations: Vec<OrganizationRecordView>,
    /// The proposals implemented in the year, in that order.
    pub implemented: Vec<ImplementedView>,
}
