//! Registrations: seats, the waitlist and attendance.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use ocf_domain::actor::Actor;
use ocf_domain::forum::registration::{
    RegistrationFilter, RegistrationQueries, RegistrationStatus,
};
use ocf_domain::forum::service;
use ocf_domain::{Id, ValidationErrors, clock};

use super::{
    AttendanceRequest, ForumView, RegistrationView, RegistrationsQuery, full_view, parse_id,
    visible,
};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::pagination::{Paginated, page_request};
use crate::routes::common::{act_no_content, act_then, collect, filter};
use crate::state::{AppState, blocking};

/// Register for a forum
///
/// Anyone signed in, once, while the forum is `scheduled` and its registration window open. Past the
/// capacity, registrations are `waitlisted` in arrival order; a cancellation seats the first in line.
#[utoipa::path(
    tag = "forums",
    operation_id = "register_for_forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The forum's id")),
    responses(
        (status = 201, description = "Registered or waitlisted", body = RegistrationView,
            headers(("Location" = String, description = "The caller's registrations, `/api/v1/forums/{id}/registrations`"))),
        (status = 404, description = "No such forum"),
        (status = 409, description = "Registered already (`already_registered`), the window not yet open (`registration_not_open`) or closed (`registration_closed`)"),
    )
)]
#[post("/forums/{id}/registrations")]
pub async fn register(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let act = move |s: &AppState, actor: &Actor| {
        s.transact(|uow| service::register(uow, actor, id, clock::now()))
    };
    let (r, _) = act_then(state, caller, act, |_, done, _| Ok(done)).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/forums/{id}/registrations"),
        ))
        .json(RegistrationView::from(r)))
}

/// List a forum's registrations
///
/// Those who manage the forum see every registration; anyone else signed in sees their own. In
/// arrival order, with waitlist positions.
#[utoipa::path(
    tag = "forums",
    operation_id = "list_forum_registrations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The forum's id"), RegistrationsQuery),
    responses(
        (status = 200, description = "One page of registrations", body = Paginated<RegistrationView>),
        (status = 400, description = "The query string is malformed"),
        (status = 404, description = "No such forum"),
        (status = 422, description = "`status`, `limit` or `cursor` is invalid"),
    )
)]
#[get("/forums/{id}/registrations")]
pub async fn list_registrations(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<RegistrationsQuery>,
) -> Result<web::Json<Paginated<RegistrationView>>, ApiError> {
    let id = parse_id(&id)?;
    let q = query.into_inner();
    let mut errors = ValidationErrors::new();
    let status = filter(
        &mut errors,
        "status",
        q.status.as_deref(),
        str::parse::<RegistrationStatus>,
    );
    let list = format!("forums/{id}/registrations");
    let page = collect(
        &mut errors,
        page_request(&list, q.limit, q.cursor.as_deref(), |k| {
            k.parse::<i64>().ok()
        }),
    )?;
    errors.into_result()?;
    let page = page.ok_or_else(|| ApiError::validation("cursor", "is invalid"))?;
    let out = blocking(move || {
        let forum = visible(&state, id, Some(&caller))?;
        let mine = (!forum.managed_by(&caller.actor())).then_some(caller.user_id);
        let filter = RegistrationFilter {
            forum_id: id,
            user_id: mine,
            status,
        };
        let page = state.db.list_registrations(&filter, &page)?;
        let items = page
            .items
            .into_iter()
            .map(|(_, r)| RegistrationView::from(r))
            .collect();
        Ok(Paginated::new(
            &list,
            items,
            page.next_after,
            i64::to_string,
        ))
    })
    .await?;
    Ok(web::Json(out))
}

/// Cancel my registration
///
/// Until the forum is live. A freed seat goes to the first waitlisted person, in the same transaction.
#[utoipa::path(
    tag = "forums",
    operation_id = "cancel_forum_registration",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The forum's id")),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 404, description = "No such forum, or the caller is not registered"),
        (status = 409, description = "The forum has started (`registration_closed`)"),
    )
)]
#[delete("/forums/{id}/registrations/me")]
pub async fn cancel_registration(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let act = move |s: &AppState, actor: &Actor| {
        s.transact(|uow| service::cancel_registration(uow, actor, id, clock::now()))
    };
    act_no_content(state, caller, act).await
}

/// Mark attendance
///
/// Those who manage the forum, once it is live or ended: the registrations named were present (or, with
/// `attended: false`, absent). The forum's `seats.attended` counts them.
#[utoipa::path(
    tag = "forums",
    operation_id = "mark_forum_attendance",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The forum's id")),
    request_body = AttendanceRequest,
    responses(
        (status = 200, description = "The forum with its counts", body = ForumView),
        (status = 403, description = "The caller does not manage the forum (`not_forum_manager`)"),
        (status = 404, description = "No such forum"),
        (status = 409, description = "The forum is not live or ended yet (`forum_not_held`), or a concurrent change"),
        (status = 422, description = "A registration id is invalid or of another forum"),
    )
)]
#[post("/forums/{id}/attendance")]
pub async fn mark_attendance(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<AttendanceRequest>,
) -> Result<web::Json<ForumView>, ApiError> {
    let id = parse_id(&id)?;
    let b = body.0;
    let mut errors = ValidationErrors::new();
    if b.registration_ids.is_empty() || b.registration_ids.len() > 1000 {
        errors.push("registration_ids", "name 1-1000 registrations");
    }
    let ids: Vec<_> = b
        .registration_ids
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            errors.check(
                &format!("registration_ids[{i}]"),
                Id::parse(r).map_err(|_| "is not a registration id"),
            )
        })
        .collect();
    errors.into_result()?;
    let attended = b.attended;
    let act = move |s: &AppState, actor: &Actor| {
        s.transact(|uow| service::mark_attendance(uow, actor, id, &ids, attended, clock::now()))
    };
    let view = act_then(state, caller, act, |s, f, c| full_view(s, f, Some(c))).await?;
    Ok(web::Json(view))
}
