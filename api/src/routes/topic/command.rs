//! The topic writes: each handler checks its input, then calls one use case in one unit of work.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, patch, post, put, web};
use ocf_domain::actor::Actor;
use ocf_domain::clock;
use ocf_domain::moderation::Target;
use ocf_domain::topic::{NewTopicInput, TopicStatus, service};

use super::{
    CreateTopicRequest, TopicStatusRequest, TopicView, UpdateTopicRequest, full_view, parse_id,
};
use crate::auth::{Caller, Staff};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::common::{
    EditFields, act_then, area_id, grouped_no_content, parse_decision, parse_edit, with_area,
};
use crate::routes::moderation::{ReportView, report};
use crate::routes::proposal::ReportRequest;
use crate::state::AppState;

/// Suggest a topic
///
/// Any signed-in person may suggest a problem or inconvenience for a public forum. It starts `suggested`.
#[utoipa::path(
    tag = "topics",
    operation_id = "create_topic",
    security(("bearer" = [])),
    request_body = CreateTopicRequest,
    responses(
        (status = 201, description = "Suggested", body = TopicView,
            headers(("Location" = String, description = "The new topic's URL"))),
        (status = 422, description = "A field is invalid, missing or unknown (including an unknown policy area)"),
    )
)]
#[post("/topics")]
pub async fn create_topic(
    state: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<CreateTopicRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let draft = NewTopicInput {
        title: &b.title,
        description: &b.description,
        region: b.region.as_deref(),
        tags: &b.tags,
    }
    .parse();
    let area_code = b.policy_area;
    let suggest = move |s: &AppState, actor: &Actor| {
        let (draft, area) = with_area(s, draft, &area_code)?;
        s.transact(|uow| service::suggest(uow, actor, draft, area, clock::now()))
    };
    let view = act_then(state, caller, suggest, |s, t, c| full_view(s, t, Some(c))).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/topics/{}", view.id)))
        .json(view))
}

/// Edit my topic
///
/// Only the author, and only while the topic is `suggested`.
#[utoipa::path(
    tag = "topics",
    operation_id = "update_topic",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The topic's id")),
    request_body = UpdateTopicRequest,
    responses(
        (status = 200, description = "The edited topic", body = TopicView),
        (status = 403, description = "The caller is not the author (`not_author`)"),
        (status = 404, description = "No such topic"),
        (status = 409, description = "Shortlisted or later (`topic_not_editable`) or a concurrent change (`concurrent_update`)"),
        (status = 422, description = "A field is invalid or unknown, or nothing to change"),
    )
)]
#[patch("/topics/{id}")]
pub async fn update_topic(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<UpdateTopicRequest>,
) -> Result<web::Json<TopicView>, ApiError> {
    let id = parse_id(&id)?;
    let b = body.0;
    let mut edit = parse_edit(&EditFields {
        title: b.title.as_deref(),
        body_field: "description",
        body: b.description.as_deref(),
        region: &b.region,
        tags: b.tags.as_deref(),
        policy_area: b.policy_area.as_deref(),
    })?;
    let apply = move |s: &AppState, actor: &Actor| {
        if let Some(code) = &b.policy_area {
            edit.policy_area_id = Some(area_id(s, code)?);
        }
        s.transact(|uow| service::edit(uow, actor, id, edit, clock::now()))
    };
    let view = act_then(state, caller, apply, |s, t, c| full_view(s, t, Some(c))).await?;
    Ok(web::Json(view))
}

/// Vote for a topic
///
/// One vote per person; idempotent. Authors cannot vote for their own topic; votes are taken until the
/// topic's forum is held (`suggested`, `shortlisted`, `scheduled`).
#[utoipa::path(
    tag = "topics",
    operation_id = "vote_topic",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The topic's id")),
    responses(
        (status = 204, description = "The caller votes for the topic"),
        (status = 403, description = "The caller suggested it (`own_topic`)"),
        (status = 404, description = "No such topic"),
        (status = 409, description = "Discussed, closed or declined (`topic_closed`)"),
    )
)]
#[put("/topics/{id}/vote")]
pub async fn vote_topic(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    grouped_no_content(&state, &caller, move |uow, actor, now| {
        service::vote(uow, actor, id, now)
    })
    .await
}

/// Withdraw my vote
///
/// Idempotent: without a vote it is still `204`.
#[utoipa::path(
    tag = "topics",
    operation_id = "unvote_topic",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The topic's id")),
    responses(
        (status = 204, description = "The caller does not vote for the topic"),
        (status = 404, description = "No such topic"),
    )
)]
#[delete("/topics/{id}/vote")]
pub async fn unvote_topic(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    grouped_no_content(&state, &caller, move |uow, actor, now| {
        service::unvote(uow, actor, id, now)
    })
    .await
}

/// Move a topic on the agenda
///
/// Moderators and admins: `suggested -> shortlisted -> scheduled -> discussed -> closed`, or `declined`
/// (with a reason) from `suggested` or `shortlisted`. Every move appears on the topic's public timeline.
#[utoipa::path(
    tag = "topics",
    operation_id = "change_topic_status",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The topic's id")),
    request_body = TopicStatusRequest,
    responses(
        (status = 200, description = "The topic after the decision", body = TopicView),
        (status = 403, description = "The caller is not a moderator or admin"),
        (status = 404, description = "No such topic"),
        (status = 409, description = "Not allowed from the current status (`invalid_transition`) or a concurrent change"),
        (status = 422, description = "Unknown status, or declining without a reason"),
    )
)]
#[post("/topics/{id}/status")]
pub async fn change_topic_status(
    state: web::Data<AppState>,
    caller: Staff,
    id: web::Path<String>,
    body: ApiJson<TopicStatusRequest>,
) -> Result<web::Json<TopicView>, ApiError> {
    let id = parse_id(&id)?;
    let b = body.0;
    let (to, reason) = parse_decision::<TopicStatus>(&b.status, b.reason.as_deref())?;
    let decide = move |s: &AppState, actor: &Actor| {
        s.transact(|uow| service::change_status(uow, actor, id, to, reason, clock::now()))
    };
    let view = act_then(state, caller.0, decide, |s, t, c| full_view(s, t, Some(c))).await?;
    Ok(web::Json(view))
}

/// Report a topic
///
/// Anyone signed in, once per topic. After 3 distinct open reports the topic is hidden until a moderator
/// decides (the same mechanism as for proposals).
#[utoipa::path(
    tag = "moderation",
    operation_id = "report_topic",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The topic's id")),
    request_body = ReportRequest,
    responses(
        (status = 201, description = "Reported", body = ReportView,
            headers(("Location" = String, description = "The report's URL, `/api/v1/moderation/reports/{id}`; moderators decide on it at `<Location>/resolve`"))),
        (status = 403, description = "Reporting one's own topic (`own_topic`)"),
        (status = 404, description = "No such topic"),
        (status = 409, description = "The caller reported it before (`already_exists`)"),
        (status = 422, description = "The reason is missing, empty or too long"),
    )
)]
#[post("/topics/{id}/reports")]
pub async fn report_topic(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<ReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    report(state, caller, Target::Topic(id), &body.0.reason).await
}
