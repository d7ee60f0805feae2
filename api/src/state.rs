//! What every handler can reach, and the one helper that moves blocking work off the async workers.

use std::sync::Arc;

use actix_web::web;
use ocf_persistence::Database;

use crate::auth::{Passwords, TokenService};
use crate::error::ApiError;
use crate::settings::ThrottleSettings;

#[derive(Debug)]
pub struct AppState {
    pub db: Arc<Database>,
    pub tokens: TokenService,
    pub passwords: Passwords,
    pub throttle: ThrottleSettings,
    pub trust_forwarded_for: bool,
}

/// Runs diesel queries and argon2 on actix's blocking thread pool, never on an async worker.
///
/// # Errors
/// Whatever `f` returns, or an internal error if the blocking pool is gone.
pub async fn blocking<T, F>(f: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    web::block(f)
        .await
        .map_err(|e| ApiError::Internal(format!("blocking pool: {e}").into()))?
}
