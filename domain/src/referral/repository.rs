//! What a unit of work stores for referrals. Every method runs inside the unit of work's transaction.

use super::{Referral, ReferralId, SubjectKind};
use crate::RepoError;

pub trait ReferralStore {
    /// Takes the next document serial of `year`: 1, 2, 3, ... with no gap and no repeat. The number is
    /// held (and concurrent referrals of the year wait) until the unit of work ends; if it rolls back,
    /// the number is given back.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn next_serial(&mut self, year: i32) -> Result<i64, RepoError>;

    /// Stores a new referral with its first hop.
    ///
    /// # Errors
    /// [`RepoError::Duplicate`] `{ field: "subject" }` when the subject already has an open referral;
    /// [`RepoError::NotFound`] `("organization")` when the organization does not exist.
    fn insert(&mut self, referral: &Referral) -> Result<(), RepoError>;

    /// The whole referral: hops, answer, follow-ups and commitments; locked on PostgreSQL until the unit
    /// of work ends.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn lock(&mut self, id: ReferralId) -> Result<Option<Referral>, RepoError>;

    /// Saves a changed referral (its `version` already incremented) if nobody changed it since it was
    /// read: its fields, the hops and follow-ups added since, and every commitment.
    ///
    /// # Errors
    /// [`RepoError::Conflict`] `("referral")` when the stored version is not `version - 1`;
    /// [`RepoError::NotFound`] `("organization")` for a transfer to an unknown organization.
    fn update(&mut self, referral: &Referral) -> Result<(), RepoError>;

    /// The document number of the subject's open referral, if it has one.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn open_for(
        &mut self,
        kind: SubjectKind,
        subject_id: &str,
    ) -> Result<Option<String>, RepoError>;
}
