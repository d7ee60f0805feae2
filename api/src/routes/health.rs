//! Liveness and readiness for orchestrators and load balancers.

use actix_web::{get, web};
use ocf_persistence::Backend;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::{AppState, blocking};

/// `ok` (alive) or `ready` (the database answers).
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
    Ready,
}

/// The database behind this instance.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum DatabaseBackend {
    Sqlite,
    Postgres,
}

/// The process's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when alive, `ready` when the database answers.
    #[schema(value_type = HealthStatus, example = "ok")]
    pub status: String,
    /// For readiness only: the database backend. Not sent by `/healthz`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DatabaseBackend>, example = "sqlite", nullable = false)]
    pub database: Option<String>,
}

/// Liveness
///
/// Answers as long as the process serves HTTP; does no work.
#[utoipa::path(
    tag = "operations",
    operation_id = "check_liveness",
    responses((status = 200, description = "The process is alive", body = Health))
)]
#[get("/healthz")]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health {
        status: "ok".to_owned(),
        database: None,
    })
}

/// Readiness
///
/// Checks that the database answers; a load balancer should send traffic only while this is `200`.
#[utoipa::path(
    tag = "operations",
    operation_id = "check_readiness",
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 503, description = "The database cannot be reached"),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    let backend = state.db.backend();
    blocking(move || {
        state
            .db
            .ping()
            .map_err(|e| ApiError::Unavailable(e.to_string()))
    })
    .await?;
    Ok(web::Json(Health {
        status: "ready".to_owned(),
        database: Some(
            match backend {
                Backend::Sqlite => "sqlite",
                Backend::Postgres => "postgres",
            }
            .to_owned(),
        ),
    }))
}
