#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::funnel::{Funnel, FunnelRows, Journey, Stage};
use super::organizations::{HopRow, ReferralRow, records};
use super::{Period, percentiles};
use crate::Id;
use crate::referral::{CommitmentStatus, Decision, ReferralStatus};

fn t0() -> DateTime<Utc> {
    "2026-03-01T00:00:00Z".parse().unwrap()
}

fn day(n: i64) -> Option<DateTime<Utc>> {
    Some(t0() + Duration::days(n))
}

#[test]
fn the_funnel_counts_each_stage_and_the_median_days_between_them() {
    let collected = Journey {
        collected_at: t0(),
        ..Journey::default()
    };
    let rejected = Journey {
        reviewed_at: day(2),
        rejected_at: day(2),
        ..collected.clone()
    };
    let answered = Journey {
        reviewed_at: day(1),
        selected_at: day(3),
        referred_at: day(5),
        answered_at: day(35),
        decision: Some(Decision::Accepted),
        ..collected.clone()
    };
    let implemented = Journey {
        reviewed_at: day(3),
        selected_at: day(4),
        referred_at: day(10),
        answered_at: day(20),
        decision: Some(Decision::PartiallyAccepted),
        implemented_at: day(80),
        ..collected.clone()
    };
    let merged = Journey {
        merged_at: day(1),
        ..collected.clone()
    };
    let all = [collected.clone(), rejected, answered, implemented, merged];
    let rows = FunnelRows::of(all.to_vec());
    // Only the collected one stays out of the rows' journeys; it is still counted.
    assert_eq!((rows.collected, rows.progressed.len()), (5, 4));
    assert!(!collected.progressed());
    let f = Funnel::of(&all);
    assert_eq!(Funnel::of_rows(&rows), f);
    assert_eq!(f.count(Stage::Collected), 5);
    assert_eq!(f.count(Stage::UnderReview), 3);
    assert_eq!(f.count(Stage::Selected), 2);
    assert_eq!(f.count(Stage::Rejected), 1);
    assert_eq!(f.count(Stage::Merged), 1);
    assert_eq!(f.count(Stage::Referred), 2);
    assert_eq!(f.count(Stage::Answered), 2);
    assert_eq!(f.count(Stage::Implemented), 1);
    assert_eq!(
        f.decisions,
        vec![
            (Decision::Accepted, 1),
            (Decision::PartiallyAccepted, 1),
            (Decision::NotAccepted, 0)
        ]
    );
    let step = |from, to| {
        f.steps
            .iter()
            .find(|s| s.from == from && s.to == to)
            .unwrap()
    };
    // Reviewed after 2, 1 and 3 days: the median is 2.
    let review = step(Stage::Collected, Stage::UnderReview);
    assert_eq!(
        (review.rate, review.median_days, review.sample),
        (Some(0.6), Some(2.0), 3)
    );
    // Selected 2 and 1 days after review: 1.5.
    let select = step(Stage::UnderReview, Stage::Selected);
    assert_eq!((select.rate, select.median_days), (Some(0.6667), Some(1.5)));
    // Answered 30 and 10 days after referral: 20.
    assert_eq!(
        step(Stage::Referred, Stage::Answered).median_days,
        Some(20.0)
    );
    let implement = step(Stage::Answered, Stage::Implemented);
    assert_eq!(
        (implement.rate, implement.median_days),
        (Some(0.5), Some(60.0))
    );
}

#[test]
fn an_empty_funnel_has_no_rates() {
    let f = Funnel::of(&[]);
    assert!(f.counts.iter().all(|(_, n)| *n == 0));
    assert!(
        f.steps
            .iter()
            .all(|s| s.rate.is_none() && s.median_days.is_none())
    );
}

#[test]
fn percentiles_use_the_nearest_rank() {
    let mut ten: Vec<f64> = (1..=10).map(f64::from).collect();
    assert_eq!(percentiles(&mut ten), Some((5.5, 9.0)));
    assert_eq!(percentiles(&mut [4.0]), Some((4.0, 4.0)));
    assert_eq!(percentiles(&mut []), None);
}

#[test]
fn a_period_is_bounded_by_midnights_in_seoul() {
    let d = NaiveDate::from_ymd_opt(2026, 1, 1);
    let (start, end) = Period { from: d, to: d }.bounds();
    assert_eq!(start.unwrap().to_rfc3339(), "2025-12-31T15:00:00+00:00");
    assert_eq!(end.unwrap().to_rfc3339(), "2026-01-01T15:00:00+00:00");
}

#[test]
fn organizations_are_credited_with_each_hop_and_the_answer_with_the_last() {
    let a = Id::generate();
    let b = Id::generate();
    let now = t0() + Duration::days(100);
    let transferred_then_answered_late = ReferralRow {
        hops: vec![
            HopRow {
                organization_id: a,
                sent_at: t0(),
            },
            HopRow {
                organization_id: b,
                sent_at: day(10).unwrap(),
            },
        ],
        status: ReferralStatus::Answered,
        due_at: day(40).unwrap(),
        answered_at: day(50),
        decision: Some(Decision::NotAccepted),
        acknowledged_by: vec![a, b],
        commitments: vec![],
    };
    let answered_on_time = ReferralRow {
        hops: vec![HopRow {
            organization_id: b,
            sent_at: t0(),
        }],
        status: ReferralStatus::Implemented,
        due_at: day(30).unwrap(),
        answered_at: day(20),
        decision: Some(Decision::Accepted),
        acknowledged_by: vec![b],
        commitments: vec![
            (
                CommitmentStatus::Planned,
                NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            ),
            (
                CommitmentStatus::InProgress,
                NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            ),
            (
                CommitmentStatus::Done,
                NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            ),
        ],
    };
    let overdue = ReferralRow {
        hops: vec![HopRow {
            organization_id: a,
            sent_at: t0(),
        }],
        status: ReferralStatus::Sent,
        due_at: day(30).unwrap(),
        answered_at: None,
        decision: None,
        acknowledged_by: vec![],
        commitments: vec![],
    };
    let recs = records(
        &[transferred_then_answered_late, answered_on_time, overdue],
        now,
    );
    let of = |id| recs.iter().find(|r| r.organization_id == Some(id)).unwrap();
    let ra = of(a);
    assert_eq!(
        (ra.received, ra.transferred_away, ra.acknowledged),
        (2, 1, 1)
    );
    assert_eq!(
        (ra.answered_on_time, ra.answered_late, ra.overdue_now),
        (0, 0, 1)
    );
    assert_eq!(ra.median_days_to_answer, None);
    let rb = of(b);
    assert_eq!(
        (rb.received, rb.transferred_away, rb.acknowledged),
        (2, 0, 2)
    );
    assert_eq!(
        (rb.answered_on_time, rb.answered_late, rb.overdue_now),
        (1, 1, 0)
    );
    // 40 days from its arrival at b (day 10 to 50), and 20 days: median 30, p90 40.
    assert_eq!(
        (rb.median_days_to_answer, rb.p90_days_to_answer),
        (Some(30.0), Some(40.0))
    );
    assert_eq!(
        rb.decisions,
        vec![
            (Decision::Accepted, 1),
            (Decision::PartiallyAccepted, 0),
            (Decision::NotAccepted, 1)
        ]
    );
    assert_eq!((rb.open_commitments, rb.overdue_commitments), (2, 1));
}

fn referral_sent(at: &str, org: crate::organization::OrganizationId) -> ReferralRow {
    ReferralRow {
        hops: vec![HopRow {
            organization_id: org,
            sent_at: at.parse().unwrap(),
        }],
        status: ReferralStatus::Sent,
        due_at: "2027-06-01T00:00:00Z".parse().unwrap(),
        answered_at: None,
        decision: None,
        acknowledged_by: Vec::new(),
        commitments: Vec::new(),
    }
}

fn forum_row(starts_at: &str, status: crate::forum::ForumStatus) -> super::ForumRow {
    super::ForumRow {
        id: Id::generate(),
        title: format!("토론회 {starts_at}"),
        starts_at: starts_at.parse().unwrap(),
        kind: crate::forum::ForumKind::OpenForum,
        region: None,
        status,
        registered: 10,
        attended: 7,
        proposals: Vec::new(),
    }
}

#[test]
fn the_annual_report_keeps_the_referrals_first_sent_in_its_year_and_the_forums_that_took_place() {
    use super::annual::{AnnualInputs, AnnualReport, check_year, year_period};
    use crate::forum::ForumStatus;
    let org = Id::generate();
    // 1 January 00:30 in Seoul is still 31 December in UTC: it belongs to the new year.
    let inputs = AnnualInputs {
        referrals: vec![
            referral_sent("2025-12-31T14:59:59Z", org),
            referral_sent("2025-12-31T15:30:00Z", org),
            referral_sent("2026-12-31T15:00:00Z", org),
        ],
        forums: vec![
            forum_row("2026-05-02T01:00:00Z", ForumStatus::Ended),
            forum_row("2026-03-02T01:00:00Z", ForumStatus::Reported),
            forum_row("2026-04-02T01:00:00Z", ForumStatus::Cancelled),
        ],
        ..AnnualInputs::default()
    };
    let now = "2026-12-01T00:00:00Z".parse().unwrap();
    let r = AnnualReport::of(2026, inputs, now);
    assert_eq!(r.organizations.len(), 1);
    assert_eq!(r.organizations[0].received, 1);
    assert_eq!(r.forums.held, 2);
    assert_eq!(r.forums.cancelled, 1);
    assert_eq!(r.forums.attended, 14);
    let starts: Vec<String> = r
        .forums_held
        .iter()
        .map(|f| f.starts_at.to_rfc3339())
        .collect();
    assert_eq!(
        starts,
        ["2026-03-02T01:00:00+00:00", "2026-05-02T01:00:00+00:00"]
    );
    assert_eq!(r.funnel.counts[0], (Stage::Collected, 0));

    assert_eq!(
        year_period(2026),
        Period {
            from: NaiveDate::from_ymd_opt(2026, 1, 1),
            to: NaiveDate::from_ymd_opt(2026, 12, 31)
        }
    );
    assert!(check_year(2017, now).is_ok());
    assert!(check_year(2026, now).is_ok());
    assert!(check_year(2016, now).is_err());
    assert!(check_year(2027, now).is_err());
    // Seoul reaches 2027 nine hours before UTC does.
    assert!(check_year(2027, "2026-12-31T15:00:00Z".parse().unwrap()).is_ok());
}
