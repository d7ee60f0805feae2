//! The forum reads: lists and search (cached for anonymous callers), one forum, and its public timeline.

use actix_web::{HttpRequest, HttpResponse, get, web};
use ocf_domain::account::Role;
use ocf_domain::event::AggregateKind;
use ocf_domain::forum::query::{DraftVisibility, ForumFilter, ForumQueries, ForumSort, When};
use ocf_domain::forum::{ForumKind, ForumMode, ForumStatus};
use ocf_domain::values::Region;
use ocf_domain::{Id, ValidationErrors, clock};

use super::{ForumEventView, ForumView, ForumsQuery, full_view, parse_id, visible};
use crate::auth::{Caller, MaybeCaller};
use crate::error::ApiError;
use crate::pagination::{PageQuery, Paginated, page_request};
use crate::routes::common::{
    cache_lookup, cached_body, collect, filter, json_bytes, parse_sort_key, parse_time,
    search_filter, sort_key_text, timeline_page, timeline_request,
};
use crate::state::{AppState, blocking};

fn parse_sort(raw: Option<&str>) -> Result<ForumSort, String> {
    match raw {
        None | Some("starts_at") => Ok(ForumSort::StartsAt),
        Some("newest") => Ok(ForumSort::Newest),
        Some(other) => Err(format!(
            "unknown sort '{other}'; expected starts_at or newest"
        )),
    }
}

fn sort_name(sort: ForumSort) -> &'static str {
    match sort {
        ForumSort::StartsAt => "starts_at",
        ForumSort::Newest => "newest",
    }
}

fn drafts_for(caller: Option<&Caller>) -> DraftVisibility {
    match caller {
        Some(c) if c.is_staff() => DraftVisibility::All,
        Some(c) if c.roles.contains(Role::Official) => c
            .organization_id
            .map_or(DraftVisibility::None, DraftVisibility::Organization),
        _ => DraftVisibility::None,
    }
}

/// List and search forums
///
/// Public. Drafts appear only to those who manage them. Anonymous answers may be up to
/// `PUBLIC_CACHE_TTL_MS` old (a shared cache); with a token they are fresh.
///
/// The token is optional. Without one the answer is the public view. A token that is sent is checked: a
/// stale, expired or invalid one is `401`, never silently ignored (sign in again, or send no token).
#[utoipa::path(
    tag = "forums",
    operation_id = "list_forums",
    security((), ("bearer" = [])),
    params(ForumsQuery),
    responses(
        (status = 200, description = "One page of forums", body = Paginated<ForumView>),
        (status = 400, description = "The query string is malformed"),
        (status = 401, description = "A token was sent but is invalid"),
        (status = 422, description = "A filter, the sort, `limit` or `cursor` is invalid"),
    )
)]
#[get("/forums")]
pub async fn list_forums(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: MaybeCaller,
    query: web::Query<ForumsQuery>,
) -> Result<HttpResponse, ApiError> {
    let caller = caller.0;
    let (cache_key, hit) = cache_lookup(&state, "forums", req.query_string(), caller.is_none());
    if let Some(hit) = hit {
        return Ok(hit);
    }
    let q = query.into_inner();
    let mut errors = ValidationErrors::new();
    let sort = errors
        .check("sort", parse_sort(q.sort.as_deref()))
        .unwrap_or(ForumSort::StartsAt);
    let status = filter(
        &mut errors,
        "status",
        q.status.as_deref(),
        str::parse::<ForumStatus>,
    );
    let kind = filter(
        &mut errors,
        "kind",
        q.kind.as_deref(),
        str::parse::<ForumKind>,
    );
    let mode = filter(
        &mut errors,
        "mode",
        q.mode.as_deref(),
        str::parse::<ForumMode>,
    );
    let region = filter(
        &mut errors,
        "region",
        q.region.as_deref(),
        str::parse::<Region>,
    );
    let topic_id = filter(&mut errors, "topic_id", q.topic_id.as_deref(), |r| {
        Id::parse(r).map_err(|_| "is not a valid id")
    });
    let organization_id = filter(
        &mut errors,
        "organization_id",
        q.organization_id.as_deref(),
        |r| Id::parse(r).map_err(|_| "is not a valid id"),
    );
    let from = parse_time(&mut errors, "from", q.from.as_deref());
    let to = parse_time(&mut errors, "to", q.to.as_deref());
    let when = filter(&mut errors, "when", q.when.as_deref(), |w| match w {
        "upcoming" => Ok(When::Upcoming),
        "past" => Ok(When::Past),
        other => Err(format!(
            "unknown value '{other}'; expected upcoming or past"
        )),
    });
    let search = search_filter(&mut errors, q.q.as_deref())?;
    let page = collect(
        &mut errors,
        page_request("forums", q.limit, q.cursor.as_deref(), |key| {
            parse_sort_key(sort_name(sort), key)
        }),
    )?;
    errors.into_result()?;
    let page = page.ok_or_else(|| ApiError::validation("cursor", "is invalid"))?;
    let drafts = drafts_for(caller.as_ref());
    let body = blocking(move || {
        cached_body(&state, cache_key, || {
            let filter = ForumFilter {
                status,
                kind,
                mode,
                region,
                topic_id,
                organization_id,
                from,
                to,
                when: when.map(|w| (w, clock::now())),
                search,
                drafts,
            };
            let page = state.db.list_forums(&filter, sort, &page)?;
            let items = page
                .items
                .into_iter()
                .map(|f| full_view(&state, f, caller.as_ref()))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Paginated::new("forums", items, page.next_after, |k| {
                sort_key_text(sort_name(sort), k)
            }))
        })
    })
    .await?;
    Ok(json_bytes(body))
}

/// Read a forum
///
/// Public, except drafts (those who manage the forum only). With a token, `can_manage` says whether the
/// caller manages it.
///
/// The token is optional. Without one the answer is the public view. A token that is sent is checked: a
/// stale, expired or invalid one is `401`, never silently ignored (sign in again, or send no token).
#[utoipa::path(
    tag = "forums",
    operation_id = "get_forum",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The forum's id")),
    responses(
        (status = 200, description = "The forum", body = ForumView),
        (status = 401, description = "A token was sent but is invalid"),
        (status = 404, description = "No such forum, or a draft the caller does not manage"),
    )
)]
#[get("/forums/{id}")]
pub async fn get_forum(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<String>,
) -> Result<web::Json<ForumView>, ApiError> {
    let id = parse_id(&id)?;
    let view = blocking(move || {
        let f = visible(&state, id, caller.0.as_ref())?;
        full_view(&state, f, caller.0.as_ref())
    })
    .await?;
    Ok(web::Json(view))
}

/// A forum's timeline
///
/// Every step of the forum, oldest first, read from the event log: public, like the forum itself.
///
/// The token is optional. Without one the answer is the public view. A token that is sent is checked: a
/// stale, expired or invalid one is `401`, never silently ignored (sign in again, or send no token).
#[utoipa::path(
    tag = "forums",
    operation_id = "get_forum_timeline",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The forum's id"), PageQuery),
    responses(
        (status = 200, description = "One page of events", body = Paginated<ForumEventView>),
        (status = 400, description = "The query string is malformed"),
        (status = 401, description = "A token was sent but is invalid"),
        (status = 404, description = "No such forum, or a draft the caller does not manage"),
        (status = 422, description = "`limit` or `cursor` is invalid"),
    )
)]
#[get("/forums/{id}/timeline")]
pub async fn forum_timeline(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Paginated<ForumEventView>>, ApiError> {
    let id = parse_id(&id)?;
    let list = format!("forums/{id}/timeline");
    let page = timeline_request(&list, &query)?;
    let page = blocking(move || {
        visible(&state, id, caller.0.as_ref())?;
        timeline_page(
            &state,
            &list,
            AggregateKind::Forum,
            &id.to_string(),
            page,
            |e| ForumEventView::try_from(e),
        )
    })
    .await?;
    Ok(web::Json(page))
}
