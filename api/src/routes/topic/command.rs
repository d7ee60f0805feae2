//! The topic writes: each handler checks its input, then calls one use case in one unit of work.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, patch, post, put, web};
use ocf_domain::moderation::Target;
use ocf_domain::topic::{NewTopicInput, TopicEdit, TopicStatus, service};
use ocf_domain::values::{Body, Reason, Region, Tags, Title};
use ocf_domain::{ValidationErrors, clock};

use super::{
    CreateTopicRequest, TopicStatusRequest, TopicView, UpdateTopicRequest, full_view, parse_id,
};
use crate::auth::{Caller, Staff};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::common::{area_id, collect};
use crate::routes::moderation::{ReportView, report};
use crate::routes::proposal::ReportRequest;
use crate::state::{AppState, blocking};

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
    let view = blocking(move || {
        let (draft, mut errors) = match draft {
            Ok(d) => (Some(d), ValidationErrors::new()),
            Err(e) => (None, e),
        };
        let area = collect(&mut errors, area_id(&state, &area_code))?;
        errors.into_result()?;
        let (Some(draft), Some(area)) = (draft, area) else {
            return Err(ApiError::validation("body", "is invalid"));
        };
        let actor = caller.actor();
        let t = state.transact(|uow| service::suggest(uow, &actor, draft, area, clock::now()))?;
        full_view(&state, t, Some(&caller))
    })
    .await?;
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
    let mut errors = ValidationErrors::new();
    let mut edit = TopicEdit {
        title: b
            .title
            .as_deref()
            .and_then(|t| errors.check("title", Title::parse(t))),
        body: b
            .description
            .as_deref()
            .and_then(|t| errors.check("description", Body::parse(t))),
        policy_area_id: None,
        region: match &b.region {
            None => None,
            Some(None) => Some(None),
            Some(Some(r)) => errors.check("region", r.parse::<Region>()).map(Some),
        },
        tags: b
            .tags
            .as_deref()
            .and_then(|t| errors.check("tags", Tags::parse(t))),
    };
    if edit.is_empty() && b.policy_area.is_none() && errors.is_empty() {
        errors.push(
            "body",
            "name at least one of title, description, policy_area, region, tags",
        );
    }
    errors.into_result()?;
    let view = blocking(move || {
        if let Some(code) = &b.policy_area {
            edit.policy_area_id = Some(area_id(&state, code)?);
        }
        let actor = caller.actor();
        let t = state.transact(|uow| service::edit(uow, &actor, id, edit, clock::now()))?;
        full_view(&state, t, Some(&caller))
    })
    .await?;
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
    let actor = caller.actor();
    state
        .transact_grouped(move |uow| service::vote(uow, &actor, id, clock::now()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
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
    let actor = caller.actor();
    state
        .transact_grouped(move |uow| service::unvote(uow, &actor, id, clock::now()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
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
    let mut errors = ValidationErrors::new();
    let to = errors.check("status", b.status.parse::<TopicStatus>());
    let reason = b
        .reason
        .as_deref()
        .and_then(|r| errors.check("reason", Reason::parse(r)));
    errors.into_result()?;
    let Some(to) = to else {
        return Err(ApiError::validation("status", "is required"));
    };
    let view = blocking(move || {
        let actor = caller.actor();
        let t = state
            .transact(|uow| service::change_status(uow, &actor, id, to, reason, clock::now()))?;
        full_view(&state, t, Some(&caller))
    })
    .await?;
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
