//! The read side of the ledger: one referral with its whole chain, and filtered lists. Outside any unit
//! of work.

use chrono::{DateTime, Utc};

use super::{Referral, ReferralId, ReferralStatus, SubjectKind};
use crate::organization::OrganizationId;
use crate::{Page, PageRequest, RepoError};

/// Filters of `GET /referrals`; every `Some` narrows the list.
#[derive(Debug, Clone, Default)]
pub struct ReferralFilter {
    /// The organization that holds it now.
    pub organization_id: Option<OrganizationId>,
    pub status: Option<ReferralStatus>,
    /// `Some(true)`: past its due date at the given time with no answer; `Some(false)`: not.
    pub overdue: Option<(bool, DateTime<Utc>)>,
    pub subject_kind: Option<SubjectKind>,
    /// The year of its document number.
    pub year: Option<i32>,
    /// Referrals of this subject only.
    pub subject_id: Option<String>,
    /// Leave out referrals of hidden proposals (for everyone but staff).
    pub without_hidden_subjects: bool,
}

pub trait ReferralQueries {
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn referral(&self, id: ReferralId) -> Result<Option<Referral>, RepoError>;

    /// Newest first, keyed by the referral's id (time-ordered).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn list_referrals(
        &self,
        filter: &ReferralFilter,
        page: &PageRequest<ReferralId>,
    ) -> Result<Page<Referral, ReferralId>, RepoError>;
}
