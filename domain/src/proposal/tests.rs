use chrono::Utc;

use super::*;
use crate::Id;
use crate::actor::Visibility;

fn proposal(status: ProposalStatus) -> Result<Proposal, Box<dyn std::error::Error>> {
    Ok(Proposal::restore(ProposalRecord {
        id: Id::generate(),
        author_id: Id::generate(),
        title: Title::parse("주차장 공유 제안")?,
        body: Body::parse("아파트 주차장을 낮 시간에 이웃과 공유하면 좋겠습니다.")?,
        policy_area_id: Id::generate(),
        region: None,
        tags: Tags::default(),
        topic_id: None,
        forum_id: None,
        channel: Channel::Web,
        status,
        hidden: false,
        merged_into: None,
        support_count: 0,
        created_at: Utc::now(),
        updated_at: Utc::now(),
        version: 1,
    }))
}

#[test]
fn limits_count_characters() {
    assert!(Title::parse("주차장").is_err(), "3 characters is too short");
    assert!(Title::parse("주차장문제").is_ok());
    assert!(Title::parse(&"가".repeat(151)).is_err());
    assert!(Title::parse("two\nlines").is_err());
    assert!(Body::parse(&"가".repeat(19)).is_err());
    assert!(Body::parse(&"가".repeat(10_000)).is_ok());
    assert!(Body::parse(&"가".repeat(10_001)).is_err());
}

#[test]
fn tags_are_lowercased_deduplicated_and_capped() {
    let tags = Tags::parse(&["Parking", "parking", "주차"]).map(|t| t.iter().count());
    assert_eq!(tags, Ok(2));
    let eleven: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
    assert!(Tags::parse(&eleven).is_err());
    assert!(Tags::parse(&["a,b"]).is_err());
    assert!(Tags::parse(&[" "]).is_err());
}

#[test]
fn channels_fit_partners_without_new_meaning() {
    assert_eq!(Channel::parse("web"), Ok(Channel::Web));
    assert_eq!(
        Channel::parse("partner:epeople").map(|c| c.code()),
        Ok("partner:epeople".to_owned())
    );
    assert!(Channel::parse("partner:").is_err());
    assert!(Channel::parse("fax").is_err());
}

#[test]
fn the_review_path_is_enforced() -> Result<(), Box<dyn std::error::Error>> {
    use ProposalStatus as S;
    let now = Utc::now();
    let mut p = proposal(S::Submitted)?;
    assert_eq!(
        p.decide(S::Selected, None, ActorRole::Moderator, now),
        Err(ProposalError::InvalidTransition {
            from: S::Submitted,
            to: S::Selected
        })
    );
    p.decide(S::UnderReview, None, ActorRole::Moderator, now)?;
    assert_eq!(
        p.decide(S::Rejected, None, ActorRole::Moderator, now),
        Err(ProposalError::ReasonRequired)
    );
    let e = p.decide(
        S::Rejected,
        Some(Reason::parse("이미 시행 중인 정책입니다")?),
        ActorRole::Moderator,
        now,
    )?;
    assert_eq!(
        (e.from_status, e.to_status),
        (Some(S::UnderReview), Some(S::Rejected))
    );
    assert_eq!(p.version(), 3);
    assert!(matches!(
        p.decide(S::Implemented, None, ActorRole::Admin, now),
        Err(ProposalError::NotAModeratorStatus { .. })
    ));
    Ok(())
}

#[test]
fn only_the_author_edits_and_only_before_review() -> Result<(), Box<dyn std::error::Error>> {
    let now = Utc::now();
    let mut p = proposal(ProposalStatus::Submitted)?;
    let author = p.author_id();
    assert_eq!(
        p.edit(Id::generate(), ProposalEdit::default(), now),
        Err(ProposalError::NotAuthor)
    );
    p.edit(
        author,
        ProposalEdit {
            title: Some(Title::parse("새로운 제목입니다")?),
            ..Default::default()
        },
        now,
    )?;
    p.decide(ProposalStatus::UnderReview, None, ActorRole::Moderator, now)?;
    assert!(matches!(
        p.edit(author, ProposalEdit::default(), now),
        Err(ProposalError::NotEditable { .. })
    ));
    Ok(())
}

#[test]
fn withdrawal_is_for_the_author_before_a_decision() -> Result<(), Box<dyn std::error::Error>> {
    let now = Utc::now();
    let mut p = proposal(ProposalStatus::Selected)?;
    let author = p.author_id();
    assert!(matches!(
        p.withdraw(author, now),
        Err(ProposalError::InvalidTransition { .. })
    ));
    let mut p = proposal(ProposalStatus::UnderReview)?;
    assert_eq!(
        p.withdraw(Id::generate(), now),
        Err(ProposalError::NotAuthor)
    );
    let author = p.author_id();
    p.withdraw(author, now)?;
    assert_eq!(p.status(), ProposalStatus::Withdrawn);
    Ok(())
}

#[test]
fn merging_needs_review_and_an_open_target() -> Result<(), Box<dyn std::error::Error>> {
    let now = Utc::now();
    let reason = Reason::parse("같은 제안입니다")?;
    let mut target = proposal(ProposalStatus::Selected)?;
    let mut source = proposal(ProposalStatus::Submitted)?;
    assert!(matches!(
        source.merge_into(&mut target, reason.clone(), ActorRole::Moderator, now),
        Err(ProposalError::InvalidTransition { .. })
    ));
    let mut source = proposal(ProposalStatus::UnderReview)?;
    let mut closed = proposal(ProposalStatus::Rejected)?;
    assert!(matches!(
        source.merge_into(&mut closed, reason.clone(), ActorRole::Moderator, now),
        Err(ProposalError::MergeTargetClosed { .. })
    ));
    let mut same = source.clone();
    assert_eq!(
        source.merge_into(&mut same, reason.clone(), ActorRole::Moderator, now),
        Err(ProposalError::MergeIntoSelf)
    );
    let (merged, absorbed) = source.merge_into(&mut target, reason, ActorRole::Moderator, now)?;
    assert_eq!(source.merged_into(), Some(target.id()));
    assert_eq!(merged.related_proposal_id, Some(target.id()));
    assert_eq!(absorbed.proposal_id, target.id());
    Ok(())
}

#[test]
fn supports_follow_the_rules() -> Result<(), Box<dyn std::error::Error>> {
    let p = proposal(ProposalStatus::Submitted)?;
    assert_eq!(
        p.check_support(p.author_id()),
        Err(ProposalError::OwnProposal)
    );
    assert_eq!(p.check_support(Id::generate()), Ok(()));
    let withdrawn = proposal(ProposalStatus::Withdrawn)?;
    assert!(matches!(
        withdrawn.check_support(Id::generate()),
        Err(ProposalError::NotOpen { .. })
    ));
    Ok(())
}

#[test]
fn merging_moves_supports_and_fences_the_survivor() -> Result<(), Box<dyn std::error::Error>> {
    let now = Utc::now();
    let mut target = proposal(ProposalStatus::Selected)?;
    let mut source = proposal(ProposalStatus::UnderReview)?;
    source.merge_into(
        &mut target,
        Reason::parse("같은 제안입니다")?,
        ActorRole::Moderator,
        now,
    )?;
    assert_eq!(source.support_count(), 0);
    assert_eq!(
        target.version(),
        2,
        "the survivor's version moves, so a concurrent change conflicts"
    );
    Ok(())
}

#[test]
fn hidden_proposals_show_to_their_author_and_staff_only() -> Result<(), Box<dyn std::error::Error>>
{
    let mut p = proposal(ProposalStatus::Submitted)?;
    p.set_hidden(true, None, ActorRole::Moderator, Utc::now());
    assert!(!p.visible_to(Visibility::Public));
    assert!(!p.visible_to(Visibility::PublicAndOwn(Id::generate())));
    assert!(p.visible_to(Visibility::PublicAndOwn(p.author_id())));
    assert!(p.visible_to(Visibility::Everything));
    Ok(())
}

#[test]
fn every_event_kind_has_its_own_log_name() {
    use crate::event::AggregateKind;
    for kind in EventKind::ALL {
        let t = kind.event_type();
        match t.aggregate() {
            // A proposal's own change, `proposal.<kind>`.
            AggregateKind::Proposal => assert_eq!(t.change(), kind.as_str()),
            // A step of its referral, shown on its timeline as `referral_<step>`.
            AggregateKind::Referral => {
                assert_eq!(format!("referral_{}", t.change()), kind.as_str())
            }
            other => panic!("{kind} logs as a {other} event"),
        }
    }
}
