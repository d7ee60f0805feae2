//! `/channels/{id}/proposals/{external_id}` (partner machines): create or update the proposal a partner
//! record maps to, and read its status back.

use actix_web::http::header;
use actix_web::{HttpResponse, get, put, web};

use ocf_domain::partner::intake::{self, Intake, IntakeOutcome, PartnerRecord};
use ocf_domain::partner::record::Provenance;
use ocf_domain::partner::{ChannelId, ChannelRecord, ChannelRepository, ExternalId, Scope};
use ocf_domain::proposal::query::ProposalQueries;
use ocf_domain::proposal::{NewProposalInput, ProposalDraft, ProposalId};
use ocf_domain::referral::query::{ReferralFilter, ReferralQueries};
use ocf_domain::values::HttpsUrl;
use ocf_domain::{PageRequest, RepoError, UseCaseError, ValidationErrors, clock};

use sha2::{Digest, Sha256};

use super::dto::ChannelPresenceView;
pub use super::intake_dto::{
    BulkLine, PartnerProposalRequest, PartnerRecordView, RecordProposal, RecordReferral,
};
use super::{load_channel, parse_channel_id};
use crate::auth::Partner;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::common::with_area;
use crate::state::{AppState, blocking};

/// The most a partner may report as its own support count.
const MAX_PARTNER_SUPPORTS: i64 = 1_000_000_000;

fn parse_external_id(raw: &str) -> Result<ExternalId, ApiError> {
    ExternalId::parse(raw).map_err(|e| ApiError::validation("external_id", e))
}

/// A digest of what the partner sent, to tell an unchanged re-send.
pub fn fingerprint(b: &PartnerProposalRequest) -> String {
    let json = serde_json::to_vec(b).unwrap_or_default();
    Sha256::digest(&json)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks a record as sent. Blocking (the policy area is looked up).
///
/// # Errors
/// Every invalid field, at once.
pub fn check_record(
    state: &AppState,
    external_id: ExternalId,
    b: &PartnerProposalRequest,
) -> Result<PartnerRecord, ApiError> {
    let mut errors = ValidationErrors::new();
    let draft = ProposalDraft::parse(&NewProposalInput {
        title: &b.title,
        body: &b.body,
        region: b.region.as_deref(),
        tags: &b.tags,
        topic_id: None,
        forum_id: None,
    });
    let external_url = b
        .external_url
        .as_deref()
        .map(|u| errors.check("external_url", HttpsUrl::parse(u)))
        .unwrap_or(None);
    if let Some(n) = b.partner_support_count
        && !(0..=MAX_PARTNER_SUPPORTS).contains(&n)
    {
        errors.push("partner_support_count", "must be between 0 and 1000000000");
    }
    let draft = match draft {
        Ok(d) if errors.is_empty() => Ok(d),
        Ok(_) => Err(errors),
        Err(mut e) => {
            for f in errors.errors() {
                e.push(f.field.clone(), f.message.clone());
            }
            Err(e)
        }
    };
    let (draft, policy_area_id) = with_area(state, draft, &b.policy_area)?;
    Ok(PartnerRecord {
        external_id,
        draft,
        policy_area_id,
        provenance: Provenance {
            external_url,
            partner_created_at: b.partner_created_at,
            partner_updated_at: b.partner_updated_at,
            partner_support_count: b.partner_support_count,
        },
        fingerprint: fingerprint(b),
    })
}

/// The channel as the intake needs it, if active. Blocking.
pub fn intake_of(state: &AppState, channel_id: ChannelId) -> Result<Intake, ApiError> {
    let channel = load_channel(state, channel_id)?;
    Ok(Intake {
        channel_id,
        code: channel.code,
        service_user_id: channel.service_user_id,
    })
}

/// Runs the intake; a concurrent create of the same record is retried once (it then finds the record).
/// Blocking.
///
/// # Errors
/// The use case's error.
pub fn run_intake(
    state: &AppState,
    intake: &Intake,
    record: PartnerRecord,
) -> Result<(IntakeOutcome, ProposalId), ApiError> {
    let again = record.clone();
    match state
        .db
        .transact(|uow| intake::upsert(uow, intake, record, clock::now()))
    {
        Err(UseCaseError::Repo(RepoError::Duplicate { .. })) => state
            .db
            .transact(|uow| intake::upsert(uow, intake, again, clock::now()))
            .map_err(ApiError::from),
        other => other.map_err(ApiError::from),
    }
}

fn record_proposal(p: &ocf_domain::proposal::Proposal) -> RecordProposal {
    RecordProposal {
        id: p.id().to_string(),
        status: p.status().into(),
        support_count: p.support_count(),
    }
}

/// The record's view: its proposal, the survivor of any merges, and that one's referrals. Blocking.
fn record_view(
    state: &AppState,
    code: &str,
    record: ChannelRecord,
    outcome: Option<IntakeOutcome>,
) -> Result<PartnerRecordView, ApiError> {
    let proposal = state
        .db
        .proposal(record.proposal_id)?
        .ok_or_else(|| ApiError::NotFound("the record's proposal was not found".to_owned()))?;
    let mut current = None;
    let mut next = proposal.merged_into();
    // Merges form a chain (a survivor can itself be merged later); a bounded walk ends at the carrier.
    for _ in 0..32 {
        let Some(id) = next else { break };
        let Some(p) = state.db.proposal(id)? else {
            break;
        };
        next = p.merged_into();
        current = Some(p);
    }
    let carrier = current.as_ref().unwrap_or(&proposal).id();
    let filter = ReferralFilter {
        subject_id: Some(carrier.to_string()),
        ..ReferralFilter::default()
    };
    let page = PageRequest::new(Some(20), None).map_err(ApiError::Validation)?;
    let referrals = state
        .db
        .list_referrals(&filter, &page)?
        .items
        .into_iter()
        .map(|r| {
            let r = r.into_record();
            RecordReferral {
                id: r.id.to_string(),
                number: r.number,
                organization_id: r.organization_id.to_string(),
                status: r.status.into(),
                decision: r.answer.map(|a| a.decision.into()),
                due_at: r.due_at,
            }
        })
        .collect();
    let mut view = ChannelPresenceView::from_record(record);
    view.channel = format!("partner:{code}");
    Ok(PartnerRecordView {
        record: view,
        outcome: outcome.map(IntakeOutcome::as_str),
        proposal: record_proposal(&proposal),
        current: current.as_ref().map(record_proposal),
        referrals,
    })
}

/// Create or update a partner's proposal
///
/// The record `external_id` of this channel maps to one proposal, ever. The first `PUT` submits it
/// (channel `partner:<code>`, authored by the channel's service account) and answers `201`; later ones
/// answer `200`: unchanged when the same record is sent again, or updated. A changed content edits the
/// proposal only while it is `submitted`; the provenance (URL, the partner's timestamps and support
/// count) is always kept. Needs a machine token of this channel with `proposals:write`.
#[utoipa::path(
    tag = "partners",
    operation_id = "put_partner_proposal",
    security(("partner" = ["proposals:write"])),
    params(
        ("id" = String, Path, format = Uuid, description = "The channel's id"),
        ("external_id" = String, Path, description = "The partner's own id: 1-128 ASCII letters, digits and `. _ ~ : @ -`", pattern = r"^[A-Za-z0-9._~:@-]{1,128}$"),
    ),
    request_body = PartnerProposalRequest,
    responses(
        (status = 201, description = "Created", body = PartnerRecordView,
            headers(("Location" = String, description = "The record's URL"))),
        (status = 200, description = "Updated, or unchanged (`outcome`)", body = PartnerRecordView),
        (status = 401, description = "No valid machine token (a user's token is refused: `invalid_token`)"),
        (status = 403, description = "Another channel's token (`wrong_channel`), no `proposals:write` (`insufficient_scope`), or the channel is suspended (`channel_suspended`)"),
        (status = 404, description = "No such channel"),
        (status = 409, description = "The content changed after review began (`proposal_not_editable`), or a concurrent change (`concurrent_update`)"),
        (status = 422, description = "A field or the external id is invalid, missing or unknown"),
    )
)]
#[put("/channels/{id}/proposals/{external_id}")]
pub async fn put_record(
    partner: Partner,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: ApiJson<PartnerProposalRequest>,
) -> Result<HttpResponse, ApiError> {
    let channel_id = parse_channel_id(&path.0)?;
    partner.require(channel_id, Scope::ProposalsWrite)?;
    let external_id = parse_external_id(&path.1)?;
    let (outcome, view) = blocking(move || {
        let intake = intake_of(&state, channel_id)?;
        let record = check_record(&state, external_id.clone(), &body.0)?;
        let (outcome, _) = run_intake(&state, &intake, record)?;
        let stored = state
            .db
            .record(channel_id, &external_id)?
            .ok_or_else(|| ApiError::Internal("the stored record vanished".into()))?;
        let view = record_view(&state, intake.code.as_str(), stored, Some(outcome))?;
        Ok((outcome, view))
    })
    .await?;
    if outcome == IntakeOutcome::Created {
        let location = format!(
            "/api/v1/channels/{}/proposals/{}",
            view.record.channel_id, view.record.external_id
        );
        return Ok(HttpResponse::Created()
            .insert_header((header::LOCATION, location))
            .json(view));
    }
    Ok(HttpResponse::Ok().json(view))
}

/// Read a partner record's status
///
/// The record, its proposal's status, the proposal that carries the idea now when it was merged, and
/// that proposal's referrals with their decisions. Needs a machine token of this channel with
/// `proposals:read`.
#[utoipa::path(
    tag = "partners",
    operation_id = "get_partner_proposal",
    security(("partner" = ["proposals:read"])),
    params(
        ("id" = String, Path, format = Uuid, description = "The channel's id"),
        ("external_id" = String, Path, description = "The partner's own id", pattern = r"^[A-Za-z0-9._~:@-]{1,128}$"),
    ),
    responses(
        (status = 200, description = "The record and what became of it", body = PartnerRecordView),
        (status = 401, description = "No valid machine token"),
        (status = 403, description = "Another channel's token (`wrong_channel`), no `proposals:read` (`insufficient_scope`), or the channel is suspended (`channel_suspended`)"),
        (status = 404, description = "No such channel or record"),
    )
)]
#[get("/channels/{id}/proposals/{external_id}")]
pub async fn get_record(
    partner: Partner,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<PartnerRecordView>, ApiError> {
    let channel_id = parse_channel_id(&path.0)?;
    partner.require(channel_id, Scope::ProposalsRead)?;
    let external_id = ExternalId::parse(&path.1)
        .map_err(|_| ApiError::NotFound("no such record on this channel".to_owned()))?;
    let view = blocking(move || {
        let channel = load_channel(&state, channel_id)?;
        let record = state
            .db
            .record(channel_id, &external_id)?
            .ok_or_else(|| ApiError::NotFound("no such record on this channel".to_owned()))?;
        record_view(&state, channel.code.as_str(), record, None)
    })
    .await?;
    Ok(web::Json(view))
}
