//! The intake use case: a partner's record creates the proposal it maps to, or updates it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::record::{ChannelRecord, ExternalId, Provenance};
use super::{ChannelCode, ChannelId};
use crate::account::UserId;
use crate::actor::ActorRole;
use crate::error::UseCaseError;
use crate::event::{Event, EventPayload, EventType};
use crate::policy_area::PolicyAreaId;
use crate::proposal::{Proposal, ProposalDraft, ProposalEdit, ProposalId};
use crate::uow::UnitOfWork;

/// The channel a record comes in through, as the intake needs it.
#[derive(Debug, Clone)]
pub struct Intake {
    pub channel_id: ChannelId,
    pub code: ChannelCode,
    /// The channel's service account: the author, on the record, of what it sends.
    pub service_user_id: UserId,
}

/// One partner record, checked.
#[derive(Debug, Clone)]
pub struct PartnerRecord {
    pub external_id: ExternalId,
    pub draft: ProposalDraft,
    pub policy_area_id: PolicyAreaId,
    pub provenance: Provenance,
    /// A digest of everything sent (content and provenance), computed by the caller.
    pub fingerprint: String,
}

/// What an intake did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeOutcome {
    Created,
    Updated,
    /// The same record was sent again: nothing changed.
    Unchanged,
}

impl IntakeOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Unchanged => "unchanged",
        }
    }
}

/// Creates the proposal a partner record maps to, or brings it up to date.
///
/// - A new external id submits a proposal on the channel `partner:<code>`, authored by the channel's
///   service account, and stores the record as its origin.
/// - A known external id sent again unchanged changes nothing.
/// - A changed one saves the provenance; a changed content edits the proposal, which the lifecycle allows
///   only while it is `submitted` (an origin record only: a record linked to another channel's proposal
///   does not rewrite it).
///
/// # Errors
/// [`crate::proposal::ProposalError::NotEditable`] when the content changed after review began;
/// [`crate::RepoError::Duplicate`] when a concurrent intake stored the same record first (try again);
/// storage failures.
pub fn upsert(
    uow: &mut dyn UnitOfWork,
    intake: &Intake,
    record: PartnerRecord,
    now: DateTime<Utc>,
) -> Result<(IntakeOutcome, ProposalId), UseCaseError> {
    let existing = uow
        .channel_records()
        .lock(intake.channel_id, &record.external_id)?;
    let Some(mut stored) = existing else {
        return create(uow, intake, record, now).map(|id| (IntakeOutcome::Created, id));
    };
    if stored.fingerprint == record.fingerprint {
        return Ok((IntakeOutcome::Unchanged, stored.proposal_id));
    }
    if stored.origin {
        let mut proposal = uow
            .proposals()
            .lock(stored.proposal_id)?
            .ok_or_else(|| UseCaseError::not_found("the record's proposal was not found"))?;
        let edit = content_edit(&proposal, &record);
        if !edit.is_empty() {
            let event = proposal.edit(intake.service_user_id, edit, now)?;
            uow.proposals().update(&proposal)?;
            uow.events()
                .append(&event.into_event(Some(intake.service_user_id)))?;
        }
    }
    stored.provenance = record.provenance;
    stored.fingerprint = record.fingerprint;
    stored.updated_at = now;
    uow.channel_records().update(&stored)?;
    uow.events().append(&record_event(intake, &stored, now))?;
    Ok((IntakeOutcome::Updated, stored.proposal_id))
}

fn create(
    uow: &mut dyn UnitOfWork,
    intake: &Intake,
    record: PartnerRecord,
    now: DateTime<Utc>,
) -> Result<ProposalId, UseCaseError> {
    let (proposal, event) = Proposal::submit(
        intake.service_user_id,
        record.draft,
        record.policy_area_id,
        intake.code.proposal_channel(),
        now,
    );
    uow.proposals().insert(&proposal)?;
    uow.channel_records().insert(&ChannelRecord {
        channel_id: intake.channel_id,
        external_id: record.external_id,
        proposal_id: proposal.id(),
        origin: true,
        provenance: record.provenance,
        fingerprint: record.fingerprint,
        created_at: now,
        updated_at: now,
    })?;
    uow.events()
        .append(&event.into_event(Some(intake.service_user_id)))?;
    Ok(proposal.id())
}

/// The fields the partner changed, compared with the proposal as it stands.
fn content_edit(p: &Proposal, r: &PartnerRecord) -> ProposalEdit {
    let d = &r.draft;
    ProposalEdit {
        title: (p.title() != &d.title).then(|| d.title.clone()),
        body: (p.body() != &d.body).then(|| d.body.clone()),
        policy_area_id: (p.policy_area_id() != r.policy_area_id).then_some(r.policy_area_id),
        region: (p.region() != d.region).then_some(d.region),
        tags: (p.tags() != &d.tags).then(|| d.tags.clone()),
    }
}

/// `channel.record_updated`: the partner's record changed (its provenance, its support count).
fn record_event(intake: &Intake, r: &ChannelRecord, now: DateTime<Utc>) -> Event {
    Event::new(
        EventType::ChannelRecordUpdated,
        intake.channel_id,
        ActorRole::System,
        Some(intake.service_user_id),
        now,
    )
    .with_payload(EventPayload {
        related_id: Some(r.proposal_id.to_string()),
        related_kind: Some("proposal".to_owned()),
        count: r.provenance.partner_support_count,
        ..EventPayload::default()
    })
}

/// What one record of a batch came to: its outcome, or the rule it broke.
pub type BatchResult = Result<(IntakeOutcome, ProposalId), UseCaseError>;

/// Runs the intake for every record of a batch in one unit of work, so a batch is stored whole or not at
/// all, in few statements: the batch's known records are read (and held) at once, new ones are stored
/// together, an unchanged re-send is told at once, and the rest (changes, repeats within the batch) take
/// the one-record path. A record that breaks a rule (a content change after review began) is refused
/// alone, before it writes anything; a storage failure fails the batch.
///
/// # Errors
/// The first [`UseCaseError::Repo`] (a concurrent intake stored a record first: run the batch again).
pub fn upsert_batch(
    uow: &mut dyn UnitOfWork,
    intake: &Intake,
    records: Vec<PartnerRecord>,
    now: DateTime<Utc>,
) -> Result<Vec<BatchResult>, UseCaseError> {
    let ids: Vec<ExternalId> = records.iter().map(|r| r.external_id.clone()).collect();
    let known: HashMap<ExternalId, ChannelRecord> = uow
        .channel_records()
        .lock_many(intake.channel_id, &ids)?
        .into_iter()
        .map(|r| (r.external_id.clone(), r))
        .collect();
    let mut results: Vec<Option<BatchResult>> = (0..records.len()).map(|_| None).collect();
    let (mut proposals, mut stored, mut events) = (Vec::new(), Vec::new(), Vec::new());
    let mut later = Vec::new();
    let mut new_ids = HashSet::new();
    for (i, record) in records.into_iter().enumerate() {
        match known.get(&record.external_id) {
            Some(k) if k.fingerprint == record.fingerprint => {
                results[i] = Some(Ok((IntakeOutcome::Unchanged, k.proposal_id)));
            }
            Some(_) => later.push((i, record)),
            None if !new_ids.insert(record.external_id.clone()) => later.push((i, record)),
            None => {
                let (proposal, event) = Proposal::submit(
                    intake.service_user_id,
                    record.draft,
                    record.policy_area_id,
                    intake.code.proposal_channel(),
                    now,
                );
                results[i] = Some(Ok((IntakeOutcome::Created, proposal.id())));
                stored.push(ChannelRecord {
                    channel_id: intake.channel_id,
                    external_id: record.external_id,
                    proposal_id: proposal.id(),
                    origin: true,
                    provenance: record.provenance,
                    fingerprint: record.fingerprint,
                    created_at: now,
                    updated_at: now,
                });
                events.push(event.into_event(Some(intake.service_user_id)));
                proposals.push(proposal);
            }
        }
    }
    uow.proposals().insert_many(&proposals)?;
    uow.channel_records().insert_many(&stored)?;
    uow.events().append_many(&events)?;
    for (i, record) in later {
        match upsert(uow, intake, record, now) {
            Err(e @ UseCaseError::Repo(_)) => return Err(e),
            other => results[i] = Some(other),
        }
    }
    Ok(results.into_iter().flatten().collect())
}

/// Links a partner record to an existing proposal: the same idea, on another channel (or a record of
/// the proposal's own channel that came in twice). Returns whether the link is new; linking a record
/// to the proposal it already maps to changes nothing.
///
/// # Errors
/// [`UseCaseError::NotFound`] for a proposal the actor may not see; [`crate::proposal::ProposalError::Merged`]
/// for a merged one (link the survivor); [`crate::RepoError::Duplicate`] `external_id` when the record
/// already maps to another proposal (merge the two proposals instead).
pub fn link(
    uow: &mut dyn UnitOfWork,
    actor: Option<&crate::actor::Actor>,
    mut record: ChannelRecord,
    now: DateTime<Utc>,
) -> Result<(bool, ChannelRecord), UseCaseError> {
    let proposal = crate::proposal::service::load_visible(uow, actor, record.proposal_id)?;
    if let Some(into) = proposal.merged_into() {
        return Err(crate::proposal::ProposalError::Merged { into }.into());
    }
    if let Some(existing) = uow
        .channel_records()
        .lock(record.channel_id, &record.external_id)?
    {
        if existing.proposal_id == record.proposal_id {
            return Ok((false, existing));
        }
        return Err(crate::RepoError::Duplicate {
            field: "external_id",
        }
        .into());
    }
    record.origin = false;
    record.created_at = now;
    record.updated_at = now;
    uow.channel_records().insert(&record)?;
    uow.events().append(
        &Event::new(
            EventType::ChannelRecordLinked,
            record.channel_id,
            actor.map_or(ActorRole::System, crate::actor::Actor::staff_role),
            actor.map(|a| a.user_id),
            now,
        )
        .with_payload(EventPayload {
            related_id: Some(record.proposal_id.to_string()),
            related_kind: Some("proposal".to_owned()),
            ..EventPayload::default()
        }),
    )?;
    Ok((true, record))
}
