//! `/moderation/*`: the report queue, decisions on reports, hiding and unhiding, and the public log.

use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use ocf_domain::moderation::{LogEntry, ModerationAction, ModerationError, ReportDecision};
use ocf_domain::ports::ModerationRepository;
use ocf_domain::proposal::{ActorRole, Reason};
use ocf_domain::{Id, ValidationErrors, clock};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::proposals::{ProposalView, ReportView, load_for, path_id, staff_view};
use crate::auth::{Caller, Staff};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::pagination::{PageQuery, Paginated, page_request};
use crate::state::{AppState, blocking};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportsQuery {
    /// Which reports: `open` (default) or `resolved`.
    #[param(value_type = Option<crate::vocab::ReportStatus>, example = "open")]
    pub status: Option<String>,
    /// Page size, 1-100 (default 20).
    #[param(example = 20, minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
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

/// A moderator's decision on a report.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    /// `uphold` (the proposal is or stays hidden) or `dismiss` (it is or stays visible).
    #[schema(value_type = crate::vocab::ReportDecision, example = "uphold")]
    pub decision: String,
    /// Why, 1-2,000 characters after trimming; published in the moderation log.
    #[schema(
        example = "연락처 등 개인정보가 포함되어 있습니다.",
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub reason: String,
}

/// The outcome of a decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResolveResponse {
    /// How many open reports of the proposal the decision closed.
    #[schema(example = 3, minimum = 0)]
    pub resolved_reports: usize,
    /// The proposal after the decision.
    pub proposal: ProposalView,
}

/// Decide on a report
///
/// Moderators and admins. The decision covers every open report of the same proposal: `uphold` hides it,
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
    let report_id =
        Id::parse(&id).map_err(|_| ApiError::NotFound("report not found".to_owned()))?;
    let b = body.0;
    let mut errors = ValidationErrors::new();
    let decision = errors.check("decision", ReportDecision::parse(&b.decision));
    let reason = errors.check("reason", Reason::parse(&b.reason));
    errors.into_result()?;
    let (Some(decision), Some(reason)) = (decision, reason) else {
        return Err(ApiError::validation("decision", "is required"));
    };
    let response = blocking(move || {
        let report = state
            .db
            .report(report_id)?
            .ok_or_else(|| ApiError::NotFound("report not found".to_owned()))?;
        if report.resolved_at.is_some() {
            return Err(ModerationError::AlreadyResolved.into());
        }
        let mut proposal = load_for(&state, report.proposal_id, &caller)?;
        let now = clock::now();
        let actor = ActorRole::of_staff(&caller.roles);
        let hide = decision == ReportDecision::Uphold;
        let event = proposal.set_hidden(hide, Some(reason.as_str().to_owned()), actor, now);
        let resolved = state.db.resolve_reports(
            &proposal,
            event.as_ref(),
            decision,
            reason.as_str(),
            caller.user_id,
            actor,
            now,
        )?;
        Ok(ResolveResponse {
            resolved_reports: resolved,
            proposal: staff_view(&state, proposal, &caller)?,
        })
    })
    .await?;
    Ok(web::Json(response))
}

/// Why a proposal is hidden or shown again.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModerationRequest {
    /// 1-2,000 characters after trimming; published in the moderation log and on the proposal's timeline.
    #[schema(
        example = "욕설이 포함되어 있습니다.",
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub reason: String,
}

fn moderate(
    state: &AppState,
    caller: &Caller,
    raw_id: &str,
    hide: bool,
    reason: &Reason,
) -> Result<ProposalView, ApiError> {
    let id = path_id(raw_id)?;
    let mut proposal = load_for(state, id, caller)?;
    let now = clock::now();
    let actor = ActorRole::of_staff(&caller.roles);
    let event = proposal
        .set_hidden(hide, Some(reason.as_str().to_owned()), actor, now)
        .ok_or(if hide {
            ModerationError::AlreadyHidden
        } else {
            ModerationError::NotHidden
        })?;
    let entry = LogEntry {
        id: Id::generate(),
        action: if hide {
            ModerationAction::Hide
        } else {
            ModerationAction::Unhide
        },
        proposal_id: id,
        reason: Some(reason.as_str().to_owned()),
        actor_role: actor,
        created_at: now,
    };
    state
        .db
        .moderate(&proposal, &event, &entry, caller.user_id)?;
    staff_view(state, proposal, caller)
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
    let reason =
        Reason::parse(&body.0.reason).map_err(|e| ApiError::validation("reason", e.to_string()))?;
    let id = id.into_inner();
    Ok(web::Json(
        blocking(move || moderate(&state, &caller, &id, true, &reason)).await?,
    ))
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
    let reason =
        Reason::parse(&body.0.reason).map_err(|e| ApiError::validation("reason", e.to_string()))?;
    let id = id.into_inner();
    Ok(web::Json(
        blocking(move || moderate(&state, &caller, &id, false, &reason)).await?,
    ))
}

/// One public moderation decision. Moderators appear by role only.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModerationLogEntryView {
    /// The entry's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// What was decided.
    pub action: crate::vocab::ModerationAction,
    /// The proposal concerned.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub proposal_id: String,
    /// The stated reason; `null` if none.
    #[schema(example = "욕설이 포함되어 있습니다.", required = true)]
    pub reason: Option<String>,
    /// Who decided: `moderator`, `admin` or `system` (automatic hiding).
    pub actor_role: crate::vocab::ActorRole,
    /// When (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
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
        .map(|e| ModerationLogEntryView {
            id: e.id.to_string(),
            action: e.action.into(),
            proposal_id: e.proposal_id.to_string(),
            reason: e.reason,
            actor_role: e.actor_role.into(),
            created_at: e.created_at,
        })
        .collect();
    Ok(web::Json(Paginated::new(
        "moderation_log",
        items,
        page.next_after,
        Clone::clone,
    )))
}
