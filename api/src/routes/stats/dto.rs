//! What the statistics answer.

use ocf_domain::stats::funnel::Step;
use ocf_domain::stats::{ForumStats, Funnel, OrganizationRecord};
use serde::Serialize;
use utoipa::ToSchema;

use crate::vocab;

/// Proposals that reached one stage.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageCount {
    /// The stage.
    pub stage: vocab::FunnelStage,
    /// Proposals (of those collected in the filter) that reached it, at any time.
    #[schema(example = 1718, minimum = 0)]
    pub count: u64,
}

/// Answers of one kind.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionCount {
    /// The organization's decision.
    pub decision: vocab::Decision,
    /// How many answers took it.
    #[schema(example = 99, minimum = 0)]
    pub count: u64,
}

/// One step of the funnel: how many went on, and how fast.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    /// The earlier stage.
    pub from: vocab::FunnelStage,
    /// The later stage.
    pub to: vocab::FunnelStage,
    /// Proposals at `to` over proposals at `from`, 0-1 to four decimals; `null` when none reached `from`.
    #[schema(value_type = Option<f64>, example = 0.0095, minimum = 0.0, maximum = 1.0, required = true)]
    pub rate: Option<f64>,
    /// The median days from `from` to `to`, over the proposals that reached both (one decimal);
    /// `null` when none did.
    #[schema(value_type = Option<f64>, example = 12.5, minimum = 0.0, required = true)]
    pub median_days: Option<f64>,
    /// How many proposals the median is over.
    #[schema(example = 1718, minimum = 0)]
    pub sample: usize,
}

/// The funnel of proposals, from collection to implementation.
#[derive(Debug, Serialize, ToSchema)]
pub struct FunnelView {
    /// Every stage in order (collected, under_review, selected, rejected, merged, referred, answered,
    /// implemented), each with the proposals that reached it.
    pub stages: Vec<StageCount>,
    /// The answers, by decision.
    pub decisions: Vec<DecisionCount>,
    /// The main path's steps: collected → under_review → selected (or rejected) → referred → answered →
    /// implemented.
    pub steps: Vec<StepView>,
}

impl From<Funnel> for FunnelView {
    fn from(f: Funnel) -> Self {
        Self {
            stages: f
                .counts
                .into_iter()
                .map(|(stage, count)| StageCount {
                    stage: stage.into(),
                    count,
                })
                .collect(),
            decisions: f
                .decisions
                .into_iter()
                .map(|(d, count)| DecisionCount {
                    decision: d.into(),
                    count,
                })
                .collect(),
            steps: f.steps.into_iter().map(StepView::from).collect(),
        }
    }
}

impl From<Step> for StepView {
    fn from(s: Step) -> Self {
        Self {
            from: s.from.into(),
            to: s.to.into(),
            rate: s.rate,
            median_days: s.median_days,
            sample: s.sample,
        }
    }
}

/// Which organization a record is of.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationRef {
    /// Its id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub id: String,
    /// Its code.
    #[schema(example = "molit")]
    pub code: String,
    /// Its Korean name.
    #[schema(example = "국토교통부")]
    pub name_ko: String,
    /// Its English name.
    #[schema(example = "Ministry of Land, Infrastructure and Transport")]
    pub name_en: String,
}

/// One organization's record with the referrals it received.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationRecordView {
    /// The organization.
    pub organization: OrganizationRef,
    /// Referrals that arrived, sent or transferred in (a referral transferred in twice counts twice).
    #[schema(example = 120, minimum = 0)]
    pub received: u64,
    /// Arrivals it acknowledged.
    #[schema(example = 118, minimum = 0)]
    pub acknowledged: u64,
    /// Referrals it answered by the deadline in force.
    #[schema(example = 90, minimum = 0)]
    pub answered_on_time: u64,
    /// Referrals it answered after the deadline.
    #[schema(example = 12, minimum = 0)]
    pub answered_late: u64,
    /// Referrals it holds, unanswered, past their deadline now.
    #[schema(example = 3, minimum = 0)]
    pub overdue_now: u64,
    /// Referrals it passed on to another organization.
    #[schema(example = 5, minimum = 0)]
    pub transferred_away: u64,
    /// The median days from a referral's arrival here to its answer (one decimal); `null` before any
    /// answer.
    #[schema(value_type = Option<f64>, example = 21.5, minimum = 0.0, required = true)]
    pub median_days_to_answer: Option<f64>,
    /// The 90th percentile of the same (nearest rank).
    #[schema(value_type = Option<f64>, example = 38.0, minimum = 0.0, required = true)]
    pub p90_days_to_answer: Option<f64>,
    /// Its answers, by decision.
    pub decisions: Vec<DecisionCount>,
    /// Commitments from its follow-ups still planned or in progress.
    #[schema(example = 14, minimum = 0)]
    pub open_commitments: u64,
    /// Open commitments past their day.
    #[schema(example = 2, minimum = 0)]
    pub overdue_commitments: u64,
}

impl OrganizationRecordView {
    pub fn new(organization: OrganizationRef, r: OrganizationRecord) -> Self {
        Self {
            organization,
            received: r.received,
            acknowledged: r.acknowledged,
            answered_on_time: r.answered_on_time,
            answered_late: r.answered_late,
            overdue_now: r.overdue_now,
            transferred_away: r.transferred_away,
            median_days_to_answer: r.median_days_to_answer,
            p90_days_to_answer: r.p90_days_to_answer,
            decisions: r
                .decisions
                .into_iter()
                .map(|(d, count)| DecisionCount {
                    decision: d.into(),
                    count,
                })
                .collect(),
            open_commitments: r.open_commitments,
            overdue_commitments: r.overdue_commitments,
        }
    }
}

/// Every organization that received a referral, with its record.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationStatsView {
    /// By organization code.
    pub items: Vec<OrganizationRecordView>,
}

/// Forums held of one kind.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForumKindCount {
    /// The kind.
    pub kind: vocab::ForumKind,
    /// Forums of it held.
    #[schema(example = 4, minimum = 0)]
    pub count: u64,
}

/// Forums held in one region.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForumRegionCount {
    /// The region; `null` for forums with none.
    #[schema(required = true)]
    pub region: Option<vocab::Region>,
    /// Forums held there.
    #[schema(example = 2, minimum = 0)]
    pub count: u64,
}

/// Proposals in one status.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalStatusCount {
    /// Their status now.
    pub status: vocab::ProposalStatus,
    /// How many.
    #[schema(example = 7, minimum = 0)]
    pub count: u64,
}

/// The forums that started in the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForumStatsView {
    /// Forums that took place (went live, ended or reported).
    #[schema(example = 12, minimum = 0)]
    pub held: u64,
    /// Held, by kind (every kind, zero included).
    pub by_kind: Vec<ForumKindCount>,
    /// Held, by region (only regions with a forum held).
    pub by_region: Vec<ForumRegionCount>,
    /// Forums cancelled.
    #[schema(example = 1, minimum = 0)]
    pub cancelled: u64,
    /// Registrations at the forums held.
    #[schema(example = 1500, minimum = 0)]
    pub registered: i64,
    /// Attendance recorded at the forums held.
    #[schema(example = 1320, minimum = 0)]
    pub attended: i64,
    /// Proposals born at the forums held.
    #[schema(example = 240, minimum = 0)]
    pub proposals: u64,
    /// What became of them: by status now (every status, zero included).
    pub outcomes: Vec<ProposalStatusCount>,
}

impl From<ForumStats> for ForumStatsView {
    fn from(s: ForumStats) -> Self {
        Self {
            held: s.held,
            by_kind: s
                .by_kind
                .into_iter()
                .map(|(k, count)| ForumKindCount {
                    kind: k.into(),
                    count,
                })
                .collect(),
            by_region: s
                .by_region
                .into_iter()
                .map(|(r, count)| ForumRegionCount {
                    region: r.map(Into::into),
                    count,
                })
                .collect(),
            cancelled: s.cancelled,
            registered: s.registered,
            attended: s.attended,
            proposals: s.proposals,
            outcomes: s
                .outcomes
                .into_iter()
                .map(|(st, count)| ProposalStatusCount {
                    status: st.into(),
                    count,
                })
                .collect(),
        }
    }
}
