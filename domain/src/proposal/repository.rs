//! What a unit of work stores for proposals. Every method runs inside the unit of work's transaction.

use chrono::{DateTime, Utc};

use super::{Proposal, ProposalId};
use crate::RepoError;
use crate::account::UserId;

pub trait ProposalStore {
    /// Stores a new proposal and its tags.
    ///
    /// # Errors
    /// [`RepoError::NotFound`] `("policy area or author")` when a reference is dangling.
    fn insert(&mut self, proposal: &Proposal) -> Result<(), RepoError>;

    /// Stores many new proposals and their tags (an adapter may write them in fewer statements).
    ///
    /// # Errors
    /// As [`ProposalStore::insert`].
    fn insert_many(&mut self, proposals: &[Proposal]) -> Result<(), RepoError> {
        proposals.iter().try_for_each(|p| self.insert(p))
    }

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn get(&mut self, id: ProposalId) -> Result<Option<Proposal>, RepoError>;

    /// The proposal, held until the unit of work ends (`FOR UPDATE` on PostgreSQL; SQLite has one
    /// writer): for a use case that appends an event about it without changing it (a referral's step),
    /// so that the proposal's timeline events still commit in position order (`docs/EVENTS.md`).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn lock(&mut self, id: ProposalId) -> Result<Option<Proposal>, RepoError>;

    /// Saves a changed proposal (its `version` already incremented) if nobody changed it since it was read.
    /// The support count is not written: supports move it themselves.
    ///
    /// # Errors
    /// [`RepoError::Conflict`] `("proposal")` when the stored version is not `version - 1`.
    fn update(&mut self, proposal: &Proposal) -> Result<(), RepoError>;

    /// Moves the supports of `from` to `into`, without counting anyone twice and without giving the
    /// survivor's author a support of their own, and recounts both (trending counts supports given after
    /// `trending_since`). Returns how many moved.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn move_supports(
        &mut self,
        from: ProposalId,
        into: ProposalId,
        trending_since: DateTime<Utc>,
    ) -> Result<i64, RepoError>;

    /// Adds `user`'s support if the proposal is open, not theirs, not hidden (unless `hidden_ok`) and not
    /// yet supported by them; returns whether one was added. The rule is checked in the same statement as
    /// the insert, so a concurrent status change cannot slip between, and the count moves with it.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn add_support(
        &mut self,
        id: ProposalId,
        user: UserId,
        now: DateTime<Utc>,
        hidden_ok: bool,
    ) -> Result<bool, RepoError>;

    /// Removes `user`'s support; returns whether there was one.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn remove_support(
        &mut self,
        id: ProposalId,
        user: UserId,
        trending_since: DateTime<Utc>,
    ) -> Result<bool, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn supports(&mut self, id: ProposalId, user: UserId) -> Result<bool, RepoError>;

    /// Records who entered a proposal on a participant's behalf.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn record_entry(
        &mut self,
        id: ProposalId,
        entry: &super::OfflineEntry,
    ) -> Result<(), RepoError>;
}
