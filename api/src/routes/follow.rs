//! `PUT/DELETE /{proposals,topics,forums}/{id}/follow`: follow what one cares about, and be notified of
//! what happens to it (`GET /me/notifications`). Supporting a proposal follows it; authors follow their
//! own.

// actix-web's route macros generate a struct per handler; inside `follow_routes!` the lint sees them as
// this crate's own types without `Debug`.
#![allow(missing_debug_implementations)]

use actix_web::{HttpResponse, delete, put, web};
use ocf_domain::follow::{self, FollowKind};
use ocf_domain::{Id, clock};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

/// Follows or unfollows `raw` of `kind` for the caller; `204` either way (both are idempotent).
async fn set_follow(
    state: web::Data<AppState>,
    caller: Caller,
    kind: FollowKind,
    raw: &str,
    on: bool,
) -> Result<HttpResponse, ApiError> {
    let id = Id::<()>::parse(raw)
        .map_err(|_| ApiError::NotFound(format!("{kind} not found")))?
        .to_string();
    let actor = caller.actor();
    state
        .transact_grouped(move |uow| {
            if on {
                follow::follow(uow, &actor, kind, &id, clock::now()).map(drop)
            } else {
                follow::unfollow(uow, &actor, kind, &id).map(drop)
            }
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

macro_rules! follow_routes {
    ($($kind:ident, $tag:literal, $path:literal, $put:ident, $put_id:literal, $put_summary:literal,
       $del:ident, $del_id:literal, $del_summary:literal, $id_doc:literal, $missing:literal;)+) => {$(
        #[doc = $put_summary]
        ///
        /// Any signed-in person, for what they can see. Its status changes and referral steps then
        /// appear in `GET /me/notifications`. Idempotent.
        #[utoipa::path(
            tag = $tag,
            operation_id = $put_id,
            security(("bearer" = [])),
            params(("id" = String, Path, description = $id_doc)),
            responses(
                (status = 204, description = "Followed (or already followed)"),
                (status = 401, description = "No valid token"),
                (status = 404, description = $missing),
            )
        )]
        #[put($path)]
        pub async fn $put(
            state: web::Data<AppState>,
            caller: Caller,
            id: web::Path<String>,
        ) -> Result<HttpResponse, ApiError> {
            set_follow(state, caller, FollowKind::$kind, &id, true).await
        }

        #[doc = $del_summary]
        ///
        /// Stops the notifications about it. Idempotent.
        #[utoipa::path(
            tag = $tag,
            operation_id = $del_id,
            security(("bearer" = [])),
            params(("id" = String, Path, description = $id_doc)),
            responses(
                (status = 204, description = "Not followed (any more)"),
                (status = 401, description = "No valid token"),
                (status = 404, description = $missing),
            )
        )]
        #[delete($path)]
        pub async fn $del(
            state: web::Data<AppState>,
            caller: Caller,
            id: web::Path<String>,
        ) -> Result<HttpResponse, ApiError> {
            set_follow(state, caller, FollowKind::$kind, &id, false).await
        }
    )+};
}

follow_routes! {
    Proposal, "proposals", "/proposals/{id}/follow",
        follow_proposal, "follow_proposal", "Follow a proposal",
        unfollow_proposal, "unfollow_proposal", "Unfollow a proposal",
        "The proposal's id", "No such proposal, or hidden from the caller";
    Topic, "topics", "/topics/{id}/follow",
        follow_topic, "follow_topic", "Follow a topic",
        unfollow_topic, "unfollow_topic", "Unfollow a topic",
        "The topic's id", "No such topic, or hidden from the caller";
    Forum, "forums", "/forums/{id}/follow",
        follow_forum_updates, "follow_forum_updates", "Follow a forum",
        unfollow_forum_updates, "unfollow_forum_updates", "Unfollow a forum",
        "The forum's id", "No such forum, or a draft the caller does not manage";
}
