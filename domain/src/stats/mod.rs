//! Transparency statistics: the funnel of proposals, each organization's record with referrals, and
//! the forums held. Each is a pure fold over rows the store reads from the current state and the event
//! log (`StatsQueries`), so the same figures can be checked by hand on a fixture.

pub mod annual;
pub mod forums;
pub mod funnel;
pub mod organizations;

use chrono::{DateTime, NaiveDate, Utc};

use crate::RepoError;
use crate::event::LogCursor;
use crate::forum::ForumId;
use crate::organization::OrganizationId;
use crate::policy_area::PolicyAreaId;
use crate::topic::TopicId;
use crate::values::Region;

pub use annual::{AnnualInputs, AnnualQueries, AnnualReport, ImplementedRow, TopicRow};
pub use forums::{ForumRow, ForumStats};
pub use funnel::{Funnel, FunnelRows, Journey, Stage};
pub use organizations::{HopRow, OrganizationRecord, ReferralRow};

/// Which proposals the funnel counts: collected (submitted) in the period, from a channel, of a
/// policy area, region, topic or forum, or referred to an organization. Every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FunnelFilter {
    /// First day of collection, inclusive (Korea Standard Time).
    pub from: Option<NaiveDate>,
    /// Last day of collection, inclusive (Korea Standard Time).
    pub to: Option<NaiveDate>,
    /// A channel code (`web`, `offline`, `offline_forum`, `partner:<code>`).
    pub channel: Option<String>,
    pub policy_area_id: Option<PolicyAreaId>,
    pub region: Option<Region>,
    pub topic_id: Option<TopicId>,
    pub forum_id: Option<ForumId>,
    /// Proposals referred to this organization (at any step of their referral).
    pub organization_id: Option<OrganizationId>,
}

/// A period of days (Korea Standard Time), both ends inclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Period {
    /// The UTC instants that bound the period: `[start, end)`.
    pub fn bounds(self) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let start = self.from.map(crate::referral::deadline::seoul_midnight);
        let end = self
            .to
            .and_then(|d| d.succ_opt())
            .map(crate::referral::deadline::seoul_midnight);
        (start, end)
    }
}

/// The reads behind the statistics.
pub trait StatsQueries {
    /// What the funnel of the proposals the filter selects is folded from, as of now: the funnel
    /// reader's projection, with the journeys the log changed since its cursor computed afresh.
    ///
    /// # Errors
    /// A storage failure.
    fn funnel_rows(&self, filter: &FunnelFilter) -> Result<FunnelRows, RepoError>;

    /// Every referral with the organizations it went through, its acknowledgements and commitments.
    ///
    /// # Errors
    /// A storage failure.
    fn referral_rows(&self) -> Result<Vec<ReferralRow>, RepoError>;

    /// The forums that started in the period, with the proposals born at each.
    ///
    /// # Errors
    /// A storage failure.
    fn forum_rows(&self, period: Period) -> Result<Vec<ForumRow>, RepoError>;
}

/// The funnel reader's name in `log_readers`: it keeps one journey per proposal (`docs/EVENTS.md`).
pub const FUNNEL_READER: &str = "funnel";

/// The funnel reader's writes.
pub trait FunnelProjection {
    /// Computes afresh the journeys of `proposals` and of the subjects of `referrals` (ids the log
    /// named between `from` and `to`) and moves the funnel reader from `from` to `to`, in one
    /// transaction. `false` when the reader was no longer at `from` (another instance did the batch).
    ///
    /// # Errors
    /// A storage failure.
    fn project_journeys(
        &self,
        from: LogCursor,
        to: LogCursor,
        proposals: &[String],
        referrals: &[String],
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError>;
}

/// The median and 90th percentile of `values` (nearest rank), `None` when empty.
pub fn percentiles(values: &mut [f64]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let median = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    // Nearest rank: the smallest value with at least 90% of the values at or below it.
    let rank = (n * 9).div_ceil(10).max(1);
    Some((round1(median), round1(values[rank - 1])))
}

/// Days between two instants, as a fraction.
pub fn days_between(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let secs = (b - a).num_seconds() as f64;
    secs / 86_400.0
}

/// Rounded to one decimal.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests;
