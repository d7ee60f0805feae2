//! `POST /proposals/{id}/links`: the same idea's record on a partner channel, linked to a proposal, by
//! staff (any channel) or by the partner itself (its own records).

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, post, web};
use chrono::{DateTime, Utc};
use futures_util::future::LocalBoxFuture;
use ocf_domain::partner::intake;
use ocf_domain::partner::record::Provenance;
use ocf_domain::partner::{ChannelRecord, ChannelRepository, ExternalId, Scope};
use ocf_domain::values::HttpsUrl;
use ocf_domain::{Id, ValidationErrors, clock};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ChannelPresenceView;
use super::idempotency;
use crate::auth::{Caller, Partner};
use crate::error::{ApiError, ErrorCode};
use crate::extract::ApiJson;
use crate::routes::proposal::parse_id;
use crate::state::{AppState, blocking};

/// Who links: a staff member (user token) or a partner machine (machine token).
#[derive(Debug)]
pub enum Linker {
    Staff(Caller),
    Partner(Partner),
}

impl FromRequest for Linker {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // A user's token is tried first; a token that is not one (another audience) may be a machine's.
        let user = Caller::extract(req).into_inner();
        match user {
            Ok(c) => Box::pin(async move {
                c.require_staff()?;
                Ok(Self::Staff(c))
            }),
            Err(ApiError::Unauthenticated {
                code: ErrorCode::InvalidToken,
                ..
            }) => {
                let partner = Partner::from_request(req, payload);
                Box::pin(async move { partner.await.map(Self::Partner) })
            }
            Err(e) => Box::pin(async move { Err(e) }),
        }
    }
}

/// A partner record to link to this proposal.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    /// The record's channel: required for staff; a partner may leave it out (its own channel).
    #[schema(value_type = String, format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub channel_id: Option<String>,
    /// The partner's own id for the record: 1-128 ASCII letters, digits and `. _ ~ : @ -` (not `bulk`).
    #[schema(
        example = "EP-2026-0042",
        min_length = 1,
        max_length = 128,
        pattern = r"^[A-Za-z0-9._~:@-]{1,128}$"
    )]
    pub external_id: String,
    /// The record on the partner's site.
    #[schema(value_type = String, example = "https://www.epeople.go.kr/ideas/42", max_length = 2000, pattern = "^https://")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub external_url: Option<String>,
    /// Supports the partner counted for it, 0-1,000,000,000.
    #[schema(value_type = i64, minimum = 0, maximum = 1_000_000_000, example = 57)]
    #[serde(default, deserialize_with = "crate::extract::non_null_integer")]
    pub partner_support_count: Option<i64>,
    /// When the record was created on the partner's side (RFC 3339).
    #[schema(value_type = String, format = DateTime, example = "2026-11-30T12:00:00Z")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub partner_created_at: Option<DateTime<Utc>>,
}

/// Link a partner record to a proposal
///
/// The same idea lives on another channel: its record there now maps to this proposal, which shows it
/// among its `channels`, and the partner's `GET /channels/{id}/proposals/{external_id}` follows this
/// proposal. Staff link records of any channel (`channel_id` required); a partner links its own (`proposals:write`,
/// `Idempotency-Key` taken). Linking a record to the proposal it already maps to changes nothing (`200`).
#[utoipa::path(
    tag = "proposals",
    operation_id = "link_proposal_record",
    security(("bearer" = []), ("partner" = ["proposals:write"])),
    params(
        ("id" = String, Path, format = Uuid, description = "The proposal's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "For partner machines: the same key and body replay the first answer; another body is `422`, a request still running `409`. Kept 24 hours.", max_length = 257),
    ),
    request_body = LinkRequest,
    responses(
        (status = 201, description = "Linked", body = ChannelPresenceView,
            headers(
                ("Location" = String, description = "The record's URL (for its partner)"),
                ("Idempotent-Replayed" = String, description = "`true` when this is the stored answer of an earlier request with the same `Idempotency-Key`"),
            )),
        (status = 200, description = "It was linked already", body = ChannelPresenceView,
            headers(("Idempotent-Replayed" = String, description = "`true` when this is the stored answer of an earlier request with the same `Idempotency-Key`"))),
        (status = 400, description = "The `Idempotency-Key` is malformed (`invalid_header`)"),
        (status = 403, description = "A citizen (`forbidden`), another channel's record (`wrong_channel`), no `proposals:write` (`insufficient_scope`), or a suspended channel (`channel_suspended`)"),
        (status = 404, description = "No such proposal"),
        (status = 409, description = "The record maps to another proposal (`already_exists`: merge them instead), the proposal was merged (`proposal_merged`: link the survivor), or the `Idempotency-Key` is in use"),
        (status = 422, description = "A field is invalid (an unknown `channel_id` included), or the `Idempotency-Key` was used for another request"),
    )
)]
#[post("/proposals/{id}/links")]
pub async fn link_record(
    req: HttpRequest,
    linker: Linker,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: ApiJson<LinkRequest>,
) -> Result<HttpResponse, ApiError> {
    let proposal = parse_id(&id)?;
    let b = body.0;
    let mut errors = ValidationErrors::new();
    let channel = match (&linker, b.channel_id.as_deref()) {
        (Linker::Partner(p), given) => {
            p.require(p.channel_id, Scope::ProposalsWrite)?;
            if given.is_some_and(|c| c != p.channel_id.to_string()) {
                return Err(ApiError::Refused {
                    code: ErrorCode::WrongChannel,
                    detail: "a partner links records of its own channel only".to_owned(),
                });
            }
            Some(p.channel_id)
        }
        (Linker::Staff(_), None) => {
            errors.push("channel_id", "is required");
            None
        }
        (Linker::Staff(_), Some(c)) => errors.check(
            "channel_id",
            Id::parse(c).map_err(|_| "is not a valid identifier"),
        ),
    };
    let external_id = errors.check("external_id", ExternalId::parse(&b.external_id));
    let external_url = b
        .external_url
        .as_deref()
        .and_then(|u| errors.check("external_url", HttpsUrl::parse(u)));
    if b.partner_support_count
        .is_some_and(|n| !(0..=1_000_000_000).contains(&n))
    {
        errors.push("partner_support_count", "must be between 0 and 1000000000");
    }
    errors.into_result()?;
    let (Some(channel), Some(external_id)) = (channel, external_id) else {
        return Err(ApiError::validation("body", "is invalid"));
    };
    let record = ChannelRecord {
        channel_id: channel,
        external_id,
        proposal_id: proposal,
        origin: false,
        provenance: Provenance {
            external_url,
            partner_created_at: b.partner_created_at,
            partner_updated_at: None,
            partner_support_count: b.partner_support_count,
        },
        fingerprint: String::new(),
        created_at: clock::now(),
        updated_at: clock::now(),
    };
    let actor = match &linker {
        Linker::Staff(c) => Some(c.actor()),
        Linker::Partner(_) => None,
    };
    let raw = serde_json::to_vec(&b).unwrap_or_default();
    let s = state.clone();
    let run = || async move {
        let (created, stored, code) = blocking(move || {
            let found = s.db.channel(channel)?.ok_or_else(|| {
                ApiError::validation("channel_id", "no such channel; see GET /api/v1/channels")
            })?;
            let (created, stored) =
                s.transact(|uow| intake::link(uow, actor.as_ref(), record, clock::now()))?;
            Ok((created, stored, found.code))
        })
        .await?;
        let location = format!(
            "/api/v1/channels/{}/proposals/{}",
            stored.channel_id,
            stored.external_id.as_str()
        );
        let mut view = ChannelPresenceView::from_record(stored);
        view.channel = format!("partner:{}", code.as_str());
        Ok(if created {
            HttpResponse::Created()
                .insert_header((header::LOCATION, location))
                .json(view)
        } else {
            HttpResponse::Ok().json(view)
        })
    };
    match &linker {
        Linker::Partner(p) => idempotency::run(&req, &state, p.channel_id, &raw, run).await,
        Linker::Staff(_) => run().await,
    }
}
