//! Every step a referral can take, each checked against where it stands and returning the event the log
//! records (and the subject's timeline shows).

use chrono::{DateTime, NaiveDate, Utc};

use super::deadline;
use super::{
    Acknowledgement, Answer, Commitment, CommitmentId, CommitmentStatus, Completion, Decision,
    FollowUp, FollowUpDraft, Hop, NewReferral, Referral, ReferralRecord, ReferralStatus,
};
use crate::Id;
use crate::actor::{Actor, ActorRole};
use crate::event::{Event, EventPayload, EventType};
use crate::organization::OrganizationId;

/// The rules of the ledger, each broken one named (the API gives each its own code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferralError {
    #[error("only officials of the organization that holds the referral may do this")]
    NotReceivingOrganization,
    #[error("a {status} {kind} cannot be referred; refer a selected proposal or a reported forum")]
    SubjectNotReferable { kind: &'static str, status: String },
    #[error("this subject is already with an organization ({}); transfer that referral instead",
        number.as_deref().unwrap_or("an open referral"))]
    SubjectAlreadyReferred { number: Option<String> },
    #[error("the referral was already acknowledged")]
    AlreadyAcknowledged,
    #[error("acknowledge the referral first")]
    NotAcknowledged,
    #[error("the referral was already answered")]
    AlreadyAnswered,
    #[error("the referral has no answer yet")]
    NotAnswered,
    #[error("the referral was already extended once at this organization")]
    AlreadyExtended,
    #[error("the referral is {status}: no further steps")]
    Closed { status: ReferralStatus },
    #[error("the answer was not_accepted: there is nothing to implement")]
    NotAccepted,
    #[error("the referral is already at this organization")]
    SameOrganization,
    #[error("{0}")]
    Due(String),
    #[error("no such commitment on this referral")]
    NoSuchCommitment,
}

impl Referral {
    fn event(&self, t: EventType, actor: &Actor, now: DateTime<Utc>) -> Event {
        let r = &self.0;
        Event::new(t, r.id, role(actor), Some(actor.user_id), now)
            .with_payload(EventPayload {
                to_status: Some(r.status.as_str().to_owned()),
                related_id: Some(r.organization_id.to_string()),
                related_kind: Some("organization".to_owned()),
                ..EventPayload::default()
            })
            .about(r.subject_kind.aggregate(), &r.subject_id)
    }

    fn touch(&mut self, now: DateTime<Utc>) {
        self.0.updated_at = now;
        self.0.version += 1;
    }

    /// Only officials of the organization that holds the referral act for it.
    ///
    /// # Errors
    /// [`ReferralError::NotReceivingOrganization`].
    pub fn check_receiver(&self, actor: &Actor) -> Result<(), ReferralError> {
        let official = actor.roles.contains(crate::account::Role::Official);
        if official && actor.organization_id == Some(self.0.organization_id) {
            Ok(())
        } else {
            Err(ReferralError::NotReceivingOrganization)
        }
    }

    fn check_not_closed(&self) -> Result<(), ReferralError> {
        match self.0.status {
            s @ (ReferralStatus::Implemented | ReferralStatus::Closed) => {
                Err(ReferralError::Closed { status: s })
            }
            _ => Ok(()),
        }
    }

    /// The receiver acting before the answer (an extension, a transfer).
    fn check_unanswered(&self, actor: &Actor) -> Result<(), ReferralError> {
        self.check_receiver(actor)?;
        self.check_not_closed()?;
        if self.0.status.awaits_answer() {
            Ok(())
        } else {
            Err(ReferralError::AlreadyAnswered)
        }
    }

    /// Sends `new` as document `serial` of its year (the caller checked the subject and took the
    /// number in the same unit of work).
    pub fn send(new: NewReferral, serial: i64, actor: &Actor, now: DateTime<Utc>) -> (Self, Event) {
        let year = deadline::seoul_year(now);
        let referral = Self(ReferralRecord {
            id: Id::generate(),
            number: Self::document_number(year, serial),
            year,
            serial,
            subject_kind: new.subject_kind,
            subject_id: new.subject_id,
            organization_id: new.organization_id,
            status: ReferralStatus::Sent,
            cover_note: new.cover_note,
            sent_by: actor.user_id,
            sent_at: now,
            due_at: new.due_at,
            extension: None,
            acknowledgement: None,
            answer: None,
            completion: None,
            hops: vec![Hop {
                organization_id: new.organization_id,
                reason: None,
                sent_at: now,
                due_at: new.due_at,
                extended: false,
            }],
            follow_ups: Vec::new(),
            commitments: Vec::new(),
            updated_at: now,
            version: 1,
        });
        let e = referral.event(EventType::ReferralSent, actor, now);
        (referral, e)
    }

    /// The organization confirms receipt and names the division handling it.
    ///
    /// # Errors
    /// Not the receiver; already acknowledged, answered or closed.
    pub fn acknowledge(
        &mut self,
        actor: &Actor,
        ack: Acknowledgement,
        now: DateTime<Utc>,
    ) -> Result<Event, ReferralError> {
        self.check_receiver(actor)?;
        self.check_not_closed()?;
        match self.0.status {
            ReferralStatus::Sent => {}
            ReferralStatus::Acknowledged => return Err(ReferralError::AlreadyAcknowledged),
            _ => return Err(ReferralError::AlreadyAnswered),
        }
        self.0.acknowledgement = Some(ack);
        self.0.status = ReferralStatus::Acknowledged;
        self.touch(now);
        Ok(self.event(EventType::ReferralAcknowledged, actor, now))
    }

    /// The organization answers; `not_accepted` closes the referral.
    ///
    /// # Errors
    /// Not the receiver; not acknowledged yet; already answered or closed.
    pub fn answer(
        &mut self,
        actor: &Actor,
        answer: Answer,
        now: DateTime<Utc>,
    ) -> Result<Event, ReferralError> {
        self.check_receiver(actor)?;
        self.check_not_closed()?;
        match self.0.status {
            ReferralStatus::Acknowledged => {}
            ReferralStatus::Sent => return Err(ReferralError::NotAcknowledged),
            _ => return Err(ReferralError::AlreadyAnswered),
        }
        let decision = answer.decision;
        self.0.status = if decision == Decision::NotAccepted {
            ReferralStatus::Closed
        } else {
            ReferralStatus::Answered
        };
        self.0.answer = Some(answer);
        self.touch(now);
        let mut e = self.event(EventType::ReferralAnswered, actor, now);
        e.payload.decision = Some(decision.as_str().to_owned());
        Ok(e)
    }

    /// Once per organization (also if the referral comes back to it), before the answer: a later due
    /// date, at most 30 days more.
    ///
    /// # Errors
    /// Not the receiver; answered or closed; already extended; a due date out of bounds.
    pub fn extend(
        &mut self,
        actor: &Actor,
        reason: String,
        due_on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Event, ReferralError> {
        self.check_unanswered(actor)?;
        if self.extended_by_holder() {
            return Err(ReferralError::AlreadyExtended);
        }
        self.0.due_at =
            deadline::check_extension(due_on, self.0.due_at).map_err(ReferralError::Due)?;
        self.0.extension = Some((reason.clone(), now));
        if let Some(hop) = self.0.hops.last_mut() {
            hop.extended = true;
        }
        self.touch(now);
        let mut e = self.event(EventType::ReferralExtended, actor, now);
        e.payload.reason = Some(reason);
        Ok(e)
    }

    /// The organization passes the referral on to the competent one (`to` exists: the caller checked).
    /// The deadline restarts there; the chain of hops is kept.
    ///
    /// # Errors
    /// Not the receiver; answered or closed; the same organization.
    pub fn transfer(
        &mut self,
        actor: &Actor,
        to: OrganizationId,
        reason: String,
        now: DateTime<Utc>,
    ) -> Result<Event, ReferralError> {
        self.check_unanswered(actor)?;
        if to == self.0.organization_id {
            return Err(ReferralError::SameOrganization);
        }
        let due_at = deadline::default_due(now);
        self.0.hops.push(Hop {
            organization_id: to,
            reason: Some(reason.clone()),
            sent_at: now,
            due_at,
            extended: false,
        });
        self.0.organization_id = to;
        self.0.status = ReferralStatus::Sent;
        self.0.due_at = due_at;
        self.0.extension = None;
        self.0.acknowledgement = None;
        self.touch(now);
        let mut e = self.event(EventType::ReferralTransferred, actor, now);
        e.payload.reason = Some(reason);
        Ok(e)
    }

    /// A meeting after receipt, and the commitments made there; also after implementation (following
    /// the commitments through).
    ///
    /// # Errors
    /// Not the receiver; not acknowledged yet; closed without acceptance.
    pub fn follow_up(
        &mut self,
        actor: &Actor,
        draft: FollowUpDraft,
        now: DateTime<Utc>,
    ) -> Result<(FollowUp, Event), ReferralError> {
        self.check_receiver(actor)?;
        match self.0.status {
            ReferralStatus::Sent => return Err(ReferralError::NotAcknowledged),
            ReferralStatus::Closed => {
                return Err(ReferralError::Closed {
                    status: ReferralStatus::Closed,
                });
            }
            _ => {}
        }
        let f = FollowUp {
            id: Id::generate(),
            held_on: draft.held_on,
            participants: draft.participants,
            minutes: draft.minutes,
            recorded_by: actor.user_id,
            created_at: now,
        };
        for (description, due_on, status) in draft.commitments {
            self.0.commitments.push(Commitment {
                id: Id::generate(),
                follow_up_id: f.id,
                description,
                due_on,
                status,
                updated_at: now,
            });
        }
        self.0.follow_ups.push(f.clone());
        self.touch(now);
        let mut e = self.event(EventType::ReferralFollowedUp, actor, now);
        e.payload.count = Some(self.0.commitments.len() as i64);
        Ok((f, e))
    }

    /// A commitment moves on (`None` when it already had that status); also after implementation, whose
    /// commitments are followed through.
    ///
    /// # Errors
    /// Not the receiver; not acknowledged (after a transfer); closed without acceptance; no such
    /// commitment.
    pub fn set_commitment(
        &mut self,
        actor: &Actor,
        id: CommitmentId,
        status: CommitmentStatus,
        now: DateTime<Utc>,
    ) -> Result<Option<Event>, ReferralError> {
        self.check_receiver(actor)?;
        match self.0.status {
            // After a transfer the new organization first acknowledges the referral.
            ReferralStatus::Sent => return Err(ReferralError::NotAcknowledged),
            ReferralStatus::Closed => {
                return Err(ReferralError::Closed {
                    status: ReferralStatus::Closed,
                });
            }
            _ => {}
        }
        let c = self
            .0
            .commitments
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or(ReferralError::NoSuchCommitment)?;
        if c.status == status {
            return Ok(None);
        }
        c.status = status;
        c.updated_at = now;
        self.touch(now);
        let mut e = self.event(EventType::ReferralCommitmentUpdated, actor, now);
        e.payload.commitment_id = Some(id.to_string());
        e.payload.reason = Some(status.as_str().to_owned());
        Ok(Some(e))
    }

    /// The accepted proposal was carried out: the evidence and a summary.
    ///
    /// # Errors
    /// Not the receiver; no answer yet; not accepted; already implemented.
    pub fn complete(
        &mut self,
        actor: &Actor,
        completion: Completion,
        now: DateTime<Utc>,
    ) -> Result<Event, ReferralError> {
        self.check_receiver(actor)?;
        match self.0.status {
            ReferralStatus::Answered => {}
            ReferralStatus::Closed => return Err(ReferralError::NotAccepted),
            ReferralStatus::Implemented => {
                return Err(ReferralError::Closed {
                    status: ReferralStatus::Implemented,
                });
            }
            ReferralStatus::Sent | ReferralStatus::Acknowledged => {
                return Err(ReferralError::NotAnswered);
            }
        }
        self.0.completion = Some(completion);
        self.0.status = ReferralStatus::Implemented;
        self.touch(now);
        Ok(self.event(EventType::ReferralCompleted, actor, now))
    }
}

/// How the public record names who acted on a referral: officials as `official`, staff by role.
fn role(actor: &Actor) -> ActorRole {
    ActorRole::of_staff(&actor.roles)
}
