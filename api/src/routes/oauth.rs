//! `POST /oauth/token`: OAuth 2.0 client credentials (RFC 6749 §4.4) for partner machines. Errors follow
//! RFC 6749 §5.2, OAuth's own JSON, not problem+json: OAuth client libraries read `error`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, post, web};
use base64::Engine;
use futures_util::StreamExt;
use ocf_domain::clock;
use ocf_domain::partner::{ChannelRepository, ChannelStatus, Scopes};
use ocf_domain::ports::{LoginAttempt, SessionRepository, ThrottleLimit};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{MACHINE_TOKEN_TTL, hash_refresh};
use crate::error::ApiError;
use crate::state::{AppState, blocking};

/// The largest token request read, in bytes.
const MAX_FORM_BYTES: usize = 4096;

/// RFC 6749 §5.2 error codes (and `temporarily_unavailable` while failed attempts are throttled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "invalid_client")]
pub enum OAuthErrorCode {
    InvalidRequest,
    InvalidClient,
    UnauthorizedClient,
    UnsupportedGrantType,
    InvalidScope,
    TemporarilyUnavailable,
}

/// An OAuth error (RFC 6749 §5.2). The token endpoint's only error format: not problem+json.
#[derive(Debug, Serialize, ToSchema)]
pub struct OAuthError {
    /// What went wrong.
    pub error: OAuthErrorCode,
    /// In words, for the developer.
    #[schema(example = "client authentication failed")]
    pub error_description: String,
}

/// A token request (RFC 6749 §4.4.2), form-encoded. Authenticate with HTTP Basic (`client_id` and
/// `client_secret`, each form-encoded) or, instead, with both in the body; never both ways.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Always `client_credentials`.
    #[schema(example = "client_credentials")]
    pub grant_type: String,
    /// Space-delimited scopes; every scope the credential holds when left out.
    #[schema(example = "proposals:write proposals:read")]
    pub scope: Option<String>,
    /// Only when not using HTTP Basic.
    #[schema(example = "ocf_3q2-7wXjKkR1b0cT9yZ8aQ")]
    pub client_id: Option<String>,
    /// Only when not using HTTP Basic.
    #[schema(example = "ocfs_kV3m0Qw9cYt2pX7rL1nB5sD8fG4hJ6kZ0aE2iU9oW3y")]
    pub client_secret: Option<String>,
}

/// An access token for a partner machine (RFC 6749 §5.1). There is no refresh token: ask again.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenGrant {
    /// A JWT for partner endpoints (`Authorization: Bearer ...`); user endpoints refuse it.
    #[schema(example = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJvY2YtcGFydG5lciJ9.c2ln")]
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until it expires.
    #[schema(example = 3600)]
    pub expires_in: i64,
    /// The scopes granted, space-delimited.
    #[schema(example = "proposals:read proposals:write")]
    pub scope: String,
}

fn oauth_error(status: StatusCode, error: OAuthErrorCode, description: &str) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"));
    if error == OAuthErrorCode::InvalidClient {
        // §5.2: a 401 names the scheme the client should authenticate with.
        response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"ocf\""));
    }
    let mut response = response.json(OAuthError {
        error,
        error_description: description.to_owned(),
    });
    response
        .extensions_mut()
        .insert(crate::request_id::OwnErrorFormat);
    response
}

fn bad_request(description: &str) -> HttpResponse {
    oauth_error(
        StatusCode::BAD_REQUEST,
        OAuthErrorCode::InvalidRequest,
        description,
    )
}

/// An `invalid_request`, in words.
#[derive(Debug)]
struct Malformed(String);

impl Malformed {
    fn response(&self) -> HttpResponse {
        bad_request(&self.0)
    }
}

fn invalid_client() -> HttpResponse {
    oauth_error(
        StatusCode::UNAUTHORIZED,
        OAuthErrorCode::InvalidClient,
        "client authentication failed",
    )
}

/// The client id and secret from HTTP Basic (§2.3.1: each form-encoded before base64), if sent.
fn basic_credentials(req: &HttpRequest) -> Result<Option<(String, String)>, &'static str> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let bad = "the Authorization header must be 'Basic base64(client_id:client_secret)'";
    let value = value.to_str().map_err(|_| bad)?;
    let (scheme, encoded) = value.split_once(' ').ok_or(bad)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(bad);
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| bad)?;
    let decoded = String::from_utf8(decoded).map_err(|_| bad)?;
    let (id, secret) = decoded.split_once(':').ok_or(bad)?;
    let unescape = |s: &str| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={s}"))
            .ok()
            .and_then(|mut v| v.pop())
            .map(|(_, v)| v)
    };
    match (unescape(id), unescape(secret)) {
        (Some(id), Some(secret)) => Ok(Some((id, secret))),
        _ => Err(bad),
    }
}

async fn read_form(mut payload: web::Payload) -> Result<Vec<(String, String)>, Malformed> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| Malformed("the body could not be read".to_owned()))?;
        if body.len() + chunk.len() > MAX_FORM_BYTES {
            return Err(Malformed("the body is larger than 4096 bytes".to_owned()));
        }
        body.extend_from_slice(&chunk);
    }
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
        .map_err(|_| Malformed("the body is not form-encoded".to_owned()))
}

/// The request's parameters, each at most once (§3.2).
fn single(form: &[(String, String)], name: &str) -> Result<Option<String>, Malformed> {
    let mut values = form.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
    let first = values.next();
    if values.next().is_some() {
        return Err(Malformed(format!("the parameter {name} is repeated")));
    }
    Ok(first.filter(|v| !v.is_empty()).cloned())
}

/// Obtain a machine token
///
/// OAuth 2.0 client credentials (RFC 6749 §4.4). Send `grant_type=client_credentials`, form-encoded,
/// and authenticate with HTTP Basic (`client_id:client_secret`), or with both in the body instead.
/// The answer carries a JWT for partner endpoints, valid for an hour, and no refresh token. Errors are
/// OAuth's own JSON (RFC 6749 §5.2), not problem+json: `invalid_request` and `unsupported_grant_type`
/// and `invalid_scope` and `unauthorized_client` (a suspended channel) are `400`, `invalid_client` is
/// `401` with `WWW-Authenticate: Basic`. Repeated failed authentications are throttled per client id
/// and per address, like sign-ins: `429` with `Retry-After` (`temporarily_unavailable`).
#[utoipa::path(
    tag = "partners",
    operation_id = "issue_token",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Issued", body = TokenGrant,
            headers(("Cache-Control" = String, description = "Always `no-store`: the body carries a token"))),
        (status = 400, description = "`invalid_request`, `unsupported_grant_type`, `invalid_scope` or `unauthorized_client`", body = OAuthError),
        (status = 401, description = "`invalid_client`: the client id or secret is wrong, or the credential is revoked", body = OAuthError,
            headers(("WWW-Authenticate" = String, description = "`Basic realm=\"ocf\"`"))),
        (status = 429, description = "Too many failed authentications for this client id or address (`temporarily_unavailable`)", body = OAuthError),
    )
)]
#[post("/oauth/token")]
pub async fn token(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let form_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            m.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !form_type {
        return Ok(bad_request(
            "the body must be form-encoded (Content-Type: application/x-www-form-urlencoded)",
        ));
    }
    let form = match read_form(payload).await {
        Ok(f) => f,
        Err(m) => return Ok(m.response()),
    };
    let params = (|| {
        Ok::<_, Malformed>((
            single(&form, "grant_type")?,
            single(&form, "scope")?,
            single(&form, "client_id")?,
            single(&form, "client_secret")?,
        ))
    })();
    let (grant_type, scope, body_id, body_secret) = match params {
        Ok(p) => p,
        Err(m) => return Ok(m.response()),
    };
    let basic = match basic_credentials(&req) {
        Ok(b) => b,
        Err(why) => return Ok(bad_request(why)),
    };
    let (client_id, secret) = match (basic, body_id, body_secret) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return Ok(bad_request(
                "authenticate one way only: HTTP Basic or the body, not both",
            ));
        }
        (Some(b), None, None) => b,
        (None, Some(id), Some(secret)) => (id, secret),
        (None, _, _) => return Ok(invalid_client()),
    };
    let Some(grant_type) = grant_type else {
        return Ok(bad_request("grant_type is required"));
    };
    issue(&req, state, client_id, secret, &grant_type, scope).await
}

/// Authenticates the client, throttled, and issues the token.
async fn issue(
    req: &HttpRequest,
    state: web::Data<AppState>,
    client_id: String,
    secret: String,
    grant_type: &str,
    scope: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let now = clock::now();
    let throttle = state.throttle;
    let window = chrono::Duration::from_std(throttle.window).map_err(ApiError::internal)?;
    let client_key = format!("client:{client_id}");
    let ip_key = format!(
        "client-ip:{}",
        crate::routes::accounts::client_ip(req, state.trust_forwarded_for)
    );
    let s = state.clone();
    let reserved = blocking(move || {
        let limits = [
            ThrottleLimit {
                key: &client_key,
                max_failures: throttle.max_failures_per_account,
            },
            ThrottleLimit {
                key: &ip_key,
                max_failures: throttle.max_failures_per_ip,
            },
        ];
        let attempt = s.db.reserve_login_attempt(&limits, now - window, now)?;
        let found = match &attempt {
            LoginAttempt::Reserved(_) => s.db.credential_for_client(&client_id)?,
            LoginAttempt::Throttled { .. } => None,
        };
        Ok((attempt, found, client_key))
    })
    .await?;
    let (reservation, found, client_key) = match reserved {
        (LoginAttempt::Throttled { oldest }, _, _) => {
            let wait = oldest
                .map(|t| (t + window - now).num_seconds().max(1))
                .unwrap_or(1);
            let mut response = oauth_error(
                StatusCode::TOO_MANY_REQUESTS,
                OAuthErrorCode::TemporarilyUnavailable,
                "too many failed client authentications; retry later",
            );
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from(u64::try_from(wait).unwrap_or(1)),
            );
            return Ok(response);
        }
        (LoginAttempt::Reserved(r), found, key) => (r, found, key),
    };
    let presented = hash_refresh(&secret);
    let authenticated =
        found.filter(|(c, secrets, _)| !c.is_revoked() && secrets.accepts(&presented, now));
    let Some((credential, _, status)) = authenticated else {
        // The reservation stays: it is the recorded failure.
        return Ok(invalid_client());
    };
    let s = state.clone();
    let credential_id = credential.id;
    blocking(move || {
        s.db.release_login_attempt(&reservation)?;
        s.db.clear_login_failures(&client_key, now - window)?;
        Ok(())
    })
    .await?;
    if grant_type != "client_credentials" {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            OAuthErrorCode::UnsupportedGrantType,
            "only grant_type=client_credentials is supported",
        ));
    }
    if status == ChannelStatus::Suspended {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            OAuthErrorCode::UnauthorizedClient,
            "the channel is suspended",
        ));
    }
    let scopes = match scope {
        None => credential.scopes.clone(),
        Some(raw) => match Scopes::parse_delimited(&raw) {
            Ok(s) if !s.is_empty() && s.is_subset(&credential.scopes) => s,
            _ => {
                return Ok(oauth_error(
                    StatusCode::BAD_REQUEST,
                    OAuthErrorCode::InvalidScope,
                    "the scope is unknown or beyond what this credential holds",
                ));
            }
        },
    };
    let access_token = state.tokens.issue_machine(&credential, &scopes, now)?;
    let s = state.clone();
    blocking(move || Ok(s.db.touch_credential(credential_id, now)?)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(TokenGrant {
            access_token,
            token_type: "Bearer",
            expires_in: MACHINE_TOKEN_TTL.num_seconds(),
            scope: scopes.delimited(),
        }))
}
