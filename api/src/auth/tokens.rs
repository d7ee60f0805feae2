//! Access tokens (JWT, HS256 pinned, 15 minutes) and refresh tokens (random, stored hashed, rotating).

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use ocf_domain::Id;
use ocf_domain::account::{Roles, User};
use ocf_domain::ports::NewRefreshToken;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Caller;
use crate::error::ApiError;
use crate::settings::JwtSecret;

pub const ISSUER: &str = "ocf";
pub const AUDIENCE: &str = "ocf-api";
pub const ACCESS_TOKEN_TTL: Duration = Duration::minutes(15);
pub const REFRESH_TOKEN_TTL: Duration = Duration::days(30);

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    sub: String,
    exp: i64,
    nbf: i64,
    iat: i64,
    jti: String,
    /// Roles at issue time; a change takes effect at the next refresh (within 15 minutes). A default, so
    /// that a machine token (which has none) fails on its audience, with a message that says so.
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    org: Option<String>,
}

#[derive(Clone)]
pub struct TokenService {
    pub(super) encoding: EncodingKey,
    pub(super) decoding: DecodingKey,
    validation: Validation,
    /// Machine tokens (`super::machine`): the same keys, another audience.
    pub(super) machine_validation: Validation,
}

impl std::fmt::Debug for TokenService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenService(<keys redacted>)")
    }
}

/// A refresh token to hand to the client once, and what is stored of it.
#[derive(Debug)]
pub struct IssuedRefresh {
    pub token: String,
    pub stored: NewRefreshToken,
}

impl TokenService {
    pub fn new(secret: &JwtSecret) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub", "jti"]);
        validation.validate_nbf = true;
        validation.leeway = 30;
        let mut machine_validation = validation.clone();
        machine_validation.set_audience(&[super::machine::MACHINE_AUDIENCE]);
        Self {
            encoding: EncodingKey::from_secret(secret.expose()),
            decoding: DecodingKey::from_secret(secret.expose()),
            validation,
            machine_validation,
        }
    }

    /// Issues an access token for `user`, valid for 15 minutes from `now`.
    ///
    /// # Errors
    /// Only if signing fails.
    pub fn issue_access(&self, user: &User, now: DateTime<Utc>) -> Result<String, ApiError> {
        let claims = Claims {
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: user.id.to_string(),
            exp: (now + ACCESS_TOKEN_TTL).timestamp(),
            nbf: now.timestamp(),
            iat: now.timestamp(),
            jti: uuid::Uuid::new_v4().to_string(),
            roles: user.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            org: user.organization_id.map(|o| o.to_string()),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ApiError::internal)
    }

    /// Checks signature, algorithm, issuer, audience and times, and returns who the token speaks for.
    ///
    /// # Errors
    /// [`ApiError::Unauthenticated`] with code `invalid_token` for any fault.
    pub fn verify(&self, token: &str) -> Result<Caller, ApiError> {
        // RFC 7515 §4.1.11: a `crit` header names extensions the recipient must understand, or refuse the
        // token. This API understands none.
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| ApiError::invalid_token("the access token is malformed"))?;
        if header.crit.is_some() {
            return Err(ApiError::invalid_token(
                "the access token names critical header extensions this API does not understand",
            ));
        }
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| {
                use jsonwebtoken::errors::ErrorKind;
                let why = match e.kind() {
                    ErrorKind::ExpiredSignature => "the access token has expired",
                    ErrorKind::ImmatureSignature => "the access token is not valid yet",
                    ErrorKind::InvalidAudience => {
                        "the access token is not meant for user endpoints (a partner's machine token?)"
                    }
                    ErrorKind::InvalidIssuer => "the access token was not issued by this API",
                    ErrorKind::InvalidAlgorithm => "the access token uses a forbidden algorithm",
                    ErrorKind::InvalidSignature => "the access token signature is invalid",
                    _ => "the access token is malformed",
                };
                ApiError::invalid_token(why)
            })?;
        let c = data.claims;
        let bad = || ApiError::invalid_token("the access token is malformed");
        uuid::Uuid::try_parse(&c.jti).map_err(|_| bad())?;
        Ok(Caller {
            user_id: Id::parse(&c.sub).map_err(|_| bad())?,
            roles: Roles::parse(&c.roles).map_err(|_| bad())?,
            organization_id: c
                .org
                .as_deref()
                .map(Id::parse)
                .transpose()
                .map_err(|_| bad())?,
        })
    }

    /// A fresh refresh token: 256 random bits, sent once; only its SHA-256 is stored.
    ///
    /// # Errors
    /// Only if the system RNG fails.
    pub fn new_refresh(&self, now: DateTime<Utc>) -> Result<IssuedRefresh, ApiError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("rng: {e}").into()))?;
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        Ok(IssuedRefresh {
            stored: NewRefreshToken {
                id: Id::generate(),
                token_hash: hash_refresh(&token),
                issued_at: now,
                expires_at: now + REFRESH_TOKEN_TTL,
            },
            token,
        })
    }
}

/// Refresh tokens carry 256 bits of entropy, so a fast hash is enough (no salt or stretching needed).
pub fn hash_refresh(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
