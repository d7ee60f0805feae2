//! The referral use cases, one per operation. Each runs inside one unit of work: it loads and locks the
//! referral (and its subject), applies the step, saves, and appends the events, so a step and the
//! subject's status move together or not at all.

use chrono::{DateTime, NaiveDate, Utc};

use super::{
    Acknowledgement, Answer, CommitmentId, CommitmentStatus, Completion, FollowUp, FollowUpDraft,
    NewReferral, Referral, ReferralError, ReferralId, SubjectKind,
};
use crate::actor::Actor;
use crate::error::UseCaseError;
use crate::event::Event;
use crate::forum::ForumStatus;
use crate::organization::OrganizationId;
use crate::proposal::{ProposalId, ProposalStatus};
use crate::uow::UnitOfWork;
use crate::{Id, RepoError, ValidationErrors};

fn append(uow: &mut dyn UnitOfWork, events: &[Event]) -> Result<(), RepoError> {
    for e in events {
        uow.events().append(e)?;
    }
    Ok(())
}

/// The referral and its subject, both held for the unit of work. The step's event is about the subject,
/// so holding the subject's row keeps the subject's timeline events in position order on PostgreSQL
/// (`docs/EVENTS.md`, "Position"), whether or not the step changes the subject.
fn load(uow: &mut dyn UnitOfWork, id: ReferralId) -> Result<Referral, UseCaseError> {
    let r = uow
        .referrals()
        .lock(id)?
        .ok_or_else(|| UseCaseError::not_found("referral not found"))?;
    let subject =
        Id::<()>::parse(&r.record().subject_id).map_err(|e| RepoError::Backend(e.into()))?;
    let held = match r.record().subject_kind {
        SubjectKind::Proposal => uow
            .proposals()
            .lock(Id::from_uuid(subject.as_uuid()))?
            .is_some(),
        SubjectKind::Forum => uow
            .forums()
            .lock(Id::from_uuid(subject.as_uuid()))?
            .is_some(),
    };
    if !held {
        return Err(UseCaseError::not_found(
            "the referred subject was not found",
        ));
    }
    Ok(r)
}

/// Moves a referred proposal to `to` along with its referral (`None` for a forum's outcome, whose
/// forum stays `reported`).
fn move_proposal(
    uow: &mut dyn UnitOfWork,
    referral: &Referral,
    to: ProposalStatus,
    actor: &Actor,
    now: DateTime<Utc>,
    events: &mut Vec<Event>,
) -> Result<(), UseCaseError> {
    let r = referral.record();
    if r.subject_kind != SubjectKind::Proposal {
        return Ok(());
    }
    let id: ProposalId = Id::parse(&r.subject_id).map_err(|e| RepoError::Backend(e.into()))?;
    let mut p = uow
        .proposals()
        .get(id)?
        .ok_or_else(|| UseCaseError::not_found("the referred proposal was not found"))?;
    let e = p.follow_referral(to, actor.staff_role(), now)?;
    uow.proposals().update(&p)?;
    events.push(e.into_event(Some(actor.user_id)));
    Ok(())
}

/// Staff send a selected proposal or a reported forum's outcome to an organization: the next document
/// number of the year, the proposal `referred`, the step on the subject's timeline.
///
/// # Errors
/// The subject or organization not found; a subject that cannot be referred, or is already with an
/// organization; storage failures.
pub fn refer(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    new: NewReferral,
    now: DateTime<Utc>,
) -> Result<Referral, UseCaseError> {
    let not_found = || UseCaseError::not_found(format!("{} not found", new.subject_kind));
    let id = Id::<()>::parse(&new.subject_id).map_err(|_| not_found())?;
    let mut events = Vec::new();
    match new.subject_kind {
        SubjectKind::Proposal => {
            let mut p = uow
                .proposals()
                .get(Id::from_uuid(id.as_uuid()))?
                .ok_or_else(not_found)?;
            if p.hidden() {
                return Err(ReferralError::SubjectNotReferable {
                    kind: "proposal",
                    status: "hidden".to_owned(),
                }
                .into());
            }
            if p.status() != ProposalStatus::Selected {
                if let Some(number) = uow
                    .referrals()
                    .open_for(new.subject_kind, &new.subject_id)?
                {
                    return Err(ReferralError::SubjectAlreadyReferred {
                        number: Some(number),
                    }
                    .into());
                }
                return Err(ReferralError::SubjectNotReferable {
                    kind: "proposal",
                    status: p.status().as_str().to_owned(),
                }
                .into());
            }
            let e = p.follow_referral(ProposalStatus::Referred, actor.staff_role(), now)?;
            uow.proposals().update(&p)?;
            events.push(e.into_event(Some(actor.user_id)));
        }
        SubjectKind::Forum => {
            let f = uow
                .forums()
                .lock(Id::from_uuid(id.as_uuid()))?
                .ok_or_else(not_found)?;
            if f.status() != ForumStatus::Reported {
                return Err(ReferralError::SubjectNotReferable {
                    kind: "forum",
                    status: f.status().as_str().to_owned(),
                }
                .into());
            }
            if let Some(number) = uow
                .referrals()
                .open_for(new.subject_kind, &new.subject_id)?
            {
                return Err(ReferralError::SubjectAlreadyReferred {
                    number: Some(number),
                }
                .into());
            }
        }
    }
    let serial = uow
        .referrals()
        .next_serial(super::deadline::seoul_year(now))?;
    let (referral, sent) = Referral::send(new, serial, actor, now);
    match uow.referrals().insert(&referral) {
        Err(RepoError::Duplicate { .. }) => {
            return Err(ReferralError::SubjectAlreadyReferred { number: None }.into());
        }
        Err(RepoError::NotFound(_)) => return Err(unknown_organization()),
        other => other?,
    }
    // The referral's step first, then the proposal's status change it caused.
    events.insert(0, sent);
    append(uow, &events)?;
    Ok(referral)
}

/// Saves a changed referral and appends its events.
fn save(
    uow: &mut dyn UnitOfWork,
    referral: &Referral,
    events: &[Event],
) -> Result<(), UseCaseError> {
    uow.referrals().update(referral)?;
    append(uow, events)?;
    Ok(())
}

/// # Errors
/// Not found; not the receiving organization; out of order; a concurrent change.
pub fn acknowledge(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ReferralId,
    ack: Acknowledgement,
    now: DateTime<Utc>,
) -> Result<Referral, UseCaseError> {
    let mut r = load(uow, id)?;
    let e = r.acknowledge(actor, ack, now)?;
    save(uow, &r, &[e])?;
    Ok(r)
}

/// The answer; an accepted (or partly accepted) proposal moves to `answered`, and so does a not
/// accepted one (its referral closes).
///
/// # Errors
/// Not found; not the receiving organization; out of order; a concurrent change.
pub fn answer(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ReferralId,
    answer: Answer,
    now: DateTime<Utc>,
) -> Result<Referral, UseCaseError> {
    let mut r = load(uow, id)?;
    let mut events = vec![r.answer(actor, answer, now)?];
    move_proposal(uow, &r, ProposalStatus::Answered, actor, now, &mut events)?;
    save(uow, &r, &events)?;
    Ok(r)
}

/// # Errors
/// Not found; not the receiving organization; answered; already extended; a due date out of bounds.
pub fn extend(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ReferralId,
    reason: String,
    due_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Referral, UseCaseError> {
    let mut r = load(uow, id)?;
    let e = r.extend(actor, reason, due_on, now)?;
    save(uow, &r, &[e])?;
    Ok(r)
}

/// # Errors
/// Not found (the referral, or the organization to transfer to); not the receiving organization;
/// answered or closed; the same organization.
pub fn transfer(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ReferralId,
    to: OrganizationId,
    reason: String,
    now: DateTime<Utc>,
) -> Result<Referral, UseCaseError> {
    let mut r = load(uow, id)?;
    let e = r.transfer(actor, to, reason, now)?;
    match save(uow, &r, &[e]) {
        Err(UseCaseError::Repo(RepoError::NotFound(_))) => Err(unknown_organization()),
        other => other.map(|()| r),
    }
}

/// # Errors
/// Not found; not the receiving organization; not acknowledged; closed.
pub fn follow_up(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ReferralId,
    draft: FollowUpDraft,
    now: DateTime<Utc>,
) -> Result<(Referral, FollowUp), UseCaseError> {
    let mut r = load(uow, id)?;
    let (f, e) = r.follow_up(actor, draft, now)?;
    save(uow, &r, &[e])?;
    Ok((r, f))
}

/// # Errors
/// Not found (the referral or the commitment); not the receiving organization; closed.
pub fn set_commitment(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ReferralId,
    commitment: CommitmentId,
    status: CommitmentStatus,
    now: DateTime<Utc>,
) -> Result<Referral, UseCaseError> {
    let mut r = load(uow, id)?;
    match r.set_commitment(actor, commitment, status, now) {
        Ok(Some(e)) => save(uow, &r, &[e])?,
        Ok(None) => {}
        Err(ReferralError::NoSuchCommitment) => {
            return Err(UseCaseError::not_found("commitment not found"));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(r)
}

/// Implemented: the evidence, and the proposal `implemented`.
///
/// # Errors
/// Not found; not the receiving organization; not answered, not accepted, or already implemented.
pub fn complete(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: ReferralId,
    completion: Completion,
    now: DateTime<Utc>,
) -> Result<Referral, UseCaseError> {
    let mut r = load(uow, id)?;
    let mut events = vec![r.complete(actor, completion, now)?];
    move_proposal(
        uow,
        &r,
        ProposalStatus::Implemented,
        actor,
        now,
        &mut events,
    )?;
    save(uow, &r, &events)?;
    Ok(r)
}

fn unknown_organization() -> UseCaseError {
    ValidationErrors::single(
        "organization_id",
        "no such organization; see GET /api/v1/organizations",
    )
    .into()
}
