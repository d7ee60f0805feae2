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
});

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
        }
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
            },
            forum: None,
        }
    }

    /// A proposal's event read back from the log.
    ///
    /// # Errors
    /// A message when the logged event is not a proposal's or its payload does not parse.
    pub fn from_logged(logged: &LoggedEvent) -> Result<Self, String> {
        let e = &logged.event;
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
            created_at: e.occurred_at,
        })
    }
}
