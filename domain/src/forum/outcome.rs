//! A forum's outcome report: what it concluded, what it recommends, who came and which proposals it
//! produced. Publishing it moves an `ended` forum to `reported`; it has a stable id of its own, because it
//! is what a referral sends to a ministry.

use chrono::{DateTime, Utc};

use super::{Forum, ForumError, ForumId, ForumStatus};
use crate::actor::Actor;
use crate::event::{Event, EventPayload, EventType};
use crate::proposal::ProposalId;
use crate::text;
use crate::values::Body;
use crate::{Id, ValidationErrors};

pub type OutcomeId = Id<ForumOutcome>;

pub const MAX_RECOMMENDATIONS: usize = 50;
pub const MAX_OUTCOME_PROPOSALS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForumOutcome {
    pub id: OutcomeId,
    pub forum_id: ForumId,
    pub summary: Body,
    /// Each 1-2,000 characters.
    pub recommendations: Vec<String>,
    pub attendee_count: i64,
    /// Proposals born at the forum (each linked to it).
    pub proposal_ids: Vec<ProposalId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An outcome as sent.
#[derive(Debug, Clone)]
pub struct OutcomeInput<'a> {
    pub summary: &'a str,
    pub recommendations: &'a [String],
    pub attendee_count: Option<i64>,
    pub proposal_ids: &'a [String],
}

/// Its checked fields; `attendee_count` is `None` to take the attendance marked.
#[derive(Debug, Clone)]
pub struct OutcomeDraft {
    pub summary: Body,
    pub recommendations: Vec<String>,
    pub attendee_count: Option<i64>,
    pub proposal_ids: Vec<ProposalId>,
}

impl OutcomeInput<'_> {
    /// # Errors
    /// Every invalid field.
    pub fn parse(&self) -> Result<OutcomeDraft, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let summary = errors.check("summary", Body::parse(self.summary));
        let mut recommendations = Vec::new();
        if self.recommendations.len() > MAX_RECOMMENDATIONS {
            errors.push(
                "recommendations",
                format!("at most {MAX_RECOMMENDATIONS} recommendations"),
            );
        } else {
            for (i, r) in self.recommendations.iter().enumerate() {
                if let Some(r) = errors.check(
                    &format!("recommendations[{i}]"),
                    text::multi_line(r, 1, 2_000),
                ) {
                    recommendations.push(r);
                }
            }
        }
        if let Some(n) = self.attendee_count
            && !(0..=1_000_000).contains(&n)
        {
            errors.push("attendee_count", "must be between 0 and 1000000");
        }
        let mut proposal_ids: Vec<ProposalId> = Vec::new();
        if self.proposal_ids.len() > MAX_OUTCOME_PROPOSALS {
            errors.push(
                "proposal_ids",
                format!("at most {MAX_OUTCOME_PROPOSALS} proposals"),
            );
        } else {
            for (i, raw) in self.proposal_ids.iter().enumerate() {
                match Id::parse(raw) {
                    Ok(id) if !proposal_ids.contains(&id) => proposal_ids.push(id),
                    Ok(_) => {}
                    Err(_) => errors.push(format!("proposal_ids[{i}]"), "is not a proposal id"),
                }
            }
        }
        match summary {
            Some(summary) if errors.is_empty() => Ok(OutcomeDraft {
                summary,
                recommendations,
                attendee_count: self.attendee_count,
                proposal_ids,
            }),
            _ => Err(errors),
        }
    }
}

impl Forum {
    /// Publishes (or replaces) the outcome. The first one moves an `ended` forum to `reported`; the
    /// attendee count defaults to the attendance marked. Returns the outcome and its events.
    ///
    /// # Errors
    /// [`ForumError::NotEnded`].
    pub fn publish_outcome(
        &mut self,
        previous: Option<ForumOutcome>,
        draft: OutcomeDraft,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(ForumOutcome, Vec<Event>), ForumError> {
        let status = self.status();
        let first = match (status, &previous) {
            (ForumStatus::Ended, None) => true,
            (ForumStatus::Reported, Some(_)) => false,
            _ => return Err(ForumError::NotEnded { status }),
        };
        let outcome = ForumOutcome {
            id: previous.as_ref().map_or_else(Id::generate, |p| p.id),
            forum_id: self.id(),
            summary: draft.summary,
            recommendations: draft.recommendations,
            attendee_count: draft.attendee_count.unwrap_or(self.seats().attended),
            proposal_ids: draft.proposal_ids,
            created_at: previous.as_ref().map_or(now, |p| p.created_at),
            updated_at: now,
        };
        let mut events = Vec::new();
        if first {
            events.push(self.set_status(ForumStatus::Reported, None, actor, now));
        }
        self.set_outcome(outcome.id.to_string(), now);
        let t = if first {
            EventType::ForumOutcomePublished
        } else {
            EventType::ForumOutcomeUpdated
        };
        events.push(self.event(t, actor, now).with_payload(EventPayload {
            related_id: Some(outcome.id.to_string()),
            related_kind: Some("outcome".to_owned()),
            count: Some(outcome.proposal_ids.len() as i64),
            ..EventPayload::default()
        }));
        Ok((outcome, events))
    }
}
