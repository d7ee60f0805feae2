//! `GET /intake-flags` (staff): partner intakes that look like an existing proposal, to link or merge.

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use ocf_domain::partner::IntakeFlags;
use ocf_domain::proposal::query::ProposalQueries;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Staff;
use crate::error::ApiError;
use crate::pagination::{PageQuery, Paginated, page_request};
use crate::state::{AppState, blocking};

/// One side of a flag.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlaggedProposal {
    /// The proposal's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub id: String,
    /// Its title.
    #[schema(example = "심야 버스를 늘려 주세요")]
    pub title: String,
    /// Where it came in.
    #[schema(example = "partner:idea_box")]
    pub channel: String,
    /// Its status now (a `merged` intake has been dealt with).
    pub status: crate::vocab::ProposalStatus,
}

/// A partner intake near an existing proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntakeFlagView {
    /// The intake (a partner channel's proposal).
    pub intake: FlaggedProposal,
    /// The existing proposal it looks like.
    pub candidate: FlaggedProposal,
    /// How alike, 0.5-1 (the similar check's score).
    #[schema(example = 0.82, minimum = 0.5, maximum = 1.0)]
    pub score: f64,
    /// When it was flagged (RFC 3339, UTC).
    #[schema(example = "2026-12-02T09:30:00Z")]
    pub flagged_at: DateTime<Utc>,
}

/// Look-alike partner intakes
///
/// Newest first: each proposal a partner channel brought in whose text is near an existing proposal
/// (score at least 0.5), with that proposal, for staff to link (`POST /proposals/{id}/links`) or merge.
/// Flags are written off the request path, seconds after the intake. Staff only.
#[utoipa::path(
    tag = "proposals",
    operation_id = "list_intake_flags",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "One page of flags", body = Paginated<IntakeFlagView>),
        (status = 400, description = "The query string is malformed or has unknown parameters"),
        (status = 403, description = "The caller is not staff"),
        (status = 422, description = "`limit` or `cursor` is invalid"),
    )
)]
#[get("/intake-flags")]
pub async fn list_flags(
    _staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Paginated<IntakeFlagView>>, ApiError> {
    let page = page_request("intake-flags", query.limit, query.cursor.as_deref(), |k| {
        k.parse::<i64>().ok()
    })?;
    let (items, next) = blocking(move || {
        let result = state.db.flags(&page)?;
        let side = |id| -> Result<Option<FlaggedProposal>, ApiError> {
            Ok(state.db.proposal(id)?.map(|p| FlaggedProposal {
                id: p.id().to_string(),
                title: p.title().as_str().to_owned(),
                channel: p.channel().code(),
                status: p.status().into(),
            }))
        };
        let mut items = Vec::with_capacity(result.items.len());
        for f in result.items {
            if let (Some(intake), Some(candidate)) = (side(f.proposal_id)?, side(f.candidate_id)?) {
                items.push(IntakeFlagView {
                    intake,
                    candidate,
                    score: f.score,
                    flagged_at: f.created_at,
                });
            }
        }
        Ok((items, result.next_after))
    })
    .await?;
    Ok(web::Json(Paginated::new(
        "intake-flags",
        items,
        next,
        |k| k.to_string(),
    )))
}
