//! Every change a proposal can go through, each returning the event the timeline shows.

use chrono::{DateTime, Utc};

use super::{
    Channel, EventKind, Proposal, ProposalDraft, ProposalEvent, ProposalId, ProposalRecord,
    ProposalStatus, Reason,
};
use crate::Id;
use crate::account::UserId;
use crate::actor::{ActorRole, Visibility};
use crate::policy_area::PolicyAreaId;

/// The rules of the lifecycle, each forbidden move named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProposalError {
    #[error("only the author may do this")]
    NotAuthor,
    #[error("a proposal can be edited only while submitted; this one is {status}")]
    NotEditable { status: ProposalStatus },
    #[error("a proposal cannot go from {from} to {to}")]
    InvalidTransition {
        from: ProposalStatus,
        to: ProposalStatus,
    },
    #[error("moderators set only under_review, selected or rejected; {to} follows from referrals")]
    NotAModeratorStatus { to: ProposalStatus },
    #[error("a reason is required to reject a proposal")]
    ReasonRequired,
    #[error("authors cannot support their own proposal")]
    OwnProposal,
    #[error("this proposal was merged into {into}; support that one instead")]
    Merged { into: ProposalId },
    #[error("a {status} proposal cannot gain supports")]
    NotOpen { status: ProposalStatus },
    #[error("a proposal cannot be merged into itself")]
    MergeIntoSelf,
    #[error("the surviving proposal is {status}; merge only into an open proposal")]
    MergeTargetClosed { status: ProposalStatus },
}

/// An author's edit; `None` keeps a field.
pub type ProposalEdit = crate::values::ContentEdit;

impl Proposal {
    fn touch(&mut self, now: DateTime<Utc>) {
        self.0.updated_at = now;
        self.0.version += 1;
    }

    fn event(&self, kind: EventKind, actor: ActorRole, now: DateTime<Utc>) -> ProposalEvent {
        ProposalEvent::new(self.0.id, kind, actor, now)
    }

    /// A new proposal from a checked draft: `submitted`, with its first timeline event.
    pub fn submit(
        author: UserId,
        draft: ProposalDraft,
        policy_area_id: PolicyAreaId,
        channel: Channel,
        now: DateTime<Utc>,
    ) -> (Self, ProposalEvent) {
        let proposal = Self(ProposalRecord {
            id: Id::generate(),
            author_id: author,
            title: draft.title,
            body: draft.body,
            policy_area_id,
            region: draft.region,
            tags: draft.tags,
            topic_id: draft.topic_id,
            forum_id: draft.forum_id,
            channel,
            status: ProposalStatus::Submitted,
            hidden: false,
            merged_into: None,
            support_count: 0,
            created_at: now,
            updated_at: now,
            version: 1,
        });
        let mut event = proposal.event(EventKind::Submitted, ActorRole::Author, now);
        event.to_status = Some(ProposalStatus::Submitted);
        (proposal, event)
    }

    /// The author changes the text while nobody has started reviewing it.
    ///
    /// # Errors
    /// [`ProposalError::NotAuthor`], [`ProposalError::NotEditable`].
    pub fn edit(
        &mut self,
        by: UserId,
        edit: ProposalEdit,
        now: DateTime<Utc>,
    ) -> Result<ProposalEvent, ProposalError> {
        if by != self.0.author_id {
            return Err(ProposalError::NotAuthor);
        }
        if self.0.status != ProposalStatus::Submitted {
            return Err(ProposalError::NotEditable {
                status: self.0.status,
            });
        }
        let r = &mut self.0;
        edit.apply(
            &mut r.title,
            &mut r.body,
            &mut r.policy_area_id,
            &mut r.region,
            &mut r.tags,
        );
        self.touch(now);
        Ok(self.event(EventKind::Edited, ActorRole::Author, now))
    }

    /// The author takes the proposal back before a decision.
    ///
    /// # Errors
    /// [`ProposalError::NotAuthor`], [`ProposalError::InvalidTransition`].
    pub fn withdraw(
        &mut self,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<ProposalEvent, ProposalError> {
        if by != self.0.author_id {
            return Err(ProposalError::NotAuthor);
        }
        let from = self.0.status;
        if !matches!(
            from,
            ProposalStatus::Submitted | ProposalStatus::UnderReview
        ) {
            return Err(ProposalError::InvalidTransition {
                from,
                to: ProposalStatus::Withdrawn,
            });
        }
        self.0.status = ProposalStatus::Withdrawn;
        self.touch(now);
        let mut e = self.event(EventKind::Withdrawn, ActorRole::Author, now);
        e.from_status = Some(from);
        e.to_status = Some(ProposalStatus::Withdrawn);
        Ok(e)
    }

    /// A moderator's decision: `submitted -> under_review -> selected | rejected` (rejecting needs a reason).
    ///
    /// # Errors
    /// [`ProposalError::NotAModeratorStatus`], [`ProposalError::InvalidTransition`],
    /// [`ProposalError::ReasonRequired`].
    pub fn decide(
        &mut self,
        to: ProposalStatus,
        reason: Option<Reason>,
        actor: ActorRole,
        now: DateTime<Utc>,
    ) -> Result<ProposalEvent, ProposalError> {
        use ProposalStatus as S;
        let from = self.0.status;
        if !matches!(to, S::UnderReview | S::Selected | S::Rejected) {
            return Err(ProposalError::NotAModeratorStatus { to });
        }
        let allowed = matches!(
            (from, to),
            (S::Submitted, S::UnderReview) | (S::UnderReview, S::Selected | S::Rejected)
        );
        if !allowed {
            return Err(ProposalError::InvalidTransition { from, to });
        }
        if to == S::Rejected && reason.is_none() {
            return Err(ProposalError::ReasonRequired);
        }
        self.0.status = to;
        self.touch(now);
        let mut e = self.event(EventKind::StatusChanged, actor, now);
        e.from_status = Some(from);
        e.to_status = Some(to);
        e.reason = reason.map(|r| r.as_str().to_owned());
        Ok(e)
    }

    /// Its referral moved on: `selected -> referred` (sent), `referred -> answered`, `answered ->
    /// implemented` (completed).
    ///
    /// # Errors
    /// [`ProposalError::InvalidTransition`] for any other move.
    pub fn follow_referral(
        &mut self,
        to: ProposalStatus,
        actor: ActorRole,
        now: DateTime<Utc>,
    ) -> Result<ProposalEvent, ProposalError> {
        use ProposalStatus as S;
        let from = self.0.status;
        let allowed = matches!(
            (from, to),
            (S::Selected, S::Referred) | (S::Referred, S::Answered) | (S::Answered, S::Implemented)
        );
        if !allowed {
            return Err(ProposalError::InvalidTransition { from, to });
        }
        self.0.status = to;
        self.touch(now);
        let mut e = self.event(EventKind::StatusChanged, actor, now);
        e.from_status = Some(from);
        e.to_status = Some(to);
        Ok(e)
    }

    /// Marks this proposal a duplicate of `target`. Moving supports is the repository's job, in the same
    /// transaction. Returns the events for this proposal and for the target.
    ///
    /// # Errors
    /// [`ProposalError::MergeIntoSelf`], [`ProposalError::InvalidTransition`] (only a proposal under review
    /// is merged), [`ProposalError::MergeTargetClosed`].
    pub fn merge_into(
        &mut self,
        target: &mut Proposal,
        reason: Reason,
        actor: ActorRole,
        now: DateTime<Utc>,
    ) -> Result<(ProposalEvent, ProposalEvent), ProposalError> {
        if target.id() == self.0.id {
            return Err(ProposalError::MergeIntoSelf);
        }
        let from = self.0.status;
        if from != ProposalStatus::UnderReview {
            return Err(ProposalError::InvalidTransition {
                from,
                to: ProposalStatus::Merged,
            });
        }
        if !target.status().is_open() {
            return Err(ProposalError::MergeTargetClosed {
                status: target.status(),
            });
        }
        self.0.status = ProposalStatus::Merged;
        self.0.merged_into = Some(target.id());
        // Its supports move to the survivor in the same unit of work.
        self.0.support_count = 0;
        self.touch(now);
        // Changing the survivor's version fences concurrent changes to it (it must stay open).
        target.touch(now);
        let mut merged = self.event(EventKind::Merged, actor, now);
        merged.from_status = Some(from);
        merged.to_status = Some(ProposalStatus::Merged);
        merged.reason = Some(reason.as_str().to_owned());
        merged.related_proposal_id = Some(target.id());
        let mut absorbed = ProposalEvent::new(target.id(), EventKind::Absorbed, actor, now);
        absorbed.reason = Some(reason.as_str().to_owned());
        absorbed.related_proposal_id = Some(self.0.id);
        Ok((merged, absorbed))
    }

    /// Whether `user` may support this proposal now.
    ///
    /// # Errors
    /// [`ProposalError::OwnProposal`], [`ProposalError::Merged`], [`ProposalError::NotOpen`].
    pub fn check_support(&self, user: UserId) -> Result<(), ProposalError> {
        if let Some(into) = self.0.merged_into {
            return Err(ProposalError::Merged { into });
        }
        if !self.0.status.is_open() {
            return Err(ProposalError::NotOpen {
                status: self.0.status,
            });
        }
        if user == self.0.author_id {
            return Err(ProposalError::OwnProposal);
        }
        Ok(())
    }

    /// Moderation hides or shows the proposal; the status does not change.
    pub fn set_hidden(
        &mut self,
        hidden: bool,
        reason: Option<String>,
        actor: ActorRole,
        now: DateTime<Utc>,
    ) -> Option<ProposalEvent> {
        if self.0.hidden == hidden {
            return None;
        }
        self.0.hidden = hidden;
        self.touch(now);
        let kind = if hidden {
            EventKind::Hidden
        } else {
            EventKind::Unhidden
        };
        let mut e = self.event(kind, actor, now);
        e.reason = reason;
        Some(e)
    }

    /// Whether `viewer` may see this proposal (hidden ones: its author and moderation staff).
    pub fn visible_to(&self, viewer: Visibility) -> bool {
        viewer.shows(self.0.hidden, self.0.author_id)
    }
}
