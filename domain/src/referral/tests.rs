#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, Utc};

use super::*;
use crate::account::{Roles, UserId};
use crate::actor::Actor;
use crate::event::EventType;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn official(org: OrganizationId) -> Actor {
    Actor::new(UserId::generate(), Roles::parse(&["official"]).unwrap()).in_organization(Some(org))
}

fn moderator() -> Actor {
    Actor::new(UserId::generate(), Roles::parse(&["moderator"]).unwrap())
}

fn sent(org: OrganizationId, now: DateTime<Utc>) -> Referral {
    let new = NewReferralInput {
        subject_kind: "proposal",
        subject_id: &Id::<()>::generate().to_string(),
        organization_id: &org.to_string(),
        cover_note: "검토 부탁드립니다.",
        due_on: None,
    }
    .parse(now)
    .unwrap();
    Referral::send(new, 123, &moderator(), now).0
}

fn ack(by: &Actor, now: DateTime<Utc>) -> Acknowledgement {
    AcknowledgeInput {
        division: "교통정책과",
        contact: Some("담당 02-000-0000"),
    }
    .parse(by.user_id, now)
    .unwrap()
}

fn answer(by: &Actor, decision: &str, now: DateTime<Utc>) -> Answer {
    AnswerInput {
        decision,
        reasoning: "타당합니다.",
        planned_measures: Some("내년 예산에 반영"),
        policy_task: Some("국정과제 12"),
        expected_completion_on: Some("2027-06-30"),
    }
    .parse(by.user_id, now)
    .unwrap()
}

#[test]
fn a_referral_goes_the_whole_way() {
    let now = at("2026-12-01T03:00:00Z");
    let org = OrganizationId::generate();
    let mut r = sent(org, now);
    assert_eq!(r.record().number, "OCF-2026-000123");
    assert_eq!(r.record().due_at, at("2026-12-31T14:59:59.999999Z"));
    let o = official(org);
    assert_eq!(
        r.answer(&o, answer(&o, "accepted", now), now),
        Err(ReferralError::NotAcknowledged)
    );
    r.acknowledge(&o, ack(&o, now), now).unwrap();
    assert_eq!(
        r.acknowledge(&o, ack(&o, now), now),
        Err(ReferralError::AlreadyAcknowledged)
    );
    let e = r.answer(&o, answer(&o, "accepted", now), now).unwrap();
    assert_eq!(e.event_type, EventType::ReferralAnswered);
    assert_eq!(e.payload.decision.as_deref(), Some("accepted"));
    assert_eq!(r.status(), ReferralStatus::Answered);
    let done = CompletionInput {
        evidence_url: "https://www.korea.kr/news/1",
        summary: "시행했습니다.",
    }
    .parse(o.user_id, now)
    .unwrap();
    r.complete(&o, done.clone(), now).unwrap();
    assert_eq!(r.status(), ReferralStatus::Implemented);
    assert!(matches!(
        r.complete(&o, done, now),
        Err(ReferralError::Closed { .. })
    ));
}

#[test]
fn only_the_receiving_organization_acts() {
    let now = at("2026-12-01T03:00:00Z");
    let org = OrganizationId::generate();
    let mut r = sent(org, now);
    let other = official(OrganizationId::generate());
    assert_eq!(
        r.acknowledge(&other, ack(&other, now), now),
        Err(ReferralError::NotReceivingOrganization)
    );
    let m = moderator();
    assert_eq!(
        r.acknowledge(&m, ack(&m, now), now),
        Err(ReferralError::NotReceivingOrganization)
    );
}

#[test]
fn not_accepted_closes_and_nothing_follows() {
    let now = at("2026-12-01T03:00:00Z");
    let org = OrganizationId::generate();
    let mut r = sent(org, now);
    let o = official(org);
    r.acknowledge(&o, ack(&o, now), now).unwrap();
    let no = AnswerInput {
        decision: "not_accepted",
        reasoning: "이미 시행 중입니다.",
        planned_measures: None,
        policy_task: None,
        expected_completion_on: None,
    }
    .parse(o.user_id, now)
    .unwrap();
    r.answer(&o, no, now).unwrap();
    assert_eq!(r.status(), ReferralStatus::Closed);
    let done = CompletionInput {
        evidence_url: "https://www.korea.kr/news/1",
        summary: "시행했습니다.",
    }
    .parse(o.user_id, now)
    .unwrap();
    assert_eq!(r.complete(&o, done, now), Err(ReferralError::NotAccepted));
}

#[test]
fn one_extension_per_organization_and_a_transfer_restarts_the_clock() {
    let now = at("2026-12-01T03:00:00Z");
    let (a, b) = (OrganizationId::generate(), OrganizationId::generate());
    let mut r = sent(a, now);
    let oa = official(a);
    let jan = |d| NaiveDate::from_ymd_opt(2027, 1, d).unwrap();
    assert!(matches!(
        r.extend(&oa, "검토 중".into(), jan(31), now),
        Err(ReferralError::Due(_))
    ));
    r.extend(&oa, "검토 중".into(), jan(30), now).unwrap();
    assert_eq!(r.record().due_at, at("2027-01-30T14:59:59.999999Z"));
    assert_eq!(
        r.extend(&oa, "또".into(), jan(29), now),
        Err(ReferralError::AlreadyExtended)
    );
    assert_eq!(
        r.transfer(&oa, a, "소관".into(), now),
        Err(ReferralError::SameOrganization)
    );
    let later = at("2026-12-10T16:00:00Z"); // 11 December in Seoul
    r.transfer(&oa, b, "소관 부처".into(), later).unwrap();
    let rec = r.record();
    assert_eq!(rec.hops.len(), 2);
    assert_eq!(rec.organization_id, b);
    assert_eq!(rec.status, ReferralStatus::Sent);
    assert_eq!(rec.due_at, at("2027-01-10T14:59:59.999999Z"));
    let ob = official(b);
    r.extend(&ob, "검토 중".into(), jan(20), later).unwrap();
    assert_eq!(
        r.transfer(&oa, a, "다시".into(), later),
        Err(ReferralError::NotReceivingOrganization)
    );
    // Back at the first organization: its extension is spent.
    r.transfer(&ob, a, "다시 소관".into(), later).unwrap();
    assert!(r.extended_by_holder());
    assert_eq!(
        r.extend(&oa, "또".into(), jan(25), later),
        Err(ReferralError::AlreadyExtended)
    );
}

#[test]
fn overdue_is_past_the_end_of_the_day_in_seoul_without_an_answer() {
    let now = at("2026-12-01T03:00:00Z");
    let org = OrganizationId::generate();
    let r = sent(org, now);
    assert!(!r.is_overdue(at("2026-12-31T14:59:59Z")));
    assert!(r.is_overdue(at("2026-12-31T15:00:00Z")));
}

#[test]
fn answers_and_follow_ups_check_their_fields() {
    let now = at("2026-12-01T03:00:00Z");
    let by = UserId::generate();
    let e = AnswerInput {
        decision: "maybe",
        reasoning: " ",
        planned_measures: None,
        policy_task: None,
        expected_completion_on: Some("2026-11-30"),
    }
    .parse(by, now)
    .unwrap_err();
    let fields: Vec<_> = e.errors().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["decision", "reasoning", "expected_completion_on"]);
    let e = AnswerInput {
        decision: "accepted",
        reasoning: "좋습니다",
        planned_measures: None,
        policy_task: None,
        expected_completion_on: None,
    }
    .parse(by, now)
    .unwrap_err();
    assert_eq!(e.errors().len(), 2);
    let e = FollowUpInput {
        held_on: "2026-12-02",
        participants: &[],
        minutes: "",
        commitments: &[CommitmentInput {
            description: "예산 반영",
            due_on: "someday",
            status: Some("later"),
        }],
    }
    .parse(at("2026-12-01T03:00:00Z"))
    .unwrap_err();
    let fields: Vec<_> = e.errors().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "held_on",
            "participants",
            "minutes",
            "commitments[0].due_on",
            "commitments[0].status"
        ]
    );
}
