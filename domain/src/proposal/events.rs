//! A proposal's events: the typed form its lifecycle methods return and its timeline shows, and their
//! form in the event log.

use chrono::{DateTime, Utc};

use super::{ProposalId, ProposalStatus};
use crate::Id;
use crate::account::UserId;
use crate::actor::ActorRole;
use crate::event::{AggregateKind, Event, EventPayload, EventType, LoggedEvent};
use crate::macros::code_enum;

code_enum!(
    /// What happened to a proposal.
    EventKind, "event kind", {
    Submitted = "submitted", Edited = "edited", StatusChanged = "status_changed", Withdrawn = "withdrawn",
    Merged = "merged", Absorbed = "absorbed", Hidden = "hidden", Unhidden = "unhidden",
    ReferralSent = "referral_sent", ReferralAcknowledged = "referral_acknowledged",
    ReferralAnswered = "referral_answered", ReferralFollowedUp = "referral_followed_up",
    ReferralCommitmentUpdated = "referral_commitment_updated", ReferralExtended = "referral_extended",
    ReferralTransferred = "referral_transferred", ReferralCompleted = "referral_completed",
});

/// A step of the proposal's referral, as its timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralStep {
    pub referral_id: String,
    /// The organization that holds it after the step (the new one after a transfer).
    pub organization_id: Option<String>,
    /// For `referral_answered`.
    pub decision: Option<String>,
}

/// One step on a proposal's public timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalEvent {
    pub id: Id<ProposalEvent>,
    pub proposal_id: ProposalId,
    pub kind: EventKind,
    pub actor_role: ActorRole,
    pub from_status: Option<ProposalStatus>,
    pub to_status: Option<ProposalStatus>,
    pub reason: Option<String>,
    /// For `merged`: the surviving proposal; for `absorbed`: the duplicate.
    pub related_proposal_id: Option<ProposalId>,
    /// For `absorbed`: how many supports moved over.
    pub count: Option<i64>,
    /// For the `referral_*` kinds: which referral, where it is, and its answer.
    pub referral: Option<ReferralStep>,
    pub created_at: DateTime<Utc>,
}

impl ProposalEvent {
    pub fn new(
        proposal_id: ProposalId,
        kind: EventKind,
        actor_role: ActorRole,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            id: Id::generate(),
            proposal_id,
            kind,
            actor_role,
            from_status: None,
            to_status: None,
            reason: None,
            related_proposal_id: None,
            count: None,
            referral: None,
            created_at: at,
        }
    }
}

impl EventKind {
    /// The log's name for this change (`proposal.<kind>`).
    pub fn event_type(self) -> EventType {
        match self {
            Self::Submitted => EventType::ProposalSubmitted,
            Self::Edited => EventType::ProposalEdited,
            Self::StatusChanged => EventType::ProposalStatusChanged,
            Self::Withdrawn => EventType::ProposalWithdrawn,
            Self::Merged => EventType::ProposalMerged,
            Self::Absorbed => EventType::ProposalAbsorbed,
            Self::Hidden => EventType::ProposalHidden,
            Self::Unhidden => EventType::ProposalUnhidden,
            Self::ReferralSent => EventType::ReferralSent,
            Self::ReferralAcknowledged => EventType::ReferralAcknowledged,
            Self::ReferralAnswered => EventType::ReferralAnswered,
            Self::ReferralFollowedUp => EventType::ReferralFollowedUp,
            Self::ReferralCommitmentUpdated => EventType::ReferralCommitmentUpdated,
            Self::ReferralExtended => EventType::ReferralExtended,
            Self::ReferralTransferred => EventType::ReferralTransferred,
            Self::ReferralCompleted => EventType::ReferralCompleted,
        }
    }

    /// The timeline's kind of a referral's logged step.
    fn of_referral(t: EventType) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.event_type() == t && t.aggregate() == AggregateKind::Referral)
    }
}

impl ProposalEvent {
    /// The event as the log records it, with who acted (never shown publicly).
    pub fn into_event(self, actor_id: Option<UserId>) -> Event {
        Event {
            id: Id::from_uuid(self.id.as_uuid()),
            aggregate: AggregateKind::Proposal,
            aggregate_id: self.proposal_id.to_string(),
            event_type: self.kind.event_type(),
            actor_role: self.actor_role,
            actor_id,
            occurred_at: self.created_at,
            payload: EventPayload {
                from_status: self.from_status.map(|s| s.as_str().to_owned()),
                to_status: self.to_status.map(|s| s.as_str().to_owned()),
                reason: self.reason,
                related_id: self.related_proposal_id.map(|p| p.to_string()),
                related_kind: None,
                count: self.count,
                agenda_item: None,
                decision: None,
                commitment_id: None,
            },
            forum: None,
            about: None,
        }
    }

    /// A proposal's event read back from the log.
    ///
    /// # Errors
    /// A message when the logged event is not a proposal's or its payload does not parse.
    pub fn from_logged(logged: &LoggedEvent) -> Result<Self, String> {
        let e = &logged.event;
        if e.aggregate == AggregateKind::Referral {
            return Self::from_referral(e);
        }
        if e.aggregate != AggregateKind::Proposal {
            return Err(format!("{} is not a proposal event", e.event_type));
        }
        let status = |s: &Option<String>| s.as_deref().map(str::parse).transpose();
        Ok(Self {
            id: Id::from_uuid(e.id.as_uuid()),
            proposal_id: Id::parse(&e.aggregate_id).map_err(|e| e.to_string())?,
            kind: e.event_type.change().parse()?,
            actor_role: e.actor_role,
            from_status: status(&e.payload.from_status)?,
            to_status: status(&e.payload.to_status)?,
            reason: e.payload.reason.clone(),
            related_proposal_id: e
                .payload
                .related_id
                .as_deref()
                .map(Id::parse)
                .transpose()
                .map_err(|e| e.to_string())?,
            count: e.payload.count,
            referral: None,
            created_at: e.occurred_at,
        })
    }

    /// A referral's step shown on its proposal's timeline (the proposal is the event's `about`).
    fn from_referral(e: &crate::event::Event) -> Result<Self, String> {
        let kind = EventKind::of_referral(e.event_type)
            .ok_or_else(|| format!("{} is not a referral step", e.event_type))?;
        let (_, proposal) = e
            .about
            .as_ref()
            .ok_or("a referral step without its subject")?;
        let organization = (e.payload.related_kind.as_deref() == Some("organization"))
            .then(|| e.payload.related_id.clone())
            .flatten();
        let mut step = Self::new(
            Id::parse(proposal).map_err(|e| e.to_string())?,
            kind,
            e.actor_role,
            e.occurred_at,
        );
        step.id = Id::from_uuid(e.id.as_uuid());
        step.reason = e.payload.reason.clone();
        step.referral = Some(ReferralStep {
            referral_id: e.aggregate_id.clone(),
            organization_id: organization,
            decision: e.payload.decision.clone(),
        });
        Ok(step)
    }
}
