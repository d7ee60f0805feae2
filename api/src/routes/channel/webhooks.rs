//! `/channels/{id}/webhooks` (partner machines with `webhooks:manage`): Standard Webhooks endpoints and
//! their secrets. The delivery log is in `deliveries`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::TimeDelta;
use ocf_domain::event::EventReader;
use ocf_domain::partner::{ChannelId, Scope};
use ocf_domain::webhook::{
    Endpoint, EndpointId, EndpointStatus, MAX_ENDPOINTS, WebhookEventType, WebhookStore, parse_url,
};
use ocf_domain::{Id, ValidationErrors, clock};

use super::webhook_dto::{
    CreateWebhookRequest, UpdateWebhookRequest, WebhookList, WebhookView, WebhookWithSecret,
};
use super::{idempotency, parse_channel_id};
use crate::auth::Partner;
use crate::error::{ApiError, ErrorCode};
use crate::extract::ApiJson;
use crate::state::{AppState, blocking};
use crate::webhook::sign;

/// How long the replaced secret keeps signing after a rotation.
const ROTATION_OVERLAP: TimeDelta = TimeDelta::hours(24);

fn event_types(errors: &mut ValidationErrors, raw: &[String]) -> Option<Vec<WebhookEventType>> {
    let parsed: Result<Vec<WebhookEventType>, _> = raw.iter().map(|t| t.parse()).collect();
    match parsed {
        Err(e) => {
            errors.push("event_types", e);
            None
        }
        Ok(v) => {
            let mut unique = v.clone();
            unique.sort_by_key(|t| t.as_str());
            unique.dedup();
            if v.is_empty() || v.len() > 10 || unique.len() != v.len() {
                errors.push("event_types", "must name 1-10 event types, each once");
                None
            } else {
                Some(v)
            }
        }
    }
}

fn parse_webhook_id(raw: &str) -> Result<EndpointId, ApiError> {
    Id::parse(raw).map_err(|_| ApiError::NotFound("webhook not found".to_owned()))
}

/// The endpoint, if it is the channel's. Blocking.
fn own_endpoint(
    state: &AppState,
    channel: ChannelId,
    id: EndpointId,
) -> Result<Endpoint, ApiError> {
    state
        .db
        .endpoint(id)?
        .filter(|e| e.channel_id == channel)
        .ok_or_else(|| ApiError::NotFound("webhook not found".to_owned()))
}

/// List webhook endpoints
///
/// The channel's endpoints, oldest first, without their secrets. Needs `webhooks:manage`.
#[utoipa::path(
    tag = "partners",
    operation_id = "list_webhooks",
    security(("partner" = ["webhooks:manage"])),
    params(("id" = String, Path, format = Uuid, description = "The channel's id")),
    responses(
        (status = 200, description = "The endpoints", body = WebhookList),
        (status = 403, description = "Another channel's token (`wrong_channel`), no `webhooks:manage` (`insufficient_scope`), or the channel is suspended (`channel_suspended`)"),
        (status = 404, description = "No such channel"),
    )
)]
#[get("/channels/{id}/webhooks")]
pub async fn list_webhooks(
    partner: Partner,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<WebhookList>, ApiError> {
    let channel = parse_channel_id(&id)?;
    partner.require(channel, Scope::WebhooksManage)?;
    let items = blocking(move || Ok(state.db.endpoints(channel)?)).await?;
    Ok(web::Json(WebhookList {
        items: items.into_iter().map(WebhookView::from).collect(),
    }))
}

/// Create a webhook endpoint
///
/// Deliveries of the chosen event types, from the events logged from now on, signed with the Standard
/// Webhooks scheme under the secret in this answer (shown once). Retries back off from 5 s to 10 h, for
/// up to 3 days; `410 Gone` disables the endpoint. At most 10 per channel. Takes an `Idempotency-Key`.
/// Needs `webhooks:manage`.
#[utoipa::path(
    tag = "partners",
    operation_id = "create_webhook",
    security(("partner" = ["webhooks:manage"])),
    params(
        ("id" = String, Path, format = Uuid, description = "The channel's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: the same key and body replay the first answer; another body is `422`, a request still running `409`. Kept 24 hours.", max_length = 257),
    ),
    request_body = CreateWebhookRequest,
    responses(
        (status = 201, description = "Created; the secret is shown this once", body = WebhookWithSecret,
            headers(
                ("Location" = String, description = "The endpoint's URL"),
                ("Cache-Control" = String, description = "Always `no-store`: the body carries a secret"),
                ("Idempotent-Replayed" = String, description = "`true` when this is the stored answer of an earlier request with the same `Idempotency-Key`"),
            )),
        (status = 400, description = "The `Idempotency-Key` is malformed (`invalid_header`)"),
        (status = 403, description = "Another channel's token (`wrong_channel`), no `webhooks:manage` (`insufficient_scope`), or the channel is suspended (`channel_suspended`)"),
        (status = 404, description = "No such channel"),
        (status = 409, description = "The channel has 10 endpoints already (`already_exists`), or the `Idempotency-Key` is in use (`idempotency_key_in_use`)"),
        (status = 422, description = "A field is invalid, or the `Idempotency-Key` was used for another request (`idempotency_key_reused`)"),
    )
)]
#[post("/channels/{id}/webhooks")]
pub async fn create_webhook(
    req: HttpRequest,
    partner: Partner,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: ApiJson<CreateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    let channel = parse_channel_id(&id)?;
    partner.require(channel, Scope::WebhooksManage)?;
    let raw = serde_json::to_vec(&body.0).unwrap_or_default();
    let s = state.clone();
    idempotency::run(&req, &state, channel, &raw, || async move {
        let b = body.0;
        let mut errors = ValidationErrors::new();
        let url = errors.check(
            "url",
            parse_url(&b.url, s.webhooks.settings.allow_private_targets),
        );
        let types = event_types(&mut errors, &b.event_types);
        errors.into_result()?;
        let (Some(url), Some(types)) = (url, types) else {
            return Err(ApiError::validation("body", "is invalid"));
        };
        let secret = sign::new_secret()?;
        let shown = secret.clone();
        let now = clock::now();
        let created = blocking(move || {
            if s.db.endpoints(channel)?.len() >= MAX_ENDPOINTS {
                return Err(ApiError::Conflict {
                    code: ErrorCode::AlreadyExists,
                    detail: "a channel has at most 10 webhook endpoints".to_owned(),
                });
            }
            let endpoint = Endpoint {
                id: Id::generate(),
                channel_id: channel,
                url,
                event_types: types,
                secret: secret.clone(),
                previous_secret: None,
                previous_secret_expires_at: None,
                status: EndpointStatus::Active,
                disabled_reason: None,
                // From now on: the events already logged are history.
                cursor: s.db.log_head()?,
                created_at: now,
                updated_at: now,
            };
            s.db.create_endpoint(&endpoint)?;
            Ok(endpoint)
        })
        .await?;
        let location = format!("/api/v1/channels/{channel}/webhooks/{}", created.id);
        Ok(HttpResponse::Created()
            .insert_header((header::LOCATION, location))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(WebhookWithSecret {
                webhook: created.into(),
                secret: Some(shown),
            }))
    })
    .await
}

/// Change a webhook endpoint
///
/// URL, event types, status (`active` again after a `410`, or `disabled`), or a new secret
/// (`rotate_secret`: the old one also signs for 24 hours, so receivers can switch without losing
/// messages). Needs `webhooks:manage`.
#[utoipa::path(
    tag = "partners",
    operation_id = "update_webhook",
    security(("partner" = ["webhooks:manage"])),
    params(
        ("id" = String, Path, format = Uuid, description = "The channel's id"),
        ("webhook_id" = String, Path, format = Uuid, description = "The endpoint's id"),
    ),
    request_body = UpdateWebhookRequest,
    responses(
        (status = 200, description = "Changed; `secret` is set when it was rotated", body = WebhookWithSecret,
            headers(("Cache-Control" = String, description = "Always `no-store`: the body may carry a secret"))),
        (status = 403, description = "Another channel's token (`wrong_channel`), no `webhooks:manage` (`insufficient_scope`), or the channel is suspended (`channel_suspended`)"),
        (status = 404, description = "No such endpoint on this channel"),
        (status = 422, description = "A field is invalid or unknown, or nothing to change"),
    )
)]
#[patch("/channels/{id}/webhooks/{webhook_id}")]
pub async fn update_webhook(
    partner: Partner,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: ApiJson<UpdateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    let channel = parse_channel_id(&path.0)?;
    partner.require(channel, Scope::WebhooksManage)?;
    let id = parse_webhook_id(&path.1)?;
    let b = body.0;
    let mut errors = ValidationErrors::new();
    let allow_http = state.webhooks.settings.allow_private_targets;
    let url = b
        .url
        .as_deref()
        .and_then(|u| errors.check("url", parse_url(u, allow_http)));
    let types = b
        .event_types
        .as_deref()
        .and_then(|t| event_types(&mut errors, t));
    let status = b
        .status
        .as_deref()
        .and_then(|s| errors.check("status", s.parse::<EndpointStatus>()));
    let rotate = b.rotate_secret == Some(true);
    if errors.is_empty() && url.is_none() && types.is_none() && status.is_none() && !rotate {
        errors.push("body", "name at least one field to change");
    }
    errors.into_result()?;
    let secret = if rotate {
        Some(sign::new_secret()?)
    } else {
        None
    };
    let out = secret.clone();
    let endpoint = blocking(move || {
        let mut e = own_endpoint(&state, channel, id)?;
        let now = clock::now();
        if let Some(u) = url {
            e.url = u;
        }
        if let Some(t) = types {
            e.event_types = t;
        }
        if let Some(s) = status {
            e.status = s;
            e.disabled_reason =
                (s == EndpointStatus::Disabled).then(|| "disabled by its owner".to_owned());
        }
        if let Some(new) = secret {
            e.previous_secret = Some(std::mem::replace(&mut e.secret, new));
            e.previous_secret_expires_at = Some(now + ROTATION_OVERLAP);
        }
        e.updated_at = now;
        state.db.update_endpoint(&e)?;
        Ok(e)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(WebhookWithSecret {
            webhook: endpoint.into(),
            secret: out,
        }))
}

/// Delete a webhook endpoint
///
/// With its deliveries. Needs `webhooks:manage`.
#[utoipa::path(
    tag = "partners",
    operation_id = "delete_webhook",
    security(("partner" = ["webhooks:manage"])),
    params(
        ("id" = String, Path, format = Uuid, description = "The channel's id"),
        ("webhook_id" = String, Path, format = Uuid, description = "The endpoint's id"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Another channel's token (`wrong_channel`), no `webhooks:manage` (`insufficient_scope`), or the channel is suspended (`channel_suspended`)"),
        (status = 404, description = "No such endpoint on this channel"),
    )
)]
#[delete("/channels/{id}/webhooks/{webhook_id}")]
pub async fn delete_webhook(
    partner: Partner,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let channel = parse_channel_id(&path.0)?;
    partner.require(channel, Scope::WebhooksManage)?;
    let id = parse_webhook_id(&path.1)?;
    blocking(move || {
        own_endpoint(&state, channel, id)?;
        state.db.delete_endpoint(id)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
