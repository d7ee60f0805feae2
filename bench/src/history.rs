//! The funnel's history for the loaded proposals: every proposal under review, selected or rejected
//! got there by staff's status changes (as events), and every selected one was referred to a ministry,
//! which acknowledged it, answered it and implemented its measures in the proportions of a real year
//! (most acknowledged, three in four answered, half of those accepted, some implemented). Each step
//! falls between the previous one and the load's `now`, so nothing lies in the future.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Utc};
use ocf_domain::account::UserId;
use ocf_domain::organization::OrganizationId;
use ocf_domain::proposal::{Proposal, ProposalStatus};
use ocf_domain::referral::Decision;
use ocf_persistence::{Database, PastReferral, PastReview};
use rand::RngExt;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

/// What was loaded.
pub struct Loaded {
    pub changes: usize,
    pub referrals: usize,
    pub answered: usize,
    pub implemented: usize,
    pub secs: Duration,
}

/// A time between `after` and `now`, `share` of the way on average.
fn later(
    rng: &mut ChaCha8Rng,
    after: DateTime<Utc>,
    now: DateTime<Utc>,
    share: f64,
) -> DateTime<Utc> {
    let span = (now - after).num_seconds().max(1);
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let secs = (span as f64 * share * rng.random_range(0.5..1.5)).min(span as f64) as i64;
    after + chrono::Duration::seconds(secs)
}

fn review(
    p: &Proposal,
    moderator: UserId,
    orgs: &[OrganizationId],
    serials: &mut HashMap<i32, i64>,
    now: DateTime<Utc>,
    rng: &mut ChaCha8Rng,
) -> Option<PastReview> {
    let status = p.status();
    if !matches!(
        status,
        ProposalStatus::UnderReview | ProposalStatus::Selected | ProposalStatus::Rejected
    ) {
        return None;
    }
    let reviewed = later(rng, p.created_at(), now, 0.1);
    let mut changes = vec![(
        ProposalStatus::Submitted,
        ProposalStatus::UnderReview,
        reviewed,
    )];
    if status != ProposalStatus::UnderReview {
        changes.push((
            ProposalStatus::UnderReview,
            status,
            later(rng, reviewed, now, 0.15),
        ));
    }
    let referral = if status == ProposalStatus::Selected {
        let selected = changes.last().map_or(reviewed, |c| c.2);
        let sent_at = later(rng, selected, now, 0.1);
        let year = sent_at.year();
        let serial = serials.entry(year).or_insert(0);
        *serial += 1;
        let acknowledged_at = (rng.random_range(0..10) < 9).then(|| later(rng, sent_at, now, 0.05));
        let answered = acknowledged_at
            .filter(|_| rng.random_range(0..4) < 3)
            .map(|ack| {
                let decision = match rng.random_range(0..10) {
                    0..5 => Decision::Accepted,
                    5..8 => Decision::PartiallyAccepted,
                    _ => Decision::NotAccepted,
                };
                (later(rng, ack, now, 0.3), decision)
            });
        let completed_at = answered
            .filter(|(_, d)| *d != Decision::NotAccepted && rng.random_range(0..10) < 4)
            .map(|(at, _)| later(rng, at, now, 0.5));
        Some(PastReferral {
            year,
            serial: *serial,
            organization_id: *orgs.choose(rng)?,
            sent_at,
            due_at: sent_at + chrono::Duration::days(30),
            acknowledged_at,
            answered,
            completed_at,
        })
    } else {
        None
    };
    Some(PastReview {
        proposal_id: p.id(),
        moderator,
        changes,
        referral,
    })
}

/// Loads the history of `proposals` (already stored), in transactions of 20,000 reviews.
///
/// # Errors
/// A storage failure, or no organizations.
pub fn load(
    db: &Database,
    proposals: &[Proposal],
    moderator: UserId,
    now: DateTime<Utc>,
    rng: &mut ChaCha8Rng,
) -> Result<Loaded, String> {
    use ocf_domain::ports::OrganizationRepository;
    let started = Instant::now();
    let page = ocf_domain::PageRequest::new(Some(100), None).map_err(|e| e.to_string())?;
    let orgs: Vec<OrganizationId> = db
        .list_organizations(&page)
        .map_err(|e| e.to_string())?
        .items
        .iter()
        .map(|o| o.id)
        .collect();
    if orgs.is_empty() {
        return Err("the seed has no organizations".into());
    }
    let mut serials = HashMap::new();
    let reviews: Vec<PastReview> = proposals
        .iter()
        .filter_map(|p| review(p, moderator, &orgs, &mut serials, now, rng))
        .collect();
    for chunk in reviews.chunks(20_000) {
        db.bulk_insert_history(chunk).map_err(|e| e.to_string())?;
    }
    let referred = || reviews.iter().filter_map(|r| r.referral.as_ref());
    Ok(Loaded {
        changes: reviews.iter().map(|r| r.changes.len()).sum(),
        referrals: referred().count(),
        answered: referred().filter(|f| f.answered.is_some()).count(),
        implemented: referred().filter(|f| f.completed_at.is_some()).count(),
        secs: started.elapsed(),
    })
}
