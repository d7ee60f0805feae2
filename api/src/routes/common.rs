//! Pieces every aggregate's handlers share: path ids, policy areas, drafts and edits, staff decisions,
//! list filters, cached JSON bodies, sort cursors and timelines from the event log.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use ocf_domain::actor::Actor;
use ocf_domain::event::{AggregateKind, EventReader, LoggedEvent};
use ocf_domain::page::SortKey;
use ocf_domain::policy_area::PolicyAreaId;
use ocf_domain::search::SearchQuery;
use ocf_domain::uow::UnitOfWork;
use ocf_domain::values::{Body, ContentEdit, Reason, Region, Tags, Title};
use ocf_domain::{Id, PageRequest, UseCaseError, ValidationErrors, clock};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::{AppState, blocking};

/// An id from the path; one that cannot be an id is simply "not found" (`what` names it: "proposal").
///
/// # Errors
/// [`ApiError::NotFound`].
pub fn path_id<T>(raw: &str, what: &str) -> Result<Id<T>, ApiError> {
    Id::parse(raw).map_err(|_| ApiError::NotFound(format!("{what} not found")))
}

/// The id of the policy area with `code`, or a `policy_area` field error. Blocking.
///
/// # Errors
/// [`ApiError::Validation`] for an unknown code; storage failures.
pub fn area_id(state: &AppState, code: &str) -> Result<PolicyAreaId, ApiError> {
    state.policy_areas.id_of(&state.db, code)?.ok_or_else(|| {
        ApiError::validation(
            "policy_area",
            format!("unknown policy area '{code}'; see GET /api/v1/policy-areas"),
        )
    })
}

/// Adds the field errors of `result` (a validation error) to `errors`; other errors pass through.
///
/// # Errors
/// Any error that is not a validation error.
pub fn collect<T>(
    errors: &mut ValidationErrors,
    result: Result<T, ApiError>,
) -> Result<Option<T>, ApiError> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(ApiError::Validation(v)) => {
            for f in v.errors() {
                errors.push(f.field.clone(), f.message.clone());
            }
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// A `200 OK` with an already serialised JSON body.
pub fn json_bytes(body: web::Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(header::ContentType::json())
        .body(body)
}

/// A cursor key of a sorted list: `<sort>:<value>:<position>`, bound to the sort it came from.
pub fn sort_key_text(sort: &str, k: &SortKey) -> String {
    format!("{sort}:{}:{}", k.value, k.position)
}

/// Reads a key written by [`sort_key_text`] for the same `sort`.
pub fn parse_sort_key(sort: &str, key: &str) -> Option<SortKey> {
    let mut parts = key.splitn(3, ':');
    let (s, v, position) = (parts.next()?, parts.next()?, parts.next()?);
    (s == sort).then_some(())?;
    Some(SortKey {
        value: v.parse().ok()?,
        position: position.parse().ok()?,
    })
}

/// An RFC 3339 time filter.
pub fn parse_time(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<&str>,
) -> Option<DateTime<Utc>> {
    let raw = raw?;
    errors.check(
        field,
        DateTime::parse_from_rfc3339(raw)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| "must be an RFC 3339 time such as 2026-01-01T00:00:00Z"),
    )
}

/// The checked fields of a new proposal or topic and its policy area, with every problem of both reported
/// at once. Blocking (the area is looked up).
///
/// # Errors
/// Every invalid field; storage failures.
pub fn with_area<D>(
    state: &AppState,
    draft: Result<D, ValidationErrors>,
    area_code: &str,
) -> Result<(D, PolicyAreaId), ApiError> {
    let (draft, mut errors) = match draft {
        Ok(d) => (Some(d), ValidationErrors::new()),
        Err(e) => (None, e),
    };
    let area = collect(&mut errors, area_id(state, area_code))?;
    errors.into_result()?;
    match (draft, area) {
        (Some(d), Some(a)) => Ok((d, a)),
        _ => Err(ApiError::validation("body", "is invalid")),
    }
}

/// The shared fields of an author's edit as sent (`body_field` names the body: `body`, `description`).
#[derive(Debug)]
pub struct EditFields<'a> {
    pub title: Option<&'a str>,
    pub body_field: &'static str,
    pub body: Option<&'a str>,
    pub region: &'a Option<Option<String>>,
    pub tags: Option<&'a [String]>,
    pub policy_area: Option<&'a str>,
}

/// Parses an edit; at least one field must be named. The policy area is looked up later (blocking):
/// set `policy_area_id` from [`area_id`].
///
/// # Errors
/// Every invalid field, or none named.
pub fn parse_edit(f: &EditFields<'_>) -> Result<ContentEdit, ApiError> {
    let mut errors = ValidationErrors::new();
    let edit = ContentEdit {
        title: f.title.and_then(|t| errors.check("title", Title::parse(t))),
        body: f
            .body
            .and_then(|b| errors.check(f.body_field, Body::parse(b))),
        policy_area_id: None,
        region: match f.region {
            None => None,
            Some(None) => Some(None),
            Some(Some(r)) => errors.check("region", r.parse::<Region>()).map(Some),
        },
        tags: f.tags.and_then(|t| errors.check("tags", Tags::parse(t))),
    };
    if edit.is_empty() && f.policy_area.is_none() && errors.is_empty() {
        errors.push(
            "body",
            format!(
                "name at least one of title, {}, policy_area, region, tags",
                f.body_field
            ),
        );
    }
    errors.into_result()?;
    Ok(edit)
}

/// A staff decision as sent: a status of the aggregate's lifecycle and an optional public reason.
///
/// # Errors
/// An unknown status or an invalid reason (both reported).
pub fn parse_decision<S>(
    status: &str,
    reason: Option<&str>,
) -> Result<(S, Option<Reason>), ApiError>
where
    S: std::str::FromStr<Err = String>,
{
    let mut errors = ValidationErrors::new();
    let to = errors.check("status", status.parse::<S>());
    let reason = reason.and_then(|r| errors.check("reason", Reason::parse(r)));
    errors.into_result()?;
    let to = to.ok_or_else(|| ApiError::validation("status", "is required"))?;
    Ok((to, reason))
}

/// An optional filter parsed into `errors` (`None` when absent or invalid).
pub fn filter<T, E: std::fmt::Display>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<&str>,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Option<T> {
    raw.and_then(|r| errors.check(field, parse(r)))
}

/// The full-text query of a list (`q`), its problems recorded in `errors`.
///
/// # Errors
/// Only non-validation failures (none today).
pub fn search_filter(
    errors: &mut ValidationErrors,
    raw: Option<&str>,
) -> Result<Option<SearchQuery>, ApiError> {
    match raw {
        Some(raw) => collect(errors, SearchQuery::parse(raw).map_err(ApiError::from)),
        None => Ok(None),
    }
}

/// Serves an anonymous list from the public cache when it can, building (once, for all waiting readers)
/// what is missing. `key` is `None` for a signed-in caller: their lists are never cached. Blocking.
///
/// # Errors
/// Whatever `build` fails with.
pub fn cached_body<T: serde::Serialize>(
    state: &AppState,
    key: Option<String>,
    build: impl FnOnce() -> Result<T, ApiError>,
) -> Result<web::Bytes, ApiError> {
    let build = || {
        let value = build()?;
        Ok(web::Bytes::from(
            serde_json::to_vec(&value).map_err(ApiError::internal)?,
        ))
    };
    match key {
        Some(key) => state.public_cache.get_or_build(&key, build),
        None => build(),
    }
}

/// The cache key of an anonymous list request, and its cached body if fresh.
pub fn cache_lookup(
    state: &AppState,
    list: &str,
    query: &str,
    anonymous: bool,
) -> (Option<String>, Option<HttpResponse>) {
    let key = anonymous.then(|| format!("{list}?{query}"));
    let hit = key
        .as_deref()
        .and_then(|k| state.public_cache.get(k))
        .map(json_bytes);
    (key, hit)
}

/// One page of an aggregate's timeline from the event log, after `cursor` (a log position bound to
/// `list`), each event turned into its view by `view`. Blocking.
///
/// # Errors
/// A bad `limit` or `cursor`; storage failures; an event `view` cannot show.
pub fn timeline_page<V: utoipa::ToSchema>(
    state: &AppState,
    list: &str,
    aggregate: AggregateKind,
    id: &str,
    page: PageRequest<i64>,
    view: impl Fn(&LoggedEvent) -> Result<V, ApiError>,
) -> Result<crate::pagination::Paginated<V>, ApiError> {
    let page = state.db.aggregate_events(aggregate, id, &page)?;
    let items = page.items.iter().map(view).collect::<Result<Vec<_>, _>>()?;
    Ok(crate::pagination::Paginated::new(
        list,
        items,
        page.next_after,
        i64::to_string,
    ))
}

/// The page request of a timeline (`limit`, and a `cursor` that is a log position of `list`).
///
/// # Errors
/// A bad `limit` or `cursor`.
pub fn timeline_request(
    list: &str,
    query: &crate::pagination::PageQuery,
) -> Result<PageRequest<i64>, ApiError> {
    crate::pagination::page_request(list, query.limit, query.cursor.as_deref(), |k| {
        k.parse::<i64>().ok()
    })
}

/// The body of a write handler: `act` runs for the caller (typically one use case through
/// [`AppState::transact`]), then `view` builds the answer from what it returned, both off the async
/// workers.
///
/// # Errors
/// Whatever `act` or `view` fails with.
pub async fn act_then<T, V>(
    state: web::Data<AppState>,
    caller: Caller,
    act: impl FnOnce(&AppState, &Actor) -> Result<T, ApiError> + Send + 'static,
    view: impl FnOnce(&AppState, T, &Caller) -> Result<V, ApiError> + Send + 'static,
) -> Result<V, ApiError>
where
    T: Send + 'static,
    V: Send + 'static,
{
    blocking(move || {
        let actor = caller.actor();
        let done = act(&state, &actor)?;
        view(&state, done, &caller)
    })
    .await
}

/// Runs `act` for the caller (one use case) off the async workers, and answers `204 No Content`.
///
/// # Errors
/// Whatever `act` fails with.
pub async fn act_no_content(
    state: web::Data<AppState>,
    caller: Caller,
    act: impl FnOnce(&AppState, &Actor) -> Result<(), ApiError> + Send + 'static,
) -> Result<HttpResponse, ApiError> {
    act_then(state, caller, act, |_, (), _| Ok(())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Runs a use case whose only write is one statement (a support, a vote) for the caller, grouped with
/// others of its kind, and answers `204 No Content`.
///
/// # Errors
/// The use case's error, as its problem.
pub async fn grouped_no_content(
    state: &AppState,
    caller: &Caller,
    f: impl FnOnce(&mut dyn UnitOfWork, &Actor, DateTime<Utc>) -> Result<(), UseCaseError>
    + Send
    + 'static,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor();
    state
        .transact_grouped(move |uow| f(uow, &actor, clock::now()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
