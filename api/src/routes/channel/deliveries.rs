//! The delivery log of a channel's webhooks (`webhooks:manage`): every delivery with its attempts, and
//! sending one again.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use ocf_domain::partner::Scope;
use ocf_domain::webhook::{DeliveryFilter, WebhookStore};
use ocf_domain::{Id, ValidationErrors, clock};

use super::webhook_dto::{DeliveriesQuery, DeliveryView};
use super::{idempotency, parse_channel_id};
use crate::auth::Partner;
use crate::error::ApiError;
use crate::pagination::{Paginated, page_request};
use crate::state::{AppState, blocking};

/// The delivery log
///
/// The channel's deliveries, newest first: status, attempts, the last response code and time, the next
/// attempt, and the body. Needs `webhooks:manage`.
#[utoipa::path(
    tag = "partners",
    operation_id = "list_deliveries",
    security(("partner" = ["webhooks:manage"])),
    params(("id" = String, Path, format = Uuid, description = "The channel's id"), DeliveriesQuery),
    responses(
        (status = 200, description = "One page of deliveries", body = Paginated<DeliveryView>),
        (status = 400, description = "The query string is malformed or has unknown parameters"),
        (status = 403, description = "Another channel's token (`wrong_channel`), no `webhooks:manage` (`insufficient_scope`), or the channel is suspended (`channel_suspended`)"),
        (status = 404, description = "No such channel"),
        (status = 422, description = "A filter, `limit` or `cursor` is invalid"),
    )
)]
#[get("/channels/{id}/deliveries")]
pub async fn list_deliveries(
    partner: Partner,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<DeliveriesQuery>,
) -> Result<web::Json<Paginated<DeliveryView>>, ApiError> {
    let channel = parse_channel_id(&id)?;
    partner.require(channel, Scope::WebhooksManage)?;
    let q = query.into_inner();
    let mut errors = ValidationErrors::new();
    let filter = DeliveryFilter {
        endpoint_id: q.webhook_id.as_deref().and_then(|w| {
            errors.check(
                "webhook_id",
                Id::parse(w).map_err(|_| "is not a valid identifier"),
            )
        }),
        status: q
            .status
            .as_deref()
            .and_then(|s| errors.check("status", s.parse())),
    };
    errors.into_result()?;
    let page = page_request("deliveries", q.limit, q.cursor.as_deref(), |k| {
        k.starts_with("msg_").then(|| k.to_owned())
    })?;
    let result = blocking(move || Ok(state.db.deliveries(channel, &filter, &page)?)).await?;
    let items = result.items.into_iter().map(DeliveryView::from).collect();
    Ok(web::Json(Paginated::new(
        "deliveries",
        items,
        result.next_after,
        Clone::clone,
    )))
}

/// Send a delivery again
///
/// Due at once, with a new 3-day retry window, whatever became of it before (the same `webhook-id`, so
/// a receiver that had it can tell). Takes an `Idempotency-Key`. Needs `webhooks:manage` on the
/// delivery's channel.
#[utoipa::path(
    tag = "partners",
    operation_id = "redeliver",
    security(("partner" = ["webhooks:manage"])),
    params(
        ("id" = String, Path, description = "The delivery's id (`msg_...`)"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: the same key replays the first answer; a request still running is `409`. Kept 24 hours.", max_length = 257),
    ),
    responses(
        (status = 202, description = "Queued", body = DeliveryView,
            headers(("Idempotent-Replayed" = String, description = "`true` when this is the stored answer of an earlier request with the same `Idempotency-Key`"))),
        (status = 400, description = "The `Idempotency-Key` is malformed (`invalid_header`)"),
        (status = 403, description = "No `webhooks:manage` (`insufficient_scope`), or the channel is suspended (`channel_suspended`)"),
        (status = 404, description = "No such delivery of this channel"),
        (status = 409, description = "The `Idempotency-Key` is in use (`idempotency_key_in_use`)"),
        (status = 422, description = "The `Idempotency-Key` was used for another request (`idempotency_key_reused`)"),
    )
)]
#[post("/deliveries/{id}/redeliver")]
pub async fn redeliver(
    req: HttpRequest,
    partner: Partner,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let channel = partner.channel_id;
    partner.require(channel, Scope::WebhooksManage)?;
    let id = id.into_inner();
    let s = state.clone();
    idempotency::run(&req, &state, channel, b"", || async move {
        let delivery = blocking(move || {
            let not_found = || ApiError::NotFound("delivery not found".to_owned());
            let d = s.db.delivery(&id)?.ok_or_else(not_found)?;
            // Another channel's delivery is not found; a failed read is a 500, not a 404.
            let ours = s.db.endpoint(d.endpoint_id)?;
            if ours.is_none_or(|e| e.channel_id != channel) {
                return Err(not_found());
            }
            s.db.redeliver(&d.id, clock::now())?.ok_or_else(not_found)
        })
        .await?;
        Ok(HttpResponse::Accepted().json(DeliveryView::from(delivery)))
    })
    .await
}
