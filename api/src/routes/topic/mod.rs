//! `/topics`: citizens' agenda setting. Built in the shape every aggregate follows (see
//! `docs/ARCHITECTURE.md`, "Adding an aggregate"): `requests` and `dto` (what it accepts and answers),
//! `command` (writes, one use case each) and `query` (reads).

use ocf_domain::actor::Visibility;
use ocf_domain::topic::query::TopicQueries;
use ocf_domain::topic::{Topic, TopicId};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

mod command;
mod dto;
mod query;
mod requests;

pub use dto::{TopicEventKind, TopicEventView, TopicSummary, TopicView};
pub use requests::{CreateTopicRequest, TopicStatusRequest, TopicsQuery, UpdateTopicRequest};

/// Registers the topic routes with their OpenAPI entries.
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
        .service(command::create_topic)
        .service(query::list_topics)
        .service(query::get_topic)
        .service(command::update_topic)
        .service(command::vote_topic)
        .service(command::unvote_topic)
        .service(command::change_topic_status)
        .service(query::topic_timeline)
        .service(command::report_topic)
}

fn parse_id(raw: &str) -> Result<TopicId, ApiError> {
    super::common::path_id(raw, "topic")
}

/// Loads a topic the caller may see; a hidden one is "not found" to everyone but its author and staff.
fn visible(state: &AppState, id: TopicId, caller: Option<&Caller>) -> Result<Topic, ApiError> {
    let viewer = caller.map(Caller::actor);
    state
        .db
        .topic(id)?
        .filter(|t| t.visible_to(Visibility::for_viewer(viewer.as_ref())))
        .ok_or_else(|| ApiError::NotFound("topic not found".to_owned()))
}

/// The full view of a topic for `caller` (with `is_mine` and `voted_by_me` when signed in). Blocking.
///
/// # Errors
/// Storage failures.
pub fn full_view(
    state: &AppState,
    t: Topic,
    caller: Option<&Caller>,
) -> Result<TopicView, ApiError> {
    let area = state.policy_areas.code_of(&state.db, t.policy_area_id())?;
    let voted = match caller {
        Some(c) => Some(state.db.voted(t.id(), c.user_id)?),
        None => None,
    };
    Ok(dto::view(t, area, caller.map(|c| c.user_id), voted))
}
