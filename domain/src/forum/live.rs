//! A live forum's own moves besides its status: the agenda item under way.

use chrono::{DateTime, Utc};

use super::{Forum, ForumId};
use crate::actor::Actor;
use crate::error::UseCaseError;
use crate::uow::UnitOfWork;

/// A manager moves a live forum on to agenda item `item`; its stream tells every viewer, and questions
/// asked from now on record it.
///
/// # Errors
/// Not found, not a manager, not live, an item past the agenda, a concurrent change.
pub fn advance_agenda(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ForumId,
    item: i64,
    now: DateTime<Utc>,
) -> Result<Forum, UseCaseError> {
    let mut forum = super::service::lock_managed(uow, actor, id)?;
    let event = forum.advance_agenda(item, actor, now)?;
    uow.forums().update(&forum)?;
    uow.events().append(&event)?;
    Ok(forum)
}
