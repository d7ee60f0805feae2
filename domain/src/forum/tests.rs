//! Lifecycle rules; a failed expectation panics, as tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::account::Roles;
use crate::actor::Actor;
use crate::values::Reason;

fn at(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 10, 0, 0, 0).unwrap() + Duration::hours(h)
}

fn official(org: crate::organization::OrganizationId) -> Actor {
    Actor::new(Id::generate(), Roles::parse(&["official"]).unwrap()).in_organization(Some(org))
}

fn venue() -> VenueInput {
    VenueInput {
        name: "광화문 1번가 열린소통포럼실".into(),
        address: "서울특별시 종로구 세종대로 172".into(),
        region: "seoul".into(),
    }
}

fn input<'a>(
    mode: &'a str,
    venue: Option<&'a VenueInput>,
    capacity: Option<i64>,
) -> NewForumInput<'a> {
    NewForumInput {
        kind: "open_forum",
        mode,
        title: "섬 지역 교통 문제 열린소통포럼",
        description: "섬 주민의 교통 불편을 시민, 전문가, 공무원이 함께 논의합니다.",
        venue,
        schedule: ForumSchedule {
            starts_at: at(10),
            ends_at: at(12),
            registration_opens_at: None,
            registration_closes_at: None,
        },
        capacity,
        livestream_url: None,
        panel: &[],
        agenda: &[],
    }
}

fn forum(mode: &str, capacity: Option<i64>) -> (Forum, Actor) {
    let org = Id::generate();
    let v = venue();
    let venue = (mode != "online").then_some(&v);
    let draft = input(mode, venue, capacity).parse().unwrap();
    let actor = official(org);
    let (f, _) = Forum::plan(&actor, org, Id::generate(), draft, at(0));
    (f, actor)
}

#[test]
fn the_venue_must_fit_the_mode() {
    let v = venue();
    let e = input("online", Some(&v), None).parse().unwrap_err();
    assert_eq!(e.errors()[0].field, "venue");
    let e = input("hybrid", None, None).parse().unwrap_err();
    assert_eq!(e.errors()[0].field, "venue");
    assert!(input("offline", Some(&v), Some(10)).parse().is_ok());
}

#[test]
fn agenda_items_lie_within_the_forum_and_name_panel_members() {
    let v = venue();
    let agenda = [AgendaInput {
        title: "개회".into(),
        starts_at: at(9),
        ends_at: at(10),
        speaker: Some("홍길동".into()),
    }];
    let mut i = input("offline", Some(&v), None);
    i.agenda = &agenda;
    let fields: Vec<String> = i
        .parse()
        .unwrap_err()
        .errors()
        .iter()
        .map(|e| e.field.clone())
        .collect();
    assert_eq!(fields, ["agenda[0].starts_at", "agenda[0].speaker"]);
}

#[test]
fn only_managers_manage_and_drafts_are_theirs() {
    let (f, host) = forum("offline", None);
    let other = official(Id::generate());
    assert!(f.managed_by(&host) && !f.managed_by(&other));
    assert!(f.visible_to(Some(&host)) && !f.visible_to(Some(&other)) && !f.visible_to(None));
    let moderator = Actor::new(Id::generate(), Roles::parse(&["moderator"]).unwrap());
    assert!(f.managed_by(&moderator));
}

#[test]
fn the_lifecycle_and_its_refusals() {
    let (mut f, a) = forum("hybrid", None);
    assert_eq!(
        f.move_to(ForumStatus::Live, None, &a, at(1)).unwrap_err(),
        ForumError::InvalidTransition {
            from: ForumStatus::Draft,
            to: ForumStatus::Live
        }
    );
    f.move_to(ForumStatus::Scheduled, None, &a, at(1)).unwrap();
    assert_eq!(
        f.move_to(ForumStatus::Live, None, &a, at(10)).unwrap_err(),
        ForumError::LivestreamRequired {
            mode: ForumMode::Hybrid
        }
    );
    let edit = ForumEdit {
        livestream_url: Some(Some(
            LivestreamUrl::parse("https://tv.example.kr/live/1").unwrap(),
        )),
        ..ForumEdit::default()
    };
    f.edit(&a, edit, at(2)).unwrap();
    f.move_to(ForumStatus::Live, None, &a, at(10)).unwrap();
    let late = ForumEdit {
        starts_at: Some(at(11)),
        ..ForumEdit::default()
    };
    assert_eq!(
        f.edit(&a, late, at(10)).unwrap_err(),
        ForumError::FieldLocked {
            field: "starts_at",
            status: ForumStatus::Live
        }
    );
    assert!(matches!(
        f.move_to(
            ForumStatus::Cancelled,
            Some(Reason::parse("태풍").unwrap()),
            &a,
            at(10)
        ),
        Err(ForumError::InvalidTransition { .. })
    ));
    f.move_to(ForumStatus::Ended, None, &a, at(12)).unwrap();
    assert_eq!(
        f.move_to(ForumStatus::Reported, None, &a, at(13))
            .unwrap_err(),
        ForumError::OutcomeRequired
    );
}

#[test]
fn cancelling_needs_a_reason() {
    let (mut f, a) = forum("offline", None);
    assert_eq!(
        f.move_to(ForumStatus::Cancelled, None, &a, at(1))
            .unwrap_err(),
        ForumError::ReasonRequired
    );
}

#[test]
fn seats_then_the_waitlist_and_promotion() {
    let (mut f, a) = forum("offline", Some(1));
    let citizen = |_| Actor::new(Id::generate(), Roles::citizen());
    assert_eq!(
        f.register(&citizen(0), at(1)).unwrap_err(),
        ForumError::RegistrationClosed
    );
    f.move_to(ForumStatus::Scheduled, None, &a, at(1)).unwrap();
    let first = citizen(1);
    let (mut r1, _) = f.register(&first, at(2)).unwrap();
    let (mut r2, _) = f.register(&citizen(2), at(2)).unwrap();
    assert_eq!(
        (r1.status, r2.status),
        (
            RegistrationStatus::Registered,
            RegistrationStatus::Waitlisted
        )
    );
    assert_eq!(
        f.seats(),
        Seats {
            registered: 1,
            waitlisted: 1,
            attended: 0
        }
    );
    let (held, _) = f.cancel_registration(&mut r1, &first, at(3)).unwrap();
    assert!(held);
    assert_eq!(f.free_seats_for_waitlist(), 1);
    let e = f.promote(&mut r2, at(3));
    assert_eq!(e.actor_id, Some(r2.user_id));
    assert_eq!(
        f.seats(),
        Seats {
            registered: 1,
            waitlisted: 0,
            attended: 0
        }
    );
    assert_eq!(
        f.register(&citizen(3), at(10)).unwrap_err(),
        ForumError::RegistrationClosed
    );
}

use registration::RegistrationStatus;
