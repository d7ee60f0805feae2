//! `/referrals`: the ledger of official documents sent to competent organizations (see
//! `docs/API-DESIGN.md`, "Referrals"). `requests` and `dto`, `command` (every step), `receiver` (who may
//! take a step, checked before the body) and `query` (reads).

use ocf_domain::account::Role;
use ocf_domain::clock;
use ocf_domain::referral::{Referral, ReferralId};

use crate::auth::Caller;
use crate::error::ApiError;

mod command;
mod dto;
mod query;
mod receiver;
mod requests;

pub use dto::{
    AcknowledgementView, AnswerView, CommitmentView, CompletionView, FollowUpView, HopView,
    ParticipantView, ReferralView,
};
pub use requests::{
    AcknowledgeRequest, AnswerRequest, CommitmentRequest, CommitmentStatusRequest, CompleteRequest,
    CreateReferralRequest, ExtendRequest, FollowUpRequest, ParticipantRequest, ReferralsQuery,
    TransferRequest,
};

/// Registers the referral routes with their OpenAPI entries.
pub fn configure<S>(scope: utoipa_actix_web::scope::Scope<S>) -> utoipa_actix_web::scope::Scope<S>
where
    S: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Error = actix_web::Error,
            InitError = (),
        >,
{
    scope
        .service(command::create_referral)
        .service(query::list_referrals)
        .service(query::get_referral)
        .service(command::acknowledge)
        .service(command::answer)
        .service(command::follow_up)
        .service(command::update_commitment)
        .service(command::extend)
        .service(command::transfer)
        .service(command::complete)
}

pub(crate) fn parse_id(raw: &str) -> Result<ReferralId, ApiError> {
    super::common::path_id(raw, "referral")
}

/// The view for `caller`: the internal contact for staff and the holding organization's officials.
pub(crate) fn view_for(r: Referral, caller: Option<&Caller>) -> ReferralView {
    let org = r.record().organization_id;
    let internal = caller.is_some_and(|c| {
        c.is_staff() || (c.roles.contains(Role::Official) && c.organization_id == Some(org))
    });
    dto::view(r, internal, clock::now())
}
