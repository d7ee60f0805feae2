//! The forum use cases, one per operation, each inside one unit of work. Those that change seats hold
//! the forum first ([`ForumStore::lock`](super::ForumStore::lock)), so concurrent registrations take turns.

use chrono::{DateTime, Utc};

use super::outcome::{ForumOutcome, OutcomeDraft};
use super::registration::{Registration, RegistrationId, RegistrationStatus};
use super::{Forum, ForumEdit, ForumError, ForumId, ForumStatus};
use crate::ValidationErrors;
use crate::actor::{Actor, Visibility};
use crate::error::UseCaseError;
use crate::event::Event;
use crate::organization::OrganizationId;
use crate::policy_area::PolicyAreaId;
use crate::proposal::{Proposal, ProposalDraft};
use crate::topic::{TopicId, TopicStatus};
use crate::uow::UnitOfWork;
use crate::values::Reason;

fn not_found() -> UseCaseError {
    UseCaseError::not_found("forum not found")
}

/// A forum `actor` may see (a draft only by those who manage it), or "not found".
///
/// # Errors
/// [`UseCaseError::NotFound`].
pub fn load_visible(
    uow: &mut dyn UnitOfWork,
    actor: Option<&Actor>,
    id: ForumId,
) -> Result<Forum, UseCaseError> {
    uow.forums()
        .get(id)?
        .filter(|f| f.visible_to(actor))
        .ok_or_else(not_found)
}

/// The forum, held for this unit of work, if `actor` may see it.
fn lock_visible(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ForumId,
) -> Result<Forum, UseCaseError> {
    uow.forums()
        .lock(id)?
        .filter(|f| f.visible_to(Some(actor)))
        .ok_or_else(not_found)
}

pub(crate) fn lock_managed(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ForumId,
) -> Result<Forum, UseCaseError> {
    let forum = lock_visible(uow, actor, id)?;
    forum.check_manager(actor)?;
    Ok(forum)
}

fn append(uow: &mut dyn UnitOfWork, events: &[Event]) -> Result<(), UseCaseError> {
    for e in events {
        uow.events().append(e)?;
    }
    Ok(())
}

/// Links `topics` that are not yet linked: each must be `shortlisted`, and moves to `scheduled`.
fn link_topics(
    uow: &mut dyn UnitOfWork,
    forum: &mut Forum,
    topics: &[TopicId],
    actor: &Actor,
    now: DateTime<Utc>,
    events: &mut Vec<Event>,
) -> Result<(), UseCaseError> {
    let viewer = Visibility::for_viewer(Some(actor));
    for (i, &id) in topics.iter().enumerate() {
        if forum.topic_ids().contains(&id) {
            continue;
        }
        let mut topic = uow
            .topics()
            .get(id)?
            .filter(|t| t.visible_to(viewer))
            .ok_or_else(|| {
                ValidationErrors::single(
                    format!("topic_ids[{i}]"),
                    "no such topic; see GET /api/v1/topics",
                )
            })?;
        if topic.status() != TopicStatus::Shortlisted {
            return Err(ForumError::TopicNotShortlisted {
                topic: id,
                status: topic.status(),
            }
            .into());
        }
        let mut moved = topic.move_to(
            TopicStatus::Scheduled,
            None,
            actor.staff_role(),
            actor.user_id,
            now,
        )?;
        moved.payload.related_id = Some(forum.id().to_string());
        moved.payload.related_kind = Some("forum".to_owned());
        uow.topics().update(&topic)?;
        events.push(moved);
        events.extend(forum.link_topic(id, actor, now));
    }
    Ok(())
}

/// Plans a forum, in `draft`, hosted by `organization` (an official's own; moderators and admins name
/// any), with its topics linked.
///
/// # Errors
/// Not a manager of the organization, a topic that is missing or not shortlisted, storage failures.
pub fn plan(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    organization: OrganizationId,
    policy_area_id: PolicyAreaId,
    topics: &[TopicId],
    draft: super::draft::ForumDraft,
    now: DateTime<Utc>,
) -> Result<Forum, UseCaseError> {
    if !actor.manages(organization) {
        return Err(ForumError::NotManager.into());
    }
    let (mut forum, created) = Forum::plan(actor, organization, policy_area_id, draft, now);
    let mut events = vec![created];
    link_topics(uow, &mut forum, topics, actor, now, &mut events)?;
    uow.forums().insert(&forum)?;
    append(uow, &events)?;
    Ok(forum)
}

/// Gives free seats to the waitlist, first come first served.
fn promote_waitlisted(
    uow: &mut dyn UnitOfWork,
    forum: &mut Forum,
    now: DateTime<Utc>,
    events: &mut Vec<Event>,
) -> Result<(), UseCaseError> {
    let n = forum.free_seats_for_waitlist();
    if n == 0 {
        return Ok(());
    }
    for mut r in uow.registrations().first_waitlisted(forum.id(), n)? {
        events.push(forum.promote(&mut r, now));
        uow.registrations().update(&r)?;
    }
    Ok(())
}

/// A manager edits the forum; topics named in `topic_ids` are linked (none can be unlinked), and a larger
/// capacity seats the waitlist.
///
/// # Errors
/// Not found, not a manager, a locked field, a broken rule, a topic not shortlisted, a concurrent change.
pub fn edit(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ForumId,
    mut edit: ForumEdit,
    now: DateTime<Utc>,
) -> Result<Forum, UseCaseError> {
    let mut forum = lock_managed(uow, actor, id)?;
    let topics = edit.topic_ids.take();
    let s = &forum.record().schedule;
    let before = (s.starts_at, s.ends_at);
    let mut events = vec![forum.edit(actor, edit, now)?];
    events.extend(forum.rescheduled(before, actor, now));
    if let Some(topics) = topics {
        forum.check_topics_open()?;
        if let Some(kept) = forum.topic_ids().iter().find(|t| !topics.contains(t)) {
            return Err(ValidationErrors::single(
                "topic_ids",
                format!("must keep the linked topic {kept}: topics cannot be unlinked"),
            )
            .into());
        }
        link_topics(uow, &mut forum, &topics, actor, now, &mut events)?;
    }
    promote_waitlisted(uow, &mut forum, now, &mut events)?;
    uow.forums().update(&forum)?;
    append(uow, &events)?;
    Ok(forum)
}

/// A manager moves the forum along its lifecycle. When it ends, its `scheduled` topics become
/// `discussed`.
///
/// # Errors
/// Not found, not a manager, a move the lifecycle forbids, a concurrent change.
pub fn change_status(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ForumId,
    to: ForumStatus,
    reason: Option<Reason>,
    now: DateTime<Utc>,
) -> Result<Forum, UseCaseError> {
    let mut forum = lock_managed(uow, actor, id)?;
    let mut events = vec![forum.move_to(to, reason, actor, now)?];
    if to == ForumStatus::Ended {
        for &t in forum.topic_ids() {
            let Some(mut topic) = uow.topics().get(t)? else {
                continue;
            };
            if topic.status() == TopicStatus::Scheduled {
                let mut e = topic.move_to(
                    TopicStatus::Discussed,
                    None,
                    actor.staff_role(),
                    actor.user_id,
                    now,
                )?;
                e.payload.related_id = Some(forum.id().to_string());
                e.payload.related_kind = Some("forum".to_owned());
                uow.topics().update(&topic)?;
                events.push(e);
            }
        }
    }
    uow.forums().update(&forum)?;
    append(uow, &events)?;
    Ok(forum)
}

/// Registers the actor: a seat, or the end of the waitlist. Returns the registration and the forum.
///
/// # Errors
/// Not found, registered already, registration not open or closed.
pub fn register(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ForumId,
    now: DateTime<Utc>,
) -> Result<(Registration, Forum), UseCaseError> {
    let mut forum = lock_visible(uow, actor, id)?;
    if uow.registrations().active(id, actor.user_id)?.is_some() {
        return Err(ForumError::AlreadyRegistered.into());
    }
    let (mut r, event) = forum.register(actor, now)?;
    if r.status == RegistrationStatus::Waitlisted {
        r.waitlist_position = Some(forum.seats().waitlisted);
    }
    uow.registrations().insert(&r)?;
    uow.forums().update(&forum)?;
    uow.events().append(&event)?;
    Ok((r, forum))
}

/// Cancels the actor's registration; a freed seat goes to the first waitlisted person.
///
/// # Errors
/// Not found (no forum or no registration), or the forum has started.
pub fn cancel_registration(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ForumId,
    now: DateTime<Utc>,
) -> Result<(), UseCaseError> {
    let mut forum = lock_visible(uow, actor, id)?;
    let mut r = uow
        .registrations()
        .active(id, actor.user_id)?
        .ok_or_else(|| UseCaseError::not_found("registration not found"))?;
    let (held_seat, cancelled) = forum.cancel_registration(&mut r, actor, now)?;
    uow.registrations().update(&r)?;
    let mut events = vec![cancelled];
    if held_seat {
        promote_waitlisted(uow, &mut forum, now, &mut events)?;
    }
    uow.forums().update(&forum)?;
    append(uow, &events)
}

/// Staff mark who attended (or not), once the forum is live or ended.
///
/// # Errors
/// Not found, not a manager, too early, a registration of another forum.
pub fn mark_attendance(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ForumId,
    registrations: &[RegistrationId],
    attended: bool,
    now: DateTime<Utc>,
) -> Result<Forum, UseCaseError> {
    let mut forum = lock_managed(uow, actor, id)?;
    let mut events = Vec::new();
    for (i, &rid) in registrations.iter().enumerate() {
        let mut r = uow
            .registrations()
            .get(rid)?
            .filter(|r| r.forum_id == id)
            .ok_or_else(|| {
                ValidationErrors::single(
                    format!("registration_ids[{i}]"),
                    "is not a registration of this forum",
                )
            })?;
        if let Some(e) = forum.mark_attendance(&mut r, attended, actor, now)? {
            uow.registrations().update(&r)?;
            events.push(e);
        }
    }
    uow.forums().update(&forum)?;
    append(uow, &events)?;
    Ok(forum)
}

/// Publishes or replaces the outcome; the first one reports the forum. Every listed proposal must have
/// come out of this forum. Returns the outcome and whether it is new.
///
/// # Errors
/// Not found, not a manager, not ended, a proposal of another forum.
pub fn publish_outcome(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ForumId,
    draft: OutcomeDraft,
    now: DateTime<Utc>,
) -> Result<(ForumOutcome, bool), UseCaseError> {
    let mut forum = lock_managed(uow, actor, id)?;
    let own = id.to_string();
    for (i, &p) in draft.proposal_ids.iter().enumerate() {
        let ok = uow
            .proposals()
            .get(p)?
            .is_some_and(|p| p.forum_id().as_deref() == Some(own.as_str()));
        if !ok {
            return Err(ValidationErrors::single(
                format!("proposal_ids[{i}]"),
                "is not a proposal of this forum",
            )
            .into());
        }
    }
    let previous = uow.forums().outcome(id)?;
    let created = previous.is_none();
    let (outcome, events) = forum.publish_outcome(previous, draft, actor, now)?;
    uow.forums().put_outcome(&outcome)?;
    uow.forums().update(&forum)?;
    append(uow, &events)?;
    Ok((outcome, created))
}

/// Staff enter an idea from the forum's cards and tables as a proposal, once the forum is live.
///
/// # Errors
/// Not found, not a manager, before the forum, storage failures.
pub fn enter_proposal(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ForumId,
    draft: ProposalDraft,
    policy_area_id: PolicyAreaId,
    participant_name: Option<String>,
    now: DateTime<Utc>,
) -> Result<Proposal, UseCaseError> {
    let forum = load_visible(uow, Some(actor), id)?;
    forum.check_manager(actor)?;
    if !forum.status().has_started() {
        return Err(ForumError::NotHeldYet {
            status: forum.status(),
        }
        .into());
    }
    crate::proposal::service::enter_at_forum(
        uow,
        actor,
        id.to_string(),
        draft,
        policy_area_id,
        participant_name,
        now,
    )
}
