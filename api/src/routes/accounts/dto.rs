//! What the account endpoints accept and answer with.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// Sign-in email, at most 254 characters: a local part of 1-64 characters without white space,
    /// control characters or `@`, and a dotted domain of ASCII letters, digits and `-` (an
    /// internationalised domain in its `xn--` form). Trimmed and lower-cased (surrounding white space is
    /// dropped), so case does not matter; it must not be taken.
    #[schema(
        example = "kim.minji@example.kr",
        max_length = 254,
        pattern = r"^[^@\s\u0000-\u001F\u007F-\u009F]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
    )]
    pub email: String,
    /// 10-128 characters, not the email address (nor its part before `@`).
    #[schema(example = "gwanghwamoon-1st-street", min_length = 10, max_length = 128)]
    pub password: String,
    /// The public name, 2-50 characters after trimming, one line.
    #[schema(
        example = "김민지",
        min_length = 2,
        max_length = 50,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub display_name: String,
}

/// Email and password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The account's email.
    #[schema(example = "kim.minji@example.kr")]
    pub email: String,
    /// The account's password.
    #[schema(example = "gwanghwamoon-1st-street")]
    pub password: String,
}

/// A refresh token, to rotate or to revoke.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    #[schema(example = "q3VdJ9b0b4m4P6pQ2x7C0kHqT1w8yZ5nL2aR9sD4fGh")]
    pub refresh_token: String,
}

/// How to send the access token: always `Bearer`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub enum TokenType {
    Bearer,
}

/// A token pair. Keep the refresh token secret; each one works once.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <access_token>`.
    #[schema(example = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...")]
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: TokenType,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Exchange at `POST /auth/refresh` for a new pair; it is then used up.
    #[schema(example = "q3VdJ9b0b4m4P6pQ2x7C0kHqT1w8yZ5nL2aR9sD4fGh")]
    pub refresh_token: String,
    /// When the refresh token expires (RFC 3339, UTC).
    #[schema(example = "2026-12-27T09:30:00Z")]
    pub refresh_token_expires_at: DateTime<Utc>,
}

/// A change to one's own account: name `display_name`, `password` (with `current_password`) or both.
/// Roles and organization are not here: only admins assign them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1, example = json!({"display_name": "김민지"}))]
pub struct UpdateMeRequest {
    /// A new public name, 2-50 characters after trimming, one line.
    #[schema(value_type = String, example = "김민지", min_length = 2, max_length = 50, pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub display_name: Option<String>,
    /// A new password (10-128 characters); needs `current_password`. Signs out every session.
    #[schema(value_type = String, example = "a-new-long-passphrase", min_length = 10, max_length = 128)]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub password: Option<String>,
    /// The current password, required to set a new one.
    #[schema(value_type = String, example = "gwanghwamoon-1st-street")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub current_password: Option<String>,
}
