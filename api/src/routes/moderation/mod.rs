//! `/moderation/*`: the report queue, decisions on reports, hiding and showing content, and the public log.
//! One mechanism for proposals and topics: each handler calls one use case of
//! `ocf_domain::moderation::service` on a `Target`.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use ocf_domain::moderation::{
    ModerationQueries, ReportDecision, ReportReason, Subject, Target, service,
};
use ocf_domain::proposal::Reason;
use ocf_domain::{Id, ValidationErrors, clock};

use crate::auth::{Caller, Staff};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::pagination::{PageQuery, Paginated, page_request};
use crate::routes::common::path_id;
use crate::routes::proposal::{self, ProposalView};
use crate::routes::topic::{self, TopicView};

mod comment;
use crate::state::{AppState, blocking};

mod dto;

pub use dto::{
    ModerationLogEntryView, ModerationRequest, ReportView, ReportsQuery, ResolveRequest,
    ResolveResponse,
};

/// Registers the moderation routes with their OpenAPI entries.
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
        .service(list_reports)
        .service(resolve_report)
        .service(hide_proposal)
        .service(unhide_proposal)
        .service(hide_topic)
        .service(unhide_topic)
        .service(comment::hide_comment)
        .service(comment::unhide_comment)
        .service(moderation_log)
}

/// Files `caller`'s report on `target` (the handlers of `POST /proposals/{id}/reports` and
/// `POST /topics/{id}/reports`).
///
/// # Errors
/// The reason is invalid, or the use case refuses.
pub async fn report(
    state: web::Data<AppState>,
    caller: Caller,
    target: Target,
    reason: &str,
) -> Result<HttpResponse, ApiError> {
    let reason =
        ReportReason::parse(reason).map_err(|e| ApiError::validation("reason", e.to_string()))?;
    let report = blocking(move || {
        let actor = caller.actor();
        state.transact(|uow| service::file_report(uow, &actor, target, reason, clock::now()))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/moderation/reports/{}", report.id),
        ))
        .json(ReportView::from(report)))
}

/// The report queue
///
/// Moderators and admins; oldest first.
#[utoipa::path(
    tag = "moderation",
    operation_id = "list_reports",
    security(("bearer" = [])),
    params(ReportsQuery),
    responses(
        (status = 200, description = "One page of reports", body = Paginated<ReportView>),
        (status = 400, description = "The query string is malformed"),
        (status = 403, description = "The caller is not a moderator or admin"),
        (status = 422, description = "`status`, `limit` or `cursor` is invalid"),
    )
)]
#[get("/moderation/reports")]
pub async fn list_reports(
    state: web::Data<AppState>,
    _staff: Staff,
    query: web::Query<ReportsQuery>,
) -> Result<web::Json<Paginated<ReportView>>, ApiError> {
    let resolved = match query.status.as_deref() {
        None | Some("open") => false,
        Some("resolved") => true,
        Some(other) => {
            return Err(ApiError::validation(
                "status",
                format!("unknown status '{other}'; expected open or resolved"),
            ));
        }
    };
    let page = page_request(
        "moderation_reports",
        query.limit,
        query.cursor.as_deref(),
        |k| Id::<()>::parse(k).ok().map(|i| i.to_string()),
    )?;
    let page = blocking(move || Ok(state.db.list_reports(resolved, &page)?)).await?;
    let items = page.items.into_iter().map(ReportView::from).collect();
    Ok(web::Json(Paginated::new(
        "moderation_reports",
        items,
        page.next_after,
        Clone::clone,
    )))
}

/// Decide on a report
///
/// Moderators and admins. The decision covers every open report of the same proposal or topic: `uphold` hides it,
/// `dismiss` shows it again. The decision is published in the moderation log.
#[utoipa::path(
    tag = "moderation",
    operation_id = "resolve_report",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The report's id")),
    request_body = ResolveRequest,
    responses(
        (status = 200, description = "Resolved", body = ResolveResponse),
        (status = 403, description = "The caller is not a moderator or admin"),
        (status = 404, description = "No such report"),
        (status = 409, description = "Already resolved (`report_already_resolved`) or a concurrent change"),
        (status = 422, description = "Unknown decision or missing reason"),
    )
)]
#[post("/moderation/reports/{id}/resolve")]
pub async fn resolve_report(
    state: web::Data<AppState>,
    caller: Staff,
    id: web::Path<String>,
    body: ApiJson<ResolveRequest>,
) -> Result<web::Json<ResolveResponse>, ApiError> {
    let report_id = path_id(&id, "report")?;
    let b = body.0;
    let mut errors = ValidationErrors::new();
    let decision = errors.check("decision", ReportDecision::parse(&b.decision));
    let reason = errors.check("reason", Reason::parse(&b.reason));
    errors.into_result()?;
    let (Some(decision), Some(reason)) = (decision, reason) else {
        return Err(ApiError::validation("decision", "is required"));
    };
    let response = blocking(move || {
        let actor = caller.actor();
        let (resolved, subject) = state.transact(|uow| {
            service::resolve(uow, &actor, report_id, decision, reason, clock::now())
        })?;
        let mut response = ResolveResponse {
            resolved_reports: resolved,
            proposal: None,
            topic: None,
            comment: None,
        };
        match subject {
            Subject::Proposal(p) => {
                response.proposal = Some(proposal::full_view(&state, p, Some(&caller))?);
            }
            Subject::Topic(t) => response.topic = Some(topic::full_view(&state, t, Some(&caller))?),
            Subject::Comment(c) => {
                response.comment =
                    Some(crate::routes::comment::full_view(&state, c, Some(&caller))?);
            }
        }
        Ok(response)
    })
    .await?;
    Ok(web::Json(response))
}

/// Hides or shows `target` for `caller`, and answers with the content after the change.
async fn moderate(
    state: web::Data<AppState>,
    caller: Staff,
    target: Target,
    hide: bool,
    body: ModerationRequest,
) -> Result<Subject, ApiError> {
    let reason =
        Reason::parse(&body.reason).map_err(|e| ApiError::validation("reason", e.to_string()))?;
    let actor = caller.actor();
    blocking(move || {
        state.transact(|uow| service::set_hidden(uow, &actor, target, hide, reason, clock::now()))
    })
    .await
}

async fn moderate_proposal(
    state: web::Data<AppState>,
    caller: Staff,
    id: &str,
    hide: bool,
    body: ModerationRequest,
) -> Result<web::Json<ProposalView>, ApiError> {
    let target = Target::Proposal(path_id(id, "proposal")?);
    let subject = moderate(state.clone(), caller.clone(), target, hide, body).await?;
    let Subject::Proposal(p) = subject else {
        return Err(ApiError::Internal(
            "a proposal target moderated something else".into(),
        ));
    };
    Ok(web::Json(
        blocking(move || proposal::full_view(&state, p, Some(&caller))).await?,
    ))
}

async fn moderate_topic(
    state: web::Data<AppState>,
    caller: Staff,
    id: &str,
    hide: bool,
    body: ModerationRequest,
) -> Result<web::Json<TopicView>, ApiError> {
    let target = Target::Topic(path_id(id, "topic")?);
    let subject = moderate(state.clone(), caller.clone(), target, hide, body).await?;
    let Subject::Topic(t) = subject else {
        return Err(ApiError::Internal(
            "a topic target moderated something else".into(),
        ));
    };
    Ok(web::Json(
        blocking(move || topic::full_view(&state, t, Some(&caller))).await?,
    ))
}

/// Hide a proposal
///
/// Moderators and admins. A hidden proposal disappears from lists, search and reads for everyone but its
/// author and moderators; its status does not change.
#[utoipa::path(
    tag = "moderation",
    operation_id = "hide_proposal",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The proposal's id")),
    request_body = ModerationRequest,
    responses(
        (status = 200, description = "Hidden", body = ProposalView),
        (status = 403, description = "The caller is not a moderator or admin"),
        (status = 404, description = "No such proposal"),
        (status = 409, description = "Already hidden (`already_hidden`) or a concurrent change"),
        (status = 422, description = "The reason is missing or invalid"),
    )
)]
#[post("/moderation/proposals/{id}/hide")]
pub async fn hide_proposal(
    state: web::Data<AppState>,
    caller: Staff,
    id: web::Path<String>,
    body: ApiJson<ModerationRequest>,
) -> Result<web::Json<ProposalView>, ApiError> {
    moderate_proposal(state, caller, &id, true, body.0).await
}

/// Show a hidden proposal again
///
/// Moderators and admins.
#[utoipa::path(
    tag = "moderation",
    operation_id = "unhide_proposal",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The proposal's id")),
    request_body = ModerationRequest,
    responses(
        (status = 200, description = "Visible again", body = ProposalView),
        (status = 403, description = "The caller is not a moderator or admin"),
        (status = 404, description = "No such proposal"),
        (status = 409, description = "Not hidden (`not_hidden`) or a concurrent change"),
        (status = 422, description = "The reason is missing or invalid"),
    )
)]
#[post("/moderation/proposals/{id}/unhide")]
pub async fn unhide_proposal(
    state: web::Data<AppState>,
    caller: Staff,
    id: web::Path<String>,
    body: ApiJson<ModerationRequest>,
) -> Result<web::Json<ProposalView>, ApiError> {
    moderate_proposal(state, caller, &id, false, body.0).await
}

/// Hide a topic
///
/// Moderators and admins. A hidden topic disappears from lists, search and reads for everyone but its
/// author and moderators; its status does not change.
#[utoipa::path(
    tag = "moderation",
    operation_id = "hide_topic",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The topic's id")),
    request_body = ModerationRequest,
    responses(
        (status = 200, description = "Hidden", body = TopicView),
        (status = 403, description = "The caller is not a moderator or admin"),
        (status = 404, description = "No such topic"),
        (status = 409, description = "Already hidden (`already_hidden`) or a concurrent change"),
        (status = 422, description = "The reason is missing or invalid"),
    )
)]
#[post("/moderation/topics/{id}/hide")]
pub async fn hide_topic(
    state: web::Data<AppState>,
    caller: Staff,
    id: web::Path<String>,
    body: ApiJson<ModerationRequest>,
) -> Result<web::Json<TopicView>, ApiError> {
    moderate_topic(state, caller, &id, true, body.0).await
}

/// Show a hidden topic again
///
/// Moderators and admins.
#[utoipa::path(
    tag = "moderation",
    operation_id = "unhide_topic",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The topic's id")),
    request_body = ModerationRequest,
    responses(
        (status = 200, description = "Visible again", body = TopicView),
        (status = 403, description = "The caller is not a moderator or admin"),
        (status = 404, description = "No such topic"),
        (status = 409, description = "Not hidden (`not_hidden`) or a concurrent change"),
        (status = 422, description = "The reason is missing or invalid"),
    )
)]
#[post("/moderation/topics/{id}/unhide")]
pub async fn unhide_topic(
    state: web::Data<AppState>,
    caller: Staff,
    id: web::Path<String>,
    body: ApiJson<ModerationRequest>,
) -> Result<web::Json<TopicView>, ApiError> {
    moderate_topic(state, caller, &id, false, body.0).await
}

/// The moderation log
///
/// Public: every moderation decision, newest first, so that moderation itself can be scrutinised.
#[utoipa::path(
    tag = "moderation",
    operation_id = "get_moderation_log",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of decisions", body = Paginated<ModerationLogEntryView>),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "`limit` or `cursor` is invalid"),
    )
)]
#[get("/moderation/log")]
pub async fn moderation_log(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Paginated<ModerationLogEntryView>>, ApiError> {
    let page = page_request(
        "moderation_log",
        query.limit,
        query.cursor.as_deref(),
        |k| Id::<()>::parse(k).ok().map(|i| i.to_string()),
    )?;
    let page = blocking(move || Ok(state.db.moderation_log(&page)?)).await?;
    let items = page
        .items
        .into_iter()
        .map(ModerationLogEntryView::from)
        .collect();
    Ok(web::Json(Paginated::new(
        "moderation_log",
        items,
        page.next_after,
        Clone::clone,
    )))
}
