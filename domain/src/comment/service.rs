//! The comment use cases, each inside one unit of work.

use chrono::{DateTime, Utc};

use super::{Comment, CommentBody, CommentError, CommentId, CommentOn, LiveMark};
use crate::ValidationErrors;
use crate::actor::{Actor, Visibility};
use crate::error::UseCaseError;
use crate::forum::ForumStatus;
use crate::proposal::ProposalStatus;
use crate::topic::TopicStatus;
use crate::uow::UnitOfWork;

/// The longest stream offset a comment may carry: a forum lasts at most seven days.
pub const MAX_STREAM_OFFSET: i64 = 7 * 24 * 3600;

/// Checks the subject exists for `actor` and takes comments; returns the agenda length for a live forum.
fn open_subject(
    uow: &mut dyn UnitOfWork,
    actor: Option<&Actor>,
    on: CommentOn,
) -> Result<Option<usize>, UseCaseError> {
    let viewer = Visibility::for_viewer(actor);
    let closed = |kind: &'static str, status: &str| {
        UseCaseError::from(CommentError::SubjectClosed {
            kind,
            status: status.to_owned(),
        })
    };
    match on {
        CommentOn::Proposal(id) => {
            let p = uow
                .proposals()
                .get(id)?
                .filter(|p| p.visible_to(viewer))
                .ok_or_else(|| UseCaseError::not_found("proposal not found"))?;
            if matches!(
                p.status(),
                ProposalStatus::Withdrawn | ProposalStatus::Merged
            ) {
                return Err(closed("proposal", p.status().as_str()));
            }
            Ok(None)
        }
        CommentOn::Topic(id) => {
            let t = uow
                .topics()
                .get(id)?
                .filter(|t| t.visible_to(viewer))
                .ok_or_else(|| UseCaseError::not_found("topic not found"))?;
            if matches!(t.status(), TopicStatus::Closed | TopicStatus::Declined) {
                return Err(closed("topic", t.status().as_str()));
            }
            Ok(None)
        }
        CommentOn::Forum(id) => {
            let f = crate::forum::service::load_visible(uow, actor, id)?;
            if f.status().is_closed() {
                return Err(closed("forum", f.status().as_str()));
            }
            Ok((f.status() == ForumStatus::Live).then_some(f.agenda().len()))
        }
    }
}

/// A comment `actor` may see, or "not found".
///
/// # Errors
/// [`UseCaseError::NotFound`].
pub fn load_visible(
    uow: &mut dyn UnitOfWork,
    actor: Option<&Actor>,
    id: CommentId,
) -> Result<Comment, UseCaseError> {
    uow.comments()
        .get(id)?
        .filter(|c| c.visible_to(Visibility::for_viewer(actor)))
        .ok_or_else(|| UseCaseError::not_found("comment not found"))
}

/// Posts a comment, or a reply under `parent`.
///
/// # Errors
/// Subject not found or closed, a parent on another subject, a live mark off a live forum.
pub fn post(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    on: CommentOn,
    parent: Option<CommentId>,
    body: CommentBody,
    live: Option<LiveMark>,
    now: DateTime<Utc>,
) -> Result<Comment, UseCaseError> {
    let agenda = open_subject(uow, Some(actor), on)?;
    if let Some(mark) = live {
        let Some(items) = agenda else {
            return Err(CommentError::NotLive.into());
        };
        let mut errors = ValidationErrors::new();
        if let Some(i) = mark.agenda_item
            && (i < 0 || i as usize >= items)
        {
            errors.push(
                "agenda_item",
                format!("the forum's agenda has {items} items"),
            );
        }
        if let Some(s) = mark.stream_offset
            && !(0..=MAX_STREAM_OFFSET).contains(&s)
        {
            errors.push(
                "stream_offset",
                format!("must be between 0 and {MAX_STREAM_OFFSET} seconds"),
            );
        }
        errors.into_result()?;
    }
    let parent = match parent {
        None => None,
        Some(pid) => Some(
            load_visible(uow, Some(actor), pid)
                .ok()
                .filter(|p| p.on() == on)
                .ok_or_else(|| {
                    ValidationErrors::single("parent_id", "no such comment on this subject")
                })?,
        ),
    };
    let (comment, event) = Comment::post(actor, on, parent.as_ref(), body, live, false, now);
    uow.comments().insert(&comment)?;
    uow.events().append(&event)?;
    Ok(comment)
}

/// The author edits their comment, while its subject takes comments.
///
/// # Errors
/// Not found, not the author, deleted, a closed subject, a concurrent change.
pub fn edit(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: CommentId,
    body: CommentBody,
    now: DateTime<Utc>,
) -> Result<Comment, UseCaseError> {
    let mut c = load_visible(uow, Some(actor), id)?;
    let event = c.edit(actor.user_id, body, now)?;
    open_subject(uow, Some(actor), c.on())?;
    uow.comments().update(&c)?;
    uow.events().append(&event)?;
    Ok(c)
}

/// The author deletes their comment (a placeholder stays); idempotent.
///
/// # Errors
/// Not found, not the author, a concurrent change.
pub fn delete(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: CommentId,
    now: DateTime<Utc>,
) -> Result<(), UseCaseError> {
    let mut c = load_visible(uow, Some(actor), id)?;
    if let Some(event) = c.delete(actor.user_id, now)? {
        uow.comments().update(&c)?;
        uow.events().append(&event)?;
    }
    Ok(())
}

/// Likes a comment; idempotent.
///
/// # Errors
/// Not found, one's own, deleted.
pub fn like(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: CommentId,
    now: DateTime<Utc>,
) -> Result<(), UseCaseError> {
    let c = load_visible(uow, Some(actor), id)?;
    c.check_like(actor.user_id)?;
    uow.comments().add_like(id, actor.user_id, now)?;
    Ok(())
}

/// Withdraws a like; idempotent.
///
/// # Errors
/// Not found.
pub fn unlike(uow: &mut dyn UnitOfWork, actor: &Actor, id: CommentId) -> Result<(), UseCaseError> {
    load_visible(uow, Some(actor), id)?;
    uow.comments().remove_like(id, actor.user_id)?;
    Ok(())
}
