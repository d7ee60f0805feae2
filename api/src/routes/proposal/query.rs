//! The proposal reads: lists and search (cached for anonymous callers), one proposal, the similar check
//! and the public timeline.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use ocf_domain::actor::Visibility;
use ocf_domain::event::AggregateKind;
use ocf_domain::proposal::query::{ProposalFilter, ProposalQueries, ProposalSort};
use ocf_domain::proposal::{Channel, ProposalEvent, ProposalStatus, Region, Tag};
use ocf_domain::{Id, ValidationErrors, similar};

use super::{
    ProposalSummary, ProposalView, ProposalsQuery, SimilarItem, SimilarRequest, SimilarResponse,
    TimelineEventView, dto, full_view, parse_id, summaries, visible,
};
use crate::auth::{Caller, MaybeCaller};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::pagination::{PageQuery, Paginated, page_request};
use crate::routes::common::{
    area_id, cache_lookup, cached_body, collect, filter, json_bytes, parse_sort_key, parse_time,
    search_filter, sort_key_text, timeline_page, timeline_request,
};
use crate::state::{AppState, TermCountCache, blocking};

fn parse_sort(raw: Option<&str>) -> Result<ProposalSort, String> {
    Ok(match raw.unwrap_or("newest") {
        "newest" => ProposalSort::Newest,
        "most_supported" => ProposalSort::MostSupported,
        "trending" => ProposalSort::Trending,
        "recently_updated" => ProposalSort::RecentlyUpdated,
        other => {
            return Err(format!(
                "unknown sort '{other}'; expected newest, most_supported, trending or recently_updated"
            ));
        }
    })
}

fn sort_name(sort: ProposalSort) -> &'static str {
    match sort {
        ProposalSort::Newest => "n",
        ProposalSort::MostSupported => "s",
        ProposalSort::Trending => "t",
        ProposalSort::RecentlyUpdated => "u",
    }
}

/// List and search proposals
///
/// Public. Hidden proposals are left out, except the caller's own and, for moderators, all. Cursors are
/// keyset-based: inserts between pages never shift them. Anonymous answers may be up to a second old
/// (a shared cache); with a token they are fresh.
///
/// The token is optional. Without one the answer is the public view. A token that is sent is checked: a
/// stale, expired or invalid one is `401`, never silently ignored (sign in again, or send no token).
#[utoipa::path(
    tag = "proposals",
    operation_id = "list_proposals",
    security((), ("bearer" = [])),
    params(ProposalsQuery),
    responses(
        (status = 200, description = "One page of proposals", body = Paginated<ProposalSummary>),
        (status = 400, description = "The query string is malformed or has unknown parameters"),
        (status = 401, description = "A token was sent but is invalid, or `author=me` without a token"),
        (status = 403, description = "Filtering by another person's id needs the moderator role"),
        (status = 422, description = "A filter, the sort, `limit` or `cursor` is invalid"),
    )
)]
#[get("/proposals")]
pub async fn list_proposals(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: MaybeCaller,
    query: web::Query<ProposalsQuery>,
) -> Result<HttpResponse, ApiError> {
    let caller = caller.0;
    // Anonymous lists are the same for everyone: served from the public cache for a moment (see `cache`).
    let (cache_key, hit) = cache_lookup(&state, "proposals", req.query_string(), caller.is_none());
    if let Some(hit) = hit {
        return Ok(hit);
    }
    let q = query.into_inner();
    let mut errors = ValidationErrors::new();
    let sort = errors.check("sort", parse_sort(q.sort.as_deref()));
    let status = filter(
        &mut errors,
        "status",
        q.status.as_deref(),
        str::parse::<ProposalStatus>,
    );
    let region = filter(
        &mut errors,
        "region",
        q.region.as_deref(),
        str::parse::<Region>,
    );
    let channel = filter(&mut errors, "channel", q.channel.as_deref(), Channel::parse);
    let tag = filter(&mut errors, "tag", q.tag.as_deref(), Tag::parse);
    let created_after = parse_time(&mut errors, "created_after", q.created_after.as_deref());
    let created_before = parse_time(&mut errors, "created_before", q.created_before.as_deref());
    let search = search_filter(&mut errors, q.q.as_deref())?;
    let mut id_field = |field: &str, raw: Option<&str>| {
        raw.and_then(|r| {
            errors.check(
                field,
                Id::<()>::parse(r)
                    .map(|i| i.to_string())
                    .map_err(|_| "is not a valid identifier"),
            )
        })
    };
    let topic_id = id_field("topic_id", q.topic_id.as_deref());
    let forum_id = id_field("forum_id", q.forum_id.as_deref());
    let author_id = match q.author.as_deref() {
        None => None,
        Some("me") => Some(
            caller
                .as_ref()
                .map(|c| c.user_id)
                .ok_or_else(|| ApiError::unauthenticated("author=me needs an access token"))?,
        ),
        Some(other) => {
            let id = errors.check(
                "author",
                Id::parse(other).map_err(|_| "must be `me` or an account id"),
            );
            if id.is_some() && !caller.as_ref().is_some_and(Caller::is_staff) {
                return Err(ApiError::Forbidden(
                    "filtering by another person's proposals needs the moderator role".to_owned(),
                ));
            }
            id
        }
    };
    let sort = sort.unwrap_or(ProposalSort::Newest);
    let page = collect(
        &mut errors,
        page_request("proposals", q.limit, q.cursor.as_deref(), |key| {
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
            let filter = ProposalFilter {
                status,
                policy_area_id,
                region,
                tag: tag.map(|t| t.as_str().to_owned()),
                channel,
                author_id,
                topic_id,
                forum_id,
                created_after,
                created_before,
                search,
                visibility,
            };
            let page = state.db.list_proposals(&filter, sort, &page)?;
            let items = summaries(&state, page.items)?;
            Ok(Paginated::new("proposals", items, page.next_after, |k| {
                sort_key_text(sort_name(sort), k)
            }))
        })
    })
    .await?;
    Ok(json_bytes(body))
}

/// Read a proposal
///
/// Public, except hidden proposals (their author and moderators only). With a token the answer also says
/// whether the caller wrote the proposal (`is_mine`) and supports it (`supported_by_me`).
///
/// The token is optional. Without one the answer is the public view. A token that is sent is checked: a
/// stale, expired or invalid one is `401`, never silently ignored (sign in again, or send no token).
#[utoipa::path(
    tag = "proposals",
    operation_id = "get_proposal",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The proposal's id")),
    responses(
        (status = 200, description = "The proposal", body = ProposalView),
        (status = 401, description = "A token was sent but is invalid"),
        (status = 404, description = "No such proposal, or hidden from the caller"),
    )
)]
#[get("/proposals/{id}")]
pub async fn get_proposal(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<String>,
) -> Result<web::Json<ProposalView>, ApiError> {
    let id = parse_id(&id)?;
    let view = blocking(move || {
        let p = visible(&state, id, caller.0.as_ref())?;
        full_view(&state, p, caller.0.as_ref())
    })
    .await?;
    Ok(web::Json(view))
}

/// The proposals most like a draft, best first, with their scores (the similar check). Blocking.
///
/// # Errors
/// Storage failures.
pub fn look_alikes(
    state: &AppState,
    title: &str,
    body: &str,
) -> Result<Vec<(f64, ocf_domain::proposal::query::ProposalSummary)>, ApiError> {
    let terms = similar::draft_terms(title, body);
    let counts = state.term_counts.counts(&state.db, &terms)?;
    let lookup = similar::lookup(&terms, &counts, TermCountCache::CAP);
    let candidates =
        state
            .db
            .similar_candidates(&lookup.terms, similar::CANDIDATES, lookup.scope)?;
    Ok(similar::rank(title, body, candidates))
}

/// Find similar proposals
///
/// Before submitting, shows up to 10 existing proposals that look like the draft, so supporters gather on
/// one proposal instead of many. Works on Korean and English by character-trigram similarity.
#[utoipa::path(
    tag = "proposals",
    operation_id = "find_similar_proposals",
    request_body = SimilarRequest,
    responses(
        (status = 200, description = "Similar proposals", body = SimilarResponse),
        (status = 422, description = "The title is missing or too short or long"),
    )
)]
#[post("/proposals/similar")]
pub async fn similar_proposals(
    state: web::Data<AppState>,
    body: ApiJson<SimilarRequest>,
) -> Result<web::Json<SimilarResponse>, ApiError> {
    let b = body.0;
    let mut errors = ValidationErrors::new();
    let title = errors.check("title", ocf_domain::text::single_line(&b.title, 2, 150));
    if b.body.chars().count() > 10_000 {
        errors.push("body", "must be at most 10000 characters");
    }
    errors.into_result()?;
    let title = title.unwrap_or_default();
    let items = blocking(move || {
        let ranked = look_alikes(&state, &title, &b.body)?;
        let codes = state
            .policy_areas
            .codes_of(&state.db, ranked.iter().map(|(_, p)| p.policy_area_id))?;
        Ok(ranked
            .into_iter()
            .map(|(score, p)| {
                let area = codes.get(&p.policy_area_id).cloned().unwrap_or_default();
                SimilarItem {
                    proposal: dto::summary(p, area),
                    score,
                }
            })
            .collect())
    })
    .await?;
    Ok(web::Json(SimilarResponse { items }))
}

/// A proposal's timeline
///
/// Every step of the proposal, oldest first: public, like the proposal itself (so a hidden proposal's
/// timeline is for its author and moderators only).
///
/// The token is optional. Without one the answer is the public view. A token that is sent is checked: a
/// stale, expired or invalid one is `401`, never silently ignored (sign in again, or send no token).
#[utoipa::path(
    tag = "proposals",
    operation_id = "get_proposal_timeline",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The proposal's id"), PageQuery),
    responses(
        (status = 200, description = "One page of events", body = Paginated<TimelineEventView>),
        (status = 400, description = "The query string is malformed"),
        (status = 401, description = "A token was sent but is invalid"),
        (status = 404, description = "No such proposal, or hidden from the caller"),
        (status = 422, description = "`limit` or `cursor` is invalid"),
    )
)]
#[get("/proposals/{id}/timeline")]
pub async fn proposal_timeline(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Paginated<TimelineEventView>>, ApiError> {
    let id = parse_id(&id)?;
    let list = format!("proposals/{id}/timeline");
    let page = timeline_request(&list, &query)?;
    let page = blocking(move || {
        visible(&state, id, caller.0.as_ref())?;
        timeline_page(
            &state,
            &list,
            AggregateKind::Proposal,
            &id.to_string(),
            page,
            |e| {
                ProposalEvent::from_logged(e)
                    .map(TimelineEventView::from)
                    .map_err(|e| ApiError::Internal(format!("logged event: {e}").into()))
            },
        )
    })
    .await?;
    Ok(web::Json(page))
}
