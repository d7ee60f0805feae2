//! `/users`: admins list accounts and assign roles and organizations.

use actix_web::{get, patch, web};
use ocf_domain::account::{Assignment, Role, Roles, UserId};
use ocf_domain::ports::UserRepository;
use ocf_domain::{Id, RepoError, ValidationErrors};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::UserView;
use crate::auth::Admin;
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiJson, double_option};
use crate::pagination::{Paginated, page_request};
use crate::state::{AppState, blocking};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UsersQuery {
    /// Only accounts holding this role.
    #[param(value_type = Option<crate::vocab::Role>, example = "official")]
    pub role: Option<String>,
    /// Page size, 1-100 (default 20).
    #[param(example = 20, minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Roles and organization to assign: name `roles`, `organization_id` or both. Absent fields stay as they
/// are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1, example = json!({"roles": ["citizen", "moderator"]}))]
pub struct UpdateUserRequest {
    /// The complete new set of roles (repeats count once).
    #[schema(value_type = Vec<crate::vocab::Role>, example = json!(["citizen", "moderator"]), min_items = 1)]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub roles: Option<Vec<String>>,
    /// The id of the organization an official acts for (from `GET /organizations`); `null` clears it.
    /// Required for officials, forbidden for others.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid, example = json!(null))]
    pub organization_id: Option<Option<String>>,
}

fn parse_user_id(raw: &str) -> Result<UserId, ApiError> {
    Id::parse(raw).map_err(|_| ApiError::NotFound("user not found".to_owned()))
}

/// List accounts
///
/// Newest first, optionally filtered by role. Admins only.
#[utoipa::path(
    tag = "admin",
    operation_id = "list_users",
    security(("bearer" = [])),
    params(UsersQuery),
    responses(
        (status = 200, description = "One page of accounts", body = Paginated<UserView>),
        (status = 400, description = "The query string is malformed or has unknown parameters"),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "The caller is not an admin"),
        (status = 422, description = "`role`, `limit` or `cursor` is invalid"),
    )
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    _admin: Admin,
    query: web::Query<UsersQuery>,
) -> Result<web::Json<Paginated<UserView>>, ApiError> {
    let query = query.into_inner();
    let role = query
        .role
        .as_deref()
        .map(str::parse::<Role>)
        .transpose()
        .map_err(|e| ApiError::validation("role", e.to_string()))?;
    let page = page_request("users", query.limit, query.cursor.as_deref(), |k| {
        Id::parse(k).ok()
    })?;
    let result = blocking(move || Ok(state.db.list_users(role, &page)?)).await?;
    let items = result.items.into_iter().map(UserView::from).collect();
    Ok(web::Json(Paginated::new(
        "users",
        items,
        result.next_after,
        ToString::to_string,
    )))
}

/// Assign roles and organization
///
/// Admins only. An official must belong to an organization and only officials may. Admins cannot remove
/// their own admin role, so the platform is never left without one by accident.
#[utoipa::path(
    tag = "admin",
    operation_id = "update_user",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id")),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, description = "The updated account", body = UserView),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "The caller is not an admin"),
        (status = 404, description = "No such account"),
        (status = 409, description = "An admin tried to remove their own admin role (`cannot_remove_own_admin`)"),
        (status = 422, description = "Unknown role, unknown organization, or roles and organization do not fit together"),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    caller: Admin,
    id: web::Path<String>,
    body: ApiJson<UpdateUserRequest>,
) -> Result<web::Json<UserView>, ApiError> {
    let id = parse_user_id(&id)?;
    let body = body.0;
    if body.roles.is_none() && body.organization_id.is_none() {
        return Err(ApiError::validation(
            "body",
            "name at least one of roles, organization_id",
        ));
    }
    let mut errors = ValidationErrors::new();
    let roles = match &body.roles {
        Some(names) => errors.check("roles", Roles::parse(names)),
        None => None,
    };
    let organization_id = match &body.organization_id {
        None => None,
        Some(None) => Some(None),
        Some(Some(raw)) => errors
            .check(
                "organization_id",
                Id::parse(raw).map_err(|_| "is not an organization id"),
            )
            .map(Some),
    };
    errors.into_result()?;
    if id == caller.user_id && roles.as_ref().is_some_and(|r| !r.contains(Role::Admin)) {
        return Err(ApiError::Conflict {
            code: ErrorCode::CannotRemoveOwnAdmin,
            detail: "admins cannot remove their own admin role; ask another admin".to_owned(),
        });
    }
    let user = blocking(move || {
        let current = state
            .db
            .user_by_id(id)?
            .ok_or_else(|| ApiError::NotFound("user not found".to_owned()))?;
        let assignment = Assignment::change(&current, roles, organization_id)?;
        state
            .db
            .assign(id, &assignment, ocf_domain::clock::now())
            .map_err(|e| match e {
                RepoError::NotFound("organization") => {
                    ApiError::validation("organization_id", "no such organization")
                }
                other => other.into(),
            })
    })
    .await?;
    Ok(web::Json(user.into()))
}
