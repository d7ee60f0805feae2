//! The ledger's writes: staff refer; the receiving organization's officials take every later step. Each
//! handler checks who may act before it reads the body's fields (a wrong organization learns `403`, not
//! the shape of the body), then runs one use case in one unit of work.

use actix_web::http::header;
use actix_web::{HttpResponse, patch, post, web};
use ocf_domain::clock;
use ocf_domain::referral::{
    AcknowledgeInput, AnswerInput, CommitmentInput, CompletionInput, ExtensionInput, FollowUpInput,
    NewReferralInput, ParticipantInput, TransferInput, service,
};

use super::receiver::{StepRequest, step};
use super::{
    AcknowledgeRequest, AnswerRequest, CommitmentStatusRequest, CompleteRequest,
    CreateReferralRequest, ExtendRequest, FollowUpRequest, ReferralView, TransferRequest, view_for,
};
use crate::auth::Staff;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::common::path_id;
use crate::state::{AppState, blocking};

/// Refer a subject to an organization
///
/// Moderators and admins. Sends a `selected` proposal (it becomes `referred`) or a `reported` forum's
/// outcome to the competent organization as an official document: the next number of the year
/// (`OCF-2026-000123`, no gaps, no repeats, also under concurrent referrals) and a due date, by default
/// 30 days on, at the end of that day in Asia/Seoul. A subject is with one organization at a time; to
/// move it, the organization transfers it. The step appears on the subject's public timeline.
#[utoipa::path(
    tag = "referrals",
    operation_id = "create_referral",
    security(("bearer" = [])),
    request_body = CreateReferralRequest,
    responses(
        (status = 201, description = "Sent", body = ReferralView,
            headers(("Location" = String, description = "The new referral's URL"))),
        (status = 401, description = "No valid token"),
        (status = 403, description = "Not a moderator or an admin"),
        (status = 404, description = "No such proposal or forum"),
        (status = 409, description = "The subject is not a selected proposal or a reported forum (`subject_not_referable`), it is already with an organization (`subject_already_referred`), or a concurrent change"),
        (status = 422, description = "A field is invalid, missing or unknown; no such organization; a due date out of bounds"),
    )
)]
#[post("/referrals")]
pub async fn create_referral(
    state: web::Data<AppState>,
    caller: Staff,
    body: ApiJson<CreateReferralRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let caller = caller.0;
    let view = blocking(move || {
        let now = clock::now();
        let new = NewReferralInput {
            subject_kind: &b.subject_kind,
            subject_id: &b.subject_id,
            organization_id: &b.organization_id,
            cover_note: &b.cover_note,
            due_on: b.due_on.as_deref(),
        }
        .parse(now)?;
        let actor = caller.actor();
        let r = state.transact(|uow| service::refer(uow, &actor, new, now))?;
        Ok(view_for(r, Some(&caller)))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/referrals/{}", view.id)))
        .json(view))
}

/// Acknowledge a referral
///
/// Officials of the organization that holds it. Confirms receipt (`sent -> acknowledged`), names the
/// division handling it (public) and an internal contact (staff and the organization only).
#[utoipa::path(
    tag = "referrals",
    operation_id = "acknowledge_referral",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    request_body = AcknowledgeRequest,
    responses(
        (status = 200, description = "Acknowledged", body = ReferralView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "Not an official of the organization holding it (`not_receiving_organization`)"),
        (status = 404, description = "No such referral"),
        (status = 409, description = "Already acknowledged (`referral_already_acknowledged`), answered (`referral_already_answered`) or closed (`referral_closed`), or a concurrent change"),
        (status = 422, description = "A field is invalid, missing or unknown"),
    )
)]
#[post("/referrals/{id}/acknowledge")]
pub async fn acknowledge(
    state: web::Data<AppState>,
    req: StepRequest<AcknowledgeRequest>,
) -> Result<web::Json<ReferralView>, ApiError> {
    let StepRequest { receiver, body: b } = req;
    let v = step(state, receiver, move |s, actor, id| {
        let now = clock::now();
        let ack = AcknowledgeInput {
            division: &b.division,
            contact: b.contact.as_deref(),
        }
        .parse(actor.user_id, now)?;
        s.transact(|uow| service::acknowledge(uow, actor, id, ack, now))
    })
    .await?;
    Ok(web::Json(v))
}

/// Answer a referral
///
/// Officials of the organization that holds it, once acknowledged. `accepted` and `partially_accepted`
/// need planned measures and an expected completion date; the proposal becomes `answered`.
/// `not_accepted` closes the referral, with its reasoning in public. The answer appears on the subject's
/// timeline and notifies its followers.
#[utoipa::path(
    tag = "referrals",
    operation_id = "answer_referral",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    request_body = AnswerRequest,
    responses(
        (status = 200, description = "Answered", body = ReferralView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "Not an official of the organization holding it (`not_receiving_organization`)"),
        (status = 404, description = "No such referral"),
        (status = 409, description = "Not acknowledged yet (`referral_not_acknowledged`), already answered (`referral_already_answered`), closed (`referral_closed`), or a concurrent change"),
        (status = 422, description = "A field is invalid, missing or unknown"),
    )
)]
#[post("/referrals/{id}/answer")]
pub async fn answer(
    state: web::Data<AppState>,
    req: StepRequest<AnswerRequest>,
) -> Result<web::Json<ReferralView>, ApiError> {
    let StepRequest { receiver, body: b } = req;
    let v = step(state, receiver, move |s, actor, id| {
        let now = clock::now();
        let answer = AnswerInput {
            decision: &b.decision,
            reasoning: &b.reasoning,
            planned_measures: b.planned_measures.as_deref(),
            policy_task: b.policy_task.as_deref(),
            expected_completion_on: b.expected_completion_on.as_deref(),
        }
        .parse(actor.user_id, now)?;
        s.transact(|uow| service::answer(uow, actor, id, answer, now))
    })
    .await?;
    Ok(web::Json(v))
}

/// Record a follow-up meeting
///
/// Officials of the organization that holds it, once acknowledged: when it was held, who took part (by
/// role and organization), the minutes, and the commitments made there.
#[utoipa::path(
    tag = "referrals",
    operation_id = "add_referral_follow_up",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    request_body = FollowUpRequest,
    responses(
        (status = 201, description = "Recorded", body = ReferralView,
            headers(("Location" = String, description = "The referral's URL"))),
        (status = 401, description = "No valid token"),
        (status = 403, description = "Not an official of the organization holding it (`not_receiving_organization`)"),
        (status = 404, description = "No such referral"),
        (status = 409, description = "Not acknowledged yet (`referral_not_acknowledged`), closed (`referral_closed`), or a concurrent change"),
        (status = 422, description = "A field is invalid, missing or unknown"),
    )
)]
#[post("/referrals/{id}/follow-ups")]
pub async fn follow_up(
    state: web::Data<AppState>,
    req: StepRequest<FollowUpRequest>,
) -> Result<HttpResponse, ApiError> {
    let StepRequest { receiver, body: b } = req;
    let v = step(state, receiver, move |s, actor, id| {
        let now = clock::now();
        let participants: Vec<ParticipantInput<'_>> = b
            .participants
            .iter()
            .map(|p| ParticipantInput {
                role: &p.role,
                organization: &p.organization,
            })
            .collect();
        let commitments: Vec<CommitmentInput<'_>> = b
            .commitments
            .iter()
            .map(|c| CommitmentInput {
                description: &c.description,
                due_on: &c.due_on,
                status: c.status.as_deref(),
            })
            .collect();
        let draft = FollowUpInput {
            held_on: &b.held_on,
            participants: &participants,
            minutes: &b.minutes,
            commitments: &commitments,
        }
        .parse(now)?;
        s.transact(|uow| service::follow_up(uow, actor, id, draft, now))
            .map(|(r, _)| r)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/referrals/{}", v.id)))
        .json(v))
}

/// Update a commitment
///
/// Officials of the organization that holds the referral: `planned`, `in_progress`, `done` or
/// `dropped`. Setting the status it has changes nothing.
#[utoipa::path(
    tag = "referrals",
    operation_id = "update_referral_commitment",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The referral's id"),
        ("commitment_id" = String, Path, description = "The commitment's id"),
    ),
    request_body = CommitmentStatusRequest,
    responses(
        (status = 200, description = "Updated", body = ReferralView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "Not an official of the organization holding it (`not_receiving_organization`)"),
        (status = 404, description = "No such referral or commitment"),
        (status = 409, description = "Closed (`referral_closed`), or a concurrent change"),
        (status = 422, description = "A field is invalid, missing or unknown"),
    )
)]
#[patch("/referrals/{id}/commitments/{commitment_id}")]
pub async fn update_commitment(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: StepRequest<CommitmentStatusRequest>,
) -> Result<web::Json<ReferralView>, ApiError> {
    let commitment = path_id(&path.1, "commitment")?;
    let StepRequest { receiver, body: b } = req;
    let v = step(state, receiver, move |s, actor, id| {
        let status = b
            .status
            .parse()
            .map_err(|e: String| ApiError::validation("status", e))?;
        s.transact(|uow| service::set_commitment(uow, actor, id, commitment, status, clock::now()))
    })
    .await?;
    Ok(web::Json(v))
}

/// Extend a referral's deadline
///
/// Officials of the organization that holds it, before the answer, once per organization: a reason
/// (public) and a new due date after the current one, at most 30 days later.
#[utoipa::path(
    tag = "referrals",
    operation_id = "extend_referral",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    request_body = ExtendRequest,
    responses(
        (status = 200, description = "Extended", body = ReferralView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "Not an official of the organization holding it (`not_receiving_organization`)"),
        (status = 404, description = "No such referral"),
        (status = 409, description = "Already extended (`referral_already_extended`), answered (`referral_already_answered`), closed (`referral_closed`), or a concurrent change"),
        (status = 422, description = "A field is invalid, missing or unknown; the new due date is out of bounds"),
    )
)]
#[post("/referrals/{id}/extend")]
pub async fn extend(
    state: web::Data<AppState>,
    req: StepRequest<ExtendRequest>,
) -> Result<web::Json<ReferralView>, ApiError> {
    let StepRequest { receiver, body: b } = req;
    let v = step(state, receiver, move |s, actor, id| {
        let (reason, due_on) = ExtensionInput {
            reason: &b.reason,
            due_on: &b.due_on,
        }
        .parse()?;
        s.transact(|uow| service::extend(uow, actor, id, reason, due_on, clock::now()))
    })
    .await?;
    Ok(web::Json(v))
}

/// Transfer a referral
///
/// Officials of the organization that holds it, while it is `sent` or `acknowledged`: to the competent
/// organization, with a reason (public). The deadline restarts there (30 days, end of day in
/// Asia/Seoul), its one extension is available again, and the chain of hops is kept.
#[utoipa::path(
    tag = "referrals",
    operation_id = "transfer_referral",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    request_body = TransferRequest,
    responses(
        (status = 200, description = "Transferred", body = ReferralView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "Not an official of the organization holding it (`not_receiving_organization`)"),
        (status = 404, description = "No such referral"),
        (status = 409, description = "Already answered (`referral_already_answered`), closed (`referral_closed`), or a concurrent change"),
        (status = 422, description = "A field is invalid, missing or unknown; no such organization, or the same one"),
    )
)]
#[post("/referrals/{id}/transfer")]
pub async fn transfer(
    state: web::Data<AppState>,
    req: StepRequest<TransferRequest>,
) -> Result<web::Json<ReferralView>, ApiError> {
    let StepRequest { receiver, body: b } = req;
    let v = step(state, receiver, move |s, actor, id| {
        let (to, reason) = TransferInput {
            organization_id: &b.organization_id,
            reason: &b.reason,
        }
        .parse()?;
        s.transact(|uow| service::transfer(uow, actor, id, to, reason, clock::now()))
    })
    .await?;
    Ok(web::Json(v))
}

/// Complete a referral
///
/// Officials of the organization that holds it, after an `accepted` or `partially_accepted` answer: the
/// evidence and a summary. The referral and the proposal become `implemented`.
#[utoipa::path(
    tag = "referrals",
    operation_id = "complete_referral",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    request_body = CompleteRequest,
    responses(
        (status = 200, description = "Implemented", body = ReferralView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "Not an official of the organization holding it (`not_receiving_organization`)"),
        (status = 404, description = "No such referral"),
        (status = 409, description = "No answer yet (`referral_not_answered`), not accepted (`referral_not_accepted`), already implemented (`referral_closed`), or a concurrent change"),
        (status = 422, description = "A field is invalid, missing or unknown"),
    )
)]
#[post("/referrals/{id}/complete")]
pub async fn complete(
    state: web::Data<AppState>,
    req: StepRequest<CompleteRequest>,
) -> Result<web::Json<ReferralView>, ApiError> {
    let StepRequest { receiver, body: b } = req;
    let v = step(state, receiver, move |s, actor, id| {
        let now = clock::now();
        let done = CompletionInput {
            evidence_url: &b.evidence_url,
            summary: &b.summary,
        }
        .parse(actor.user_id, now)?;
        s.transact(|uow| service::complete(uow, actor, id, done, now))
    })
    .await?;
    Ok(web::Json(v))
}
