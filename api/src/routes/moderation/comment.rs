//! Hiding and showing comments: the shared mechanism, answered with the comment.

use actix_web::{post, web};
use ocf_domain::moderation::{Subject, Target};

use super::{ModerationRequest, moderate};
use crate::auth::Staff;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::comment::{self, CommentView};
use crate::routes::common::path_id;
use crate::state::{AppState, blocking};

async fn moderate_comment(
    state: web::Data<AppState>,
    caller: Staff,
    id: &str,
    hide: bool,
    body: ModerationRequest,
) -> Result<web::Json<CommentView>, ApiError> {
    let target = Target::Comment(path_id(id, "comment")?);
    let subject = moderate(state.clone(), caller.clone(), target, hide, body).await?;
    let Subject::Comment(c) = subject else {
        return Err(ApiError::Internal(
            "a comment target moderated something else".into(),
        ));
    };
    Ok(web::Json(
        blocking(move || comment::full_view(&state, c, Some(&caller))).await?,
    ))
}

/// Hide a comment
///
/// Moderators and admins. A hidden comment disappears from its thread for everyone but its author and
/// moderators.
#[utoipa::path(
    tag = "moderation",
    operation_id = "hide_comment",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    request_body = ModerationRequest,
    responses(
        (status = 200, description = "Hidden", body = CommentView),
        (status = 403, description = "The caller is not a moderator or admin"),
        (status = 404, description = "No such comment"),
        (status = 409, description = "Already hidden (`already_hidden`) or a concurrent change"),
        (status = 422, description = "The reason is missing or invalid"),
    )
)]
#[post("/moderation/comments/{id}/hide")]
pub async fn hide_comment(
    state: web::Data<AppState>,
    caller: Staff,
    id: web::Path<String>,
    body: ApiJson<ModerationRequest>,
) -> Result<web::Json<CommentView>, ApiError> {
    moderate_comment(state, caller, &id, true, body.0).await
}

/// Show a hidden comment again
///
/// Moderators and admins.
#[utoipa::path(
    tag = "moderation",
    operation_id = "unhide_comment",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    request_body = ModerationRequest,
    responses(
        (status = 200, description = "Visible again", body = CommentView),
        (status = 403, description = "The caller is not a moderator or admin"),
        (status = 404, description = "No such comment"),
        (status = 409, description = "Not hidden (`not_hidden`) or a concurrent change"),
        (status = 422, description = "The reason is missing or invalid"),
    )
)]
#[post("/moderation/comments/{id}/unhide")]
pub async fn unhide_comment(
    state: web::Data<AppState>,
    caller: Staff,
    id: web::Path<String>,
    body: ApiJson<ModerationRequest>,
) -> Result<web::Json<CommentView>, ApiError> {
    moderate_comment(state, caller, &id, false, body.0).await
}
