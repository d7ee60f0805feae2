//! Comments on proposals, topics and forums: `subject` (the lists and posts under each subject) and
//! `command` (one comment: read, edit, delete, like, report).

use ocf_domain::actor::Visibility;
use ocf_domain::comment::query::CommentQueries;
use ocf_domain::comment::{Comment, CommentId, CommentOn};
use ocf_domain::forum::query::ForumQueries;
use ocf_domain::proposal::query::ProposalQueries;
use ocf_domain::topic::query::TopicQueries;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

mod command;
pub(crate) mod dto;
mod requests;
mod subject;

pub use dto::{CommentSubjectKind, CommentView, QuestionView};
pub use requests::{CommentsQuery, CreateCommentRequest, UpdateCommentRequest};

/// Registers the comment routes with their OpenAPI entries.
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
        .service(subject::list_proposal_comments)
        .service(subject::post_proposal_comment)
        .service(subject::list_topic_comments)
        .service(subject::post_topic_comment)
        .service(subject::list_forum_comments)
        .service(subject::post_forum_comment)
        .service(command::get_comment)
        .service(command::update_comment)
        .service(command::delete_comment)
        .service(command::like_comment)
        .service(command::unlike_comment)
        .service(command::report_comment)
}

pub(crate) fn parse_id(raw: &str) -> Result<CommentId, ApiError> {
    super::common::path_id(raw, "comment")
}

/// Whether the caller may see the subject (and so its comments). Blocking.
fn check_subject(state: &AppState, on: CommentOn, caller: Option<&Caller>) -> Result<(), ApiError> {
    let actor = caller.map(Caller::actor);
    let viewer = Visibility::for_viewer(actor.as_ref());
    let (seen, what) = match on {
        CommentOn::Proposal(id) => (
            state.db.proposal(id)?.is_some_and(|p| p.visible_to(viewer)),
            "proposal",
        ),
        CommentOn::Topic(id) => (
            state.db.topic(id)?.is_some_and(|t| t.visible_to(viewer)),
            "topic",
        ),
        CommentOn::Forum(id) => (
            state
                .db
                .forum(id)?
                .is_some_and(|f| f.visible_to(actor.as_ref())),
            "forum",
        ),
    };
    if seen {
        Ok(())
    } else {
        Err(ApiError::NotFound(format!("{what} not found")))
    }
}

/// A comment the caller may see, on a subject they may see. Blocking.
fn visible(state: &AppState, id: CommentId, caller: Option<&Caller>) -> Result<Comment, ApiError> {
    let actor = caller.map(Caller::actor);
    let c = state
        .db
        .comment(id)?
        .filter(|c| c.visible_to(Visibility::for_viewer(actor.as_ref())))
        .ok_or_else(|| ApiError::NotFound("comment not found".to_owned()))?;
    check_subject(state, c.on(), caller)
        .map_err(|_| ApiError::NotFound("comment not found".to_owned()))?;
    Ok(c)
}

/// Views of `comments` for `caller`, with `liked_by_me` in one query. Blocking.
///
/// # Errors
/// Storage failures.
pub fn views(
    state: &AppState,
    comments: Vec<Comment>,
    caller: Option<&Caller>,
) -> Result<Vec<CommentView>, ApiError> {
    let (liked, voted) = match caller {
        Some(c) => {
            let ids: Vec<CommentId> = comments.iter().map(Comment::id).collect();
            let questions: Vec<CommentId> = comments
                .iter()
                .filter(|c| c.question().is_some())
                .map(Comment::id)
                .collect();
            (
                Some(state.db.liked(c.user_id, &ids)?),
                Some(state.db.voted_questions(c.user_id, &questions)?),
            )
        }
        None => (None, None),
    };
    Ok(comments
        .into_iter()
        .map(|c| {
            let mine = liked.as_ref().map(|l| l.contains(&c.id()));
            let vote = voted.as_ref().map(|v| v.contains(&c.id()));
            dto::view(c, caller.map(|c| c.user_id), mine, vote)
        })
        .collect())
}

/// One comment's view. Blocking.
///
/// # Errors
/// Storage failures.
pub fn full_view(
    state: &AppState,
    c: Comment,
    caller: Option<&Caller>,
) -> Result<CommentView, ApiError> {
    views(state, vec![c], caller)?
        .pop()
        .ok_or_else(|| ApiError::Internal("a comment view went missing".into()))
}
