//! `/proposals`: submit, read, list and search, edit, withdraw, support, the similar check, staff decisions,
//! merging duplicates, reports, and the public timeline.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use chrono::{DateTime, Utc};
use ocf_domain::account::UserId;
use ocf_domain::clock;
use ocf_domain::moderation::{AUTO_HIDE_REPORTS, ModerationError, Report, ReportReason};
use ocf_domain::policy_area::PolicyAreaId;
use ocf_domain::ports::{
    CandidateScope, HiddenFilter, ModerationRepository, ProposalFilter, ProposalKey,
    ProposalRepository, ProposalSort,
};
use ocf_domain::proposal::{
    ActorRole, Body, Channel, EventKind, NewProposalInput, Proposal, ProposalDraft, ProposalEdit,
    ProposalEvent, ProposalId, ProposalStatus, Reason, Region, Tags, Title,
};
use ocf_domain::search::{self, SearchQuery};
use ocf_domain::{Id, ValidationErrors};
use ocf_persistence::Database;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Caller, MaybeCaller, Staff};
use crate::error::ApiError;
use crate::extract::{ApiJson, double_option};
use crate::pagination::{PageQuery, Paginated, page_request};
use crate::state::{AppState, TermCountCache, blocking};

/// A proposal, in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalView {
    /// The proposal's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// 5-150 characters, one line.
    #[schema(
        example = "아파트 주차장을 낮 시간에 이웃과 공유해요",
        min_length = 5,
        max_length = 150
    )]
    pub title: String,
    /// 20-10,000 characters.
    #[schema(
        example = "낮 시간에 비어 있는 아파트 주차장을 인근 주민과 상점 이용객에게 개방하면 골목 주차 문제가 줄어듭니다.",
        min_length = 20,
        max_length = 10000
    )]
    pub body: String,
    /// The policy area's code.
    #[schema(example = "transport-logistics")]
    pub policy_area: String,
    /// Where it applies; `null` when not given.
    #[schema(required = true)]
    pub region: Option<crate::vocab::Region>,
    /// Free labels: lower-cased, without repeats, sorted.
    #[schema(example = json!(["parking", "주차"]), max_items = 10)]
    pub tags: Vec<String>,
    /// The topic it answers; `null` if none.
    #[schema(example = json!(null), required = true)]
    pub topic_id: Option<String>,
    /// The forum it came out of; `null` if none.
    #[schema(example = json!(null), required = true)]
    pub forum_id: Option<String>,
    /// Where it was submitted: `web`, `offline` or `partner:<code>`.
    #[schema(
        example = "web",
        pattern = "^(web|offline|partner:[A-Za-z0-9_-]{1,40})$"
    )]
    pub channel: String,
    /// Its status.
    pub status: crate::vocab::ProposalStatus,
    /// Hidden by moderation (only its author and moderators see it then).
    #[schema(example = false)]
    pub hidden: bool,
    /// For a merged duplicate: the proposal its supports went to; otherwise `null`.
    #[schema(example = json!(null), required = true)]
    pub merged_into: Option<String>,
    /// How many people support it.
    #[schema(example = 128, minimum = 0)]
    pub support_count: i64,
    /// Whether the signed-in caller wrote it; `null` without a token.
    #[schema(example = json!(null), required = true)]
    pub is_mine: Option<bool>,
    /// Whether the signed-in caller supports it; `null` without a token.
    #[schema(example = json!(null), required = true)]
    pub supported_by_me: Option<bool>,
    /// When it was submitted (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it last changed (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub updated_at: DateTime<Utc>,
}

/// A proposal in a list: the body is cut to an excerpt. Lists do not say whether the caller wrote or
/// supports each proposal; read the proposal (`GET /proposals/{id}`) for `is_mine` and `supported_by_me`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalSummary {
    /// The proposal's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// The title.
    #[schema(
        example = "아파트 주차장을 낮 시간에 이웃과 공유해요",
        min_length = 5,
        max_length = 150
    )]
    pub title: String,
    /// The first 200 characters of the body.
    #[schema(
        example = "낮 시간에 비어 있는 아파트 주차장을 인근 주민과 상점 이용객에게 개방하면...",
        max_length = 200
    )]
    pub excerpt: String,
    /// The policy area's code.
    #[schema(example = "transport-logistics")]
    pub policy_area: String,
    /// Where it applies; `null` when not given.
    #[schema(required = true)]
    pub region: Option<crate::vocab::Region>,
    /// Free labels: lower-cased, without repeats, sorted.
    #[schema(example = json!(["주차"]), max_items = 10)]
    pub tags: Vec<String>,
    /// Where it was submitted: `web`, `offline` or `partner:<code>`.
    #[schema(
        example = "web",
        pattern = "^(web|offline|partner:[A-Za-z0-9_-]{1,40})$"
    )]
    pub channel: String,
    /// Its status.
    pub status: crate::vocab::ProposalStatus,
    /// Hidden by moderation.
    #[schema(example = false)]
    pub hidden: bool,
    /// For a merged duplicate: where its supports went; otherwise `null`.
    #[schema(example = json!(null), required = true)]
    pub merged_into: Option<String>,
    /// How many people support it.
    #[schema(example = 128, minimum = 0)]
    pub support_count: i64,
    /// When it was submitted.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub updated_at: DateTime<Utc>,
}

fn view(
    p: Proposal,
    area: String,
    caller: Option<UserId>,
    supported: Option<bool>,
) -> ProposalView {
    ProposalView {
        id: p.id.to_string(),
        title: p.title.as_str().to_owned(),
        body: p.body.as_str().to_owned(),
        policy_area: area,
        region: p.region.map(Into::into),
        tags: p.tags.iter().map(|t| t.as_str().to_owned()).collect(),
        topic_id: p.topic_id,
        forum_id: p.forum_id,
        channel: p.channel.code(),
        status: p.status.into(),
        hidden: p.hidden,
        merged_into: p.merged_into.map(|m| m.to_string()),
        support_count: p.support_count,
        is_mine: caller.map(|c| c == p.author_id),
        supported_by_me: supported,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

fn summary(p: ocf_domain::ports::ProposalSummary, area: String) -> ProposalSummary {
    ProposalSummary {
        id: p.id.to_string(),
        title: p.title,
        excerpt: p.excerpt,
        policy_area: area,
        region: p.region.map(Into::into),
        tags: p.tags,
        channel: p.channel.code(),
        status: p.status.into(),
        hidden: p.hidden,
        merged_into: p.merged_into.map(|m| m.to_string()),
        support_count: p.support_count,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

fn summaries(
    state: &AppState,
    items: Vec<ocf_domain::ports::ProposalSummary>,
) -> Result<Vec<ProposalSummary>, ApiError> {
    let codes = state
        .policy_areas
        .codes_of(&state.db, items.iter().map(|p| p.policy_area_id))?;
    Ok(items
        .into_iter()
        .map(|p| {
            let area = codes.get(&p.policy_area_id).cloned().unwrap_or_default();
            summary(p, area)
        })
        .collect())
}

fn parse_id(raw: &str) -> Result<ProposalId, ApiError> {
    Id::parse(raw).map_err(|_| ApiError::NotFound("proposal not found".to_owned()))
}

/// Loads a proposal the caller may see; a hidden one is "not found" to everyone but its author and staff.
fn visible(db: &Database, id: ProposalId, caller: Option<&Caller>) -> Result<Proposal, ApiError> {
    db.proposal(id)?
        .filter(|p| p.visible_to(caller.map(|c| (c.user_id, &c.roles))))
        .ok_or_else(|| ApiError::NotFound("proposal not found".to_owned()))
}

fn area_id(state: &AppState, code: &str) -> Result<PolicyAreaId, ApiError> {
    state.policy_areas.id_of(&state.db, code)?.ok_or_else(|| {
        ApiError::validation(
            "policy_area",
            format!("unknown policy area '{code}'; see GET /api/v1/policy-areas"),
        )
    })
}

fn full_view(
    state: &AppState,
    p: Proposal,
    caller: Option<&Caller>,
) -> Result<ProposalView, ApiError> {
    let area = state.policy_areas.code_of(&state.db, p.policy_area_id)?;
    let supported = match caller {
        Some(c) => Some(state.db.supports(p.id, c.user_id)?),
        None => None,
    };
    Ok(view(p, area, caller.map(|c| c.user_id), supported))
}

/// Up to 10 tags of 1-30 characters (after trimming, one line) without `#` or `,`. Tags are stored
/// lower-cased, without repeats, and sorted.
fn tag_list() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(30))
                .pattern(Some(r"^[^#,\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^#,\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^#,\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$")),
        )
        .max_items(Some(Tags::MAX))
        .description(Some(
            "Up to 10 labels of 1-30 characters without `#` or `,`; stored lower-cased, without \
repeats, and sorted.",
        ))
        .examples([serde_json::json!(["주차"])])
        .build()
}

/// A new proposal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProposalRequest {
    /// 5-150 characters after trimming, one line.
    #[schema(
        example = "아파트 주차장을 낮 시간에 이웃과 공유해요",
        min_length = 5,
        max_length = 150,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub title: String,
    /// 20-10,000 characters after trimming; line breaks allowed.
    #[schema(
        example = "낮 시간에 비어 있는 아파트 주차장을 인근 주민과 상점 이용객에게 개방하면 골목 주차 문제가 줄어듭니다.",
        min_length = 20,
        max_length = 10000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub body: String,
    /// A policy area code from `GET /policy-areas`.
    #[schema(example = "transport-logistics")]
    pub policy_area: String,
    /// Where it applies; leave out when it does not matter.
    #[schema(value_type = crate::vocab::Region, example = "seoul")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub region: Option<String>,
    /// Up to 10 labels.
    #[serde(default)]
    #[schema(schema_with = tag_list)]
    pub tags: Vec<String>,
    /// The topic this proposal answers (an identifier).
    #[schema(value_type = String, format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub topic_id: Option<String>,
    /// The forum this proposal came out of (an identifier).
    #[schema(value_type = String, format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub forum_id: Option<String>,
}

/// Submit a proposal
///
/// Any signed-in person may propose. The proposal starts `submitted`, from the `web` channel.
#[utoipa::path(
    tag = "proposals",
    operation_id = "create_proposal",
    security(("bearer" = [])),
    request_body = CreateProposalRequest,
    responses(
        (status = 201, description = "Submitted", body = ProposalView,
            headers(("Location" = String, description = "The new proposal's URL"))),
        (status = 422, description = "A field is invalid, missing or unknown (including an unknown policy area)"),
    )
)]
#[post("/proposals")]
pub async fn create_proposal(
    state: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<CreateProposalRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let draft = ProposalDraft::parse(&NewProposalInput {
        title: &b.title,
        body: &b.body,
        region: b.region.as_deref(),
        tags: &b.tags,
        topic_id: b.topic_id.as_deref(),
        forum_id: b.forum_id.as_deref(),
    });
    let area_code = b.policy_area;
    let view = blocking(move || {
        // Report the policy area together with the other fields.
        let area = area_id(&state, &area_code);
        let (draft, area) = match (draft, area) {
            (Ok(d), Ok(a)) => (d, a),
            (Err(mut e), area) => {
                if let Err(ApiError::Validation(v)) = area {
                    for f in v.errors() {
                        e.push(f.field.clone(), f.message.clone());
                    }
                }
                return Err(e.into());
            }
            (Ok(_), Err(e)) => return Err(e),
        };
        let now = clock::now();
        let proposal = Proposal {
            id: Id::generate(),
            author_id: caller.user_id,
            title: draft.title,
            body: draft.body,
            policy_area_id: area,
            region: draft.region,
            tags: draft.tags,
            topic_id: draft.topic_id,
            forum_id: draft.forum_id,
            channel: Channel::Web,
            status: ProposalStatus::Submitted,
            hidden: false,
            merged_into: None,
            support_count: 0,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let mut event =
            ProposalEvent::new(proposal.id, EventKind::Submitted, ActorRole::Author, now);
        event.to_status = Some(ProposalStatus::Submitted);
        state
            .db
            .create_proposal(&proposal, &event, caller.user_id)?;
        full_view(&state, proposal, Some(&caller))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/proposals/{}", view.id)))
        .json(view))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProposalsQuery {
    /// Only proposals in this status.
    #[param(value_type = Option<crate::vocab::ProposalStatus>, example = "submitted")]
    pub status: Option<String>,
    /// Only this policy area (code).
    #[param(example = "transport-logistics")]
    pub policy_area: Option<String>,
    /// Only this region.
    #[param(value_type = Option<crate::vocab::Region>, example = "seoul")]
    pub region: Option<String>,
    /// Only proposals with this tag (compared lower-cased).
    #[param(
        example = "주차",
        min_length = 1,
        max_length = 30,
        pattern = r"^[^#,\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^#,\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^#,\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub tag: Option<String>,
    /// Only this channel: `web`, `offline` or `partner:<code>`.
    #[param(
        example = "web",
        pattern = "^(web|offline|partner:[A-Za-z0-9_-]{1,40})$"
    )]
    pub channel: Option<String>,
    /// `me` for the caller's own proposals (needs a token); moderators may pass an account id.
    #[param(
        pattern = r"^(me|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
    )]
    pub author: Option<String>,
    /// Only proposals answering this topic.
    #[param(format = Uuid)]
    pub topic_id: Option<String>,
    /// Only proposals from this forum.
    #[param(format = Uuid)]
    pub forum_id: Option<String>,
    /// Only proposals submitted after this time (RFC 3339).
    #[param(value_type = Option<DateTime<Utc>>, example = "2026-01-01T00:00:00Z")]
    pub created_after: Option<String>,
    /// Only proposals submitted before this time (RFC 3339).
    #[param(value_type = Option<DateTime<Utc>>, example = "2099-12-31T23:59:59Z")]
    pub created_before: Option<String>,
    /// Full-text search in title and body, Korean or English: 2-200 characters after trimming, with at
    /// least one letter or digit (e.g. `주차`).
    #[param(example = "주차", min_length = 2, max_length = 200)]
    pub q: Option<String>,
    /// The order; `newest` by default.
    #[param(value_type = Option<crate::vocab::ProposalSort>, example = "newest")]
    pub sort: Option<String>,
    /// Page size, 1-100 (default 20).
    #[param(example = 20, minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page (with the same filters and sort).
    pub cursor: Option<String>,
}

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

fn parse_time(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<&str>,
) -> Option<DateTime<Utc>> {
    raw.and_then(|r| {
        errors.check(
            field,
            DateTime::parse_from_rfc3339(r)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| "must be an RFC 3339 time such as 2026-01-01T00:00:00Z"),
        )
    })
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
    let cache_key = caller
        .is_none()
        .then(|| format!("proposals?{}", req.query_string()));
    if let Some(body) = cache_key.as_deref().and_then(|k| state.public_cache.get(k)) {
        return Ok(json_bytes(body));
    }
    let q = query.into_inner();
    let mut errors = ValidationErrors::new();
    let sort = errors.check("sort", parse_sort(q.sort.as_deref()));
    let status = q
        .status
        .as_deref()
        .and_then(|s| errors.check("status", s.parse::<ProposalStatus>()));
    let region = q
        .region
        .as_deref()
        .and_then(|s| errors.check("region", s.parse::<Region>()));
    let channel = q
        .channel
        .as_deref()
        .and_then(|s| errors.check("channel", Channel::parse(s)));
    let tag = q
        .tag
        .as_deref()
        .and_then(|t| errors.check("tag", ocf_domain::proposal::Tag::parse(t)));
    let created_after = parse_time(&mut errors, "created_after", q.created_after.as_deref());
    let created_before = parse_time(&mut errors, "created_before", q.created_before.as_deref());
    let search = match q.q.as_deref() {
        Some(raw) => match SearchQuery::parse(raw) {
            Ok(s) => Some(s),
            Err(e) => {
                for f in e.errors() {
                    errors.push(f.field.clone(), f.message.clone());
                }
                None
            }
        },
        None => None,
    };
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
    let page = page_request("proposals", q.limit, q.cursor.as_deref(), |key| {
        let mut parts = key.splitn(3, ':');
        let (s, v, position) = (parts.next()?, parts.next()?, parts.next()?);
        (s == sort_name(sort)).then_some(())?;
        Some(ProposalKey {
            value: v.parse().ok()?,
            position: position.parse().ok()?,
        })
    });
    let page = match page {
        Ok(p) => Some(p),
        Err(ApiError::Validation(v)) => {
            for f in v.errors() {
                errors.push(f.field.clone(), f.message.clone());
            }
            None
        }
        Err(e) => return Err(e),
    };
    errors.into_result()?;
    let page = page.ok_or_else(|| ApiError::validation("cursor", "is invalid"))?;
    let hidden = match &caller {
        Some(c) if c.is_staff() => HiddenFilter::Include,
        Some(c) => HiddenFilter::ExcludeExceptAuthor(c.user_id),
        None => HiddenFilter::Exclude,
    };
    let area_code = q.policy_area;
    let body = blocking(move || {
        let build = || {
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
                hidden,
            };
            let page = state.db.list_proposals(&filter, sort, &page)?;
            let items = summaries(&state, page.items)?;
            let page = Paginated::new("proposals", items, page.next_after, |k| {
                format!("{}:{}:{}", sort_name(sort), k.value, k.position)
            });
            Ok(web::Bytes::from(
                serde_json::to_vec(&page).map_err(ApiError::internal)?,
            ))
        };
        match cache_key {
            Some(key) => state.public_cache.get_or_build(&key, build),
            None => build(),
        }
    })
    .await?;
    Ok(json_bytes(body))
}

/// A `200 OK` with an already serialised JSON body.
fn json_bytes(body: web::Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(header::ContentType::json())
        .body(body)
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
        let p = visible(&state.db, id, caller.0.as_ref())?;
        full_view(&state, p, caller.0.as_ref())
    })
    .await?;
    Ok(web::Json(view))
}

/// An author's edit: name at least one field; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1)]
pub struct UpdateProposalRequest {
    /// New title, 5-150 characters after trimming, one line.
    #[schema(value_type = String, example = "아파트 주차장 낮 시간 공유", min_length = 5, max_length = 150, pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub title: Option<String>,
    /// New body, 20-10,000 characters after trimming.
    #[schema(
        value_type = String,
        example = "낮 시간에 비어 있는 아파트 주차장을 개방하면 골목 주차 문제가 줄어듭니다.",
        min_length = 20,
        max_length = 10000, pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub body: Option<String>,
    /// New policy area code.
    #[schema(value_type = String, example = "transport-logistics")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub policy_area: Option<String>,
    /// New region; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<crate::vocab::Region>, example = "busan")]
    pub region: Option<Option<String>>,
    /// New tags, replacing all.
    #[schema(schema_with = tag_list)]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub tags: Option<Vec<String>>,
}

/// Edit my proposal
///
/// Only the author, and only while the proposal is `submitted` (before review starts).
#[utoipa::path(
    tag = "proposals",
    operation_id = "update_proposal",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The proposal's id")),
    request_body = UpdateProposalRequest,
    responses(
        (status = 200, description = "The edited proposal", body = ProposalView),
        (status = 403, description = "The caller is not the author (`not_author`)"),
        (status = 404, description = "No such proposal"),
        (status = 409, description = "Review has started (`proposal_not_editable`) or a concurrent change (`concurrent_update`)"),
        (status = 422, description = "A field is invalid or unknown, or nothing to change"),
    )
)]
#[patch("/proposals/{id}")]
pub async fn update_proposal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<UpdateProposalRequest>,
) -> Result<web::Json<ProposalView>, ApiError> {
    let id = parse_id(&id)?;
    let b = body.0;
    let mut errors = ValidationErrors::new();
    let mut edit = ProposalEdit {
        title: b
            .title
            .as_deref()
            .and_then(|t| errors.check("title", Title::parse(t))),
        body: b
            .body
            .as_deref()
            .and_then(|t| errors.check("body", Body::parse(t))),
        policy_area_id: None,
        region: match &b.region {
            None => None,
            Some(None) => Some(None),
            Some(Some(r)) => errors.check("region", r.parse::<Region>()).map(Some),
        },
        tags: b
            .tags
            .as_deref()
            .and_then(|t| errors.check("tags", Tags::parse(t))),
    };
    if edit.is_empty() && b.policy_area.is_none() && errors.is_empty() {
        errors.push(
            "body",
            "name at least one of title, body, policy_area, region, tags",
        );
    }
    errors.into_result()?;
    let view = blocking(move || {
        if let Some(code) = &b.policy_area {
            edit.policy_area_id = Some(area_id(&state, code)?);
        }
        let mut p = visible(&state.db, id, Some(&caller))?;
        let event = p.edit(caller.user_id, edit, clock::now())?;
        state.db.save_proposal(&p, &[event], Some(caller.user_id))?;
        full_view(&state, p, Some(&caller))
    })
    .await?;
    Ok(web::Json(view))
}

/// Withdraw my proposal
///
/// Only the author, while the proposal is `submitted` or `under_review`.
#[utoipa::path(
    tag = "proposals",
    operation_id = "withdraw_proposal",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The proposal's id")),
    responses(
        (status = 200, description = "Withdrawn", body = ProposalView),
        (status = 403, description = "The caller is not the author (`not_author`)"),
        (status = 404, description = "No such proposal"),
        (status = 409, description = "Already decided (`invalid_transition`) or a concurrent change"),
    )
)]
#[post("/proposals/{id}/withdraw")]
pub async fn withdraw_proposal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<ProposalView>, ApiError> {
    let id = parse_id(&id)?;
    let view = blocking(move || {
        let mut p = visible(&state.db, id, Some(&caller))?;
        let event = p.withdraw(caller.user_id, clock::now())?;
        state.db.save_proposal(&p, &[event], Some(caller.user_id))?;
        full_view(&state, p, Some(&caller))
    })
    .await?;
    Ok(web::Json(view))
}

/// Support a proposal
///
/// One support per person; idempotent (supporting twice is still one). Authors cannot support their own.
#[utoipa::path(
    tag = "proposals",
    operation_id = "support_proposal",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The proposal's id")),
    responses(
        (status = 204, description = "The caller supports the proposal"),
        (status = 403, description = "The caller wrote it (`own_proposal`)"),
        (status = 404, description = "No such proposal"),
        (status = 409, description = "Merged into another (`proposal_merged`) or closed (`proposal_closed`)"),
    )
)]
#[put("/proposals/{id}/support")]
pub async fn support_proposal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    blocking(move || {
        let hidden_ok = caller.is_staff();
        for _ in 0..3 {
            // The common case in one statement: the insert itself checks the rule (open, not one's own, not
            // hidden from the caller), so there is no read before it.
            if state
                .db
                .add_support(id, caller.user_id, clock::now(), hidden_ok)?
            {
                return Ok(());
            }
            // Nothing was added: already supported (fine, idempotent), or the rule refused. Read the
            // proposal to say which rule, in the domain's words.
            let p = visible(&state.db, id, Some(&caller))?;
            p.check_support(caller.user_id)?;
            if state.db.supports(id, caller.user_id)? {
                return Ok(());
            }
            // The rule allows it and there is no support, yet none was added: the same person withdrew a
            // support in between (two tabs), or the proposal changed and changed back. Try again.
        }
        Err(ApiError::from(ocf_domain::RepoError::Conflict("proposal")))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Withdraw my support
///
/// Idempotent: without a support it is still `204`. A support can be withdrawn even after the proposal
/// was hidden by moderation.
#[utoipa::path(
    tag = "proposals",
    operation_id = "unsupport_proposal",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The proposal's id")),
    responses(
        (status = 204, description = "The caller does not support the proposal"),
        (status = 404, description = "No such proposal"),
    )
)]
#[delete("/proposals/{id}/support")]
pub async fn unsupport_proposal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    blocking(move || {
        // A support that existed proves the proposal does; only without one is there a 404 to decide.
        if !state.db.remove_support(id, caller.user_id, clock::now())? {
            visible(&state.db, id, Some(&caller))?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// How many terms of a draft (title first, then the opening of the body) are weighed for rarity.
const SIMILAR_TERMS: usize = 16;

/// A draft to check against existing proposals.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SimilarRequest {
    /// The draft title, 2-150 characters after trimming, one line.
    #[schema(
        example = "아파트 주차장 공유",
        min_length = 2,
        max_length = 150,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub title: String,
    /// The draft body so far (optional, up to 10,000 characters).
    #[serde(default)]
    #[schema(
        example = "낮에 비어 있는 주차장을 이웃에게 열어 주세요",
        max_length = 10000
    )]
    pub body: String,
}

/// One existing proposal like the draft.
#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarItem {
    /// The existing proposal.
    pub proposal: ProposalSummary,
    /// Similarity from 0 to 1 (character-trigram overlap of titles and bodies).
    #[schema(example = 0.62, minimum = 0, maximum = 1)]
    pub score: f64,
}

/// Proposals like the draft, most similar first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarResponse {
    /// Up to 10 proposals.
    #[schema(max_items = 10)]
    pub items: Vec<SimilarItem>,
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
        let body_prefix: String = b.body.chars().take(search::BODY_PREFIX_CHARS).collect();
        let mut terms = search::terms(&title);
        for t in search::terms(&body_prefix) {
            if terms.len() >= SIMILAR_TERMS {
                break;
            }
            if !terms.contains(&t) {
                terms.push(t);
            }
        }
        let counts = state.term_counts.counts(&state.db, &terms)?;
        let distinctive = search::distinctive_terms(&terms, &counts, 3);
        let chosen_counts: Vec<i64> = distinctive
            .iter()
            .filter_map(|d| terms.iter().position(|t| t == d).map(|i| counts[i]))
            .collect();
        let scope = CandidateScope::for_counts(&chosen_counts, TermCountCache::CAP);
        let candidates = state.db.similar_candidates(&distinctive, 50, scope)?;
        let draft = search::Draft::new(&title, &b.body);
        let mut scored: Vec<(f64, ocf_domain::ports::ProposalSummary)> = candidates
            .into_iter()
            .map(|c| (draft.similarity(&c.title, &c.excerpt), c))
            .filter(|(score, _)| *score >= 0.15)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.truncate(10);
        let codes = state
            .policy_areas
            .codes_of(&state.db, scored.iter().map(|(_, p)| p.policy_area_id))?;
        Ok(scored
            .into_iter()
            .map(|(score, p)| {
                let area = codes.get(&p.policy_area_id).cloned().unwrap_or_default();
                SimilarItem {
                    proposal: summary(p, area),
                    score: (score * 1000.0).round() / 1000.0,
                }
            })
            .collect())
    })
    .await?;
    Ok(web::Json(SimilarResponse { items }))
}

/// A staff decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeStatusRequest {
    /// The new status.
    #[schema(value_type = crate::vocab::ReviewStatus, example = "under_review")]
    pub status: String,
    /// Why, 1-2,000 characters after trimming; required for `rejected`, shown on the public timeline.
    #[schema(value_type = String, example = "검토를 시작합니다.", min_length = 1, max_length = 2000, pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub reason: Option<String>,
}

/// Change a proposal's status
///
/// Moderators and admins: `submitted -> under_review -> selected | rejected`. Rejecting needs a reason.
/// The decision appears on the proposal's public timeline.
#[utoipa::path(
    tag = "proposals",
    operation_id = "change_proposal_status",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The proposal's id")),
    request_body = ChangeStatusRequest,
    responses(
        (status = 200, description = "The proposal after the decision", body = ProposalView),
        (status = 403, description = "The caller is not a moderator or admin"),
        (status = 404, description = "No such proposal"),
        (status = 409, description = "Not allowed from the current status (`invalid_transition`) or a concurrent change"),
        (status = 422, description = "Unknown status, a status set by referrals, or a missing reason"),
    )
)]
#[post("/proposals/{id}/status")]
pub async fn change_status(
    state: web::Data<AppState>,
    caller: Staff,
    id: web::Path<String>,
    body: ApiJson<ChangeStatusRequest>,
) -> Result<web::Json<ProposalView>, ApiError> {
    let id = parse_id(&id)?;
    let b = body.0;
    let mut errors = ValidationErrors::new();
    let to = errors.check("status", b.status.parse::<ProposalStatus>());
    let reason = b
        .reason
        .as_deref()
        .and_then(|r| errors.check("reason", Reason::parse(r)));
    errors.into_result()?;
    let Some(to) = to else {
        return Err(ApiError::validation("status", "is required"));
    };
    let view = blocking(move || {
        let mut p = visible(&state.db, id, Some(&caller))?;
        let event = p.decide(to, reason, ActorRole::of_staff(&caller.roles), clock::now())?;
        state.db.save_proposal(&p, &[event], Some(caller.user_id))?;
        full_view(&state, p, Some(&caller))
    })
    .await?;
    Ok(web::Json(view))
}

/// Which proposal survives a merge, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The surviving proposal's id.
    #[schema(format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub into: String,
    /// Why they are duplicates, 1-2,000 characters after trimming; shown on both timelines.
    #[schema(
        example = "같은 내용의 제안입니다.",
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub reason: String,
}

/// The result of a merge.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergeResponse {
    /// The duplicate, now `merged`.
    pub proposal: ProposalView,
    /// The surviving proposal's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub merged_into: String,
    /// Supports moved to the survivor (people who already supported it, or wrote it, are not counted twice).
    #[schema(example = 42, minimum = 0)]
    pub moved_supports: i64,
}

/// Merge a duplicate into another proposal
///
/// Moderators and admins. The duplicate (under review) becomes `merged` and points to the survivor, and its
/// supporters' supports move to the survivor without double counting. Merged proposals can themselves
/// receive merges only while open, so chains (a into b, then b into c) carry every support along.
#[utoipa::path(
    tag = "proposals",
    operation_id = "merge_proposal",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The duplicate's id")),
    request_body = MergeRequest,
    responses(
        (status = 200, description = "Merged", body = MergeResponse),
        (status = 403, description = "The caller is not a moderator or admin"),
        (status = 404, description = "No such proposal (either one)"),
        (status = 409, description = "The duplicate is not under review (`invalid_transition`), the survivor is closed (`merge_target_closed`), or a concurrent change"),
        (status = 422, description = "Invalid fields, or merging a proposal into itself"),
    )
)]
#[post("/proposals/{id}/merge")]
pub async fn merge_proposal(
    state: web::Data<AppState>,
    caller: Staff,
    id: web::Path<String>,
    body: ApiJson<MergeRequest>,
) -> Result<web::Json<MergeResponse>, ApiError> {
    let id = parse_id(&id)?;
    let b = body.0;
    let mut errors = ValidationErrors::new();
    let into = errors.check(
        "into",
        Id::parse(&b.into).map_err(|_| "is not a proposal id"),
    );
    let reason = errors.check("reason", Reason::parse(&b.reason));
    errors.into_result()?;
    let (Some(into), Some(reason)) = (into, reason) else {
        return Err(ApiError::validation("into", "is required"));
    };
    let response = blocking(move || {
        let mut source = visible(&state.db, id, Some(&caller))?;
        let target = state.db.proposal(into)?.ok_or_else(|| {
            ApiError::NotFound("the proposal to merge into was not found".to_owned())
        })?;
        let now = clock::now();
        let (merged, absorbed) =
            source.merge_into(&target, reason, ActorRole::of_staff(&caller.roles), now)?;
        let outcome = state.db.merge_proposals(
            &source,
            target.id,
            &[merged, absorbed],
            caller.user_id,
            now,
        )?;
        source.support_count = 0;
        Ok(MergeResponse {
            proposal: full_view(&state, source, Some(&caller))?,
            merged_into: target.id.to_string(),
            moved_supports: outcome.moved_supports,
        })
    })
    .await?;
    Ok(web::Json(response))
}

/// One step on a proposal's public timeline. Citizens appear only as `author`; staff by role.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEventView {
    /// The event's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// What happened.
    pub kind: crate::vocab::TimelineEventKind,
    /// Who acted.
    pub actor_role: crate::vocab::ActorRole,
    /// The status before, for `submitted` (`null`) and status changes; `null` otherwise.
    #[schema(required = true)]
    pub from_status: Option<crate::vocab::ProposalStatus>,
    /// The status after, for `submitted` and status changes; `null` otherwise.
    #[schema(required = true)]
    pub to_status: Option<crate::vocab::ProposalStatus>,
    /// The stated reason; `null` if none.
    #[schema(example = "이미 시행 중인 정책입니다.", required = true)]
    pub reason: Option<String>,
    /// For `merged`: the survivor; for `absorbed`: the duplicate; `null` otherwise.
    #[schema(example = json!(null), required = true)]
    pub related_proposal_id: Option<String>,
    /// For `absorbed`: how many supports moved over; `null` otherwise.
    #[schema(example = json!(null), required = true, minimum = 0)]
    pub moved_supports: Option<i64>,
    /// When it happened (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
}

impl From<ProposalEvent> for TimelineEventView {
    fn from(e: ProposalEvent) -> Self {
        Self {
            id: e.id.to_string(),
            kind: e.kind.into(),
            actor_role: e.actor_role.into(),
            from_status: e.from_status.map(Into::into),
            to_status: e.to_status.map(Into::into),
            reason: e.reason,
            related_proposal_id: e.related_proposal_id.map(|p| p.to_string()),
            moved_supports: e.count,
            created_at: e.created_at,
        }
    }
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
    let page = page_request(&list, query.limit, query.cursor.as_deref(), |k| {
        Id::<()>::parse(k).ok().map(|i| i.to_string())
    })?;
    let page = blocking(move || {
        visible(&state.db, id, caller.0.as_ref())?;
        Ok(state.db.timeline(id, &page)?)
    })
    .await?;
    let items = page
        .items
        .into_iter()
        .map(TimelineEventView::from)
        .collect();
    Ok(web::Json(Paginated::new(
        &list,
        items,
        page.next_after,
        Clone::clone,
    )))
}

/// A report of a proposal that breaks the rules.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// What is wrong, 1-1,000 characters after trimming.
    #[schema(
        example = "개인정보가 포함되어 있습니다.",
        min_length = 1,
        max_length = 1000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub reason: String,
}

/// A report as moderators see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    /// The report's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// The reported proposal.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub proposal_id: String,
    /// What the reporter said.
    #[schema(example = "개인정보가 포함되어 있습니다.")]
    pub reason: String,
    /// Whether a moderator has decided.
    pub status: crate::vocab::ReportStatus,
    /// The decision for resolved reports; `null` while open.
    #[schema(required = true)]
    pub decision: Option<crate::vocab::ReportDecision>,
    /// When it was filed (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it was resolved; `null` while open.
    #[schema(example = json!(null), required = true)]
    pub resolved_at: Option<DateTime<Utc>>,
}

impl From<Report> for ReportView {
    fn from(r: Report) -> Self {
        Self {
            id: r.id.to_string(),
            proposal_id: r.proposal_id.to_string(),
            reason: r.reason.as_str().to_owned(),
            status: if r.resolved_at.is_some() {
                crate::vocab::ReportStatus::Resolved
            } else {
                crate::vocab::ReportStatus::Open
            },
            decision: r.decision.map(Into::into),
            created_at: r.created_at,
            resolved_at: r.resolved_at,
        }
    }
}

/// Report a proposal
///
/// Anyone signed in, once per proposal. After 3 distinct open reports the proposal is hidden until a
/// moderator decides.
#[utoipa::path(
    tag = "moderation",
    operation_id = "report_proposal",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The proposal's id")),
    request_body = ReportRequest,
    responses(
        (status = 201, description = "Reported", body = ReportView,
            headers(("Location" = String, description = "The report's URL, `/api/v1/moderation/reports/{id}`; moderators decide on it at `<Location>/resolve`"))),
        (status = 403, description = "Reporting one's own proposal (`own_proposal`)"),
        (status = 404, description = "No such proposal"),
        (status = 409, description = "The caller reported it before (`already_exists`)"),
        (status = 422, description = "The reason is missing, empty or too long"),
    )
)]
#[post("/proposals/{id}/reports")]
pub async fn report_proposal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<ReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let reason = ReportReason::parse(&body.0.reason)
        .map_err(|e| ApiError::validation("reason", e.to_string()))?;
    let report = blocking(move || {
        let p = visible(&state.db, id, Some(&caller))?;
        if p.author_id == caller.user_id {
            return Err(ModerationError::OwnProposal.into());
        }
        let report = Report {
            id: Id::generate(),
            proposal_id: id,
            reporter_id: caller.user_id,
            reason,
            created_at: clock::now(),
            resolved_at: None,
            decision: None,
        };
        state.db.file_report(&report, AUTO_HIDE_REPORTS)?;
        Ok(report)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/moderation/reports/{}", report.id),
        ))
        .json(ReportView::from(report)))
}

/// The full view of a proposal for staff (helper for the moderation module).
pub fn staff_view(
    state: &AppState,
    p: Proposal,
    caller: &Caller,
) -> Result<ProposalView, ApiError> {
    full_view(state, p, Some(caller))
}

/// Loads a proposal for staff (helper for the moderation module).
pub fn load_for(state: &AppState, id: ProposalId, caller: &Caller) -> Result<Proposal, ApiError> {
    visible(&state.db, id, Some(caller))
}

/// Parses a proposal id from a path (helper for the moderation module).
pub fn path_id(raw: &str) -> Result<ProposalId, ApiError> {
    parse_id(raw)
}
