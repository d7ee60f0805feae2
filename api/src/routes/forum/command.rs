//! The forum writes: each handler checks its input, then calls one use case in one unit of work.

use actix_web::http::header;
use actix_web::{HttpResponse, patch, post, web};
use ocf_domain::account::Role;
use ocf_domain::actor::Actor;
use ocf_domain::forum::{
    ForumEditInput, ForumError, ForumSchedule, ForumStatus, MAX_TOPICS, NewForumInput, service,
};
use ocf_domain::organization::OrganizationId;
use ocf_domain::topic::TopicId;
use ocf_domain::{Id, ValidationErrors, clock};

use super::parts::{agenda_input, panel_input};
use super::{
    CreateForumRequest, ForumStatusRequest, ForumView, UpdateForumRequest, full_view, parse_id,
};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::common::{act_then, area_id, collect, parse_decision};
use crate::state::AppState;

/// Topic ids as sent, each checked.
fn topic_ids(errors: &mut ValidationErrors, raw: &[String]) -> Vec<TopicId> {
    if raw.len() > MAX_TOPICS {
        errors.push("topic_ids", format!("at most {MAX_TOPICS} topics"));
        return Vec::new();
    }
    raw.iter()
        .enumerate()
        .filter_map(|(i, t)| {
            errors.check(
                &format!("topic_ids[{i}]"),
                Id::parse(t).map_err(|_| "is not a topic id"),
            )
        })
        .collect()
}

/// The hosting organization: the one named (checked), else the official's own.
fn organization(
    state: &AppState,
    actor: &Actor,
    raw: Option<&str>,
) -> Result<OrganizationId, ApiError> {
    use ocf_domain::ports::OrganizationRepository;
    match raw {
        Some(raw) => {
            let id = Id::parse(raw)
                .ok()
                .filter(|id| state.db.organization(*id).ok().flatten().is_some());
            id.ok_or_else(|| {
                ApiError::validation(
                    "organization_id",
                    "no such organization; see GET /api/v1/organizations",
                )
            })
        }
        None => actor.organization_id.ok_or_else(|| {
            ApiError::validation(
                "organization_id",
                "is required unless the caller is an official of an organization",
            )
        }),
    }
}

/// Plan a forum
///
/// Officials (for their organization), moderators and admins. The forum starts as a `draft`, seen only
/// by those who manage it. Linked topics must be `shortlisted`; they move to `scheduled`.
#[utoipa::path(
    tag = "forums",
    operation_id = "create_forum",
    security(("bearer" = [])),
    request_body = CreateForumRequest,
    responses(
        (status = 201, description = "Planned, as a draft", body = ForumView,
            headers(("Location" = String, description = "The new forum's URL"))),
        (status = 403, description = "Not an official of the organization, a moderator or an admin (`not_forum_manager`)"),
        (status = 409, description = "A topic that is not shortlisted (`topic_not_shortlisted`)"),
        (status = 422, description = "A field is invalid, missing or unknown; the venue does not fit the mode; the times do not fit together"),
    )
)]
#[post("/forums")]
pub async fn create_forum(
    state: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<CreateForumRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let venue = b.venue.as_ref().map(super::VenueRequest::input);
    let panel = panel_input(&b.panel);
    let agenda = agenda_input(&b.agenda);
    let draft = NewForumInput {
        kind: &b.kind,
        mode: &b.mode,
        title: &b.title,
        description: &b.description,
        venue: venue.as_ref(),
        schedule: ForumSchedule {
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            registration_opens_at: b.registration_opens_at,
            registration_closes_at: b.registration_closes_at,
        },
        capacity: b.capacity,
        livestream_url: b.livestream_url.as_deref(),
        panel: &panel,
        agenda: &agenda,
    }
    .parse();
    let plan = move |s: &AppState, actor: &Actor| {
        // Only those who could manage some forum plan one: anyone else is refused before their fields.
        if !actor.is_staff() && !actor.roles.contains(Role::Official) {
            return Err(ForumError::NotManager.into());
        }
        let mut errors = match &draft {
            Ok(_) => ValidationErrors::new(),
            Err(e) => e.clone(),
        };
        let topics = topic_ids(&mut errors, &b.topic_ids);
        let area = collect(&mut errors, area_id(s, &b.policy_area))?;
        let org = collect(
            &mut errors,
            organization(s, actor, b.organization_id.as_deref()),
        )?;
        errors.into_result()?;
        let (Ok(draft), Some(area), Some(org)) = (draft, area, org) else {
            return Err(ApiError::validation("body", "is invalid"));
        };
        s.transact(|uow| service::plan(uow, actor, org, area, &topics, draft, clock::now()))
    };
    let view = act_then(state, caller, plan, |s, f, c| full_view(s, f, Some(c))).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/forums/{}", view.id)))
        .json(view))
}

/// Edit a forum
///
/// Those who manage it. Until the forum is live everything can change; once live, its kind, mode,
/// venue, start, registration window and capacity are locked (`409 forum_field_locked`); once ended,
/// nothing but its outcome. A larger capacity seats the waitlist, first come first served.
#[utoipa::path(
    tag = "forums",
    operation_id = "update_forum",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The forum's id")),
    request_body = UpdateForumRequest,
    responses(
        (status = 200, description = "The edited forum", body = ForumView),
        (status = 403, description = "The caller does not manage the forum (`not_forum_manager`)"),
        (status = 404, description = "No such forum"),
        (status = 409, description = "A locked field (`forum_field_locked`), an ended forum (`forum_not_editable`), capacity below those registered (`capacity_below_registered`), a topic not shortlisted (`topic_not_shortlisted`), or a concurrent change"),
        (status = 422, description = "A field is invalid or unknown, the edited forum breaks a rule, or nothing to change"),
    )
)]
#[patch("/forums/{id}")]
pub async fn update_forum(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<UpdateForumRequest>,
) -> Result<web::Json<ForumView>, ApiError> {
    let id = parse_id(&id)?;
    let b = body.0;
    let venue = b
        .venue
        .as_ref()
        .map(|v| v.as_ref().map(super::VenueRequest::input));
    let panel = b.panel.as_deref().map(panel_input);
    let agenda = b.agenda.as_deref().map(agenda_input);
    let parsed = ForumEditInput {
        kind: b.kind.as_deref(),
        mode: b.mode.as_deref(),
        title: b.title.as_deref(),
        description: b.description.as_deref(),
        venue: venue.as_ref().map(Option::as_ref),
        starts_at: b.starts_at,
        ends_at: b.ends_at,
        registration_opens_at: b.registration_opens_at,
        registration_closes_at: b.registration_closes_at,
        capacity: b.capacity,
        livestream_url: b.livestream_url.as_ref().map(Option::as_deref),
        panel: panel.as_deref(),
        agenda: agenda.as_deref(),
    }
    .parse();
    let mut errors = match &parsed {
        Ok(_) => ValidationErrors::new(),
        Err(e) => e.clone(),
    };
    let topics = b.topic_ids.as_deref().map(|t| topic_ids(&mut errors, t));
    errors.into_result()?;
    let mut edit = parsed?;
    edit.topic_ids = topics;
    let area_code = b.policy_area;
    if edit.is_empty() && area_code.is_none() {
        return Err(ApiError::validation(
            "body",
            "name at least one field to change",
        ));
    }
    let apply = move |s: &AppState, actor: &Actor| {
        if let Some(code) = &area_code {
            edit.policy_area_id = Some(area_id(s, code)?);
        }
        s.transact(|uow| service::edit(uow, actor, id, edit, clock::now()))
    };
    let view = act_then(state, caller, apply, |s, f, c| full_view(s, f, Some(c))).await?;
    Ok(web::Json(view))
}

/// Move a forum along its lifecycle
///
/// Those who manage it: `draft -> scheduled -> live -> ended`, or `cancelled` (with a reason) before
/// `live`. Online and hybrid forums need a `livestream_url` to go live. A forum becomes `reported` by
/// publishing its outcome (`PUT /forums/{id}/outcome`). When it ends, its scheduled topics become
/// `discussed`. Every move appears on the forum's public timeline.
#[utoipa::path(
    tag = "forums",
    operation_id = "change_forum_status",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The forum's id")),
    request_body = ForumStatusRequest,
    responses(
        (status = 200, description = "The forum after the move", body = ForumView),
        (status = 403, description = "The caller does not manage the forum (`not_forum_manager`)"),
        (status = 404, description = "No such forum"),
        (status = 409, description = "Not allowed from the current status (`invalid_transition`), no livestream (`livestream_required`), `reported` by status (`outcome_required`), or a concurrent change"),
        (status = 422, description = "Unknown status, or cancelling without a reason"),
    )
)]
#[post("/forums/{id}/status")]
pub async fn change_forum_status(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<ForumStatusRequest>,
) -> Result<web::Json<ForumView>, ApiError> {
    let id = parse_id(&id)?;
    let b = body.0;
    let (to, reason) = parse_decision::<ForumStatus>(&b.status, b.reason.as_deref())?;
    let decide = move |s: &AppState, actor: &Actor| {
        s.transact(|uow| service::change_status(uow, actor, id, to, reason, clock::now()))
    };
    let view = act_then(state, caller, decide, |s, f, c| full_view(s, f, Some(c))).await?;
    Ok(web::Json(view))
}
