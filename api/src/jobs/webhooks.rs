//! The webhook jobs, readers of the event log like every other (`docs/EVENTS.md`, "Readers"):
//!
//! - `webhook-fan-out` reads, per active endpoint, the events after its cursor, and writes a delivery for
//!   each event of a type it subscribed to, with the new cursor, in one transaction (compare-and-set, so
//!   of several instances one writes each batch);
//! - `webhook-delivery` claims due deliveries (`FOR UPDATE SKIP LOCKED` on PostgreSQL, with a lease),
//!   sends them concurrently, and records each outcome: delivered, retried later with backoff and jitter
//!   (honouring `Retry-After`), given up after 3 days, or `410 Gone`, which disables the endpoint.

use std::time::Duration;

use actix_web::web;
use futures_util::StreamExt;
use ocf_domain::clock;
use ocf_domain::event::{EventReader, LoggedEvent};
use ocf_domain::webhook::{
    AttemptOutcome, AttemptRecord, Delivery, DeliveryStatus, Endpoint, NewDelivery,
    WebhookEventType, WebhookStore, next_attempt,
};
use serde_json::{Map, Value, json};

use super::{Job, RunOutcome};
use crate::state::{AppState, blocking};

/// How often each job looks for work.
pub const PERIOD: Duration = Duration::from_millis(100);
/// Events read per batch, per endpoint.
const BATCH: i64 = 500;
/// Deliveries claimed at once, and sent at once at most.
const CLAIM: i64 = 256;
const CONCURRENCY: usize = 64;

pub fn jobs(state: &web::Data<AppState>) -> Vec<Job> {
    let fan = state.clone();
    let send = state.clone();
    vec![
        Job::blocking("webhook-fan-out", PERIOD, move || fan_out(&fan)),
        Job::new("webhook-delivery", PERIOD, move || {
            let state = send.clone();
            async move { deliver(state).await }
        }),
    ]
}

/// The body of a delivery: Standard Webhooks' `{type, timestamp, data}`.
pub fn body(t: WebhookEventType, logged: &LoggedEvent) -> String {
    let e = &logged.event;
    let mut data = Map::new();
    data.insert("event_id".into(), json!(e.id.to_string()));
    data.insert("subject_type".into(), json!(e.aggregate.as_str()));
    data.insert("subject_id".into(), json!(e.aggregate_id));
    if let Some((kind, id)) = &e.about {
        data.insert("about_type".into(), json!(kind.as_str()));
        data.insert("about_id".into(), json!(id));
    }
    let p = &e.payload;
    let fields: [(&str, Option<Value>); 8] = [
        ("from_status", p.from_status.clone().map(Value::from)),
        ("to_status", p.to_status.clone().map(Value::from)),
        ("reason", p.reason.clone().map(Value::from)),
        ("related_id", p.related_id.clone().map(Value::from)),
        ("related_kind", p.related_kind.clone().map(Value::from)),
        ("count", p.count.map(Value::from)),
        ("decision", p.decision.clone().map(Value::from)),
        ("commitment_id", p.commitment_id.clone().map(Value::from)),
    ];
    for (k, v) in fields {
        if let Some(v) = v {
            data.insert(k.into(), v);
        }
    }
    json!({
        "type": t.as_str(),
        "timestamp": e.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": data,
    })
    .to_string()
}

fn message_id() -> String {
    format!("msg_{}", uuid::Uuid::now_v7().simple())
}

/// One run of the fan-out: every active endpoint's new events, up to 20 batches each.
///
/// # Errors
/// A storage failure (the next run retries).
pub fn fan_out(state: &AppState) -> RunOutcome {
    let db = &state.db;
    let fail = |e: ocf_domain::RepoError| e.to_string();
    let mut written = 0usize;
    for endpoint in db.active_endpoints().map_err(fail)? {
        let mut cursor = endpoint.cursor;
        for _ in 0..20 {
            let batch = db.log_after(cursor, BATCH).map_err(fail)?;
            let Some((to, _)) = batch.last() else { break };
            let to = *to;
            let deliveries: Vec<NewDelivery> = batch
                .iter()
                .filter_map(|(_, logged)| {
                    let t = WebhookEventType::of(&logged.event).filter(|t| endpoint.wants(*t))?;
                    Some(NewDelivery {
                        id: message_id(),
                        endpoint_id: endpoint.id,
                        event_type: t,
                        body: body(t, logged),
                    })
                })
                .collect();
            if !db
                .fan_out(endpoint.id, cursor, to, &deliveries, clock::now())
                .map_err(fail)?
            {
                // Another instance wrote this batch; the next run reads on from its cursor.
                break;
            }
            written += deliveries.len();
            cursor = to;
            if batch.len() < BATCH as usize {
                break;
            }
        }
    }
    Ok((written > 0).then(|| format!("{written} webhook deliveries written")))
}

/// A factor in 0.8..1.2, so retries of many deliveries spread out.
fn jitter() -> f64 {
    let mut b = [0u8; 4];
    if getrandom::fill(&mut b).is_err() {
        return 1.0;
    }
    0.8 + 0.4 * f64::from(u32::from_le_bytes(b)) / f64::from(u32::MAX)
}

/// What an attempt's outcome means for its delivery.
pub fn record_of(
    d: &Delivery,
    endpoint: &Endpoint,
    outcome: AttemptOutcome,
    now: chrono::DateTime<chrono::Utc>,
    scale: f64,
) -> AttemptRecord {
    let mut r = AttemptRecord {
        delivery_id: d.id.clone(),
        endpoint_id: endpoint.id,
        at: now,
        status: DeliveryStatus::Failed,
        next_attempt_at: None,
        status_code: None,
        error: None,
        disable_endpoint: false,
    };
    match outcome {
        AttemptOutcome::Delivered { status } => {
            r.status = DeliveryStatus::Succeeded;
            r.status_code = Some(i32::from(status));
        }
        AttemptOutcome::Gone => {
            r.status_code = Some(410);
            r.error = Some("the endpoint answered 410 Gone: it is disabled".to_owned());
            r.disable_endpoint = true;
        }
        AttemptOutcome::Failed {
            status,
            retry_after,
            error,
        } => {
            r.status_code = status.map(i32::from);
            r.next_attempt_at = next_attempt(
                d.window_start,
                now,
                d.attempts,
                scale,
                jitter(),
                retry_after,
            );
            if r.next_attempt_at.is_some() {
                r.status = DeliveryStatus::Pending;
                r.error = Some(error);
            } else {
                r.error = Some(format!("{error}; no more retries after 3 days"));
            }
        }
    }
    r
}

/// One run of the delivery: claim what is due, send it, record it; again while there is more.
///
/// # Errors
/// A storage failure (claimed deliveries come back when their lease ends).
pub async fn deliver(state: web::Data<AppState>) -> RunOutcome {
    let mut sent = 0usize;
    for _ in 0..20 {
        let s = state.clone();
        let claimed = blocking(move || Ok(s.db.claim_due(clock::now(), CLAIM)?))
            .await
            .map_err(|e| e.to_string())?;
        if claimed.is_empty() {
            break;
        }
        let n = claimed.len();
        let sender = state.webhooks.clone();
        let scale = sender.settings.retry_scale;
        let records: Vec<AttemptRecord> = futures_util::stream::iter(claimed)
            .map(|(d, e)| {
                let sender = sender.clone();
                async move {
                    let now = clock::now();
                    let outcome = sender.attempt(&d, &e, now).await;
                    record_of(&d, &e, outcome, clock::now(), scale)
                }
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        let s = state.clone();
        blocking(move || Ok(s.db.record_attempts(&records)?))
            .await
            .map_err(|e| e.to_string())?;
        sent += n;
        if n < CLAIM as usize {
            break;
        }
    }
    Ok((sent > 0).then(|| format!("{sent} webhook attempts")))
}
