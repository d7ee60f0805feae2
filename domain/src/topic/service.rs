//! The topic use cases, one per operation, each inside one unit of work.

use chrono::{DateTime, Utc};

use super::{Topic, TopicDraft, TopicEdit, TopicId, TopicStatus};
use crate::actor::{Actor, Visibility};
use crate::endorsement;
use crate::error::UseCaseError;
use crate::policy_area::PolicyAreaId;
use crate::proposal::trending_since;
use crate::uow::UnitOfWork;
use crate::values::Reason;

/// A topic `actor` may see, or "not found".
///
/// # Errors
/// [`UseCaseError::NotFound`].
pub fn load_visible(
    uow: &mut dyn UnitOfWork,
    actor: Option<&Actor>,
    id: TopicId,
) -> Result<Topic, UseCaseError> {
    uow.topics()
        .get(id)?
        .filter(|t| t.visible_to(Visibility::for_viewer(actor)))
        .ok_or_else(|| UseCaseError::not_found("topic not found"))
}

/// Suggests a topic.
///
/// # Errors
/// Storage failures.
pub fn suggest(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    draft: TopicDraft,
    policy_area_id: PolicyAreaId,
    now: DateTime<Utc>,
) -> Result<Topic, UseCaseError> {
    let (topic, event) = Topic::suggest(actor.user_id, draft, policy_area_id, now);
    uow.topics().insert(&topic)?;
    uow.events().append(&event)?;
    Ok(topic)
}

/// The author edits their topic.
///
/// # Errors
/// Not found, not the author, not editable, or a concurrent change.
pub fn edit(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: TopicId,
    edit: TopicEdit,
    now: DateTime<Utc>,
) -> Result<Topic, UseCaseError> {
    let mut topic = load_visible(uow, Some(actor), id)?;
    let event = topic.edit(actor.user_id, edit, now)?;
    uow.topics().update(&topic)?;
    uow.events().append(&event)?;
    Ok(topic)
}

/// Staff move a topic on the agenda.
///
/// # Errors
/// Not found, a move the lifecycle forbids, or a concurrent change.
pub fn change_status(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: TopicId,
    to: TopicStatus,
    reason: Option<Reason>,
    now: DateTime<Utc>,
) -> Result<Topic, UseCaseError> {
    let mut topic = load_visible(uow, Some(actor), id)?;
    let event = topic.move_to(to, reason, actor.staff_role(), actor.user_id, now)?;
    uow.topics().update(&topic)?;
    uow.events().append(&event)?;
    Ok(topic)
}

/// Votes on a topic; idempotent (see [`endorsement::endorse`]).
///
/// # Errors
/// Not found, one's own topic, or a closed one.
pub fn vote(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: TopicId,
    now: DateTime<Utc>,
) -> Result<(), UseCaseError> {
    endorsement::endorse(
        uow,
        "topic",
        |uow| {
            uow.topics()
                .add_vote(id, actor.user_id, now, actor.is_staff())
        },
        |uow| {
            load_visible(uow, Some(actor), id)?.check_vote(actor.user_id)?;
            Ok(uow.topics().voted(id, actor.user_id)?)
        },
    )
}

/// Withdraws a vote; idempotent.
///
/// # Errors
/// Not found.
pub fn unvote(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: TopicId,
    now: DateTime<Utc>,
) -> Result<(), UseCaseError> {
    endorsement::withdraw(
        uow,
        |uow| {
            uow.topics()
                .remove_vote(id, actor.user_id, trending_since(now))
        },
        |uow| load_visible(uow, Some(actor), id).map(drop),
    )
}
