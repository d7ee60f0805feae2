//! Every change a forum goes through, each returning the events its timeline shows:
//! `draft -> scheduled -> live -> ended -> reported`, or `cancelled` (with a reason) before `live`.
//! Officials of the hosting organization, moderators and admins manage a forum; a draft is theirs alone.

use chrono::{DateTime, Utc};

use super::draft::{ForumDraft, check_consistency};
use super::{Forum, ForumEdit, ForumRecord, ForumStatus, Seats};
use crate::actor::Actor;
use crate::event::{Event, EventPayload, EventType};
use crate::organization::OrganizationId;
use crate::policy_area::PolicyAreaId;
use crate::topic::{TopicId, TopicStatus};
use crate::values::Reason;
use crate::{Id, ValidationErrors};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForumError {
    #[error("only officials of the hosting organization, moderators and admins manage a forum")]
    NotManager,
    #[error("a forum cannot go from {from} to {to}")]
    InvalidTransition { from: ForumStatus, to: ForumStatus },
    #[error("a reason is required to cancel a forum")]
    ReasonRequired,
    #[error("an {mode} forum needs a livestream_url before it goes live")]
    LivestreamRequired { mode: super::ForumMode },
    #[error("a forum is reported by publishing its outcome (PUT /forums/{{id}}/outcome)")]
    OutcomeRequired,
    #[error("{field} can no longer change: the forum is {status}")]
    FieldLocked {
        field: &'static str,
        status: ForumStatus,
    },
    #[error("a {status} forum can no longer be edited")]
    NotEditable { status: ForumStatus },
    #[error("capacity cannot drop below the {registered} people already registered")]
    CapacityBelowRegistered { registered: i64 },
    #[error("topic {topic} is {status}; a forum takes shortlisted topics")]
    TopicNotShortlisted { topic: TopicId, status: TopicStatus },
    #[error("{0}")]
    Invalid(ValidationErrors),
    #[error("the caller is already registered for this forum")]
    AlreadyRegistered,
    #[error("registration opens at {opens_at}")]
    RegistrationNotOpen { opens_at: DateTime<Utc> },
    #[error("registration for this forum is closed")]
    RegistrationClosed,
    #[error("this is recorded once the forum is live; this one is {status}")]
    NotHeldYet { status: ForumStatus },
    #[error("an outcome is published once the forum has ended; this one is {status}")]
    NotEnded { status: ForumStatus },
    #[error("this happens while the forum is live; this one is {status}")]
    NotLive { status: ForumStatus },
}

impl Forum {
    fn touch(&mut self, now: DateTime<Utc>) {
        self.0.updated_at = now;
        self.0.version = self.1 + 1;
    }

    pub(crate) fn event(&self, t: EventType, actor: &Actor, now: DateTime<Utc>) -> Event {
        Event::new(t, self.0.id, actor.staff_role(), Some(actor.user_id), now)
            .in_forum(Some(self.0.id))
    }

    /// Whether `actor` manages this forum.
    pub fn managed_by(&self, actor: &Actor) -> bool {
        actor.manages(self.0.organization_id)
    }

    /// A draft is seen only by those who manage the forum; every other status is public.
    pub fn visible_to(&self, viewer: Option<&Actor>) -> bool {
        self.0.status != ForumStatus::Draft || viewer.is_some_and(|a| self.managed_by(a))
    }

    /// # Errors
    /// [`ForumError::NotManager`].
    pub fn check_manager(&self, actor: &Actor) -> Result<(), ForumError> {
        if self.managed_by(actor) {
            Ok(())
        } else {
            Err(ForumError::NotManager)
        }
    }

    /// A new forum, in `draft`, hosted by `organization`.
    pub fn plan(
        actor: &Actor,
        organization: OrganizationId,
        policy_area_id: PolicyAreaId,
        draft: ForumDraft,
        now: DateTime<Utc>,
    ) -> (Self, Event) {
        let forum = Self::restore(ForumRecord {
            id: Id::generate(),
            organization_id: organization,
            created_by: actor.user_id,
            kind: draft.kind,
            mode: draft.mode,
            title: draft.title,
            description: draft.description,
            policy_area_id,
            topic_ids: Vec::new(),
            venue: draft.venue,
            schedule: draft.schedule,
            capacity: draft.capacity,
            livestream_url: draft.livestream_url,
            panel: draft.panel,
            agenda: draft.agenda,
            status: ForumStatus::Draft,
            cancel_reason: None,
            seats: Seats::default(),
            outcome_id: None,
            live_at: None,
            agenda_current: None,
            created_at: now,
            updated_at: now,
            version: 1,
        });
        let event = forum
            .event(EventType::ForumCreated, actor, now)
            .with_payload(EventPayload {
                to_status: Some(ForumStatus::Draft.as_str().to_owned()),
                ..EventPayload::default()
            });
        (forum, event)
    }

    /// Links a topic (the caller checked it is `shortlisted` and moves it to `scheduled`); `None` when it
    /// already was linked.
    pub fn link_topic(
        &mut self,
        topic: TopicId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Option<Event> {
        if self.0.topic_ids.contains(&topic) {
            return None;
        }
        self.0.topic_ids.push(topic);
        self.touch(now);
        Some(
            self.event(EventType::ForumTopicLinked, actor, now)
                .with_payload(EventPayload {
                    related_id: Some(topic.to_string()),
                    related_kind: Some("topic".to_owned()),
                    ..EventPayload::default()
                }),
        )
    }

    /// Whether topics may still be linked.
    ///
    /// # Errors
    /// [`ForumError::FieldLocked`] once the forum is live.
    pub fn check_topics_open(&self) -> Result<(), ForumError> {
        self.check_open()?;
        if self.0.status.has_started() {
            return Err(ForumError::FieldLocked {
                field: "topic_ids",
                status: self.0.status,
            });
        }
        Ok(())
    }

    fn check_open(&self) -> Result<(), ForumError> {
        if matches!(
            self.0.status,
            ForumStatus::Ended | ForumStatus::Reported | ForumStatus::Cancelled
        ) {
            return Err(ForumError::NotEditable {
                status: self.0.status,
            });
        }
        Ok(())
    }

    /// A manager's edit. Once the forum is live its kind, mode, venue, start, registration window and
    /// capacity are history (`409`); after it ends nothing changes but its outcome.
    ///
    /// # Errors
    /// [`ForumError::NotEditable`], [`ForumError::FieldLocked`], [`ForumError::Invalid`] (a rule between
    /// fields), [`ForumError::CapacityBelowRegistered`].
    pub fn edit(
        &mut self,
        actor: &Actor,
        edit: ForumEdit,
        now: DateTime<Utc>,
    ) -> Result<Event, ForumError> {
        self.check_open()?;
        let status = self.0.status;
        if status.has_started() {
            let locked = [
                ("kind", edit.kind.is_some()),
                ("mode", edit.mode.is_some()),
                ("venue", edit.venue.is_some()),
                ("starts_at", edit.starts_at.is_some()),
                (
                    "registration_opens_at",
                    edit.registration_opens_at.is_some(),
                ),
                (
                    "registration_closes_at",
                    edit.registration_closes_at.is_some(),
                ),
                ("capacity", edit.capacity.is_some()),
            ];
            if let Some((field, _)) = locked.into_iter().find(|(_, set)| *set) {
                return Err(ForumError::FieldLocked { field, status });
            }
        }
        let mut r = self.0.clone();
        let s = &mut r.schedule;
        macro_rules! put {
            ($($src:ident => $dst:expr),* $(,)?) => {
                $(if let Some(v) = edit.$src { $dst = v; })*
            };
        }
        put!(
            kind => r.kind, mode => r.mode, title => r.title, description => r.description,
            policy_area_id => r.policy_area_id, venue => r.venue, starts_at => s.starts_at,
            ends_at => s.ends_at, registration_opens_at => s.registration_opens_at,
            registration_closes_at => s.registration_closes_at, capacity => r.capacity,
            livestream_url => r.livestream_url, panel => r.panel, agenda => r.agenda,
        );
        let mut errors = ValidationErrors::new();
        check_consistency(
            &mut errors,
            r.mode,
            r.venue.as_ref(),
            &r.schedule,
            &r.panel,
            &r.agenda,
        );
        if !errors.is_empty() {
            return Err(ForumError::Invalid(errors));
        }
        if let Some(c) = r.capacity
            && c < r.seats.registered
        {
            return Err(ForumError::CapacityBelowRegistered {
                registered: r.seats.registered,
            });
        }
        self.0 = r;
        self.touch(now);
        Ok(self.event(EventType::ForumEdited, actor, now))
    }

    /// The event that tells registrants a published forum's time changed (after an [`Forum::edit`] that
    /// moved `starts_at` or `ends_at`); `None` when it did not, or for a draft nobody can register for.
    pub fn rescheduled(
        &self,
        before: (DateTime<Utc>, DateTime<Utc>),
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Option<Event> {
        let s = &self.0.schedule;
        (self.0.status != ForumStatus::Draft && before != (s.starts_at, s.ends_at))
            .then(|| self.event(EventType::ForumRescheduled, actor, now))
    }

    /// A manager moves the forum along its lifecycle.
    ///
    /// # Errors
    /// [`ForumError::InvalidTransition`], [`ForumError::OutcomeRequired`] (`reported`),
    /// [`ForumError::ReasonRequired`] (`cancelled`), [`ForumError::LivestreamRequired`] (`live`).
    pub fn move_to(
        &mut self,
        to: ForumStatus,
        reason: Option<Reason>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Event, ForumError> {
        use ForumStatus as S;
        let from = self.0.status;
        if (from, to) == (S::Ended, S::Reported) {
            return Err(ForumError::OutcomeRequired);
        }
        let allowed = matches!(
            (from, to),
            (S::Draft, S::Scheduled)
                | (S::Scheduled, S::Live)
                | (S::Live, S::Ended)
                | (S::Draft | S::Scheduled, S::Cancelled)
        );
        if !allowed {
            return Err(ForumError::InvalidTransition { from, to });
        }
        if to == S::Cancelled && reason.is_none() {
            return Err(ForumError::ReasonRequired);
        }
        if to == S::Live && self.0.mode.streams() && self.0.livestream_url.is_none() {
            return Err(ForumError::LivestreamRequired { mode: self.0.mode });
        }
        Ok(self.set_status(to, reason.map(|r| r.as_str().to_owned()), actor, now))
    }

    pub(crate) fn set_status(
        &mut self,
        to: ForumStatus,
        reason: Option<String>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Event {
        let from = self.0.status;
        self.0.status = to;
        if to == ForumStatus::Cancelled {
            self.0.cancel_reason.clone_from(&reason);
        }
        if to == ForumStatus::Live {
            self.0.live_at = Some(now);
            self.0.agenda_current = (!self.0.agenda.is_empty()).then_some(0);
        }
        self.touch(now);
        self.event(EventType::ForumStatusChanged, actor, now)
            .with_payload(EventPayload {
                from_status: Some(from.as_str().to_owned()),
                to_status: Some(to.as_str().to_owned()),
                reason,
                ..EventPayload::default()
            })
    }

    /// Moves a live forum on to agenda item `item` (0-based), for its stream and its questions.
    ///
    /// # Errors
    /// [`ForumError::NotLive`] off a live forum, [`ForumError::Invalid`] for an item past the agenda.
    pub fn advance_agenda(
        &mut self,
        item: i64,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Event, ForumError> {
        if self.0.status != ForumStatus::Live {
            return Err(ForumError::NotLive {
                status: self.0.status,
            });
        }
        let len = self.0.agenda.len();
        if !(0..len as i64).contains(&item) {
            return Err(ForumError::Invalid(ValidationErrors::single(
                "agenda_item",
                format!(
                    "the forum's agenda has {len} items (0 to {})",
                    len.saturating_sub(1)
                ),
            )));
        }
        self.0.agenda_current = i32::try_from(item).ok();
        self.touch(now);
        Ok(self
            .event(EventType::ForumAgendaAdvanced, actor, now)
            .with_payload(EventPayload {
                agenda_item: Some(item),
                ..EventPayload::default()
            }))
    }

    /// Where a live forum is now: its current agenda item and the seconds since it went live.
    pub fn live_mark(&self, now: DateTime<Utc>) -> Option<(Option<i32>, i64)> {
        let live_at = self
            .0
            .live_at
            .filter(|_| self.0.status == ForumStatus::Live)?;
        Some((self.0.agenda_current, (now - live_at).num_seconds().max(0)))
    }

    pub(crate) fn set_outcome(&mut self, outcome_id: String, now: DateTime<Utc>) {
        self.0.outcome_id = Some(outcome_id);
        self.touch(now);
    }

    pub(crate) fn seats_mut(&mut self, now: DateTime<Utc>) -> &mut Seats {
        self.touch(now);
        &mut self.0.seats
    }

    pub fn topic_ids(&self) -> &[TopicId] {
        &self.0.topic_ids
    }
}
