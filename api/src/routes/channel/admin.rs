//! `/channels` (admin): the partner platforms and what admins change about them.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use ocf_domain::partner::{ChannelChange, ChannelCode, ChannelRepository, Line, PartnerChannel};
use ocf_domain::values::HttpsUrl;
use ocf_domain::{ValidationErrors, clock};

use super::dto::{ChannelView, CreateChannelRequest, UpdateChannelRequest};
use super::{load_channel, parse_channel_id};
use crate::auth::Admin;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::pagination::{PageQuery, Paginated, page_request};
use crate::state::{AppState, blocking};

/// List partner channels
///
/// Ordered by code. Admins only.
#[utoipa::path(
    tag = "channels",
    operation_id = "list_channels",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "One page of channels", body = Paginated<ChannelView>),
        (status = 400, description = "The query string is malformed or has unknown parameters"),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "The caller is not an admin"),
        (status = 422, description = "`limit` or `cursor` is invalid"),
    )
)]
#[get("/channels")]
pub async fn list_channels(
    _admin: Admin,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Paginated<ChannelView>>, ApiError> {
    let page = page_request("channels", query.limit, query.cursor.as_deref(), |k| {
        ChannelCode::parse(k).ok().map(|c| c.as_str().to_owned())
    })?;
    let result = blocking(move || Ok(state.db.list_channels(&page)?)).await?;
    let items = result.items.into_iter().map(ChannelView::from).collect();
    Ok(web::Json(Paginated::new(
        "channels",
        items,
        result.next_after,
        Clone::clone,
    )))
}

/// Register a partner channel
///
/// Creates the channel, active, and its service account (the author of its proposals on the record;
/// it cannot sign in). Then create a credential for its machines. Admins only.
#[utoipa::path(
    tag = "channels",
    operation_id = "create_channel",
    security(("bearer" = [])),
    request_body = CreateChannelRequest,
    responses(
        (status = 201, description = "Registered", body = ChannelView,
            headers(("Location" = String, description = "The new channel's URL"))),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "The caller is not an admin"),
        (status = 409, description = "The code is taken (`already_exists`)"),
        (status = 422, description = "A field is invalid, missing or unknown"),
    )
)]
#[post("/channels")]
pub async fn create_channel(
    _admin: Admin,
    state: web::Data<AppState>,
    body: ApiJson<CreateChannelRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let mut errors = ValidationErrors::new();
    let code = errors.check("code", ChannelCode::parse(&b.code));
    let name = errors.check("name", Line::parse(&b.name));
    let kind = errors.check("kind", b.kind.parse());
    let base_url = errors.check("base_url", HttpsUrl::parse(&b.base_url));
    let contact = errors.check("contact", Line::parse(&b.contact));
    errors.into_result()?;
    let (Some(code), Some(name), Some(kind), Some(base_url), Some(contact)) =
        (code, name, kind, base_url, contact)
    else {
        return Err(ApiError::validation("body", "is invalid"));
    };
    let channel = PartnerChannel::new(code, name, kind, base_url, contact, clock::now());
    let channel = blocking(move || {
        state.db.create_channel(&channel)?;
        Ok(channel)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/channels/{}", channel.id)))
        .json(ChannelView::from(channel)))
}

/// Get a partner channel
///
/// Admins only.
#[utoipa::path(
    tag = "channels",
    operation_id = "get_channel",
    security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The channel's id")),
    responses(
        (status = 200, description = "The channel", body = ChannelView),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "The caller is not an admin"),
        (status = 404, description = "No such channel"),
    )
)]
#[get("/channels/{id}")]
pub async fn get_channel(
    _admin: Admin,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<ChannelView>, ApiError> {
    let id = parse_channel_id(&id)?;
    let channel = blocking(move || load_channel(&state, id)).await?;
    Ok(web::Json(channel.into()))
}

/// Change a partner channel
///
/// Name, kind, base URL, contact or status; the code never changes. Suspending stops the channel's
/// machine tokens at once (every instance within a second); reactivating lets them work again.
/// Admins only.
#[utoipa::path(
    tag = "channels",
    operation_id = "update_channel",
    security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The channel's id")),
    request_body = UpdateChannelRequest,
    responses(
        (status = 200, description = "The changed channel", body = ChannelView),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "The caller is not an admin"),
        (status = 404, description = "No such channel"),
        (status = 422, description = "A field is invalid or unknown, or nothing to change"),
    )
)]
#[patch("/channels/{id}")]
pub async fn update_channel(
    _admin: Admin,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: ApiJson<UpdateChannelRequest>,
) -> Result<web::Json<ChannelView>, ApiError> {
    let id = parse_channel_id(&id)?;
    let b = body.0;
    let mut errors = ValidationErrors::new();
    let change = ChannelChange {
        name: b
            .name
            .as_deref()
            .and_then(|v| errors.check("name", Line::parse(v))),
        kind: b
            .kind
            .as_deref()
            .and_then(|v| errors.check("kind", v.parse())),
        base_url: b
            .base_url
            .as_deref()
            .and_then(|v| errors.check("base_url", HttpsUrl::parse(v))),
        contact: b
            .contact
            .as_deref()
            .and_then(|v| errors.check("contact", Line::parse(v))),
        status: b
            .status
            .as_deref()
            .and_then(|v| errors.check("status", v.parse())),
    };
    if errors.is_empty()
        && b.name.is_none()
        && b.kind.is_none()
        && b.base_url.is_none()
        && b.contact.is_none()
        && b.status.is_none()
    {
        errors.push("body", "name at least one field to change");
    }
    errors.into_result()?;
    let channel = blocking(move || {
        let mut channel = load_channel(&state, id)?;
        channel.apply(change, clock::now());
        state.db.update_channel(&channel)?;
        // This instance sees a suspension at once; the others within their one-second cache.
        state.standings.clear();
        Ok(channel)
    })
    .await?;
    Ok(web::Json(channel.into()))
}
