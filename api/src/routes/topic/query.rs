//! The topic reads: lists and search (cached for anonymous callers), one topic, and its public timeline.

use actix_web::{HttpRequest, HttpResponse, get, web};
use ocf_domain::ValidationErrors;
use ocf_domain::actor::Visibility;
use ocf_domain::event::AggregateKind;
use ocf_domain::topic::TopicStatus;
use ocf_domain::topic::query::{TopicFilter, TopicQueries, TopicSort};
use ocf_domain::values::{Region, Tag};

use super::{
    TopicEventView, TopicSummary, TopicView, TopicsQuery, dto, full_view, parse_id, visible,
};
use crate::auth::{Caller, MaybeCaller};
use crate::error::ApiError;
use crate::pagination::{PageQuery, Paginated, page_request};
use crate::routes::common::{
    area_id, cache_lookup, cached_body, collect, filter, json_bytes, parse_sort_key, search_filter,
    sort_key_text, timeline_page, timeline_request,
};
use crate::state::{AppState, blocking};

fn parse_sort(raw: Option<&str>) -> Result<TopicSort, String> {
    match raw {
        None | Some("most_voted") => Ok(TopicSort::MostVoted),
        Some("newest") => Ok(TopicSort::Newest),
        Some("trending") => Ok(TopicSort::Trending),
        Some(other) => Err(format!(
            "unknown sort '{other}'; expected most_voted, newest or trending"
        )),
    }
}

fn sort_name(sort: TopicSort) -> &'static str {
    match sort {
        TopicSort::MostVoted => "most_voted",
        TopicSort::Newest => "newest",
        TopicSort::Trending => "trending",
    }
}

/// List and search topics
///
/// Public. Hidden topics are left out, except the caller's own and, for moderators, all. Anonymous
/// answers may be up to `PUBLIC_CACHE_TTL_MS` old (a shared cache); with a token they are fresh.
///
/// The token is optional. Without one the answer is the public view. A token that is sent is checked: a
/// stale, expired or invalid one is `401`, never silently ignored (sign in again, or send no token).
#[utoipa::path(
    tag = "topics",
    operation_id = "list_topics",
    security((), ("bearer" = [])),
    params(TopicsQuery),
    responses(
        (status = 200, description = "One page of topics", body = Paginated<TopicSummary>),
        (status = 400, description = "The query string is malformed"),
        (status = 401, description = "A token was sent but is invalid"),
        (status = 422, description = "A filter, the sort, `limit` or `cursor` is invalid"),
    )
)]
#[get("/topics")]
pub async fn list_topics(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: MaybeCaller,
    query: web::Query<TopicsQuery>,
) -> Result<HttpResponse, ApiError> {
    let caller = caller.0;
    let (cache_key, hit) = cache_lookup(&state, "topics", req.query_string(), caller.is_none());
    if let Some(hit) = hit {
        return Ok(hit);
    }
    let q = query.into_inner();
    let mut errors = ValidationErrors::new();
    let sort = errors
        .check("sort", parse_sort(q.sort.as_deref()))
        .unwrap_or(TopicSort::MostVoted);
    let status = filter(
        &mut errors,
        "status",
        q.status.as_deref(),
        str::parse::<TopicStatus>,
    );
    let region = filter(
        &mut errors,
        "region",
        q.region.as_deref(),
        str::parse::<Region>,
    );
    let tag = filter(&mut errors, "tag", q.tag.as_deref(), Tag::parse);
    let search = search_filter(&mut errors, q.q.as_deref())?;
    let page = collect(
        &mut errors,
        page_request("topics", q.limit, q.cursor.as_deref(), |key| {
            parse_sort_key(sort_name(sort), key)
        }),
    )?;
    errors.into_result()?;
    let page = page.ok_or_else(|| ApiError::validation("cursor", "is invalid"))?;
    let visibility = Visibility::for_viewer(caller.as_ref().map(Caller::actor).as_ref());
    let area_code = q.policy_area;
    let body = blocking(move || {
        cached_body(&state, cache_key, || {
            let policy_area_id = match area_code.as_deref() {
                Some(code) => Some(area_id(&state, code)?),
                None => None,
            };
            let filter = TopicFilter {
                status,
                policy_area_id,
                region,
                tag: tag.map(|t| t.as_str().to_owned()),
                search,
                visibility,
            };
            let page = state.db.list_topics(&filter, sort, &page)?;
            let codes = state
                .policy_areas
                .codes_of(&state.db, page.items.iter().map(|t| t.policy_area_id))?;
            let items = page
                .items
                .into_iter()
                .map(|t| {
                    let area = codes.get(&t.policy_area_id).cloned().unwrap_or_default();
                    dto::summary(t, area)
                })
                .collect();
            Ok(Paginated::new("topics", items, page.next_after, |k| {
                sort_key_text(sort_name(sort), k)
            }))
        })
    })
    .await?;
    Ok(json_bytes(body))
}

/// Read a topic
///
/// Public, except hidden topics (their author and moderators only). With a token the answer also says
/// whether the caller suggested it (`is_mine`) and voted for it (`voted_by_me`).
///
/// The token is optional. Without one the answer is the public view. A token that is sent is checked: a
/// stale, expired or invalid one is `401`, never silently ignored (sign in again, or send no token).
#[utoipa::path(
    tag = "topics",
    operation_id = "get_topic",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The topic's id")),
    responses(
        (status = 200, description = "The topic", body = TopicView),
        (status = 401, description = "A token was sent but is invalid"),
        (status = 404, description = "No such topic, or hidden from the caller"),
    )
)]
#[get("/topics/{id}")]
pub async fn get_topic(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<String>,
) -> Result<web::Json<TopicView>, ApiError> {
    let id = parse_id(&id)?;
    let view = blocking(move || {
        let t = visible(&state, id, caller.0.as_ref())?;
        full_view(&state, t, caller.0.as_ref())
    })
    .await?;
    Ok(web::Json(view))
}

/// A topic's timeline
///
/// Every step of the topic, oldest first, read from the event log: public, like the topic itself.
///
/// The token is optional. Without one the answer is the public view. A token that is sent is checked: a
/// stale, expired or invalid one is `401`, never silently ignored (sign in again, or send no token).
#[utoipa::path(
    tag = "topics",
    operation_id = "get_topic_timeline",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The topic's id"), PageQuery),
    responses(
        (status = 200, description = "One page of events", body = Paginated<TopicEventView>),
        (status = 400, description = "The query string is malformed"),
        (status = 401, description = "A token was sent but is invalid"),
        (status = 404, description = "No such topic, or hidden from the caller"),
        (status = 422, description = "`limit` or `cursor` is invalid"),
    )
)]
#[get("/topics/{id}/timeline")]
pub async fn topic_timeline(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Paginated<TopicEventView>>, ApiError> {
    let id = parse_id(&id)?;
    let list = format!("topics/{id}/timeline");
    let page = timeline_request(&list, &query)?;
    let page = blocking(move || {
        visible(&state, id, caller.0.as_ref())?;
        timeline_page(
            &state,
            &list,
            AggregateKind::Topic,
            &id.to_string(),
            page,
            |e| TopicEventView::try_from(e),
        )
    })
    .await?;
    Ok(web::Json(page))
}
