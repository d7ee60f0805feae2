//! Conditional GET for the public statistics and open data: a strong `ETag` over what the answer
//! depends on, and `304 Not Modified` when the client's `If-None-Match` names it.

use actix_web::http::header::{self, EntityTag, IfNoneMatch};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// The tag of `parts` (the body, or the inputs that decide it).
pub fn tag_of(parts: &[&[u8]]) -> EntityTag {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    let digest = h.finalize();
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    EntityTag::new_strong(hex)
}

/// Whether the request's `If-None-Match` already names `tag` (or is `*`).
pub fn not_modified(req: &HttpRequest, tag: &EntityTag) -> bool {
    match req.get_header::<IfNoneMatch>() {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(items)) => items.iter().any(|t| t.weak_eq(tag)),
        None => false,
    }
}

/// A `304` with the tag, for a client whose copy is current.
pub fn unchanged(tag: &EntityTag) -> HttpResponse {
    HttpResponse::NotModified()
        .insert_header(header::ETag(tag.clone()))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .finish()
}

/// A JSON answer tagged by its bytes: `304` when the client has it. `no-cache` makes caches ask again
/// each time, so figures are never stale.
///
/// # Errors
/// Serialization failure (a bug).
pub fn json(
    req: &HttpRequest,
    value: &impl serde::Serialize,
) -> Result<HttpResponse, crate::error::ApiError> {
    let body = serde_json::to_vec(value).map_err(|e| crate::error::ApiError::Internal(e.into()))?;
    Ok(tagged(req, "application/json", body))
}

/// Any answer tagged by its bytes, as [`json`] does.
pub fn tagged(req: &HttpRequest, content_type: &str, body: Vec<u8>) -> HttpResponse {
    let tag = tag_of(&[content_type.as_bytes(), &body]);
    if not_modified(req, &tag) {
        return unchanged(&tag);
    }
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(header::ETag(tag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body)
}
