use chrono::Utc;

use super::*;
use crate::Id;
use crate::actor::{ActorRole, Visibility};
use crate::values::Reason;

fn topic() -> Result<Topic, Box<dyn std::error::Error>> {
    let draft = NewTopicInput {
        title: "골목길 불법 주차",
        description: "주택가 골목길에 불법 주차가 많아 소방차가 지나가지 못합니다.",
        region: Some("seoul"),
        tags: &["주차".to_owned()],
    }
    .parse()?;
    Ok(Topic::suggest(Id::generate(), draft, Id::generate(), Utc::now()).0)
}

#[test]
fn the_agenda_path_is_enforced() -> Result<(), Box<dyn std::error::Error>> {
    use TopicStatus as S;
    let (now, staff) = (Utc::now(), Id::generate());
    let mut t = topic()?;
    assert_eq!(
        t.move_to(S::Scheduled, None, ActorRole::Moderator, staff, now),
        Err(TopicError::InvalidTransition {
            from: S::Suggested,
            to: S::Scheduled
        })
    );
    for to in [S::Shortlisted, S::Scheduled, S::Discussed, S::Closed] {
        let e = t.move_to(to, None, ActorRole::Moderator, staff, now)?;
        assert_eq!(e.payload.to_status.as_deref(), Some(to.as_str()));
    }
    assert_eq!(t.version(), 5);
    Ok(())
}

#[test]
fn declining_needs_a_reason_and_an_undecided_topic() -> Result<(), Box<dyn std::error::Error>> {
    use TopicStatus as S;
    let (now, staff) = (Utc::now(), Id::generate());
    let mut t = topic()?;
    assert_eq!(
        t.move_to(S::Declined, None, ActorRole::Admin, staff, now),
        Err(TopicError::ReasonRequired)
    );
    let reason = Reason::parse("이미 다른 토론에서 다룹니다")?;
    t.move_to(S::Shortlisted, None, ActorRole::Admin, staff, now)?;
    t.move_to(S::Scheduled, None, ActorRole::Admin, staff, now)?;
    assert!(matches!(
        t.move_to(S::Declined, Some(reason), ActorRole::Admin, staff, now),
        Err(TopicError::InvalidTransition { .. })
    ));
    Ok(())
}

#[test]
fn votes_and_edits_follow_the_rules() -> Result<(), Box<dyn std::error::Error>> {
    let now = Utc::now();
    let mut t = topic()?;
    assert_eq!(t.check_vote(t.author_id()), Err(TopicError::OwnTopic));
    assert_eq!(t.check_vote(Id::generate()), Ok(()));
    assert_eq!(
        t.edit(Id::generate(), TopicEdit::default(), now),
        Err(TopicError::NotAuthor)
    );
    t.move_to(
        TopicStatus::Declined,
        Some(Reason::parse("범위 밖입니다")?),
        ActorRole::Moderator,
        Id::generate(),
        now,
    )?;
    assert!(matches!(
        t.check_vote(Id::generate()),
        Err(TopicError::NotOpen { .. })
    ));
    let author = t.author_id();
    assert!(matches!(
        t.edit(author, TopicEdit::default(), now),
        Err(TopicError::NotEditable { .. })
    ));
    assert!(
        t.set_hidden(true, None, ActorRole::Moderator, None, now)
            .is_some()
    );
    assert!(!t.visible_to(Visibility::Public));
    assert!(t.visible_to(Visibility::PublicAndOwn(author)));
    Ok(())
}

#[test]
fn a_new_topic_checks_every_field_at_once() {
    let errors = NewTopicInput {
        title: "짧",
        description: "짧음",
        region: Some("mars"),
        tags: &[],
    }
    .parse()
    .err()
    .map(|e| e.errors().len());
    assert_eq!(errors, Some(3));
}
