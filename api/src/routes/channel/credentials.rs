//! `/channels/{id}/credentials` (admin): the client ids and secrets a channel's machines authenticate
//! with. A secret is shown once and stored as its SHA-256 (it carries 256 random bits).

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use base64::Engine;
use chrono::TimeDelta;
use ocf_domain::partner::credential::{CredentialId, MAX_ROTATION_OVERLAP};
use ocf_domain::partner::{ChannelRepository, Credential, Scopes};
use ocf_domain::{Id, clock};

use super::dto::{
    CreateCredentialRequest, CredentialList, CredentialView, IssuedCredential,
    RotateCredentialRequest,
};
use super::{load_channel, parse_channel_id};
use crate::auth::{Admin, hash_refresh};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::state::{AppState, blocking};

/// The overlap a rotation gives the replaced secret when none is named.
const DEFAULT_OVERLAP: TimeDelta = TimeDelta::days(1);

fn random_token(prefix: &str, bytes: usize) -> Result<String, ApiError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| ApiError::Internal(format!("rng: {e}").into()))?;
    Ok(format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
    ))
}

/// A new secret: 256 random bits.
fn new_secret() -> Result<String, ApiError> {
    random_token("ocfs_", 32)
}

fn parse_credential_id(raw: &str) -> Result<CredentialId, ApiError> {
    Id::parse(raw).map_err(|_| ApiError::NotFound("credential not found".to_owned()))
}

fn issued(credential: Credential, secret: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(IssuedCredential {
            credential: credential.into(),
            client_secret: secret,
        })
}

/// Create a machine credential
///
/// A new client id and secret for the channel's machines, with the scopes their tokens may carry (all
/// three when left out). The secret is in this answer only. Admins only.
#[utoipa::path(
    tag = "channels",
    operation_id = "create_credential",
    security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The channel's id")),
    request_body = CreateCredentialRequest,
    responses(
        (status = 201, description = "Created; the secret is shown this once", body = IssuedCredential,
            headers(
                ("Cache-Control" = String, description = "Always `no-store`: the body carries a secret"),
                ("Location" = String, description = "The new credential's URL"),
            )),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "The caller is not an admin"),
        (status = 404, description = "No such channel"),
        (status = 422, description = "A scope is unknown or repeated, or the list is empty"),
    )
)]
#[post("/channels/{id}/credentials")]
pub async fn create_credential(
    _admin: Admin,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: ApiJson<CreateCredentialRequest>,
) -> Result<HttpResponse, ApiError> {
    let channel_id = parse_channel_id(&id)?;
    let scopes = match &body.0.scopes {
        None => Scopes::all(),
        Some(list) => {
            let scopes = Scopes::parse_list(list).map_err(|e| ApiError::validation("scopes", e))?;
            if scopes.is_empty() || scopes.iter().count() != list.len() {
                return Err(ApiError::validation(
                    "scopes",
                    "must name at least one scope, each once",
                ));
            }
            scopes
        }
    };
    let secret = new_secret()?;
    let credential = Credential {
        id: Id::generate(),
        channel_id,
        client_id: random_token("ocf_", 16)?,
        scopes,
        created_at: clock::now(),
        rotated_at: None,
        previous_expires_at: None,
        revoked_at: None,
        last_used_at: None,
    };
    let hash = hash_refresh(&secret);
    let credential = blocking(move || {
        load_channel(&state, channel_id)?;
        state.db.create_credential(&credential, &hash)?;
        Ok(credential)
    })
    .await?;
    let location = format!(
        "/api/v1/channels/{}/credentials/{}",
        credential.channel_id, credential.id
    );
    let mut response = issued(credential, secret);
    *response.status_mut() = actix_web::http::StatusCode::CREATED;
    response.headers_mut().insert(
        header::LOCATION,
        header::HeaderValue::from_str(&location).map_err(ApiError::internal)?,
    );
    Ok(response)
}

/// List a channel's credentials
///
/// Newest first, revoked ones included, never with their secrets. Admins only.
#[utoipa::path(
    tag = "channels",
    operation_id = "list_credentials",
    security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The channel's id")),
    responses(
        (status = 200, description = "The credentials", body = CredentialList),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "The caller is not an admin"),
        (status = 404, description = "No such channel"),
    )
)]
#[get("/channels/{id}/credentials")]
pub async fn list_credentials(
    _admin: Admin,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<CredentialList>, ApiError> {
    let channel_id = parse_channel_id(&id)?;
    let items = blocking(move || {
        load_channel(&state, channel_id)?;
        Ok(state.db.credentials(channel_id)?)
    })
    .await?;
    Ok(web::Json(CredentialList {
        items: items.into_iter().map(CredentialView::from).collect(),
    }))
}

/// Get a credential
///
/// Without its secret. Admins only.
#[utoipa::path(
    tag = "channels",
    operation_id = "get_credential",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The channel's id"),
        ("credential_id" = String, Path, format = Uuid, description = "The credential's id"),
    ),
    responses(
        (status = 200, description = "The credential", body = CredentialView),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "The caller is not an admin"),
        (status = 404, description = "No such channel or credential"),
    )
)]
#[get("/channels/{id}/credentials/{credential_id}")]
pub async fn get_credential(
    _admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<CredentialView>, ApiError> {
    let channel_id = parse_channel_id(&path.0)?;
    let id = parse_credential_id(&path.1)?;
    let credential = blocking(move || own_credential(&state, channel_id, id)).await?;
    Ok(web::Json(credential.into()))
}

/// Rotate a credential's secret
///
/// A new secret, shown this once; the replaced one keeps working for `overlap_seconds` (a day by default,
/// at most 7 days), so machines can switch without downtime. Admins only.
#[utoipa::path(
    tag = "channels",
    operation_id = "rotate_credential",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The channel's id"),
        ("credential_id" = String, Path, format = Uuid, description = "The credential's id"),
    ),
    request_body = RotateCredentialRequest,
    responses(
        (status = 200, description = "Rotated; the new secret is shown this once", body = IssuedCredential,
            headers(("Cache-Control" = String, description = "Always `no-store`: the body carries a secret"))),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "The caller is not an admin"),
        (status = 404, description = "No such channel, or no such credential that is not revoked"),
        (status = 422, description = "`overlap_seconds` is out of range"),
    )
)]
#[post("/channels/{id}/credentials/{credential_id}/rotate")]
pub async fn rotate_credential(
    _admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: ApiJson<RotateCredentialRequest>,
) -> Result<HttpResponse, ApiError> {
    let channel_id = parse_channel_id(&path.0)?;
    let id = parse_credential_id(&path.1)?;
    let overlap = match body.0.overlap_seconds {
        None => DEFAULT_OVERLAP,
        Some(s) if i64::from(s) <= MAX_ROTATION_OVERLAP.num_seconds() => {
            TimeDelta::seconds(i64::from(s))
        }
        Some(_) => {
            return Err(ApiError::validation(
                "overlap_seconds",
                "must be between 0 and 604800 (7 days)",
            ));
        }
    };
    let secret = new_secret()?;
    let hash = hash_refresh(&secret);
    let credential = blocking(move || {
        own_credential(&state, channel_id, id)?;
        let now = clock::now();
        let rotated = state.db.rotate_credential(id, &hash, now + overlap, now)?;
        Ok(rotated)
    })
    .await?;
    Ok(issued(credential, secret))
}

/// Revoke a credential
///
/// For good: it obtains no more tokens, and the tokens it obtained stop working at once (every instance
/// within a second). Revoking a revoked credential changes nothing. Admins only.
#[utoipa::path(
    tag = "channels",
    operation_id = "revoke_credential",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The channel's id"),
        ("credential_id" = String, Path, format = Uuid, description = "The credential's id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "The caller is not an admin"),
        (status = 404, description = "No such channel or credential"),
    )
)]
#[delete("/channels/{id}/credentials/{credential_id}")]
pub async fn revoke_credential(
    _admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let channel_id = parse_channel_id(&path.0)?;
    let id = parse_credential_id(&path.1)?;
    blocking(move || {
        own_credential(&state, channel_id, id)?;
        state.db.revoke_credential(id, clock::now())?;
        state.standings.clear();
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The credential, if it is the channel's. Blocking.
fn own_credential(
    state: &AppState,
    channel: ocf_domain::partner::ChannelId,
    id: CredentialId,
) -> Result<Credential, ApiError> {
    load_channel(state, channel)?;
    state
        .db
        .credential(id)?
        .filter(|c| c.channel_id == channel)
        .ok_or_else(|| ApiError::NotFound("credential not found".to_owned()))
}
