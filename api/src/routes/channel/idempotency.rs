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
