//! The unit of work: a use case commits everything or nothing, and every change appends its event.

use ocf_domain::event::{AggregateKind, EventPayload, EventReader, EventType};
use ocf_domain::proposal::query::ProposalQueries;
use ocf_domain::proposal::{ProposalEdit, Title, service};
use ocf_domain::{PageRequest, UseCaseError, clock};

use crate::World;

const BODY: &str =
    "낮 시간에 비어 있는 아파트 주차장을 이웃과 공유하면 골목 주차 문제가 줄어듭니다.";

fn timeline(world: &World, id: &str) -> Vec<(i64, EventType, EventPayload)> {
    world
        .db
        .aggregate_events(
            AggregateKind::Proposal,
            id,
            &PageRequest::new(Some(100), None).unwrap(),
        )
        .expect("events")
        .items
        .into_iter()
        .map(|e| (e.position, e.event.event_type, e.event.payload))
        .collect()
}

#[test]
fn a_use_case_that_fails_after_writing_leaves_nothing_behind() {
    let world = World::new();
    let author = world.citizen();
    let kept = world.propose(&author, "주차장 공유 제안", BODY);
    // Edit, then fail: the edit and its event must roll back with the failure.
    let outcome: Result<(), UseCaseError> = world.db.transact(|uow| {
        let edit = ProposalEdit {
            title: Some(Title::parse("바뀐 제목입니다").unwrap()),
            ..ProposalEdit::default()
        };
        service::edit(uow, &author, kept.id(), edit, clock::now())?;
        Err(UseCaseError::not_found("something the use case needed"))
    });
    assert!(matches!(outcome, Err(UseCaseError::NotFound(_))));
    let stored = world.db.proposal(kept.id()).unwrap().unwrap();
    assert_eq!(stored.title().as_str(), "주차장 공유 제안");
    assert_eq!(stored.version(), 1);
    let events = timeline(&world, &kept.id().to_string());
    assert_eq!(events.len(), 1, "only the submission is logged: {events:?}");
}

#[test]
fn a_batched_use_case_that_fails_after_writing_leaves_nothing_behind_while_others_commit() {
    use ocf_domain::comment::query::{CommentFilter, CommentQueries, CommentSort};
    use ocf_domain::comment::{CommentBody, CommentOn, service as comments};
    let world = World::new();
    let author = world.citizen();
    let p = world.propose(&author, "주차장 공유 제안", BODY);
    let on = CommentOn::Proposal(p.id());
    let post = |fail: bool| {
        let actor = author.clone();
        world
            .db
            .transact_batched(move |uow| -> Result<(), UseCaseError> {
                let body = CommentBody::parse("좋은 의견입니다").unwrap();
                comments::post(uow, &actor, on, None, body, None, clock::now())?;
                if fail {
                    return Err(UseCaseError::not_found("something the use case needed"));
                }
                Ok(())
            })
    };
    let (bad, good) = std::thread::scope(|s| {
        let bad = s.spawn(|| post(true));
        let good = s.spawn(|| post(false));
        (bad.join().unwrap(), good.join().unwrap())
    });
    assert!(matches!(bad, Err(UseCaseError::NotFound(_))));
    assert!(good.is_ok());
    let filter = CommentFilter {
        on,
        parent: None,
        visibility: ocf_domain::actor::Visibility::Everything,
    };
    let page = PageRequest::new(Some(10), None).unwrap();
    let stored = world
        .db
        .list_comments(&filter, CommentSort::Oldest, &page)
        .unwrap();
    assert_eq!(stored.items.len(), 1, "the failed one rolled back alone");
}

#[test]
fn every_change_appends_its_event_in_order_with_who_acted() {
    let world = World::new();
    let author = world.citizen();
    let p = world.propose(&author, "주차장 공유 제안", BODY);
    let edit = ProposalEdit {
        title: Some(Title::parse("주차장 낮 시간 공유").unwrap()),
        ..ProposalEdit::default()
    };
    world
        .db
        .transact(|uow| service::edit(uow, &author, p.id(), edit, clock::now()))
        .unwrap();
    world
        .db
        .transact(|uow| service::withdraw(uow, &author, p.id(), clock::now()))
        .unwrap();
    let events = timeline(&world, &p.id().to_string());
    let types: Vec<EventType> = events.iter().map(|e| e.1).collect();
    assert_eq!(
        types,
        [
            EventType::ProposalSubmitted,
            EventType::ProposalEdited,
            EventType::ProposalWithdrawn
        ]
    );
    assert!(events.windows(2).all(|w| w[0].0 < w[1].0), "positions grow");
    assert_eq!(events[2].2.from_status.as_deref(), Some("submitted"));
    assert_eq!(events[2].2.to_status.as_deref(), Some("withdrawn"));
    let logged = world
        .db
        .aggregate_events(
            AggregateKind::Proposal,
            &p.id().to_string(),
            &PageRequest::new(Some(1), None).unwrap(),
        )
        .unwrap();
    assert_eq!(logged.items[0].event.actor_id, Some(author.user_id));
    assert!(logged.next_after.is_some(), "pages by position");
}

#[test]
fn a_support_and_its_refusal_go_through_the_grouped_path() {
    let world = World::new();
    let (author, fan) = (world.citizen(), world.citizen());
    let p = world.propose(&author, "주차장 공유 제안", BODY);
    let id = p.id();
    let fan2 = fan.clone();
    world
        .db
        .transact_grouped(move |uow| service::support(uow, &fan2, id, clock::now()))
        .unwrap();
    let own = author.clone();
    let refused = world
        .db
        .transact_grouped(move |uow| service::support(uow, &own, id, clock::now()));
    assert!(
        matches!(refused, Err(UseCaseError::Proposal(_))),
        "{refused:?}"
    );
    assert_eq!(world.db.proposal(id).unwrap().unwrap().support_count(), 1);
    assert!(world.db.supports(id, fan.user_id).unwrap());
}
