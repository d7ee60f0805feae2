//! Registrations: seats up to the forum's capacity, then a waitlist in arrival order. A cancellation
//! hands its seat to the first waitlisted person in the same unit of work. Every change holds the forum
//! (its row is locked on PostgreSQL; SQLite has one writer), so the counts on the forum stay exact.

use chrono::{DateTime, Utc};

use super::{Forum, ForumError, ForumId, ForumStatus};
use crate::account::UserId;
use crate::actor::{Actor, ActorRole};
use crate::event::{Event, EventPayload, EventType};
use crate::macros::code_enum;
use crate::{Id, Page, PageRequest, RepoError};

pub type RegistrationId = Id<Registration>;

code_enum!(
    /// Where a registration stands.
    RegistrationStatus, "registration status", {
    Registered = "registered", Waitlisted = "waitlisted", Cancelled = "cancelled",
});

/// One person's registration for one forum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub id: RegistrationId,
    pub forum_id: ForumId,
    pub user_id: UserId,
    pub status: RegistrationStatus,
    pub attended: bool,
    /// For a waitlisted registration, its place in line (1 is next); set when read.
    pub waitlist_position: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Registration {
    fn event(&self, t: EventType, role: ActorRole, actor: UserId, now: DateTime<Utc>) -> Event {
        Event::new(t, self.id, role, Some(actor), now).with_payload(EventPayload {
            to_status: Some(self.status.as_str().to_owned()),
            related_id: Some(self.forum_id.to_string()),
            related_kind: Some("forum".to_owned()),
            ..EventPayload::default()
        })
    }
}

impl Forum {
    /// Whether people may register now.
    ///
    /// # Errors
    /// [`ForumError::RegistrationNotOpen`], [`ForumError::RegistrationClosed`].
    pub fn check_registration_open(&self, now: DateTime<Utc>) -> Result<(), ForumError> {
        let s = &self.0.schedule;
        if self.0.status != ForumStatus::Scheduled || now >= s.registration_closes() {
            return Err(ForumError::RegistrationClosed);
        }
        if let Some(opens_at) = s.registration_opens_at
            && now < opens_at
        {
            return Err(ForumError::RegistrationNotOpen { opens_at });
        }
        Ok(())
    }

    /// Registers `actor`: a seat while there are seats, else the end of the waitlist.
    ///
    /// # Errors
    /// As [`Forum::check_registration_open`].
    pub fn register(
        &mut self,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(Registration, Event), ForumError> {
        self.check_registration_open(now)?;
        let full = self.seats_left() == Some(0);
        let seats = self.seats_mut(now);
        let status = if full {
            seats.waitlisted += 1;
            RegistrationStatus::Waitlisted
        } else {
            seats.registered += 1;
            RegistrationStatus::Registered
        };
        let r = Registration {
            id: Id::generate(),
            forum_id: self.id(),
            user_id: actor.user_id,
            status,
            attended: false,
            waitlist_position: None,
            created_at: now,
            updated_at: now,
        };
        let t = if full {
            EventType::RegistrationWaitlisted
        } else {
            EventType::RegistrationRegistered
        };
        let event = r.event(t, ActorRole::Author, actor.user_id, now);
        Ok((r, event))
    }

    /// Cancels `r` (the caller's own); whether it held a seat, so the first waitlisted one takes it.
    ///
    /// # Errors
    /// [`ForumError::RegistrationClosed`] once the forum is live, ended or closed.
    pub fn cancel_registration(
        &mut self,
        r: &mut Registration,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(bool, Event), ForumError> {
        if !matches!(self.0.status, ForumStatus::Draft | ForumStatus::Scheduled) {
            return Err(ForumError::RegistrationClosed);
        }
        let held_seat = r.status == RegistrationStatus::Registered;
        let seats = self.seats_mut(now);
        if held_seat {
            seats.registered -= 1;
        } else {
            seats.waitlisted -= 1;
        }
        r.status = RegistrationStatus::Cancelled;
        r.updated_at = now;
        let event = r.event(
            EventType::RegistrationCancelled,
            ActorRole::Author,
            actor.user_id,
            now,
        );
        Ok((held_seat, event))
    }

    /// Gives a free seat to the waitlisted `r`, whose owner gets the event.
    pub fn promote(&mut self, r: &mut Registration, now: DateTime<Utc>) -> Event {
        let seats = self.seats_mut(now);
        seats.waitlisted -= 1;
        seats.registered += 1;
        r.status = RegistrationStatus::Registered;
        r.updated_at = now;
        // The event is about the promoted person: they are told, not the one whose act freed the seat.
        r.event(
            EventType::RegistrationPromoted,
            ActorRole::System,
            r.user_id,
            now,
        )
    }

    /// How many waitlisted people a free seat can take now.
    pub fn free_seats_for_waitlist(&self) -> i64 {
        if self.0.seats.waitlisted == 0 {
            return 0;
        }
        self.seats_left()
            .unwrap_or(self.0.seats.waitlisted)
            .min(self.0.seats.waitlisted)
    }

    /// Marks whether `r` attended (staff, once the forum is live or ended); `None` when unchanged.
    ///
    /// # Errors
    /// [`ForumError::NotHeldYet`].
    pub fn mark_attendance(
        &mut self,
        r: &mut Registration,
        attended: bool,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Option<Event>, ForumError> {
        if !matches!(self.0.status, ForumStatus::Live | ForumStatus::Ended) {
            return Err(ForumError::NotHeldYet {
                status: self.0.status,
            });
        }
        if r.attended == attended || r.status == RegistrationStatus::Cancelled {
            return Ok(None);
        }
        let seats = self.seats_mut(now);
        seats.attended += if attended { 1 } else { -1 };
        r.attended = attended;
        r.updated_at = now;
        let t = if attended {
            EventType::RegistrationAttended
        } else {
            EventType::RegistrationAbsent
        };
        Ok(Some(r.event(t, actor.staff_role(), actor.user_id, now)))
    }
}

/// What a unit of work stores for registrations.
pub trait RegistrationStore {
    /// # Errors
    /// [`RepoError::Duplicate`] `("registration")` when the person has an active registration.
    fn insert(&mut self, r: &Registration) -> Result<(), RepoError>;

    /// The person's active (not cancelled) registration.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn active(&mut self, forum: ForumId, user: UserId) -> Result<Option<Registration>, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn get(&mut self, id: RegistrationId) -> Result<Option<Registration>, RepoError>;

    /// The first `n` waitlisted, in arrival order.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn first_waitlisted(&mut self, forum: ForumId, n: i64) -> Result<Vec<Registration>, RepoError>;

    /// Saves a changed status or attendance.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn update(&mut self, r: &Registration) -> Result<(), RepoError>;
}

/// Filters of `GET /forums/{id}/registrations`.
#[derive(Debug, Clone)]
pub struct RegistrationFilter {
    pub forum_id: ForumId,
    /// Only this person's (a citizen sees their own).
    pub user_id: Option<UserId>,
    pub status: Option<RegistrationStatus>,
}

/// The read side of registrations.
pub trait RegistrationQueries {
    /// A page in arrival order, with waitlist positions.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn list_registrations(
        &self,
        filter: &RegistrationFilter,
        page: &PageRequest<i64>,
    ) -> Result<Page<(i64, Registration), i64>, RepoError>;
}
