//! The proposal writes: each handler checks its input, then calls one use case in one unit of work.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, patch, post, put, web};
use ocf_domain::actor::Actor;
use ocf_domain::moderation::Target;
use ocf_domain::proposal::service;
use ocf_domain::proposal::{NewProposalInput, ProposalDraft, ProposalStatus, Reason};
use ocf_domain::{Id, ValidationErrors, clock};

use super::{
    ChangeStatusRequest, CreateProposalRequest, MergeRequest, MergeResponse, ProposalView,
    ReportRequest, UpdateProposalRequest, full_view, parse_id,
};
use crate::auth::{Caller, Staff};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::common::{
    EditFields, act_then, area_id, grouped_no_content, parse_decision, parse_edit, with_area,
};
use crate::routes::moderation::{ReportView, report};
use crate::state::AppState;

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
    let submit = move |s: &AppState, actor: &Actor| {
        let (draft, area) = with_area(s, draft, &area_code)?;
        s.transact(|uow| service::submit(uow, actor, draft, area, clock::now()))
    };
    let view = act_then(state, caller, submit, |s, p, c| full_view(s, p, Some(c))).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/proposals/{}", view.id)))
        .json(view))
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
    let mut edit = parse_edit(&EditFields {
        title: b.title.as_deref(),
        body_field: "body",
        body: b.body.as_deref(),
        region: &b.region,
        tags: b.tags.as_deref(),
        policy_area: b.policy_area.as_deref(),
    })?;
    let apply = move |s: &AppState, actor: &Actor| {
        if let Some(code) = &b.policy_area {
            edit.policy_area_id = Some(area_id(s, code)?);
        }
        s.transact(|uow| service::edit(uow, actor, id, edit, clock::now()))
    };
    let view = act_then(state, caller, apply, |s, p, c| full_view(s, p, Some(c))).await?;
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
    let withdraw = move |s: &AppState, actor: &Actor| {
        s.transact(|uow| service::withdraw(uow, actor, id, clock::now()))
    };
    let view = act_then(state, caller, withdraw, |s, p, c| full_view(s, p, Some(c))).await?;
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
    grouped_no_content(&state, &caller, move |uow, actor, now| {
        service::support(uow, actor, id, now)
    })
    .await
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
    grouped_no_content(&state, &caller, move |uow, actor, now| {
        service::unsupport(uow, actor, id, now)
    })
    .await
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
    let (to, reason) = parse_decision::<ProposalStatus>(&b.status, b.reason.as_deref())?;
    let decide = move |s: &AppState, actor: &Actor| {
        s.transact(|uow| service::decide(uow, actor, id, to, reason, clock::now()))
    };
    let view = act_then(state, caller.0, decide, |s, p, c| full_view(s, p, Some(c))).await?;
    Ok(web::Json(view))
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
    let merge = move |s: &AppState, actor: &Actor| {
        s.transact(|uow| service::merge(uow, actor, id, into, reason, clock::now()))
    };
    let response = act_then(state, caller.0, merge, |s, merged, c| {
        Ok(MergeResponse {
            proposal: full_view(s, merged.duplicate, Some(c))?,
            merged_into: merged.into.to_string(),
            moved_supports: merged.moved_supports,
        })
    })
    .await?;
    Ok(web::Json(response))
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
    report(state, caller, Target::Proposal(id), &body.0.reason).await
}
