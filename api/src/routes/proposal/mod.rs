//! `/proposals`: citizens' proposals. `command` holds the writes (each calls one use case in one unit of
//! work), `query` the reads; `requests` and `dto` what they accept and answer.

use ocf_domain::actor::Visibility;
use ocf_domain::proposal::query::ProposalQueries;
use ocf_domain::proposal::{Proposal, ProposalId};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

mod command;
mod dto;
mod query;
pub use query::look_alikes;
mod requests;
mod routing;

pub use dto::{
    MergeResponse, OfflineEntryView, ProposalSummary, ProposalView, SimilarItem, SimilarResponse,
    TimelineEventView,
};
pub use requests::{
    ChangeStatusRequest, CreateProposalRequest, MergeRequest, ProposalsQuery, ReportRequest,
    SimilarRequest, UpdateProposalRequest, tag_list,
};

/// Registers the proposal routes with their OpenAPI entries.
pub fn configure<S>(scope: utoipa_actix_web::scope::Scope<S>) -> utoipa_actix_web::scope::Scope<S>
where
    S: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Error = actix_web::Error,
            InitError = (),
        >,
{
    // `/proposals/similar` before `/proposals/{id}` routes, so "similar" is never taken for an id.
    scope
        .service(query::similar_proposals)
        .service(command::create_proposal)
        .service(query::list_proposals)
        .service(query::get_proposal)
        .service(command::update_proposal)
        .service(command::withdraw_proposal)
        .service(command::support_proposal)
        .service(command::unsupport_proposal)
        .service(command::change_status)
        .service(command::merge_proposal)
        .service(query::proposal_timeline)
        .service(command::report_proposal)
        .service(routing::suggested_organizations)
}

pub(crate) fn parse_id(raw: &str) -> Result<ProposalId, ApiError> {
    super::common::path_id(raw, "proposal")
}

/// Loads a proposal the caller may see; a hidden one is "not found" to everyone but its author and staff.
fn visible(
    state: &AppState,
    id: ProposalId,
    caller: Option<&Caller>,
) -> Result<Proposal, ApiError> {
    let viewer = caller.map(Caller::actor);
    state
        .db
        .proposal(id)?
        .filter(|p| p.visible_to(Visibility::for_viewer(viewer.as_ref())))
        .ok_or_else(|| ApiError::NotFound("proposal not found".to_owned()))
}

/// The full view of a proposal for `caller` (with `is_mine` and `supported_by_me` when signed in).
/// Blocking.
///
/// # Errors
/// Storage failures.
pub fn full_view(
    state: &AppState,
    p: Proposal,
    caller: Option<&Caller>,
) -> Result<ProposalView, ApiError> {
    let area = state.policy_areas.code_of(&state.db, p.policy_area_id())?;
    let supported = match caller {
        Some(c) => Some(state.db.supports(p.id(), c.user_id)?),
        None => None,
    };
    let entry = match caller {
        Some(c) if c.is_staff() && *p.channel() == ocf_domain::proposal::Channel::OfflineForum => {
            state.db.offline_entry(p.id())?
        }
        _ => None,
    };
    let channels = ocf_domain::partner::ChannelRepository::presence(&*state.db, p.id())?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(dto::view(
        p,
        area,
        caller.map(|c| c.user_id),
        supported,
        entry,
        channels,
    ))
}

/// List items with their policy-area codes. Blocking.
fn summaries(
    state: &AppState,
    items: Vec<ocf_domain::proposal::query::ProposalSummary>,
) -> Result<Vec<ProposalSummary>, ApiError> {
    let codes = state
        .policy_areas
        .codes_of(&state.db, items.iter().map(|p| p.policy_area_id))?;
    Ok(items
        .into_iter()
        .map(|p| {
            let area = codes.get(&p.policy_area_id).cloned().unwrap_or_default();
            dto::summary(p, area)
        })
        .collect())
}
