//! `/organizations`: the ministries and agencies that receive referrals.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use ocf_domain::organization::{
    Name, Organization, OrganizationChange, OrganizationCode, OrganizationId, OrganizationKind,
};
use ocf_domain::ports::OrganizationRepository;
use ocf_domain::{Id, ValidationErrors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Admin;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::pagination::{PageQuery, Paginated, page_request};
use crate::state::{AppState, blocking};

/// A ministry, agency, committee or local government.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationView {
    /// The organization's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// Short unique code: upper-case ASCII letters, digits and hyphens.
    #[schema(
        example = "MOIS",
        min_length = 2,
        max_length = 32,
        pattern = "^[A-Z0-9-]{2,32}$"
    )]
    pub code: String,
    /// What kind of body it is.
    pub kind: crate::vocab::OrganizationKind,
    /// Korean name.
    #[schema(example = "행정안전부")]
    pub name_ko: String,
    /// English name.
    #[schema(example = "Ministry of the Interior and Safety")]
    pub name_en: String,
    /// When it was created (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it last changed (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub updated_at: DateTime<Utc>,
}

impl From<Organization> for OrganizationView {
    fn from(o: Organization) -> Self {
        Self {
            id: o.id.to_string(),
            code: o.code.as_str().to_owned(),
            kind: o.kind.into(),
            name_ko: o.name_ko.as_str().to_owned(),
            name_en: o.name_en.as_str().to_owned(),
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

/// A new organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganizationRequest {
    /// Short unique code: ASCII letters, digits and hyphens, 2-32 characters; stored upper-case.
    #[schema(
        example = "KCC",
        min_length = 2,
        max_length = 32,
        pattern = "^[A-Za-z0-9-]{2,32}$"
    )]
    pub code: String,
    /// What kind of body it is.
    #[schema(value_type = crate::vocab::OrganizationKind, example = "committee")]
    pub kind: String,
    /// Korean name, 1-200 characters after trimming, one line.
    #[schema(
        example = "방송통신위원회",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub name_ko: String,
    /// English name, 1-200 characters after trimming, one line.
    #[schema(
        example = "Korea Communications Commission",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub name_en: String,
}

/// A change to an organization: name at least one field; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1, example = json!({"name_en": "Ministry of the Interior and Safety"}))]
pub struct UpdateOrganizationRequest {
    /// New code: ASCII letters, digits and hyphens, 2-32 characters; stored upper-case.
    #[schema(value_type = String, example = "MOIS", min_length = 2, max_length = 32, pattern = "^[A-Za-z0-9-]{2,32}$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub code: Option<String>,
    /// New kind.
    #[schema(value_type = crate::vocab::OrganizationKind, example = "ministry")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub kind: Option<String>,
    /// New Korean name, 1-200 characters after trimming, one line.
    #[schema(value_type = String, example = "행정안전부", min_length = 1, max_length = 200, pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub name_ko: Option<String>,
    /// New English name, 1-200 characters after trimming, one line.
    #[schema(value_type = String, example = "Ministry of the Interior and Safety", min_length = 1, max_length = 200, pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub name_en: Option<String>,
}

fn parse_org_id(raw: &str) -> Result<OrganizationId, ApiError> {
    Id::parse(raw).map_err(|_| ApiError::NotFound("organization not found".to_owned()))
}

/// List organizations
///
/// Ordered by code. Public.
#[utoipa::path(
    tag = "organizations",
    operation_id = "list_organizations",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of organizations", body = Paginated<OrganizationView>),
        (status = 400, description = "The query string is malformed or has unknown parameters"),
        (status = 422, description = "`limit` or `cursor` is invalid"),
    )
)]
#[get("/organizations")]
pub async fn list_organizations(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Paginated<OrganizationView>>, ApiError> {
    let page = page_request("organizations", query.limit, query.cursor.as_deref(), |k| {
        Some(k.to_owned())
    })?;
    let result = blocking(move || Ok(state.db.list_organizations(&page)?)).await?;
    let items = result
        .items
        .into_iter()
        .map(OrganizationView::from)
        .collect();
    Ok(web::Json(Paginated::new(
        "organizations",
        items,
        result.next_after,
        Clone::clone,
    )))
}

/// Create an organization
///
/// Admins only.
#[utoipa::path(
    tag = "organizations",
    operation_id = "create_organization",
    security(("bearer" = [])),
    request_body = CreateOrganizationRequest,
    responses(
        (status = 201, description = "Created", body = OrganizationView,
            headers(("Location" = String, description = "The new organization's URL"))),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "The caller is not an admin"),
        (status = 409, description = "The code is taken (`already_exists`)"),
        (status = 422, description = "A field is invalid, missing or unknown"),
    )
)]
#[post("/organizations")]
pub async fn create_organization(
    state: web::Data<AppState>,
    _admin: Admin,
    body: ApiJson<CreateOrganizationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = ValidationErrors::new();
    let code = errors.check("code", OrganizationCode::parse(&body.code));
    let kind = errors.check("kind", body.kind.parse::<OrganizationKind>());
    let name_ko = errors.check("name_ko", Name::parse(&body.name_ko));
    let name_en = errors.check("name_en", Name::parse(&body.name_en));
    errors.into_result()?;
    let (Some(code), Some(kind), Some(name_ko), Some(name_en)) = (code, kind, name_ko, name_en)
    else {
        return Err(ApiError::Internal("validated fields missing".into()));
    };
    let now = ocf_domain::clock::now();
    let org = Organization {
        id: Id::generate(),
        code,
        kind,
        name_ko,
        name_en,
        created_at: now,
        updated_at: now,
    };
    let org = blocking(move || {
        state.db.create_organization(&org)?;
        Ok(org)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/organizations/{}", org.id),
        ))
        .json(OrganizationView::from(org)))
}

/// Read an organization
///
/// Public. Ids come from `GET /organizations` (the same organization by code in every list).
#[utoipa::path(
    tag = "organizations",
    operation_id = "get_organization",
    params(("id" = String, Path, description = "The organization's id")),
    responses(
        (status = 200, description = "The organization", body = OrganizationView),
        (status = 404, description = "No such organization"),
    )
)]
#[get("/organizations/{id}")]
pub async fn get_organization(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<OrganizationView>, ApiError> {
    let id = parse_org_id(&id)?;
    let org = blocking(move || {
        state
            .db
            .organization(id)?
            .ok_or_else(|| ApiError::NotFound("organization not found".to_owned()))
    })
    .await?;
    Ok(web::Json(org.into()))
}

/// Update an organization
///
/// Admins only.
#[utoipa::path(
    tag = "organizations",
    operation_id = "update_organization",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The organization's id")),
    request_body = UpdateOrganizationRequest,
    responses(
        (status = 200, description = "The updated organization", body = OrganizationView),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "The caller is not an admin"),
        (status = 404, description = "No such organization"),
        (status = 409, description = "The new code is taken (`already_exists`)"),
        (status = 422, description = "A field is invalid or unknown"),
    )
)]
#[patch("/organizations/{id}")]
pub async fn update_organization(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<String>,
    body: ApiJson<UpdateOrganizationRequest>,
) -> Result<web::Json<OrganizationView>, ApiError> {
    let id = parse_org_id(&id)?;
    let body = body.0;
    let mut errors = ValidationErrors::new();
    let change = OrganizationChange {
        code: body
            .code
            .as_deref()
            .and_then(|c| errors.check("code", OrganizationCode::parse(c))),
        kind: body
            .kind
            .as_deref()
            .and_then(|k| errors.check("kind", k.parse::<OrganizationKind>())),
        name_ko: body
            .name_ko
            .as_deref()
            .and_then(|n| errors.check("name_ko", Name::parse(n))),
        name_en: body
            .name_en
            .as_deref()
            .and_then(|n| errors.check("name_en", Name::parse(n))),
    };
    if body.code.is_none()
        && body.kind.is_none()
        && body.name_ko.is_none()
        && body.name_en.is_none()
    {
        errors.push("body", "name at least one of code, kind, name_ko, name_en");
    }
    errors.into_result()?;
    let org = blocking(move || {
        let mut org = state
            .db
            .organization(id)?
            .ok_or_else(|| ApiError::NotFound("organization not found".to_owned()))?;
        org.apply(change, ocf_domain::clock::now());
        state.db.update_organization(&org)?;
        Ok(org)
    })
    .await?;
    Ok(web::Json(org.into()))
}
