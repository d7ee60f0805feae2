//! The funnel: how many of the proposals collected reached each stage, the rate from one stage to the
//! next, and the median days it took.

use chrono::{DateTime, Utc};

use super::{days_between, percentiles, round1};
use crate::referral::Decision;

/// Where one proposal has been, each stage with the first time it got there (`None`: not reached).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Journey {
    /// Submitted: every proposal is collected.
    pub collected_at: DateTime<Utc>,
    /// First moved by staff (to `under_review`, `selected` or `rejected`: a decision implies review).
    pub reviewed_at: Option<DateTime<Utc>>,
    /// First `selected` (a referred proposal was selected first).
    pub selected_at: Option<DateTime<Utc>>,
    pub rejected_at: Option<DateTime<Utc>>,
    pub merged_at: Option<DateTime<Utc>>,
    /// Its first referral sent.
    pub referred_at: Option<DateTime<Utc>>,
    /// The referral answered, and how.
    pub answered_at: Option<DateTime<Utc>>,
    pub decision: Option<Decision>,
    /// The referral's measures implemented.
    pub implemented_at: Option<DateTime<Utc>>,
}

crate::macros::code_enum!(
    /// A stage of the funnel, in order.
    Stage, "stage", {
    Collected = "collected", UnderReview = "under_review", Selected = "selected", Rejected = "rejected",
    Merged = "merged", Referred = "referred", Answered = "answered", Implemented = "implemented",
});

/// The steps of the main path, each from one stage to the next.
pub const STEPS: [(Stage, Stage); 6] = [
    (Stage::Collected, Stage::UnderReview),
    (Stage::UnderReview, Stage::Selected),
    (Stage::UnderReview, Stage::Rejected),
    (Stage::Selected, Stage::Referred),
    (Stage::Referred, Stage::Answered),
    (Stage::Answered, Stage::Implemented),
];

impl Journey {
    /// Whether the proposal went past being collected (reached any later stage).
    pub fn progressed(&self) -> bool {
        Stage::ALL[1..].iter().any(|&s| self.reached(s).is_some())
    }

    /// When the proposal reached `stage`.
    pub fn reached(&self, stage: Stage) -> Option<DateTime<Utc>> {
        match stage {
            Stage::Collected => Some(self.collected_at),
            Stage::UnderReview => self.reviewed_at,
            Stage::Selected => self.selected_at,
            Stage::Rejected => self.rejected_at,
            Stage::Merged => self.merged_at,
            Stage::Referred => self.referred_at,
            Stage::Answered => self.answered_at,
            Stage::Implemented => self.implemented_at,
        }
    }
}

/// One step's conversion and pace.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub from: Stage,
    pub to: Stage,
    /// `to` count over `from` count, 0-1 to four decimals; `None` when nothing reached `from`.
    pub rate: Option<f64>,
    /// Median days from `from` to `to`, over the proposals that reached both (one decimal).
    pub median_days: Option<f64>,
    /// How many proposals the median is over.
    pub sample: usize,
}

/// What a funnel is folded from: how many proposals the filter selects (all were collected), and the
/// journeys of those that went further. Most proposals stop at collected, so a store need only count
/// them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FunnelRows {
    pub collected: u64,
    /// Every selected journey that [`Journey::progressed`], in any order.
    pub progressed: Vec<Journey>,
}

impl FunnelRows {
    /// The rows of these journeys.
    pub fn of(journeys: Vec<Journey>) -> Self {
        let collected = journeys.len() as u64;
        let progressed = journeys.into_iter().filter(Journey::progressed).collect();
        Self {
            collected,
            progressed,
        }
    }
}

/// The funnel's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Funnel {
    /// Proposals that reached each stage, in `Stage::ALL` order.
    pub counts: Vec<(Stage, u64)>,
    /// Answers by decision (each answered proposal once).
    pub decisions: Vec<(Decision, u64)>,
    pub steps: Vec<Step>,
}

impl Funnel {
    /// Folds the journeys.
    pub fn of(journeys: &[Journey]) -> Self {
        Self::of_rows(&FunnelRows::of(journeys.to_vec()))
    }

    /// Folds the rows: every stage but collected, and every step's pace, comes from the journeys
    /// that progressed.
    pub fn of_rows(rows: &FunnelRows) -> Self {
        let journeys = &rows.progressed;
        let count = |stage: Stage| {
            if stage == Stage::Collected {
                return rows.collected;
            }
            journeys
                .iter()
                .filter(|j| j.reached(stage).is_some())
                .count() as u64
        };
        let counts = Stage::ALL.iter().map(|&s| (s, count(s))).collect();
        let decisions = Decision::ALL
            .iter()
            .map(|&d| {
                let n = journeys
                    .iter()
                    .filter(|j| j.answered_at.is_some() && j.decision == Some(d))
                    .count();
                (d, n as u64)
            })
            .collect();
        let steps = STEPS
            .iter()
            .map(|&(from, to)| {
                let base = count(from);
                #[allow(clippy::cast_precision_loss)]
                let rate =
                    (base > 0).then(|| ((count(to) as f64 / base as f64) * 1e4).round() / 1e4);
                let mut days: Vec<f64> = journeys
                    .iter()
                    .filter_map(|j| Some(days_between(j.reached(from)?, j.reached(to)?).max(0.0)))
                    .collect();
                let sample = days.len();
                Step {
                    from,
                    to,
                    rate,
                    median_days: percentiles(&mut days).map(|(m, _)| round1(m)),
                    sample,
                }
            })
            .collect();
        Self {
            counts,
            decisions,
            steps,
        }
    }

    /// The count at `stage`.
    pub fn count(&self, stage: Stage) -> u64 {
        self.counts
            .iter()
            .find(|(s, _)| *s == stage)
            .map_or(0, |(_, n)| *n)
    }
}
