//! `Idempotency-Key` on partner `POST`s, after the IETF httpapi draft: the same key with the same request
//! replays the stored response, with another request is `422 idempotency_key_reused`, and while the first
//! is still running is `409 idempotency_key_in_use`. Keys are kept 24 hours, per channel, in the
//! database (so across instances); a key whose request died in flight is free again after 10 minutes.

use actix_web::HttpRequest;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
use ocf_domain::partner::{ChannelId, KeyClaim, PartnerGate, StoredResponse};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// How long a key is remembered.
pub const KEY_TTL: TimeDelta = TimeDelta::hours(24);
/// After this long in flight, a key's request is taken to have died.
const STALE: TimeDelta = TimeDelta::minutes(10);
const HEADER: &str = "idempotency-key";

/// The request's `Idempotency-Key`: an RFC 8941 string (`"..."`) or a bare token, 1-255 printable ASCII
/// characters.
///
/// # Errors
/// `400 invalid_header` for anything else.
pub fn key_of(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(raw) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let bad = || ApiError::Rejected {
        code: ErrorCode::InvalidHeader,
        detail: "Idempotency-Key must be 1-255 printable ASCII characters (a quoted string)"
            .to_owned(),
    };
    let raw = raw.to_str().map_err(|_| bad())?.trim();
    let key = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw);
    if key.is_empty()
        || key.len() > 255
        || !key.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'"')
    {
        return Err(bad());
    }
    Ok(Some(key.to_owned()))
}

/// The hash a key's request is known by: method, path and body.
pub fn start_hash(req: &HttpRequest) -> Sha256 {
    let mut h = Sha256::new();
    h.update(req.method().as_str().as_bytes());
    h.update(b" ");
    h.update(req.path().as_bytes());
    h.update(b"\n");
    h
}

pub fn finish_hash(h: Sha256) -> String {
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Claims `key` for this request. Blocking.
///
/// # Errors
/// Storage failures.
pub fn claim(
    state: &AppState,
    channel: ChannelId,
    key: &str,
    request_hash: Option<&str>,
    now: DateTime<Utc>,
) -> Result<KeyClaim, ApiError> {
    Ok(state
        .db
        .claim_key(channel, key, request_hash, now, now - STALE, now - KEY_TTL)?)
}

/// `409` for a key whose request is still running.
pub fn in_flight() -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::IdempotencyKeyInUse,
        detail: "a request with this Idempotency-Key is still being processed; retry when it has finished"
            .to_owned(),
    }
}

/// The stored response, if `hash` is the request it answered; else `422`.
///
/// # Errors
/// `422 idempotency_key_reused`.
pub fn replay(stored: &StoredResponse, hash: &str) -> Result<HttpResponse, ApiError> {
    if stored.request_hash.as_deref() != Some(hash) {
        return Err(ApiError::Rejected {
            code: ErrorCode::IdempotencyKeyReused,
            detail: "this Idempotency-Key was used for a different request in the last 24 hours; use a new key"
                .to_owned(),
        });
    }
    Ok(
        HttpResponse::build(StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK))
            .content_type(stored.content_type.as_str())
            .insert_header(("Idempotent-Replayed", "true"))
            .body(stored.body.clone()),
    )
}

/// Runs a partner `POST` whose request is `body` (its JSON, as parsed) under the request's
/// `Idempotency-Key`, if it has one: replays, refuses, or runs `f` and stores its answer (status,
/// content type and body; a `5xx` is not stored, so a retry runs again).
///
/// # Errors
/// `400`, `409` or `422` for the key; whatever `f` fails with (stored like an answer).
pub async fn run<F, Fut>(
    req: &HttpRequest,
    state: &actix_web::web::Data<AppState>,
    channel: ChannelId,
    body: &[u8],
    f: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<HttpResponse, ApiError>>,
{
    use actix_web::ResponseError;
    use sha2::Digest as _;
    let Some(key) = key_of(req)? else {
        return f().await;
    };
    let mut h = start_hash(req);
    h.update(body);
    let hash = finish_hash(h);
    let (s, k, hh) = (state.clone(), key.clone(), hash.clone());
    let claimed =
        crate::state::blocking(move || claim(&s, channel, &k, Some(&hh), ocf_domain::clock::now()))
            .await?;
    match claimed {
        KeyClaim::InFlight => Err(in_flight()),
        KeyClaim::Done(stored) => replay(&stored, &hash),
        KeyClaim::Claimed => {
            let response = match f().await {
                Ok(r) => r,
                Err(e) => e.error_response(),
            };
            let status = response.status();
            let s = state.clone();
            if status.is_server_error() {
                crate::state::blocking(move || Ok(s.db.release_key(channel, &key)?)).await?;
                return Ok(response);
            }
            let content_type = response
                .headers()
                .get(actix_web::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("application/json")
                .to_owned();
            let head = response.headers().clone();
            let bytes = actix_web::body::to_bytes(response.into_body())
                .await
                .map_err(|_| ApiError::Internal("the response body could not be read".into()))?;
            let stored = StoredResponse {
                request_hash: Some(hash),
                status: status.as_u16(),
                content_type: content_type.clone(),
                body: String::from_utf8_lossy(&bytes).into_owned(),
            };
            crate::state::blocking(move || Ok(s.db.complete_key(channel, &key, &stored)?)).await?;
            let mut out = HttpResponse::build(status);
            for (name, value) in &head {
                out.insert_header((name.clone(), value.clone()));
            }
            Ok(out.body(bytes))
        }
    }
}
