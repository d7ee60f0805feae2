//! The forums held: how many of each kind and in each region, who came, and what became of the
//! proposals born there.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::forum::{ForumId, ForumKind, ForumStatus};
use crate::proposal::ProposalStatus;
use crate::values::Region;

/// One forum as the statistics need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForumRow {
    pub id: ForumId,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub kind: ForumKind,
    pub region: Option<Region>,
    pub status: ForumStatus,
    pub registered: i64,
    pub attended: i64,
    /// The statuses of the proposals submitted at (or for) the forum.
    pub proposals: Vec<ProposalStatus>,
}

/// The forums' figures: only forums that took place (live, ended or reported) count as held.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForumStats {
    pub held: u64,
    /// Held, by kind, in `ForumKind::ALL` order.
    pub by_kind: Vec<(ForumKind, u64)>,
    /// Held, by region (`None`: no region), in region code order.
    pub by_region: Vec<(Option<Region>, u64)>,
    pub cancelled: u64,
    pub registered: i64,
    pub attended: i64,
    pub proposals: u64,
    /// The proposals born at forums held, by status now, in `ProposalStatus::ALL` order.
    pub outcomes: Vec<(ProposalStatus, u64)>,
}

impl ForumStats {
    /// Folds the rows.
    pub fn of(rows: &[ForumRow]) -> Self {
        let mut s = Self::default();
        let mut kinds: BTreeMap<&str, u64> = BTreeMap::new();
        let mut regions: BTreeMap<Option<&str>, (Option<Region>, u64)> = BTreeMap::new();
        let mut outcomes: BTreeMap<&str, u64> = BTreeMap::new();
        for f in rows {
            if f.status == ForumStatus::Cancelled {
                s.cancelled += 1;
            }
            if !f.status.has_started() {
                continue;
            }
            s.held += 1;
            *kinds.entry(f.kind.as_str()).or_default() += 1;
            regions
                .entry(f.region.map(Region::as_str))
                .or_insert((f.region, 0))
                .1 += 1;
            s.registered += f.registered;
            s.attended += f.attended;
            for p in &f.proposals {
                s.proposals += 1;
                *outcomes.entry(p.as_str()).or_default() += 1;
            }
        }
        s.by_kind = ForumKind::ALL
            .iter()
            .map(|k| (*k, kinds.get(k.as_str()).copied().unwrap_or(0)))
            .collect();
        s.by_region = regions.into_values().collect();
        s.outcomes = ProposalStatus::ALL
            .iter()
            .map(|p| (*p, outcomes.get(p.as_str()).copied().unwrap_or(0)))
            .collect();
        s
    }
}
