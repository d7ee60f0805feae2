//! The Open311 GeoReport v2 view of referred proposals: each is a "service request" whose status
//! civic clients can poll with a known standard. One service per policy area.

use chrono::{DateTime, NaiveDate, Utc};

use crate::RepoError;
use crate::policy_area::PolicyAreaId;
use crate::proposal::ProposalId;
use crate::referral::{Decision, ReferralStatus};
use crate::values::Region;

/// A referred proposal with its latest referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRequest {
    pub proposal_id: ProposalId,
    pub title: String,
    pub body: String,
    pub policy_area_id: PolicyAreaId,
    pub region: Option<Region>,
    pub requested_at: DateTime<Utc>,
    pub proposal_updated_at: DateTime<Utc>,
    pub referral: ReferralState,
}

/// Where the proposal's latest referral stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralState {
    pub number: String,
    pub status: ReferralStatus,
    /// The organization holding it now.
    pub organization_id: crate::organization::OrganizationId,
    pub due_at: DateTime<Utc>,
    pub decision: Option<Decision>,
    pub expected_completion_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

/// Open311's two states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    Open,
    Closed,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    /// Which referral statuses it covers.
    pub fn referral_statuses(self) -> &'static [ReferralStatus] {
        match self {
            Self::Open => ReferralStatus::OPEN,
            Self::Closed => &[ReferralStatus::Implemented, ReferralStatus::Closed],
        }
    }
}

/// Which requests a list gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestFilter {
    /// Only these proposals.
    pub ids: Vec<ProposalId>,
    pub policy_area_id: Option<PolicyAreaId>,
    /// Requested (submitted) at or after.
    pub start: Option<DateTime<Utc>>,
    /// Requested before or at.
    pub end: Option<DateTime<Utc>>,
    pub status: Option<RequestStatus>,
}

impl ServiceRequest {
    pub fn status(&self) -> RequestStatus {
        if self.referral.status == ReferralStatus::Implemented
            || self.referral.status == ReferralStatus::Closed
        {
            RequestStatus::Closed
        } else {
            RequestStatus::Open
        }
    }

    /// The latest step, in words (Korean, as the platform speaks), naming the organization.
    pub fn status_notes(&self, organization: &str) -> String {
        let r = &self.referral;
        match r.status {
            ReferralStatus::Sent => {
                format!("{organization}에 송부되어 접수를 기다립니다 ({})", r.number)
            }
            ReferralStatus::Acknowledged => {
                format!("{organization}이(가) 접수하여 검토 중입니다 ({})", r.number)
            }
            ReferralStatus::Answered => match r.decision {
                Some(Decision::PartiallyAccepted) => {
                    format!(
                        "{organization}이(가) 일부 수용하여 이행을 준비 중입니다 ({})",
                        r.number
                    )
                }
                _ => format!(
                    "{organization}이(가) 수용하여 이행을 준비 중입니다 ({})",
                    r.number
                ),
            },
            ReferralStatus::Implemented => {
                format!("{organization}이(가) 이행을 완료했습니다 ({})", r.number)
            }
            ReferralStatus::Closed => {
                format!(
                    "{organization}이(가) 불수용으로 답변하여 종결되었습니다 ({})",
                    r.number
                )
            }
        }
    }

    /// When the next step is due: the answer's deadline while it is awaited, then the expected
    /// completion of an accepted answer; `None` once closed.
    pub fn expected_at(&self) -> Option<DateTime<Utc>> {
        let r = &self.referral;
        match r.status {
            ReferralStatus::Sent | ReferralStatus::Acknowledged => Some(r.due_at),
            ReferralStatus::Answered => r
                .expected_completion_on
                .map(crate::referral::deadline::end_of_day),
            ReferralStatus::Implemented | ReferralStatus::Closed => None,
        }
    }

    /// The later of the proposal's and the referral's last change.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.proposal_updated_at.max(self.referral.updated_at)
    }
}

/// The read behind the view.
pub trait ServiceRequests {
    /// The referred proposals the filter selects, newest request first, visible ones only.
    ///
    /// # Errors
    /// A storage failure.
    fn service_requests(&self, filter: &RequestFilter) -> Result<Vec<ServiceRequest>, RepoError>;
}
