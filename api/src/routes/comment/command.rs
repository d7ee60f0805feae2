//! One comment: read it, and its author's edit and delete, likes and reports.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use ocf_domain::actor::Actor;
use ocf_domain::clock;
use ocf_domain::comment::{CommentBody, service};
use ocf_domain::moderation::Target;

use super::{CommentView, UpdateCommentRequest, full_view, parse_id, visible};
use crate::auth::{Caller, MaybeCaller};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::common::{act_no_content, act_then};
use crate::routes::moderation::{ReportView, report};
use crate::routes::proposal::ReportRequest;
use crate::state::{AppState, blocking};

/// Read a comment
///
/// Public, like its subject; hidden ones show only to their author and moderators. A deleted comment is
/// `404` here; its thread lists it as a placeholder without text.
///
/// The token is optional. Without one the answer is the public view. A token that is sent is checked: a
/// stale, expired or invalid one is `401`, never silently ignored (sign in again, or send no token).
#[utoipa::path(
    tag = "comments",
    operation_id = "get_comment",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    responses(
        (status = 200, description = "The comment", body = CommentView),
        (status = 401, description = "A token was sent but is invalid"),
        (status = 404, description = "No such comment, hidden from the caller, or deleted (its placeholder stays in the thread's lists)"),
    )
)]
#[get("/comments/{id}")]
pub async fn get_comment(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<String>,
) -> Result<web::Json<CommentView>, ApiError> {
    let id = parse_id(&id)?;
    let view = blocking(move || {
        let c = visible(&state, id, caller.0.as_ref())?;
        if c.deleted() {
            // Gone as a resource; its placeholder stays in the thread's lists.
            return Err(ApiError::NotFound(
                "the comment was deleted; its place in the thread remains".to_owned(),
            ));
        }
        full_view(&state, c, caller.0.as_ref())
    })
    .await?;
    Ok(web::Json(view))
}

/// Edit my comment
///
/// The author only, while the subject takes comments. The comment shows when it was edited.
#[utoipa::path(
    tag = "comments",
    operation_id = "update_comment",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    request_body = UpdateCommentRequest,
    responses(
        (status = 200, description = "The edited comment", body = CommentView),
        (status = 403, description = "The caller is not the author (`not_author`)"),
        (status = 404, description = "No such comment"),
        (status = 409, description = "Deleted (`comment_deleted`), the subject closed (`subject_closed`), or a concurrent change"),
        (status = 422, description = "The body is invalid"),
    )
)]
#[patch("/comments/{id}")]
pub async fn update_comment(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<UpdateCommentRequest>,
) -> Result<web::Json<CommentView>, ApiError> {
    let id = parse_id(&id)?;
    let text = CommentBody::parse(&body.0.body)
        .map_err(|e| ApiError::validation("body", e.to_string()))?;
    let act = move |s: &AppState, actor: &Actor| {
        s.transact(|uow| service::edit(uow, actor, id, text, clock::now()))
    };
    let view = act_then(state, caller, act, |s, c, caller| {
        full_view(s, c, Some(caller))
    })
    .await?;
    Ok(web::Json(view))
}

/// Delete my comment
///
/// The author only; idempotent. The thread keeps a placeholder without text, and its replies.
#[utoipa::path(
    tag = "comments",
    operation_id = "delete_comment",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "The caller is not the author (`not_author`)"),
        (status = 404, description = "No such comment"),
    )
)]
#[delete("/comments/{id}")]
pub async fn delete_comment(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let act = move |s: &AppState, actor: &Actor| {
        s.transact(|uow| service::delete(uow, actor, id, clock::now()))
    };
    act_no_content(state, caller, act).await
}

/// Like a comment
///
/// One like per person; idempotent. Not one's own (`403 own_comment`), not a deleted one.
#[utoipa::path(
    tag = "comments",
    operation_id = "like_comment",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    responses(
        (status = 204, description = "The caller likes it"),
        (status = 403, description = "The caller wrote it (`own_comment`)"),
        (status = 404, description = "No such comment"),
        (status = 409, description = "Deleted (`comment_deleted`)"),
    )
)]
#[put("/comments/{id}/like")]
pub async fn like_comment(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let act = move |s: &AppState, actor: &Actor| {
        let actor = actor.clone();
        s.transact_batched(move |uow| service::like(uow, &actor, id, clock::now()))
    };
    act_no_content(state, caller, act).await
}

/// Withdraw my like
///
/// Idempotent: without a like it is still `204`.
#[utoipa::path(
    tag = "comments",
    operation_id = "unlike_comment",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    responses(
        (status = 204, description = "The caller does not like it"),
        (status = 404, description = "No such comment"),
    )
)]
#[delete("/comments/{id}/like")]
pub async fn unlike_comment(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let act = move |s: &AppState, actor: &Actor| {
        let actor = actor.clone();
        s.transact_batched(move |uow| service::unlike(uow, &actor, id))
    };
    act_no_content(state, caller, act).await
}

/// Report a comment
///
/// Anyone signed in, once per comment. After 3 distinct open reports the comment is hidden until a
/// moderator decides (the same mechanism as for proposals).
#[utoipa::path(
    tag = "moderation",
    operation_id = "report_comment",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    request_body = ReportRequest,
    responses(
        (status = 201, description = "Reported", body = ReportView,
            headers(("Location" = String, description = "The report's URL, `/api/v1/moderation/reports/{id}`; moderators decide on it at `<Location>/resolve`"))),
        (status = 403, description = "Reporting one's own comment (`own_comment`)"),
        (status = 404, description = "No such comment"),
        (status = 409, description = "The caller reported it before (`already_exists`)"),
        (status = 422, description = "The reason is missing, empty or too long"),
    )
)]
#[post("/comments/{id}/reports")]
pub async fn report_comment(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<ReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    report(state, caller, Target::Comment(id), &body.0.reason).await
}
