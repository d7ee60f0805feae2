//! A forum's public timeline, as `GET /forums/{id}/timeline` answers it: its own events and its
//! referral's steps.

use chrono::{DateTime, Utc};
use ocf_domain::event::LoggedEvent;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// What happened to a forum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "status_changed")]
pub enum ForumEventKind {
    Created,
    Edited,
    StatusChanged,
    TopicLinked,
    OutcomePublished,
    OutcomeUpdated,
    AgendaAdvanced,
    /// Its start or end time changed (registrants are notified).
    Rescheduled,
    ReferralSent,
    ReferralAcknowledged,
    ReferralAnswered,
    ReferralFollowedUp,
    ReferralCommitmentUpdated,
    ReferralExtended,
    ReferralTransferred,
    ReferralCompleted,
}

/// One step on a forum's public timeline; staff appear by role.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForumEventView {
    /// The event's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// What happened.
    pub kind: ForumEventKind,
    /// Who acted, by role.
    pub actor_role: crate::vocab::ActorRole,
    /// For status changes; `null` otherwise.
    #[schema(required = true)]
    pub from_status: Option<crate::vocab::ForumStatus>,
    /// For creation and status changes; `null` otherwise.
    #[schema(required = true)]
    pub to_status: Option<crate::vocab::ForumStatus>,
    /// The stated reason (a cancellation, a transfer, an extension; for `referral_commitment_updated`
    /// the commitment's new status); `null` if none.
    #[schema(example = "태풍 예보로 취소합니다.", required = true)]
    pub reason: Option<String>,
    /// The linked topic (`topic_linked`), the outcome (`outcome_*`) or the referral (`referral_*`);
    /// `null` otherwise.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", required = true)]
    pub related_id: Option<String>,
    /// The agenda item the live forum moved on to (`agenda_advanced`, 0-based); `null` otherwise.
    #[schema(example = json!(null), required = true)]
    pub agenda_item: Option<i64>,
    /// For `referral_*`: the organization holding the referral after the step; `null` otherwise.
    #[schema(example = json!(null), required = true)]
    pub organization_id: Option<String>,
    /// For `referral_answered`: the decision; `null` otherwise.
    #[schema(required = true)]
    pub decision: Option<crate::vocab::Decision>,
    /// Created at.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
}

impl TryFrom<&LoggedEvent> for ForumEventView {
    type Error = ApiError;

    fn try_from(logged: &LoggedEvent) -> Result<Self, ApiError> {
        use ocf_domain::event::EventType as T;
        let e = &logged.event;
        let bad = |what: String| ApiError::Internal(format!("logged forum event: {what}").into());
        let kind = match e.event_type {
            T::ForumCreated => ForumEventKind::Created,
            T::ForumEdited => ForumEventKind::Edited,
            T::ForumStatusChanged => ForumEventKind::StatusChanged,
            T::ForumTopicLinked => ForumEventKind::TopicLinked,
            T::ForumOutcomePublished => ForumEventKind::OutcomePublished,
            T::ForumOutcomeUpdated => ForumEventKind::OutcomeUpdated,
            T::ForumAgendaAdvanced => ForumEventKind::AgendaAdvanced,
            T::ForumRescheduled => ForumEventKind::Rescheduled,
            T::ReferralSent => ForumEventKind::ReferralSent,
            T::ReferralAcknowledged => ForumEventKind::ReferralAcknowledged,
            T::ReferralAnswered => ForumEventKind::ReferralAnswered,
            T::ReferralFollowedUp => ForumEventKind::ReferralFollowedUp,
            T::ReferralCommitmentUpdated => ForumEventKind::ReferralCommitmentUpdated,
            T::ReferralExtended => ForumEventKind::ReferralExtended,
            T::ReferralTransferred => ForumEventKind::ReferralTransferred,
            T::ReferralCompleted => ForumEventKind::ReferralCompleted,
            other => return Err(bad(format!("{other} is not a forum event"))),
        };
        if e.aggregate == ocf_domain::event::AggregateKind::Referral {
            let p = &e.payload;
            return Ok(Self {
                id: e.id.to_string(),
                kind,
                actor_role: e.actor_role.into(),
                from_status: None,
                to_status: None,
                reason: p.reason.clone(),
                related_id: Some(e.aggregate_id.clone()),
                agenda_item: None,
                organization_id: (p.related_kind.as_deref() == Some("organization"))
                    .then(|| p.related_id.clone())
                    .flatten(),
                decision: p
                    .decision
                    .as_deref()
                    .and_then(|d| d.parse::<ocf_domain::referral::Decision>().ok())
                    .map(Into::into),
                created_at: e.occurred_at,
            });
        }
        let status = |s: &Option<String>| {
            s.as_deref()
                .map(|s| s.parse::<ocf_domain::forum::ForumStatus>().map(Into::into))
                .transpose()
                .map_err(bad)
        };
        Ok(Self {
            id: e.id.to_string(),
            kind,
            actor_role: e.actor_role.into(),
            from_status: status(&e.payload.from_status)?,
            to_status: status(&e.payload.to_status)?,
            reason: e.payload.reason.clone(),
            related_id: e.payload.related_id.clone(),
            agenda_item: e.payload.agenda_item,
            organization_id: None,
            decision: None,
            created_at: e.occurred_at,
        })
    }
}
