//! Machine tokens for partner channels (OAuth 2.0 client credentials, RFC 6749 §4.4): JWTs with their own
//! audience, so a user endpoint refuses them and a partner endpoint refuses user tokens. Each request
//! checks that the channel is active and the credential not revoked, through a one-second cache.

use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::{DateTime, Utc};
use futures_util::future::LocalBoxFuture;
use jsonwebtoken::{Algorithm, Header};
use ocf_domain::Id;
use ocf_domain::partner::credential::CredentialId;
use ocf_domain::partner::{ChannelId, ChannelRepository, ChannelStatus, Credential, Scope, Scopes};
use serde::{Deserialize, Serialize};

use super::TokenService;
use super::tokens::ISSUER;
use crate::error::{ApiError, ErrorCode};
use crate::state::{AppState, blocking};

/// The audience of machine tokens; user tokens carry `ocf-api`.
pub const MACHINE_AUDIENCE: &str = "ocf-partner";
/// How long a machine token lives. Suspending the channel or revoking the credential ends it sooner.
pub const MACHINE_TOKEN_TTL: chrono::TimeDelta = chrono::TimeDelta::hours(1);
/// How long a channel's standing is trusted before it is read again.
const STANDING_TTL: Duration = Duration::from_secs(1);
/// Entries kept at most.
const STANDING_CAPACITY: u64 = 10_000;

#[derive(Debug, Serialize, Deserialize)]
struct MachineClaims {
    iss: String,
    aud: String,
    /// The client id.
    sub: String,
    exp: i64,
    nbf: i64,
    iat: i64,
    jti: String,
    // Defaults, so that a user's token (which has none of these) fails on its audience, with a message
    // that says so, rather than on its shape.
    /// The credential (its id) the token was issued to.
    #[serde(default)]
    cred: String,
    /// The channel the credential belongs to.
    #[serde(default)]
    chn: String,
    /// Space-delimited scopes.
    #[serde(default)]
    scope: String,
}

impl TokenService {
    /// Issues a machine token for `credential` with `scopes`, valid for an hour from `now`.
    ///
    /// # Errors
    /// Only if signing fails.
    pub fn issue_machine(
        &self,
        credential: &Credential,
        scopes: &Scopes,
        now: DateTime<Utc>,
    ) -> Result<String, ApiError> {
        let claims = MachineClaims {
            iss: ISSUER.to_owned(),
            aud: MACHINE_AUDIENCE.to_owned(),
            sub: credential.client_id.clone(),
            exp: (now + MACHINE_TOKEN_TTL).timestamp(),
            nbf: now.timestamp(),
            iat: now.timestamp(),
            jti: uuid::Uuid::new_v4().to_string(),
            cred: credential.id.to_string(),
            chn: credential.channel_id.to_string(),
            scope: scopes.delimited(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ApiError::internal)
    }

    fn verify_machine(&self, token: &str) -> Result<Partner, ApiError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| ApiError::invalid_token("the access token is malformed"))?;
        if header.crit.is_some() {
            return Err(ApiError::invalid_token(
                "the access token names critical header extensions this API does not understand",
            ));
        }
        let data = jsonwebtoken::decode::<MachineClaims>(
            token,
            &self.decoding,
            &self.machine_validation,
        )
        .map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            ApiError::invalid_token(match e.kind() {
                ErrorKind::ExpiredSignature => "the access token has expired",
                ErrorKind::ImmatureSignature => "the access token is not valid yet",
                ErrorKind::InvalidAudience => {
                    "partner endpoints take a machine token from POST /api/v1/oauth/token, not a user's token"
                }
                ErrorKind::InvalidIssuer => "the access token was not issued by this API",
                ErrorKind::InvalidAlgorithm => "the access token uses a forbidden algorithm",
                ErrorKind::InvalidSignature => "the access token signature is invalid",
                _ => "the access token is malformed",
            })
        })?;
        let c = data.claims;
        let bad = || ApiError::invalid_token("the access token is malformed");
        Ok(Partner {
            client_id: c.sub,
            credential_id: Id::parse(&c.cred).map_err(|_| bad())?,
            channel_id: Id::parse(&c.chn).map_err(|_| bad())?,
            scopes: Scopes::parse_delimited(&c.scope).map_err(|_| bad())?,
        })
    }
}

/// A partner's machine, from `Authorization: Bearer <machine token>`, whose channel is active and whose
/// credential is not revoked.
#[derive(Debug, Clone)]
pub struct Partner {
    pub client_id: String,
    pub credential_id: CredentialId,
    pub channel_id: ChannelId,
    pub scopes: Scopes,
}

impl Partner {
    /// # Errors
    /// `403 wrong_channel` when the token is another channel's; `403 insufficient_scope` without `scope`.
    pub fn require(&self, channel: ChannelId, scope: Scope) -> Result<(), ApiError> {
        if self.channel_id != channel {
            return Err(ApiError::Refused {
                code: ErrorCode::WrongChannel,
                detail: "this token belongs to another channel".to_owned(),
            });
        }
        if !self.scopes.contains(scope) {
            return Err(ApiError::Refused {
                code: ErrorCode::InsufficientScope,
                detail: format!("this action needs the scope {scope}"),
            });
        }
        Ok(())
    }
}

/// Channel standings read in the last second, per credential: `None` when the credential or channel is
/// gone. Per process on purpose: the database is the truth, and a second is how stale an instance may be.
#[derive(Debug)]
pub struct StandingCache {
    entries: moka::sync::Cache<CredentialId, Option<(ChannelStatus, bool)>>,
}

impl Default for StandingCache {
    fn default() -> Self {
        Self {
            entries: moka::sync::Cache::builder()
                .max_capacity(STANDING_CAPACITY)
                .time_to_live(STANDING_TTL)
                .build(),
        }
    }
}

impl StandingCache {
    fn get(&self, id: CredentialId) -> Option<Option<(ChannelStatus, bool)>> {
        self.entries.get(&id)
    }

    fn put(&self, id: CredentialId, standing: Option<(ChannelStatus, bool)>) {
        self.entries.insert(id, standing);
    }

    /// Forgets every standing: after an admin suspends a channel or revokes a credential, this instance
    /// sees it at once (others within a second).
    pub fn clear(&self) {
        self.entries.invalidate_all();
    }
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req.headers().get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::unauthenticated(
            "this endpoint needs a machine token (Authorization: Bearer ...) from POST /api/v1/oauth/token",
        )
    })?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::invalid_token("the Authorization header is not valid text"))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_owned())
        }
        _ => Err(ApiError::invalid_token(
            "the Authorization header must be 'Bearer <token>'",
        )),
    }
}

fn standing_error(standing: Option<(ChannelStatus, bool)>) -> Option<ApiError> {
    match standing {
        None => Some(ApiError::invalid_token(
            "the token's credential no longer exists",
        )),
        Some((_, true)) => Some(ApiError::invalid_token(
            "the token's credential was revoked",
        )),
        Some((ChannelStatus::Suspended, false)) => Some(ApiError::Refused {
            code: ErrorCode::ChannelSuspended,
            detail:
                "the channel is suspended; its tokens do not work until an admin reactivates it"
                    .to_owned(),
        }),
        Some((ChannelStatus::Active, false)) => None,
    }
}

impl FromRequest for Partner {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let req = req.clone();
        let partner = bearer(&req).and_then(|token| match &state {
            Some(s) => s.tokens.verify_machine(&token),
            None => Err(ApiError::Internal("application state missing".into())),
        });
        Box::pin(async move {
            let partner = partner?;
            let state =
                state.ok_or_else(|| ApiError::Internal("application state missing".into()))?;
            let id = partner.credential_id;
            let standing = match state.standings.get(id) {
                Some(s) => s,
                None => {
                    let s = state.clone();
                    let standing = blocking(move || Ok(s.db.token_standing(id)?)).await?;
                    state.standings.put(id, standing);
                    standing
                }
            };
            if let Some(e) = standing_error(standing) {
                return Err(e);
            }
            count_request(&state, &req, partner.channel_id).await?;
            Ok(partner)
        })
    }
}

/// A channel's quota as this request left it, for the `RateLimit` headers (IETF httpapi draft).
#[derive(Debug, Clone, Copy)]
pub struct QuotaState {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window ends.
    pub reset: u64,
}

/// Counts the request against its channel's quota of the current one-minute window (in the database, so
/// across instances).
async fn count_request(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    channel: ChannelId,
) -> Result<(), ApiError> {
    use chrono::{DurationRound, Timelike};
    let now = ocf_domain::clock::now();
    let window = now
        .duration_trunc(chrono::TimeDelta::minutes(1))
        .map_err(ApiError::internal)?;
    let reset = u64::from(60 - now.second()).max(1);
    let s = state.clone();
    let count = blocking(move || {
        Ok(ocf_domain::partner::PartnerGate::count_request(
            &*s.db,
            channel,
            window,
            window - chrono::TimeDelta::hours(1),
        )?)
    })
    .await?;
    let limit = state.partner_quota_per_minute;
    let used = u32::try_from(count).unwrap_or(u32::MAX);
    req.extensions_mut().insert(QuotaState {
        limit,
        remaining: limit.saturating_sub(used),
        reset,
    });
    if used > limit {
        return Err(ApiError::TooManyRequests { retry_after: reset });
    }
    Ok(())
}

/// Adds `RateLimit-Policy` and `RateLimit` to the answers of partner requests (their quota).
///
/// # Errors
/// Whatever the rest of the chain fails with.
pub async fn rate_limit_headers(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let mut res = next.call(req).await?;
    let quota = res.request().extensions().get::<QuotaState>().copied();
    if let Some(q) = quota {
        let headers = res.headers_mut();
        let policy = format!("\"partner\";q={};w=60", q.limit);
        let left = format!("\"partner\";r={};t={}", q.remaining, q.reset);
        if let (Ok(p), Ok(l)) = (
            header::HeaderValue::from_str(&policy),
            header::HeaderValue::from_str(&left),
        ) {
            headers.insert(header::HeaderName::from_static("ratelimit-policy"), p);
            headers.insert(header::HeaderName::from_static("ratelimit"), l);
        }
    }
    Ok(res)
}
