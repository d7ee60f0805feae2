//! What a forum produced: its outcome report, and the ideas from its paper cards and table notes,
//! entered by staff as proposals.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, put, web};
use ocf_domain::actor::Actor;
use ocf_domain::forum::outcome::OutcomeInput;
use ocf_domain::forum::query::ForumQueries;
use ocf_domain::forum::service;
use ocf_domain::proposal::{NewProposalInput, ProposalDraft};
use ocf_domain::{clock, text};

use super::{ForumProposalRequest, OutcomeRequest, OutcomeView, parse_id, visible};
use crate::auth::{Caller, MaybeCaller};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::common::{act_then, with_area};
use crate::routes::proposal::{self, ProposalView};
use crate::state::{AppState, blocking};

/// Publish a forum's outcome
///
/// Those who manage the forum. The first outcome moves an `ended` forum to `reported` (`201`); later
/// ones replace it and keep its id (`200`). The attendee count defaults to the attendance marked. Every
/// listed proposal must have been entered for this forum.
#[utoipa::path(
    tag = "forums",
    operation_id = "put_forum_outcome",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The forum's id")),
    request_body = OutcomeRequest,
    responses(
        (status = 200, description = "The outcome, replaced", body = OutcomeView),
        (status = 201, description = "The outcome, published: the forum is reported", body = OutcomeView,
            headers(("Location" = String, description = "`/api/v1/forums/{id}/outcome`"))),
        (status = 403, description = "The caller does not manage the forum (`not_forum_manager`)"),
        (status = 404, description = "No such forum"),
        (status = 409, description = "The forum has not ended (`forum_not_ended`), or a concurrent change"),
        (status = 422, description = "A field is invalid, or a proposal is not of this forum"),
    )
)]
#[put("/forums/{id}/outcome")]
pub async fn put_outcome(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<OutcomeRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let b = body.0;
    let draft = OutcomeInput {
        summary: &b.summary,
        recommendations: &b.recommendations,
        attendee_count: b.attendee_count,
        proposal_ids: &b.proposal_ids,
    }
    .parse()?;
    let act = move |s: &AppState, actor: &Actor| {
        s.transact(|uow| service::publish_outcome(uow, actor, id, draft, clock::now()))
    };
    let (view, created) = act_then(state, caller, act, move |s, (outcome, created), _| {
        let mut view = OutcomeView::from(outcome);
        view.questions = super::questions::for_outcome(s, id)?;
        Ok((view, created))
    })
    .await?;
    Ok(if created {
        HttpResponse::Created()
            .insert_header((header::LOCATION, format!("/api/v1/forums/{id}/outcome")))
            .json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

/// Read a forum's outcome
///
/// Public: what the forum concluded and recommended, who came, and the proposals born there.
///
/// The token is optional. Without one the answer is the public view. A token that is sent is checked: a
/// stale, expired or invalid one is `401`, never silently ignored (sign in again, or send no token).
#[utoipa::path(
    tag = "forums",
    operation_id = "get_forum_outcome",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The forum's id")),
    responses(
        (status = 200, description = "The outcome", body = OutcomeView),
        (status = 401, description = "A token was sent but is invalid"),
        (status = 404, description = "No such forum, or no outcome yet"),
    )
)]
#[get("/forums/{id}/outcome")]
pub async fn get_outcome(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<String>,
) -> Result<web::Json<OutcomeView>, ApiError> {
    let id = parse_id(&id)?;
    let view = blocking(move || {
        visible(&state, id, caller.0.as_ref())?;
        let mut view = state
            .db
            .forum_outcome(id)?
            .map(OutcomeView::from)
            .ok_or_else(|| ApiError::NotFound("the forum has no outcome yet".to_owned()))?;
        view.questions = super::questions::for_outcome(&state, id)?;
        Ok(view)
    })
    .await?;
    Ok(web::Json(view))
}

/// Enter a proposal from the forum
///
/// Those who manage the forum, once it is live: an idea from its paper cards or table notes, entered on
/// a participant's behalf. It is a proposal of the `offline_forum` channel, linked to the forum; who
/// entered it and when are shown to moderators and admins only, and the participant's name never
/// publicly.
#[utoipa::path(
    tag = "forums",
    operation_id = "enter_forum_proposal",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The forum's id")),
    request_body = ForumProposalRequest,
    responses(
        (status = 201, description = "Entered", body = ProposalView,
            headers(("Location" = String, description = "The new proposal's URL"))),
        (status = 403, description = "The caller does not manage the forum (`not_forum_manager`)"),
        (status = 404, description = "No such forum"),
        (status = 409, description = "The forum is not live yet (`forum_not_held`)"),
        (status = 422, description = "A field is invalid, missing or unknown"),
    )
)]
#[post("/forums/{id}/proposals")]
pub async fn enter_proposal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<ForumProposalRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let b = body.0;
    let mut draft = ProposalDraft::parse(&NewProposalInput {
        title: &b.title,
        body: &b.body,
        region: b.region.as_deref(),
        tags: &b.tags,
        topic_id: None,
        forum_id: None,
    });
    let name = match b.participant_name.as_deref() {
        None => None,
        Some(n) => match text::single_line(n, 1, 100) {
            Ok(n) => Some(n),
            Err(e) => {
                let mut errors = draft.err().unwrap_or_default();
                errors.push("participant_name", e.to_string());
                draft = Err(errors);
                None
            }
        },
    };
    let area_code = b.policy_area;
    let act = move |s: &AppState, actor: &Actor| {
        let (draft, area) = with_area(s, draft, &area_code)?;
        s.transact(|uow| service::enter_proposal(uow, actor, id, draft, area, name, clock::now()))
    };
    let view = act_then(state, caller, act, |s, p, c| {
        proposal::full_view(s, p, Some(c))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/proposals/{}", view.id)))
        .json(view))
}
