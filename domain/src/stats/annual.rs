//! The annual report: the white paper's figures for one year (Korea Standard Time) in one document. The
//! funnel of the proposals collected that year, the forums held, the most voted topics suggested, each
//! organization's record with the referrals that reached it, and the proposals implemented with the date
//! of every step of their journey.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::{
    ForumRow, ForumStats, Funnel, FunnelRows, Journey, OrganizationRecord, Period, ReferralRow,
    organizations,
};
use crate::RepoError;
use crate::organization::OrganizationId;
use crate::proposal::ProposalId;
use crate::topic::{TopicId, TopicStatus};

/// The first year a report can cover (the platform's predecessor opened in 2017).
pub const FIRST_YEAR: i32 = 2017;
/// How many topics the report lists.
pub const TOP_TOPICS: usize = 10;

/// A topic suggested in the year, with its votes now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicRow {
    pub id: TopicId,
    pub title: String,
    pub status: TopicStatus,
    pub votes: i64,
}

/// A proposal whose referral's measures were implemented in the year.
#[derive(Debug, Clone, PartialEq)]
pub struct ImplementedRow {
    pub proposal_id: ProposalId,
    pub title: String,
    /// The official document number of its referral.
    pub referral_number: String,
    /// Where the referral is now (the organization that answered and implemented).
    pub organization_id: OrganizationId,
    /// The national policy task it became part of, as the answer named it.
    pub policy_task: Option<String>,
    /// The proof of implementation.
    pub evidence_url: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Every step's first date; `implemented_at` is in the year.
    pub journey: Journey,
}

/// The reads behind the report that the statistics do not already make.
pub trait AnnualQueries {
    /// The most voted topics created in the period (not hidden), most votes first, at most `limit`.
    ///
    /// # Errors
    /// A storage failure.
    fn top_topics(&self, period: Period, limit: usize) -> Result<Vec<TopicRow>, RepoError>;

    /// The proposals whose referral was completed (implemented) in the period, in that order.
    ///
    /// # Errors
    /// A storage failure.
    fn implemented(&self, period: Period) -> Result<Vec<ImplementedRow>, RepoError>;
}

/// A year a report covers: from [`FIRST_YEAR`] to the current year in Korea.
///
/// # Errors
/// A message for any other year.
pub fn check_year(year: i32, now: DateTime<Utc>) -> Result<(), String> {
    let current = crate::referral::deadline::seoul_date(now).year();
    if (FIRST_YEAR..=current).contains(&year) {
        Ok(())
    } else {
        Err(format!("reports cover the years {FIRST_YEAR} to {current}"))
    }
}

/// 1 January to 31 December of `year`, Korea Standard Time.
pub fn year_period(year: i32) -> Period {
    Period {
        from: NaiveDate::from_ymd_opt(year, 1, 1),
        to: NaiveDate::from_ymd_opt(year, 12, 31),
    }
}

/// The report's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualReport {
    pub year: i32,
    /// The proposals collected in the year.
    pub funnel: Funnel,
    /// The forums that started in the year.
    pub forums: ForumStats,
    /// The forums of the year that took place, by start.
    pub forums_held: Vec<ForumRow>,
    pub top_topics: Vec<TopicRow>,
    /// The record of each organization with the referrals first sent in the year.
    pub organizations: Vec<OrganizationRecord>,
    pub implemented: Vec<ImplementedRow>,
}

/// What the report is folded from, each read for the year.
#[derive(Debug, Clone, Default)]
pub struct AnnualInputs {
    pub funnel: FunnelRows,
    pub forums: Vec<ForumRow>,
    /// Every referral; the report keeps those first sent in the year.
    pub referrals: Vec<ReferralRow>,
    pub top_topics: Vec<TopicRow>,
    pub implemented: Vec<ImplementedRow>,
}

impl AnnualReport {
    /// Folds the inputs for `year`; `now` decides what is overdue.
    pub fn of(year: i32, inputs: AnnualInputs, now: DateTime<Utc>) -> Self {
        let (start, end) = year_period(year).bounds();
        let in_year = |t: DateTime<Utc>| start.is_none_or(|s| t >= s) && end.is_none_or(|e| t < e);
        let referrals: Vec<ReferralRow> = inputs
            .referrals
            .into_iter()
            .filter(|r| r.hops.first().is_some_and(|h| in_year(h.sent_at)))
            .collect();
        let mut held: Vec<ForumRow> = inputs
            .forums
            .iter()
            .filter(|f| f.status.has_started())
            .cloned()
            .collect();
        held.sort_by_key(|f| f.starts_at);
        Self {
            year,
            funnel: Funnel::of_rows(&inputs.funnel),
            forums: ForumStats::of(&inputs.forums),
            forums_held: held,
            top_topics: inputs.top_topics,
            organizations: organizations::records(&referrals, now),
            implemented: inputs.implemented,
        }
    }
}
