//! `/forums`: open communication forums, regional and policy conferences. In the shape every aggregate
//! follows (`docs/ARCHITECTURE.md`, "Adding an aggregate"): `requests` and `dto`, `command` (the forum's
//! writes), `registration` (seats, the waitlist and attendance), `outcome` (the report and the proposals
//! entered at the forum) and `query` (reads).

use ocf_domain::forum::query::ForumQueries;
use ocf_domain::forum::{Forum, ForumId};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

mod command;
mod dto;
mod live;
mod live_dto;
mod outcome;
mod parts;
mod query;
mod questions;
mod registration;
mod requests;
mod timeline;

pub use dto::{
    AgendaItemView, ForumView, OutcomeView, RegistrationView, SeatsView, SpeakerView, VenueView,
};
pub use live_dto::{
    AgendaCurrentRequest, AskQuestionRequest, ForumEventsQuery, OutcomeQuestionView,
    QuestionStatusRequest, QuestionsQuery, VoteView,
};
pub use parts::{AgendaItemRequest, SpeakerRequest, VenueRequest};
pub use requests::{
    AttendanceRequest, CreateForumRequest, ForumProposalRequest, ForumStatusRequest, ForumsQuery,
    OutcomeRequest, RegistrationsQuery, UpdateForumRequest,
};
pub use timeline::{ForumEventKind, ForumEventView};

/// Registers the forum routes with their OpenAPI entries.
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
        .service(command::create_forum)
        .service(query::list_forums)
        .service(query::get_forum)
        .service(command::update_forum)
        .service(command::change_forum_status)
        .service(query::forum_timeline)
        .service(registration::register)
        .service(registration::list_registrations)
        .service(registration::cancel_registration)
        .service(registration::mark_attendance)
        .service(outcome::put_outcome)
        .service(outcome::get_outcome)
        .service(outcome::enter_proposal)
        .service(live::follow_forum)
        .service(live::advance_agenda)
        .service(questions::ask)
        .service(questions::list)
        .service(questions::vote)
        .service(questions::unvote)
        .service(questions::set_status)
}

pub(crate) fn parse_id(raw: &str) -> Result<ForumId, ApiError> {
    super::common::path_id(raw, "forum")
}

/// Loads a forum the caller may see; a draft is "not found" to everyone but those who manage it.
pub(crate) fn visible(
    state: &AppState,
    id: ForumId,
    caller: Option<&Caller>,
) -> Result<Forum, ApiError> {
    let viewer = caller.map(Caller::actor);
    state
        .db
        .forum(id)?
        .filter(|f| f.visible_to(viewer.as_ref()))
        .ok_or_else(|| ApiError::NotFound("forum not found".to_owned()))
}

/// The full view of a forum for `caller`. Blocking.
///
/// # Errors
/// Storage failures.
pub fn full_view(
    state: &AppState,
    f: Forum,
    caller: Option<&Caller>,
) -> Result<ForumView, ApiError> {
    let area = state
        .policy_areas
        .code_of(&state.db, f.record().policy_area_id)?;
    let can_manage = caller.map(|c| f.managed_by(&c.actor()));
    Ok(dto::view(f, area, can_manage))
}
