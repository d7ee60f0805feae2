//! Questions to a live forum's panel: ask, list, vote, and the managers' `on_stage` / `answered`.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, put, web};
use ocf_domain::actor::{Actor, Visibility};
use ocf_domain::comment::query::{CommentQueries, QuestionFilter, QuestionSort};
use ocf_domain::comment::{CommentBody, QuestionStatus, question};
use ocf_domain::forum::ForumId;
use ocf_domain::page::PageRequest;
use ocf_domain::{ValidationErrors, clock};

use super::live_dto::{
    AskQuestionRequest, OutcomeQuestionView, QuestionStatusRequest, QuestionsQuery, VoteView,
};
use super::{parse_id, visible};
use crate::auth::{Caller, MaybeCaller};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::pagination::{Paginated, page_request};
use crate::routes::comment::{CommentView, full_view, parse_id as parse_comment, views};
use crate::routes::common::{act_then, collect, parse_sort_key, sort_key_text};
use crate::state::{AppState, blocking};

/// The most questions an outcome lists.
const OUTCOME_QUESTIONS: usize = 500;

fn sort_name(sort: QuestionSort) -> &'static str {
    match sort {
        QuestionSort::Votes => "votes",
        QuestionSort::Newest => "newest",
    }
}

/// Ask the panel a question
///
/// Anyone signed in, while the forum is live. The question is a top-level comment on the forum (it shows
/// in `GET /forums/{id}/comments` too) that records the agenda item under way and the seconds since the
/// forum went live, so the minutes can cite the moment. Every viewer's stream gets it.
#[utoipa::path(
    tag = "forums",
    operation_id = "ask_forum_question",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The forum's id")),
    request_body = AskQuestionRequest,
    responses(
        (status = 201, description = "Asked", body = CommentView,
            headers(("Location" = String, description = "The question's URL (`/api/v1/comments/{id}`)"))),
        (status = 401, description = "No valid token"),
        (status = 404, description = "No such forum, or a draft the caller does not manage"),
        (status = 409, description = "The forum is not live (`forum_not_live`)"),
        (status = 422, description = "`body` is invalid, or a field is unknown"),
    )
)]
#[post("/forums/{id}/questions")]
pub async fn ask(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<AskQuestionRequest>,
) -> Result<HttpResponse, ApiError> {
    let forum = parse_id(&id)?;
    let text = CommentBody::parse(&body.0.body)
        .map_err(|e| ApiError::validation("body", e.to_string()))?;
    let act = move |s: &AppState, actor: &Actor| {
        let actor = actor.clone();
        s.transact_batched(move |uow| question::ask(uow, &actor, forum, text, clock::now()))
    };
    let view = act_then(state, caller, act, |s, c, caller| {
        full_view(s, c, Some(caller))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/comments/{}", view.id)))
        .json(view))
}

/// List a forum's questions
///
/// Public, like the forum: most voted first (`votes`, the default) or `newest`, optionally of one
/// status. Hidden questions show only to their author and moderators.
///
/// The token is optional; with one, each question says whether the caller voted for it. A token that is
/// sent is checked: a stale, expired or invalid one is `401`.
#[utoipa::path(
    tag = "forums",
    operation_id = "list_forum_questions",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The forum's id"), QuestionsQuery),
    responses(
        (status = 200, description = "One page of questions", body = Paginated<CommentView>),
        (status = 400, description = "The query string is malformed"),
        (status = 401, description = "A token was sent but is invalid"),
        (status = 404, description = "No such forum, or a draft the caller does not manage"),
        (status = 422, description = "`sort`, `status`, `limit` or `cursor` is invalid"),
    )
)]
#[get("/forums/{id}/questions")]
pub async fn list(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<String>,
    query: web::Query<QuestionsQuery>,
) -> Result<web::Json<Paginated<CommentView>>, ApiError> {
    let forum = parse_id(&id)?;
    let q = query.into_inner();
    let mut errors = ValidationErrors::new();
    let sort = errors
        .check(
            "sort",
            match q.sort.as_deref() {
                None | Some("votes") => Ok(QuestionSort::Votes),
                Some("newest") => Ok(QuestionSort::Newest),
                Some(other) => Err(format!("unknown sort '{other}'; expected votes or newest")),
            },
        )
        .unwrap_or(QuestionSort::Votes);
    let status = q.status.as_deref().and_then(|s| {
        errors.check(
            "status",
            s.parse::<QuestionStatus>()
                .map_err(|_| format!("unknown status '{s}'; expected open, on_stage or answered")),
        )
    });
    let path = format!("forums/{forum}/questions");
    let page = collect(
        &mut errors,
        page_request(&path, q.limit, q.cursor.as_deref(), |k| {
            parse_sort_key(sort_name(sort), k)
        }),
    )?;
    errors.into_result()?;
    let page = page.ok_or_else(|| ApiError::validation("cursor", "is invalid"))?;
    let caller = caller.0;
    let out = blocking(move || {
        visible(&state, forum, caller.as_ref())?;
        let actor = caller.as_ref().map(Caller::actor);
        let filter = QuestionFilter {
            forum,
            status,
            visibility: Visibility::for_viewer(actor.as_ref()),
        };
        let page = state.db.questions(&filter, sort, &page)?;
        let items = views(&state, page.items, caller.as_ref())?;
        Ok(Paginated::new(&path, items, page.next_after, |k| {
            sort_key_text(sort_name(sort), k)
        }))
    })
    .await?;
    Ok(web::Json(out))
}

/// The questions an outcome lists: the public ones, most voted first. Blocking.
///
/// # Errors
/// Storage failures.
pub fn for_outcome(state: &AppState, forum: ForumId) -> Result<Vec<OutcomeQuestionView>, ApiError> {
    let filter = QuestionFilter {
        forum,
        status: None,
        visibility: Visibility::Public,
    };
    let mut all = Vec::new();
    let mut after = None;
    while all.len() < OUTCOME_QUESTIONS {
        let page = PageRequest::new(Some(100), after)?;
        let page = state.db.questions(&filter, QuestionSort::Votes, &page)?;
        all.extend(page.items);
        match page.next_after {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    all.truncate(OUTCOME_QUESTIONS);
    Ok(all
        .into_iter()
        .filter_map(|c| {
            let q = c.question()?;
            let r = c.into_record();
            Some(OutcomeQuestionView {
                id: r.id.to_string(),
                body: (!r.deleted).then(|| r.body.as_str().to_owned()),
                votes: q.votes,
                status: q.status.into(),
                answered: q.status == QuestionStatus::Answered,
                agenda_item: r.live.and_then(|l| l.agenda_item),
                stream_offset: r.live.and_then(|l| l.stream_offset),
                created_at: r.created_at,
            })
        })
        .collect())
}

async fn vote_on(
    state: web::Data<AppState>,
    caller: Caller,
    id: &str,
    give: bool,
) -> Result<web::Json<VoteView>, ApiError> {
    let id = parse_comment(id)?;
    let act = move |s: &AppState, actor: &Actor| {
        let actor = actor.clone();
        s.transact_batched(move |uow| {
            if give {
                question::vote(uow, &actor, id, clock::now())
            } else {
                question::unvote(uow, &actor, id, clock::now())
            }
        })
    };
    let votes = act_then(state, caller, act, |_, v, _| Ok(v)).await?;
    Ok(web::Json(VoteView {
        question_id: id.to_string(),
        votes,
        voted_by_me: give,
    }))
}

/// Vote for a question
///
/// Anyone signed in but its author, while the forum is live; one vote each (voting again changes
/// nothing). Every viewer's stream gets the new count.
#[utoipa::path(
    tag = "forums",
    operation_id = "vote_question",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The question's id (a comment id)")),
    responses(
        (status = 200, description = "The caller's vote is on it", body = VoteView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "It is the caller's own question (`own_comment`)"),
        (status = 404, description = "No such question"),
        (status = 409, description = "The forum is not live (`forum_not_live`), or the question was deleted (`comment_deleted`)"),
    )
)]
#[put("/questions/{id}/vote")]
pub async fn vote(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<VoteView>, ApiError> {
    vote_on(state, caller, &id, true).await
}

/// Take a vote back
///
/// While the forum is live; taking back a vote the caller never gave changes nothing.
#[utoipa::path(
    tag = "forums",
    operation_id = "unvote_question",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The question's id (a comment id)")),
    responses(
        (status = 200, description = "The caller's vote is off it", body = VoteView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "It is the caller's own question (`own_comment`)"),
        (status = 404, description = "No such question"),
        (status = 409, description = "The forum is not live (`forum_not_live`), or the question was deleted (`comment_deleted`)"),
    )
)]
#[delete("/questions/{id}/vote")]
pub async fn unvote(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<VoteView>, ApiError> {
    vote_on(state, caller, &id, false).await
}

/// Put a question on stage, or mark it answered
///
/// Those who manage the forum (its organization's officials, moderators, admins). While live: `open ->
/// on_stage -> answered`, straight to `answered`, or `on_stage -> open`; one question is on stage at a
/// time (`409 question_on_stage` names it). `answered` may still be marked after the forum has ended.
#[utoipa::path(
    tag = "forums",
    operation_id = "set_question_status",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The question's id (a comment id)")),
    request_body = QuestionStatusRequest,
    responses(
        (status = 200, description = "The question, moved on", body = CommentView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "The caller does not manage the forum (`not_forum_manager`)"),
        (status = 404, description = "No such question"),
        (status = 409, description = "A move its status does not allow (`invalid_transition`), another question on stage (`question_on_stage`), the forum not live (`forum_not_live`), or a concurrent change"),
        (status = 422, description = "`status` is invalid, or a field is unknown"),
    )
)]
#[post("/questions/{id}/status")]
pub async fn set_status(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<QuestionStatusRequest>,
) -> Result<web::Json<CommentView>, ApiError> {
    let id = parse_comment(&id)?;
    let to = match body.0.status {
        crate::vocab::QuestionStatus::Open => QuestionStatus::Open,
        crate::vocab::QuestionStatus::OnStage => QuestionStatus::OnStage,
        crate::vocab::QuestionStatus::Answered => QuestionStatus::Answered,
    };
    let act = move |s: &AppState, actor: &Actor| {
        s.transact(|uow| question::set_status(uow, actor, id, to, clock::now()))
    };
    let view = act_then(state, caller, act, |s, c, caller| {
        full_view(s, c, Some(caller))
    })
    .await?;
    Ok(web::Json(view))
}
