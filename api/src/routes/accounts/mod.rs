//! `/auth/*` and `/me`: registration, login with throttling, rotating refresh tokens, logout, own profile.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use ocf_domain::Id;
use ocf_domain::ValidationErrors;
use ocf_domain::account::{DisplayName, Email, NewPassword, NewUser, Roles, User};
use ocf_domain::ports::{
    LoginAttempt, NewRefreshToken, Rotation, SessionRepository, ThrottleLimit, UserRepository,
};

use super::UserView;
use crate::auth::{ACCESS_TOKEN_TTL, Caller, HashSlot, IssuedRefresh};
use crate::error::{ApiError, ErrorCode};
use crate::extract::ApiJson;
use crate::state::{AppState, blocking};

mod dto;

pub use dto::{
    LoginRequest, RefreshRequest, RegisterRequest, TokenResponse, TokenType, UpdateMeRequest,
};

/// The response for a fresh access token and refresh token; the caller stores `refresh.stored`.
fn token_response(access_token: String, issued: IssuedRefresh) -> (TokenResponse, NewRefreshToken) {
    let response = TokenResponse {
        access_token,
        token_type: TokenType::Bearer,
        expires_in: ACCESS_TOKEN_TTL.num_seconds(),
        refresh_token: issued.token,
        refresh_token_expires_at: issued.stored.expires_at,
    };
    (response, issued.stored)
}

/// Create an account
///
/// Creates a citizen account. Roles beyond `citizen` are assigned by an admin.
#[utoipa::path(
    tag = "accounts",
    operation_id = "register_account",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "The account was created", body = UserView,
            headers(("Location" = String, description = "Where the account can be read: /api/v1/me"))),
        (status = 409, description = "An account with this email (in any letter case) exists (`already_exists`)"),
        (status = 422, description = "A field is invalid, missing or unknown"),
        (status = 503, description = "Every password-hashing slot stayed busy for the queue time (`service_unavailable`); retry after `Retry-After` seconds"),
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    body: ApiJson<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = ValidationErrors::new();
    let email = errors.check("email", Email::parse(&body.email));
    let password = errors.check(
        "password",
        NewPassword::parse(&body.password, email.as_ref()),
    );
    let display_name = errors.check("display_name", DisplayName::parse(&body.display_name));
    errors.into_result()?;
    let (Some(email), Some(password), Some(display_name)) = (email, password, display_name) else {
        return Err(ApiError::Internal("validated fields missing".into()));
    };
    let slot = state.passwords.slot().await?;
    let user = blocking(move || {
        let password_hash = slot.hash(password.expose())?;
        let new = NewUser {
            id: Id::generate(),
            email,
            display_name,
            password_hash,
            roles: Roles::citizen(),
            created_at: ocf_domain::clock::now(),
        };
        Ok(state.db.create_user(&new)?)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, "/api/v1/me"))
        .json(UserView::from(user)))
}

pub(crate) fn client_ip(req: &HttpRequest, trust_forwarded_for: bool) -> String {
    let info = req.connection_info();
    let ip = if trust_forwarded_for {
        info.realip_remote_addr()
    } else {
        info.peer_addr()
    };
    ip.unwrap_or("unknown").to_owned()
}

fn retry_after(oldest: Option<DateTime<Utc>>, window: chrono::Duration, now: DateTime<Utc>) -> u64 {
    oldest
        .map(|t| (t + window - now).num_seconds().max(1))
        .and_then(|s| u64::try_from(s).ok())
        .unwrap_or(1)
}

/// Sign in
///
/// Exchanges email and password for an access token (15 minutes) and a refresh token (30 days, single use).
/// An unknown email and a wrong password give the same answer in the same time. After repeated failures
/// the account, and separately the client address, are throttled with `429` and `Retry-After`.
#[utoipa::path(
    tag = "accounts",
    operation_id = "log_in",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse,
            headers(("Cache-Control" = String, description = "Always `no-store`: the body carries tokens"))),
        (status = 401, description = "Email or password is wrong (code `invalid_credentials`)"),
        (status = 422, description = "A field is missing or unknown"),
        (status = 429, description = "Too many failed attempts for this account or address; see `Retry-After`"),
        (status = 503, description = "Every password-hashing slot stayed busy for the queue time (`service_unavailable`); retry after `Retry-After` seconds"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ApiJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ip_key = format!("ip:{}", client_ip(&req, state.trust_forwarded_for));
    let account_key = format!("account:{}", body.email.trim().to_lowercase());
    let now = ocf_domain::clock::now();
    let throttle = state.throttle;
    let window = chrono::Duration::from_std(throttle.window).map_err(ApiError::internal)?;
    // First reserve the attempt, atomically with the check of both limits (so parallel attempts cannot
    // all pass the check), then wait for a hashing slot, and only then spend the argon2 work.
    let reservation = blocking({
        let (state, account_key, ip_key) = (state.clone(), account_key.clone(), ip_key.clone());
        move || {
            let limits = [
                ThrottleLimit {
                    key: &account_key,
                    max_failures: throttle.max_failures_per_account,
                },
                ThrottleLimit {
                    key: &ip_key,
                    max_failures: throttle.max_failures_per_ip,
                },
            ];
            match state.db.reserve_login_attempt(&limits, now - window, now)? {
                LoginAttempt::Reserved(reservation) => Ok(reservation),
                LoginAttempt::Throttled { oldest } => Err(ApiError::TooManyRequests {
                    retry_after: retry_after(oldest, window, now),
                }),
            }
        }
    })
    .await?;
    let slot = match state.passwords.slot().await {
        Ok(slot) => slot,
        Err(busy) => {
            // Never evaluated, so not a failure.
            blocking(move || Ok(state.db.release_login_attempt(&reservation)?)).await?;
            return Err(busy);
        }
    };
    let response = blocking(move || {
        let outcome = sign_in(&state, &body, slot, now);
        match &outcome {
            // A wrong password keeps its reservation: it is the recorded failure.
            Err(ApiError::Unauthenticated { .. }) => {}
            Ok(_) => {
                state.db.release_login_attempt(&reservation)?;
                state.db.clear_login_failures(&account_key, now - window)?;
            }
            Err(_) => state.db.release_login_attempt(&reservation)?,
        }
        outcome
    })
    .await?;
    Ok(token_reply(response))
}

/// Checks the password and starts a session. Blocking (argon2 and the database).
fn sign_in(
    state: &AppState,
    body: &LoginRequest,
    slot: HashSlot,
    now: DateTime<Utc>,
) -> Result<TokenResponse, ApiError> {
    let credentials = match Email::parse(&body.email) {
        Ok(email) => state.db.credentials_by_email(&email)?,
        Err(_) => None,
    };
    let hash = credentials.as_ref().map(|c| c.password_hash.as_str());
    let verified = slot.verify(&body.password, hash);
    let Some(credentials) = credentials.filter(|_| verified) else {
        return Err(ApiError::Unauthenticated {
            code: ErrorCode::InvalidCredentials,
            detail: "the email or password is incorrect".to_owned(),
        });
    };
    let access_token = state.tokens.issue_access(&credentials.user, now)?;
    let (response, stored) = token_response(access_token, state.tokens.new_refresh(now)?);
    state.db.start_session(credentials.user.id, &stored)?;
    Ok(response)
}

/// A response that carries tokens must never be stored by a cache (RFC 6749 §5.1).
fn token_reply(tokens: TokenResponse) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(tokens)
}

/// Rotate the refresh token
///
/// Uses up a refresh token and returns a new pair (with current roles). Presenting a refresh token that was
/// already used revokes every token descended from the same login (`refresh_token_reused`).
#[utoipa::path(
    tag = "accounts",
    operation_id = "refresh_tokens",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse,
            headers(("Cache-Control" = String, description = "Always `no-store`: the body carries tokens"))),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token"),
        (status = 422, description = "A field is missing or unknown"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: ApiJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let presented = crate::auth::hash_refresh(&body.0.refresh_token);
    let tokens = blocking(move || {
        let now = ocf_domain::clock::now();
        let replacement = state.tokens.new_refresh(now)?;
        let invalid = |code: ErrorCode, detail: &str| ApiError::Unauthenticated {
            code,
            detail: detail.to_owned(),
        };
        match state.db.rotate(&presented, &replacement.stored, now)? {
            Rotation::Rotated { user_id } => {
                let user = state
                    .db
                    .user_by_id(user_id)?
                    .ok_or_else(|| invalid(ErrorCode::InvalidRefreshToken, "the account no longer exists"))?;
                let access_token = state.tokens.issue_access(&user, now)?;
                Ok(token_response(access_token, replacement).0)
            }
            Rotation::Reused => Err(invalid(
                ErrorCode::RefreshTokenReused,
                "this refresh token was already used; every session from the same sign-in is now revoked",
            )),
            Rotation::Revoked => Err(invalid(ErrorCode::InvalidRefreshToken, "the refresh token was revoked")),
            Rotation::Expired => Err(invalid(ErrorCode::InvalidRefreshToken, "the refresh token has expired")),
            Rotation::Unknown => Err(invalid(ErrorCode::InvalidRefreshToken, "the refresh token is not valid")),
        }
    })
    .await?;
    Ok(token_reply(tokens))
}

/// Sign out
///
/// Revokes the refresh token and every token from the same sign-in. Idempotent: an unknown or already
/// revoked token also gives `204`. Access tokens already issued stay valid until they expire (15 minutes).
#[utoipa::path(
    tag = "accounts",
    operation_id = "log_out",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Signed out"),
        (status = 422, description = "A field is missing or unknown"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: ApiJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let presented = crate::auth::hash_refresh(&body.0.refresh_token);
    blocking(move || Ok(state.db.end_session(&presented, ocf_domain::clock::now())?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

fn own_account(state: &AppState, caller: &Caller) -> Result<User, ApiError> {
    state
        .db
        .user_by_id(caller.user_id)?
        .ok_or_else(|| ApiError::invalid_token("the account of this token no longer exists"))
}

/// Read my account
///
/// The account of the access token: email, display name, roles and organization.
#[utoipa::path(
    tag = "accounts",
    operation_id = "get_my_account",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in account", body = UserView),
        (status = 401, description = "No valid access token"),
    )
)]
#[get("/me")]
pub async fn get_me(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<UserView>, ApiError> {
    let user = blocking(move || own_account(&state, &caller)).await?;
    Ok(web::Json(user.into()))
}

/// Update my account
///
/// Changes the display name and/or the password. A new password needs the current one and signs out every
/// session (refresh tokens) of the account.
#[utoipa::path(
    tag = "accounts",
    operation_id = "update_my_account",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated account", body = UserView),
        (status = 401, description = "No valid access token"),
        (status = 422, description = "A field is invalid or unknown (roles cannot be changed here), or the current password is wrong"),
        (status = 503, description = "Every password-hashing slot stayed busy for the queue time (`service_unavailable`); retry after `Retry-After` seconds"),
    )
)]
#[patch("/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<UpdateMeRequest>,
) -> Result<web::Json<UserView>, ApiError> {
    let body = body.0;
    if body.display_name.is_none() && body.password.is_none() {
        return Err(ApiError::validation(
            "body",
            "name at least one of display_name, password",
        ));
    }
    let mut errors = ValidationErrors::new();
    let display_name = body
        .display_name
        .as_deref()
        .and_then(|n| errors.check("display_name", DisplayName::parse(n)));
    if body.password.is_some() && body.current_password.is_none() {
        errors.push("current_password", "is required to set a new password");
    }
    errors.into_result()?;
    // A password change verifies one hash and makes another: both in one slot, taken before the work.
    let slot = match body.password {
        Some(_) => Some(state.passwords.slot().await?),
        None => None,
    };
    let user = blocking(move || {
        let user = own_account(&state, &caller)?;
        let now = ocf_domain::clock::now();
        let new_hash = match (&body.password, &body.current_password, slot) {
            (Some(new), Some(current), Some(slot)) => {
                let password = NewPassword::parse(new, Some(&user.email))
                    .map_err(|e| ApiError::validation("password", e.to_string()))?;
                let stored = state.db.password_hash(user.id)?;
                let Some(new_hash) = slot.verify_then_hash(current, &stored, password.expose())?
                else {
                    return Err(ApiError::validation("current_password", "is incorrect"));
                };
                Some(new_hash)
            }
            _ => None,
        };
        let updated =
            state
                .db
                .update_profile(user.id, display_name.as_ref(), new_hash.as_deref(), now)?;
        if new_hash.is_some() {
            state.db.end_all_sessions(user.id, now)?;
        }
        Ok(updated)
    })
    .await?;
    Ok(web::Json(user.into()))
}
