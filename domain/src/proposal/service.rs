//! The proposal use cases, one per operation. Each runs inside one unit of work: it loads, applies the
//! lifecycle, saves, and appends the events, and the adapter commits all of it or nothing.

use chrono::{DateTime, Utc};

use super::{
    Channel, Proposal, ProposalDraft, ProposalEdit, ProposalEvent, ProposalId, ProposalStatus,
    Reason, trending_since,
};
use crate::actor::{Actor, Visibility};
use crate::endorsement;
use crate::error::UseCaseError;
use crate::policy_area::PolicyAreaId;
use crate::uow::UnitOfWork;
use crate::{Id, RepoError, ValidationErrors};

/// A proposal `actor` may see, or "not found" (a hidden one is not found to everyone but its author and
/// staff).
///
/// # Errors
/// [`UseCaseError::NotFound`].
pub fn load_visible(
    uow: &mut dyn UnitOfWork,
    actor: Option<&Actor>,
    id: ProposalId,
) -> Result<Proposal, UseCaseError> {
    uow.proposals()
        .get(id)?
        .filter(|p| p.visible_to(Visibility::for_viewer(actor)))
        .ok_or_else(|| UseCaseError::not_found("proposal not found"))
}

fn record(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    events: impl IntoIterator<Item = ProposalEvent>,
) -> Result<(), RepoError> {
    for e in events {
        uow.events().append(&e.into_event(Some(actor.user_id)))?;
    }
    Ok(())
}

/// Submits a proposal from the web channel.
///
/// # Errors
/// [`UseCaseError::Invalid`] `topic_id` when no such topic exists; storage failures.
pub fn submit(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    draft: ProposalDraft,
    policy_area_id: PolicyAreaId,
    now: DateTime<Utc>,
) -> Result<Proposal, UseCaseError> {
    if let Some(topic) = &draft.topic_id {
        // A hidden topic is "no such topic" to those who may not see it, as everywhere else.
        let viewer = Visibility::for_viewer(Some(actor));
        let exists = match Id::parse(topic) {
            Ok(id) => uow.topics().get(id)?.is_some_and(|t| t.visible_to(viewer)),
            Err(_) => false,
        };
        if !exists {
            return Err(ValidationErrors::single(
                "topic_id",
                "no such topic; see GET /api/v1/topics",
            )
            .into());
        }
    }
    let (proposal, event) =
        Proposal::submit(actor.user_id, draft, policy_area_id, Channel::Web, now);
    uow.proposals().insert(&proposal)?;
    // Authors follow their own proposal.
    let id = proposal.id().to_string();
    uow.follows()
        .follow(actor.user_id, crate::follow::FollowKind::Proposal, &id, now)?;
    record(uow, actor, [event])?;
    Ok(proposal)
}

/// Staff enter a forum's paper card or table note as a proposal, on the participant's behalf: channel
/// `offline_forum`, linked to the forum, with who entered it and when (the caller checked the forum).
///
/// # Errors
/// Storage failures.
pub fn enter_at_forum(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    forum_id: String,
    mut draft: ProposalDraft,
    policy_area_id: PolicyAreaId,
    participant_name: Option<String>,
    now: DateTime<Utc>,
) -> Result<Proposal, UseCaseError> {
    draft.forum_id = Some(forum_id);
    let (proposal, event) = Proposal::submit(
        actor.user_id,
        draft,
        policy_area_id,
        Channel::OfflineForum,
        now,
    );
    uow.proposals().insert(&proposal)?;
    uow.proposals().record_entry(
        proposal.id(),
        &super::OfflineEntry {
            entered_by: actor.user_id,
            entered_at: now,
            participant_name,
        },
    )?;
    let mut event = event.into_event(Some(actor.user_id));
    event.actor_role = actor.staff_role();
    uow.events().append(&event)?;
    Ok(proposal)
}

/// The author edits their proposal.
///
/// # Errors
/// Not found, not the author, not editable, or a concurrent change.
pub fn edit(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ProposalId,
    edit: ProposalEdit,
    now: DateTime<Utc>,
) -> Result<Proposal, UseCaseError> {
    let mut p = load_visible(uow, Some(actor), id)?;
    let event = p.edit(actor.user_id, edit, now)?;
    uow.proposals().update(&p)?;
    record(uow, actor, [event])?;
    Ok(p)
}

/// The author withdraws their proposal.
///
/// # Errors
/// Not found, not the author, already decided, or a concurrent change.
pub fn withdraw(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ProposalId,
    now: DateTime<Utc>,
) -> Result<Proposal, UseCaseError> {
    let mut p = load_visible(uow, Some(actor), id)?;
    let event = p.withdraw(actor.user_id, now)?;
    uow.proposals().update(&p)?;
    record(uow, actor, [event])?;
    Ok(p)
}

/// Staff move a proposal through review.
///
/// # Errors
/// Not found, a move the lifecycle forbids, or a concurrent change.
pub fn decide(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ProposalId,
    to: ProposalStatus,
    reason: Option<Reason>,
    now: DateTime<Utc>,
) -> Result<Proposal, UseCaseError> {
    let mut p = load_visible(uow, Some(actor), id)?;
    let event = p.decide(to, reason, actor.staff_role(), now)?;
    uow.proposals().update(&p)?;
    record(uow, actor, [event])?;
    Ok(p)
}

/// The duplicate after a merge, and how many supports moved to the survivor.
#[derive(Debug, Clone)]
pub struct Merged {
    pub duplicate: Proposal,
    pub into: ProposalId,
    pub moved_supports: i64,
}

/// Staff merge a duplicate into a surviving proposal: both change, the supports move, and both timelines
/// say so, in one unit of work.
///
/// # Errors
/// Either proposal not found, a merge the lifecycle forbids, or a concurrent change to either.
pub fn merge(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ProposalId,
    into: ProposalId,
    reason: Reason,
    now: DateTime<Utc>,
) -> Result<Merged, UseCaseError> {
    let mut source = load_visible(uow, Some(actor), id)?;
    let mut target = uow
        .proposals()
        .get(into)?
        .ok_or_else(|| UseCaseError::not_found("the proposal to merge into was not found"))?;
    let (merged, mut absorbed) = source.merge_into(&mut target, reason, actor.staff_role(), now)?;
    uow.proposals().update(&source)?;
    uow.proposals().update(&target)?;
    let moved = uow
        .proposals()
        .move_supports(source.id(), target.id(), trending_since(now))?;
    absorbed.count = Some(moved);
    record(uow, actor, [merged, absorbed])?;
    Ok(Merged {
        duplicate: source,
        into: target.id(),
        moved_supports: moved,
    })
}

/// Supports a proposal; idempotent (see [`endorsement::endorse`]).
///
/// # Errors
/// Not found, [`super::ProposalError::OwnProposal`], merged or closed; a conflict if a concurrent change
/// kept undoing it.
pub fn support(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ProposalId,
    now: DateTime<Utc>,
) -> Result<(), UseCaseError> {
    endorsement::endorse(
        uow,
        "proposal",
        |uow| {
            uow.proposals()
                .add_support(id, actor.user_id, now, actor.is_staff())
        },
        |uow| {
            load_visible(uow, Some(actor), id)?.check_support(actor.user_id)?;
            Ok(uow.proposals().supports(id, actor.user_id)?)
        },
    )
}

/// Withdraws a support; idempotent (also after the proposal was hidden).
///
/// # Errors
/// Not found.
pub fn unsupport(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ProposalId,
    now: DateTime<Utc>,
) -> Result<(), UseCaseError> {
    endorsement::withdraw(
        uow,
        |uow| {
            uow.proposals()
                .remove_support(id, actor.user_id, trending_since(now))
        },
        |uow| load_visible(uow, Some(actor), id).map(drop),
    )
}
