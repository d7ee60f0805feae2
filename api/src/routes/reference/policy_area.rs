//! `/policy-areas`: the subject list proposals, topics and statistics are grouped by.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use ocf_domain::organization::Name;
use ocf_domain::policy_area::{PolicyArea, PolicyAreaCode};
use ocf_domain::ports::PolicyAreaRepository;
use ocf_domain::{Id, ValidationErrors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Admin;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::pagination::{PageQuery, Paginated, page_request};
use crate::state::{AppState, blocking};

/// A subject area that proposals, topics and statistics are grouped by.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyAreaView {
    /// The policy area's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// Unique slug; filters use it.
    #[schema(
        example = "transport-logistics",
        min_length = 2,
        max_length = 40,
        pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"
    )]
    pub code: String,
    /// Korean name.
    #[schema(example = "교통 및 물류")]
    pub name_ko: String,
    /// English name.
    #[schema(example = "Transport and logistics")]
    pub name_en: String,
    /// When it was created (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
}

impl From<PolicyArea> for PolicyAreaView {
    fn from(a: PolicyArea) -> Self {
        Self {
            id: a.id.to_string(),
            code: a.code.as_str().to_owned(),
            name_ko: a.name_ko.as_str().to_owned(),
            name_en: a.name_en.as_str().to_owned(),
            created_at: a.created_at,
        }
    }
}

/// A new policy area.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePolicyAreaRequest {
    /// Unique slug: lower-case ASCII letters and digits, with single hyphens between them; 2-40 characters.
    #[schema(
        example = "digital-government",
        min_length = 2,
        max_length = 40,
        pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"
    )]
    pub code: String,
    /// Korean name, 1-200 characters after trimming, one line.
    #[schema(
        example = "디지털 정부",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub name_ko: String,
    /// English name, 1-200 characters after trimming, one line.
    #[schema(
        example = "Digital government",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub name_en: String,
}

/// List policy areas
///
/// Ordered by code. Public.
#[utoipa::path(
    tag = "policy-areas",
    operation_id = "list_policy_areas",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of policy areas", body = Paginated<PolicyAreaView>),
        (status = 400, description = "The query string is malformed or has unknown parameters"),
        (status = 422, description = "`limit` or `cursor` is invalid"),
    )
)]
#[get("/policy-areas")]
pub async fn list_policy_areas(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Paginated<PolicyAreaView>>, ApiError> {
    let page = page_request("policy_areas", query.limit, query.cursor.as_deref(), |k| {
        Some(k.to_owned())
    })?;
    let result = blocking(move || Ok(state.db.list_policy_areas(&page)?)).await?;
    let items = result.items.into_iter().map(PolicyAreaView::from).collect();
    Ok(web::Json(Paginated::new(
        "policy_areas",
        items,
        result.next_after,
        Clone::clone,
    )))
}

/// Create a policy area
///
/// Admins only.
#[utoipa::path(
    tag = "policy-areas",
    operation_id = "create_policy_area",
    security(("bearer" = [])),
    request_body = CreatePolicyAreaRequest,
    responses(
        (status = 201, description = "Created", body = PolicyAreaView,
            headers(("Location" = String, description = "The new policy area's URL: `/api/v1/policy-areas/{id}`"))),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "The caller is not an admin"),
        (status = 409, description = "The code is taken (`already_exists`)"),
        (status = 422, description = "A field is invalid, missing or unknown"),
    )
)]
#[post("/policy-areas")]
pub async fn create_policy_area(
    state: web::Data<AppState>,
    _admin: Admin,
    body: ApiJson<CreatePolicyAreaRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = ValidationErrors::new();
    let code = errors.check("code", PolicyAreaCode::parse(&body.code));
    let name_ko = errors.check("name_ko", Name::parse(&body.name_ko));
    let name_en = errors.check("name_en", Name::parse(&body.name_en));
    errors.into_result()?;
    let (Some(code), Some(name_ko), Some(name_en)) = (code, name_ko, name_en) else {
        return Err(ApiError::Internal("validated fields missing".into()));
    };
    let area = PolicyArea {
        id: Id::generate(),
        code,
        name_ko,
        name_en,
        created_at: ocf_domain::clock::now(),
    };
    let area = blocking(move || {
        state.db.create_policy_area(&area)?;
        Ok(area)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/policy-areas/{}", area.id),
        ))
        .json(PolicyAreaView::from(area)))
}
