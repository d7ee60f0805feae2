//! The comments under each subject: one level of a thread at a time, and posting there.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use ocf_domain::actor::{Actor, Visibility};
use ocf_domain::comment::query::{CommentFilter, CommentQueries, CommentSort};
use ocf_domain::comment::{CommentBody, CommentOn, LiveMark, service};
use ocf_domain::{Id, ValidationErrors, clock};

use super::{CommentView, CommentsQuery, CreateCommentRequest, check_subject, full_view, views};
use crate::auth::{Caller, MaybeCaller};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::pagination::{Paginated, page_request};
use crate::routes::common::{act_then, collect, parse_sort_key, path_id, sort_key_text};
use crate::state::{AppState, blocking};

fn sort_name(sort: CommentSort) -> &'static str {
    match sort {
        CommentSort::Oldest => "oldest",
        CommentSort::Newest => "newest",
        CommentSort::MostLiked => "most_liked",
    }
}

async fn list(
    state: web::Data<AppState>,
    caller: Option<Caller>,
    on: CommentOn,
    q: CommentsQuery,
) -> Result<web::Json<Paginated<CommentView>>, ApiError> {
    let mut errors = ValidationErrors::new();
    let sort = errors
        .check(
            "sort",
            match q.sort.as_deref() {
                None | Some("oldest") => Ok(CommentSort::Oldest),
                Some("newest") => Ok(CommentSort::Newest),
                Some("most_liked") => Ok(CommentSort::MostLiked),
                Some(other) => Err(format!(
                    "unknown sort '{other}'; expected oldest, newest or most_liked"
                )),
            },
        )
        .unwrap_or(CommentSort::Oldest);
    let parent = q
        .parent_id
        .as_deref()
        .and_then(|p| errors.check("parent_id", Id::parse(p).map_err(|_| "is not a comment id")));
    let list = format!("{}s/{}/comments", on.kind(), on.id());
    let page = collect(
        &mut errors,
        page_request(&list, q.limit, q.cursor.as_deref(), |k| {
            parse_sort_key(sort_name(sort), k)
        }),
    )?;
    errors.into_result()?;
    let page = page.ok_or_else(|| ApiError::validation("cursor", "is invalid"))?;
    let out = blocking(move || {
        check_subject(&state, on, caller.as_ref())?;
        let actor = caller.as_ref().map(Caller::actor);
        let filter = CommentFilter {
            on,
            parent,
            visibility: Visibility::for_viewer(actor.as_ref()),
        };
        let page = state.db.list_comments(&filter, sort, &page)?;
        let items = views(&state, page.items, caller.as_ref())?;
        Ok(Paginated::new(&list, items, page.next_after, |k| {
            sort_key_text(sort_name(sort), k)
        }))
    })
    .await?;
    Ok(web::Json(out))
}

async fn post_on(
    state: web::Data<AppState>,
    caller: Caller,
    on: CommentOn,
    b: CreateCommentRequest,
) -> Result<HttpResponse, ApiError> {
    let mut errors = ValidationErrors::new();
    let body = errors.check("body", CommentBody::parse(&b.body));
    let parent = b
        .parent_id
        .as_deref()
        .and_then(|p| errors.check("parent_id", Id::parse(p).map_err(|_| "is not a comment id")));
    errors.into_result()?;
    let body = body.ok_or_else(|| ApiError::validation("body", "is required"))?;
    let live = (b.agenda_item.is_some() || b.stream_offset.is_some()).then_some(LiveMark {
        agenda_item: b.agenda_item,
        stream_offset: b.stream_offset,
    });
    let act = move |s: &AppState, actor: &Actor| {
        let actor = actor.clone();
        s.transact_batched(move |uow| {
            service::post(uow, &actor, on, parent, body, live, clock::now())
        })
    };
    let view = act_then(state, caller, act, |s, c, caller| {
        full_view(s, c, Some(caller))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/comments/{}", view.id)))
        .json(view))
}

macro_rules! subject_routes {
    ($path:literal, $tag:literal, $variant:ident, $list:ident, $list_op:literal, $post:ident, $post_op:literal) => {
        /// List comments
        ///
        /// Public, like the subject. One level of the thread per request: the top level, or with
        /// `parent_id` the replies under a comment (each item has its `reply_count`). A page costs the
        /// same however long the thread is. Hidden comments show only to their author and moderators;
        /// deleted ones stay as placeholders without text.
        ///
        /// The token is optional. Without one the answer is the public view. A token that is sent is
        /// checked: a stale, expired or invalid one is `401`, never silently ignored (sign in again, or
        /// send no token).
        #[utoipa::path(
            tag = "comments",
            operation_id = $list_op,
            security((), ("bearer" = [])),
            params(("id" = String, Path, description = "The subject's id"), CommentsQuery),
            responses(
                (status = 200, description = "One page of one level", body = Paginated<CommentView>),
                (status = 400, description = "The query string is malformed"),
                (status = 401, description = "A token was sent but is invalid"),
                (status = 404, description = "No such subject, or hidden from the caller"),
                (status = 422, description = "`parent_id`, `sort`, `limit` or `cursor` is invalid"),
            )
        )]
        #[get($path)]
        pub async fn $list(
            state: web::Data<AppState>,
            caller: MaybeCaller,
            id: web::Path<String>,
            query: web::Query<CommentsQuery>,
        ) -> Result<web::Json<Paginated<CommentView>>, ApiError> {
            let on = CommentOn::$variant(path_id(&id, $tag)?);
            list(state, caller.0, on, query.into_inner()).await
        }

        /// Comment, or reply
        ///
        /// Anyone signed in, while the subject takes comments (not on a withdrawn or merged proposal,
        /// a closed or declined topic, a reported or cancelled forum: `409 subject_closed`). On a live
        /// forum a comment may carry the agenda item and the stream offset.
        #[utoipa::path(
            tag = "comments",
            operation_id = $post_op,
            security(("bearer" = [])),
            params(("id" = String, Path, description = "The subject's id")),
            request_body = CreateCommentRequest,
            responses(
                (status = 201, description = "Posted", body = CommentView,
                    headers(("Location" = String, description = "The comment's URL"))),
                (status = 404, description = "No such subject, or hidden from the caller"),
                (status = 409, description = "The subject takes no comments (`subject_closed`), or a live mark off a live forum (`forum_not_live`)"),
                (status = 422, description = "A field is invalid or unknown, or the parent is not on this subject"),
            )
        )]
        #[post($path)]
        pub async fn $post(
            state: web::Data<AppState>,
            caller: Caller,
            id: web::Path<String>,
            body: ApiJson<CreateCommentRequest>,
        ) -> Result<HttpResponse, ApiError> {
            let on = CommentOn::$variant(path_id(&id, $tag)?);
            post_on(state, caller, on, body.0).await
        }
    };
}

subject_routes!(
    "/proposals/{id}/comments",
    "proposal",
    Proposal,
    list_proposal_comments,
    "list_proposal_comments",
    post_proposal_comment,
    "post_proposal_comment"
);
subject_routes!(
    "/topics/{id}/comments",
    "topic",
    Topic,
    list_topic_comments,
    "list_topic_comments",
    post_topic_comment,
    "post_topic_comment"
);
subject_routes!(
    "/forums/{id}/comments",
    "forum",
    Forum,
    list_forum_comments,
    "list_forum_comments",
    post_forum_comment,
    "post_forum_comment"
);
