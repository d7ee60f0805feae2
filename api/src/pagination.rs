//! Opaque, keyset-based cursors: base64url of a version, the list the cursor belongs to, and a key.
//! Clients must not build or parse them. A cursor names its list (and, inside the key, its sort), so one
//! from another list, another proposal's timeline or another sort is refused with `422`, not silently
//! read as a position in the wrong order.

use base64::Engine;
use ocf_domain::{PageRequest, ValidationErrors};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

const VERSION: &str = "v2";

pub fn encode_cursor(list: &str, key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{VERSION}|{list}|{key}"))
}

/// The key of a cursor issued for `list`.
///
/// # Errors
/// A `cursor` validation error when the text is not a cursor this server issued for this list.
pub fn decode_cursor(list: &str, cursor: &str) -> Result<String, ApiError> {
    let invalid =
        || ApiError::validation("cursor", "is not a cursor this API issued for this list");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor.trim())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut parts = text.splitn(3, '|');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(VERSION), Some(l), Some(key)) if l == list && !key.is_empty() => Ok(key.to_owned()),
        _ => Err(invalid()),
    }
}

/// Builds a page request for `list` from `?limit=` and `?cursor=`, parsing the cursor's key with
/// `parse_key`.
///
/// # Errors
/// Validation errors for `limit` and `cursor` together.
pub fn page_request<K>(
    list: &str,
    limit: Option<u32>,
    cursor: Option<&str>,
    parse_key: impl Fn(&str) -> Option<K>,
) -> Result<PageRequest<K>, ApiError> {
    let mut errors = ValidationErrors::new();
    let after = match cursor {
        None => None,
        Some(c) => match decode_cursor(list, c).ok().and_then(|k| parse_key(&k)) {
            Some(k) => Some(k),
            None => {
                errors.push("cursor", "is not a cursor this API issued for this list");
                None
            }
        },
    };
    let page = match PageRequest::new(limit, after) {
        Ok(p) => Some(p),
        Err(e) => {
            for f in e.errors() {
                errors.push(f.field.clone(), f.message.clone());
            }
            None
        }
    };
    errors.into_result()?;
    page.ok_or_else(|| ApiError::validation("limit", "is invalid"))
}

/// `?limit=&cursor=` of a list with no other parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1-100 (default 20).
    #[param(example = 20, minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paginated<T: ToSchema> {
    /// The items of this page, in the list's order.
    pub items: Vec<T>,
    /// Pass as `?cursor=` to get the next page; `null` on the last page.
    #[schema(example = json!(null), required = true)]
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> Paginated<T> {
    /// A page of `list` (the same name its [`page_request`] reads cursors with).
    pub fn new<K>(
        list: &str,
        items: Vec<T>,
        next_after: Option<K>,
        key: impl Fn(&K) -> String,
    ) -> Self {
        Self {
            items,
            next_cursor: next_after.as_ref().map(|k| encode_cursor(list, &key(k))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = encode_cursor("organizations", "MOIS");
        assert_eq!(
            decode_cursor("organizations", &c).ok(),
            Some("MOIS".to_owned())
        );
        assert!(decode_cursor("organizations", "!!").is_err());
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        assert!(decode_cursor("organizations", &b64("v1:MOIS")).is_err());
        assert!(decode_cursor("organizations", &b64("v2|organizations|")).is_err());
    }

    #[test]
    fn a_cursor_of_another_list_is_refused() {
        let c = encode_cursor("policy_areas", "TRANSPORT");
        assert!(decode_cursor("organizations", &c).is_err());
        assert!(page_request("organizations", None, Some(&c), |k| Some(k.to_owned())).is_err());
    }
}
