//! Signed webhooks (Standard Webhooks): partner endpoints subscribed to event types, deliveries written
//! from the event log by a cursor per endpoint, and the retry schedule. Sending and signing are the API's
//! (`ocf_api::webhook`); storage is `WebhookStore`.

use chrono::{DateTime, TimeDelta, Utc};

use crate::event::{Event, EventType, LogCursor};
use crate::macros::code_enum;
use crate::partner::ChannelId;
use crate::values::HttpsUrl;
use crate::{Id, Page, PageRequest, RepoError};

pub type EndpointId = Id<Endpoint>;

/// How long a delivery is retried, from its first attempt (or its redelivery).
pub const RETRY_WINDOW: TimeDelta = TimeDelta::days(3);
/// How long a claimed delivery is held by the instance sending it; past that (the instance died), it is
/// claimed again. Longer than the 15-second request timeout.
pub const CLAIM_LEASE: TimeDelta = TimeDelta::seconds(60);
/// The most endpoints a channel may have.
pub const MAX_ENDPOINTS: usize = 10;

code_enum!(
    /// What a partner can subscribe to.
    WebhookEventType, "event type", {
    ProposalCreated = "proposal.created", ProposalStatusChanged = "proposal.status_changed",
    ProposalMerged = "proposal.merged", ReferralSent = "referral.sent",
    ReferralAnswered = "referral.answered", ReferralCompleted = "referral.completed",
    ForumScheduled = "forum.scheduled", ForumLive = "forum.live", ForumEnded = "forum.ended",
    ForumReported = "forum.reported",
});

impl WebhookEventType {
    /// The webhook type of a logged event, if partners can subscribe to it.
    pub fn of(event: &Event) -> Option<Self> {
        let to = event.payload.to_status.as_deref();
        Some(match event.event_type {
            EventType::ProposalSubmitted => Self::ProposalCreated,
            EventType::ProposalStatusChanged => Self::ProposalStatusChanged,
            EventType::ProposalMerged => Self::ProposalMerged,
            EventType::ReferralSent => Self::ReferralSent,
            EventType::ReferralAnswered => Self::ReferralAnswered,
            EventType::ReferralCompleted => Self::ReferralCompleted,
            EventType::ForumStatusChanged if to == Some("scheduled") => Self::ForumScheduled,
            EventType::ForumStatusChanged if to == Some("live") => Self::ForumLive,
            EventType::ForumStatusChanged if to == Some("ended") => Self::ForumEnded,
            EventType::ForumOutcomePublished => Self::ForumReported,
            _ => return None,
        })
    }
}

code_enum!(
    /// Whether an endpoint receives deliveries: `disabled` by its owner, or after it answered `410 Gone`.
    EndpointStatus, "endpoint status", {
    Active = "active", Disabled = "disabled",
});

code_enum!(
    /// Where a delivery stands.
    DeliveryStatus, "delivery status", {
    Pending = "pending", Succeeded = "succeeded", Failed = "failed",
});

/// A partner's webhook endpoint. Its secrets are `whsec_` + base64 of 32 random bytes; after a rotation
/// the previous one also signs until `previous_secret_expires_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub id: EndpointId,
    pub channel_id: ChannelId,
    /// `https://` (or `http://` where private targets are allowed).
    pub url: String,
    pub event_types: Vec<WebhookEventType>,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    pub status: EndpointStatus,
    pub disabled_reason: Option<String>,
    /// The last event read for it.
    pub cursor: LogCursor,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Endpoint {
    /// The secrets that sign now: the current one, and the previous one within its window.
    pub fn signing_secrets(&self, now: DateTime<Utc>) -> Vec<&str> {
        let mut secrets = vec![self.secret.as_str()];
        if let (Some(p), Some(until)) = (&self.previous_secret, self.previous_secret_expires_at)
            && now < until
        {
            secrets.push(p);
        }
        secrets
    }

    pub fn wants(&self, t: WebhookEventType) -> bool {
        self.event_types.contains(&t)
    }
}

/// The endpoint URL's rule: `https://`, or `http://` where private targets are allowed.
///
/// # Errors
/// A message for anything else.
pub fn parse_url(raw: &str, allow_http: bool) -> Result<String, String> {
    if allow_http && let Some(rest) = raw.strip_prefix("http://") {
        return HttpsUrl::parse(&format!("https://{rest}")).map(|_| raw.to_owned());
    }
    HttpsUrl::parse(raw).map(|u| u.as_str().to_owned())
}

/// One message to one endpoint. Its id (`msg_...`) is the `webhook-id`, the same on every attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: String,
    pub endpoint_id: EndpointId,
    pub event_type: WebhookEventType,
    /// The JSON body sent, as stored.
    pub body: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<i32>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// Retries stop 3 days after this (its creation, or its redelivery).
    pub window_start: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// A message for an endpoint, before it is stored.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub id: String,
    pub endpoint_id: EndpointId,
    pub event_type: WebhookEventType,
    pub body: String,
}

/// What became of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// A `2xx`.
    Delivered { status: u16 },
    /// `410 Gone`: the endpoint is disabled.
    Gone,
    /// Anything else: a status (with its `Retry-After`, in seconds), or no answer at all.
    Failed {
        status: Option<u16>,
        retry_after: Option<u64>,
        error: String,
    },
}

/// The wait after the `attempt`-th failed attempt (1-based): 5 s, 5 min, 30 min, 2 h, 5 h, then 10 h,
/// scaled by `scale` (1.0 in production) and spread by `jitter` (a factor in 0.8..1.2), and never less
/// than the receiver's `Retry-After`.
pub fn retry_delay(attempt: i32, scale: f64, jitter: f64, retry_after: Option<u64>) -> TimeDelta {
    const SCHEDULE: [i64; 6] = [5, 300, 1_800, 7_200, 18_000, 36_000];
    let base = usize::try_from(attempt.max(1) - 1)
        .ok()
        .and_then(|i| SCHEDULE.get(i).copied())
        .unwrap_or(36_000);
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    let millis = (base as f64 * 1_000.0 * scale * jitter.clamp(0.8, 1.2)) as i64;
    let wait = TimeDelta::milliseconds(millis.max(1));
    let asked = retry_after
        .and_then(|s| i64::try_from(s).ok())
        .map_or(TimeDelta::zero(), TimeDelta::seconds);
    wait.max(asked)
}

/// When to try again after a failed attempt, or `None` when the retry window is over.
pub fn next_attempt(
    window_start: DateTime<Utc>,
    now: DateTime<Utc>,
    attempt: i32,
    scale: f64,
    jitter: f64,
    retry_after: Option<u64>,
) -> Option<DateTime<Utc>> {
    let at = now + retry_delay(attempt, scale, jitter, retry_after);
    #[allow(clippy::cast_possible_truncation)]
    let window = TimeDelta::milliseconds((RETRY_WINDOW.num_milliseconds() as f64 * scale) as i64);
    (at <= window_start + window).then_some(at)
}

/// Filters of the delivery log.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub endpoint_id: Option<EndpointId>,
    pub status: Option<DeliveryStatus>,
}

/// Webhook endpoints and deliveries. Outside any unit of work: the fan-out and the claims are their own
/// transactions.
pub trait WebhookStore {
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn create_endpoint(&self, endpoint: &Endpoint) -> Result<(), RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn endpoint(&self, id: EndpointId) -> Result<Option<Endpoint>, RepoError>;

    /// A channel's endpoints, oldest first (at most [`MAX_ENDPOINTS`]).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn endpoints(&self, channel: ChannelId) -> Result<Vec<Endpoint>, RepoError>;

    /// Every active endpoint, for the fan-out.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn active_endpoints(&self) -> Result<Vec<Endpoint>, RepoError>;

    /// Saves what its owner may change (URL, types, secrets, status).
    ///
    /// # Errors
    /// [`RepoError::NotFound`] `("webhook")`.
    fn update_endpoint(&self, endpoint: &Endpoint) -> Result<(), RepoError>;

    /// Deletes the endpoint and its deliveries.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn delete_endpoint(&self, id: EndpointId) -> Result<bool, RepoError>;

    /// Stores the deliveries of the events from `from` to `to` and moves the endpoint's cursor there, in
    /// one transaction, if the cursor is still at `from`; `false` when another instance did it first.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn fan_out(
        &self,
        endpoint: EndpointId,
        from: LogCursor,
        to: LogCursor,
        deliveries: &[NewDelivery],
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError>;

    /// Claims up to `limit` due deliveries of active endpoints for this instance (`FOR UPDATE SKIP
    /// LOCKED` on PostgreSQL), each held for [`CLAIM_LEASE`], with its attempt counted.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn claim_due(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<(Delivery, Endpoint)>, RepoError>;

    /// Records attempts' outcomes: `next` is when to try again (`None`: done, by `status`).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn record_attempts(&self, attempts: &[AttemptRecord]) -> Result<(), RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn delivery(&self, id: &str) -> Result<Option<Delivery>, RepoError>;

    /// A channel's deliveries, newest first.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn deliveries(
        &self,
        channel: ChannelId,
        filter: &DeliveryFilter,
        page: &PageRequest<String>,
    ) -> Result<Page<Delivery, String>, RepoError>;

    /// Sends a delivery again from now: pending, due now, with a new retry window.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn redeliver(&self, id: &str, now: DateTime<Utc>) -> Result<Option<Delivery>, RepoError>;
}

/// What one attempt changed.
#[derive(Debug, Clone)]
pub struct AttemptRecord {
    pub delivery_id: String,
    pub endpoint_id: EndpointId,
    pub at: DateTime<Utc>,
    pub status: DeliveryStatus,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    /// `410 Gone`: disable the endpoint too.
    pub disable_endpoint: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_backs_off_and_honours_retry_after() {
        let s = |a| retry_delay(a, 1.0, 1.0, None).num_seconds();
        assert_eq!(
            [s(1), s(2), s(3), s(4), s(5), s(6), s(9)],
            [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000]
        );
        assert_eq!(retry_delay(1, 1.0, 1.0, Some(120)).num_seconds(), 120);
        assert_eq!(
            retry_delay(1, 1.0, 5.0, None).num_seconds(),
            6,
            "jitter is bounded"
        );
        let start = Utc::now();
        let mut now = start;
        let mut attempts = 0;
        while let Some(at) = next_attempt(start, now, attempts + 1, 1.0, 1.0, None) {
            now = at;
            attempts += 1;
        }
        assert!(
            now - start <= RETRY_WINDOW && attempts >= 8,
            "{attempts} within 3 days"
        );
    }

    #[test]
    fn urls_are_https_unless_private_targets_are_allowed() {
        assert!(parse_url("https://hooks.example.kr/ocf", false).is_ok());
        assert!(parse_url("http://127.0.0.1:9000/hook", false).is_err());
        assert!(parse_url("http://127.0.0.1:9000/hook", true).is_ok());
        assert!(parse_url("ftp://x", true).is_err());
    }
}
