//! What the webhook endpoints answer and accept.

use chrono::{DateTime, Utc};
use ocf_domain::webhook::{Delivery, Endpoint};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A webhook endpoint, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    /// The endpoint's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub id: String,
    /// The channel it belongs to.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub channel_id: String,
    /// Where deliveries are POSTed.
    #[schema(example = "https://idea.example.go.kr/hooks/ocf")]
    pub url: String,
    /// What it receives.
    #[schema(min_items = 1, max_items = 10)]
    pub event_types: Vec<crate::vocab::WebhookEventType>,
    /// `active`, or `disabled` (by its owner, or after the endpoint answered `410 Gone`).
    pub status: crate::vocab::EndpointStatus,
    /// Why it was disabled, or `null`.
    #[schema(example = json!(null), required = true)]
    pub disabled_reason: Option<String>,
    /// Until then the secret before the last rotation also signs; `null` when there is none.
    #[schema(example = json!(null), required = true)]
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    /// When it was created (RFC 3339, UTC).
    #[schema(example = "2026-12-02T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it last changed (RFC 3339, UTC).
    #[schema(example = "2026-12-02T09:30:00Z")]
    pub updated_at: DateTime<Utc>,
}

impl From<Endpoint> for WebhookView {
    fn from(e: Endpoint) -> Self {
        Self {
            id: e.id.to_string(),
            channel_id: e.channel_id.to_string(),
            url: e.url,
            event_types: e.event_types.iter().map(|t| (*t).into()).collect(),
            status: e.status.into(),
            disabled_reason: e.disabled_reason,
            previous_secret_expires_at: e.previous_secret_expires_at,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// An endpoint with its signing secret: shown when it is created or rotated, never listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookWithSecret {
    /// The endpoint.
    pub webhook: WebhookView,
    /// The Standard Webhooks secret (`whsec_` + base64 of 32 bytes) to verify `webhook-signature` with;
    /// `null` when this answer did not create or rotate it.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", required = true)]
    pub secret: Option<String>,
}

/// A channel's endpoints, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    /// Every endpoint (at most 10).
    #[schema(max_items = 10)]
    pub items: Vec<WebhookView>,
}

/// A new endpoint. It receives the events logged from now on.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    /// An `https://` URL of at most 2,000 characters (`http://` only where private targets are allowed).
    #[schema(
        example = "https://idea.example.go.kr/hooks/ocf",
        max_length = 2000,
        pattern = "^https://"
    )]
    pub url: String,
    /// 1-10 of: `proposal.created`, `proposal.status_changed`, `proposal.merged`, `referral.sent`,
    /// `referral.answered`, `referral.completed`, `forum.scheduled`, `forum.live`, `forum.ended`,
    /// `forum.reported`; each once.
    #[schema(value_type = Vec<crate::vocab::WebhookEventType>, example = json!(["proposal.status_changed", "referral.answered"]), min_items = 1, max_items = 10)]
    pub event_types: Vec<String>,
}

/// A change to an endpoint: name at least one field.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1, example = json!({"rotate_secret": true}))]
pub struct UpdateWebhookRequest {
    /// A new URL.
    #[schema(value_type = String, example = "https://idea.example.go.kr/hooks/v2", max_length = 2000, pattern = "^https://")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub url: Option<String>,
    /// New event types (1-10, each once).
    #[schema(value_type = Vec<crate::vocab::WebhookEventType>, min_items = 1, max_items = 10)]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub event_types: Option<Vec<String>>,
    /// `active` (also after a `410`) or `disabled`.
    #[schema(value_type = crate::vocab::EndpointStatus, example = "disabled")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub status: Option<String>,
    /// `true`: a new secret, in the answer; the old one also signs for 24 hours.
    #[schema(value_type = bool, example = true)]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub rotate_secret: Option<bool>,
}

/// One message to one endpoint, and how its attempts went.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    /// The message id: the `webhook-id` header of every attempt (receivers de-duplicate by it).
    #[schema(example = "msg_0192f5c47a8e7c1a9a576f3b2f0c9d11")]
    pub id: String,
    /// The endpoint.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", format = Uuid)]
    pub webhook_id: String,
    /// The event type.
    pub event_type: crate::vocab::WebhookEventType,
    /// `pending` (to be tried, or retried), `succeeded`, or `failed` (given up after 3 days, or `410`).
    pub status: crate::vocab::DeliveryStatus,
    /// Attempts made so far.
    #[schema(example = 1, minimum = 0)]
    pub attempts: i32,
    /// When the next attempt is due; `null` when none will be made.
    #[schema(example = json!(null), required = true)]
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The last attempt's HTTP status, or `null` (none yet, or no answer).
    #[schema(example = 200, required = true)]
    pub last_response_code: Option<i32>,
    /// When the last attempt was made, or `null`.
    #[schema(example = "2026-12-02T09:30:01Z", required = true)]
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// What went wrong last, or `null`.
    #[schema(example = json!(null), required = true)]
    pub last_error: Option<String>,
    /// The body sent (JSON: `type`, `timestamp`, `data`).
    #[schema(
        example = r#"{"type":"proposal.status_changed","timestamp":"2026-12-02T09:30:00.000Z","data":{}}"#
    )]
    pub body: String,
    /// When it was written (RFC 3339, UTC).
    #[schema(example = "2026-12-02T09:30:00Z")]
    pub created_at: DateTime<Utc>,
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> Self {
        Self {
            id: d.id,
            webhook_id: d.endpoint_id.to_string(),
            event_type: d.event_type.into(),
            status: d.status.into(),
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            last_response_code: d.last_status_code,
            last_attempt_at: d.last_attempt_at,
            last_error: d.last_error,
            body: d.body,
            created_at: d.created_at,
        }
    }
}

/// Filters and page of the delivery log.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// Only this endpoint's.
    #[param(format = Uuid)]
    pub webhook_id: Option<String>,
    /// Only `pending`, `succeeded` or `failed` ones.
    #[param(value_type = Option<crate::vocab::DeliveryStatus>)]
    pub status: Option<String>,
    /// Items per page, 1-100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
