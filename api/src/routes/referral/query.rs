//! The ledger's reads: public, like the process they record; only the internal contact is withheld.

use actix_web::{get, web};
use ocf_domain::referral::query::{ReferralFilter, ReferralQueries};
use ocf_domain::referral::{ReferralStatus, SubjectKind};
use ocf_domain::{Id, ValidationErrors, clock};

use super::{ReferralView, ReferralsQuery, parse_id, view_for};
use crate::auth::MaybeCaller;
use crate::error::ApiError;
use crate::pagination::{Paginated, page_request};
use crate::routes::common::filter;
use crate::state::{AppState, blocking};

/// A referral of a hidden proposal is for staff and the organization holding it only, like the proposal.
fn subject_visible(
    state: &AppState,
    r: &ocf_domain::referral::Referral,
    caller: Option<&crate::auth::Caller>,
) -> Result<bool, ApiError> {
    use ocf_domain::account::Role;
    use ocf_domain::proposal::query::ProposalQueries;
    let rec = r.record();
    if rec.subject_kind != SubjectKind::Proposal
        || caller.is_some_and(|c| {
            c.is_staff()
                || (c.roles.contains(Role::Official)
                    && c.organization_id == Some(rec.organization_id))
        })
    {
        return Ok(true);
    }
    let Ok(id) = Id::parse(&rec.subject_id) else {
        return Ok(true);
    };
    Ok(!state.db.proposal(id)?.is_some_and(|p| p.hidden()))
}

fn parse_bool(raw: &str) -> Result<bool, &'static str> {
    match raw {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("must be true or false"),
    }
}

/// List referrals
///
/// Public: the ledger, newest first. Filter by the organization holding them, status, `overdue` (past
/// the due date with no answer), subject kind, subject and year. Referrals of hidden proposals are for
/// moderators and admins only.
///
/// The token is optional. Without one the answer is the public view. A token that is sent is checked: a
/// stale, expired or invalid one is `401`, never silently ignored (sign in again, or send no token).
#[utoipa::path(
    tag = "referrals",
    operation_id = "list_referrals",
    security((), ("bearer" = [])),
    params(ReferralsQuery),
    responses(
        (status = 200, description = "One page of referrals", body = Paginated<ReferralView>),
        (status = 400, description = "The query string is malformed"),
        (status = 401, description = "A token was sent but is invalid"),
        (status = 422, description = "A filter, `limit` or `cursor` is invalid"),
    )
)]
#[get("/referrals")]
pub async fn list_referrals(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    query: web::Query<ReferralsQuery>,
) -> Result<web::Json<Paginated<ReferralView>>, ApiError> {
    let q = query.into_inner();
    let now = clock::now();
    let mut e = ValidationErrors::new();
    let f = ReferralFilter {
        organization_id: filter(
            &mut e,
            "organization_id",
            q.organization_id.as_deref(),
            |r| Id::parse(r).map_err(|_| "is not an organization id"),
        ),
        status: filter(
            &mut e,
            "status",
            q.status.as_deref(),
            str::parse::<ReferralStatus>,
        ),
        overdue: filter(&mut e, "overdue", q.overdue.as_deref(), parse_bool).map(|o| (o, now)),
        subject_kind: filter(
            &mut e,
            "subject_kind",
            q.subject_kind.as_deref(),
            str::parse::<SubjectKind>,
        ),
        subject_id: filter(&mut e, "subject_id", q.subject_id.as_deref(), |r| {
            Id::<()>::parse(r)
                .map(|id| id.to_string())
                .map_err(|_| "is not an id")
        }),
        year: q.year,
        without_hidden_subjects: !caller.0.as_ref().is_some_and(|c| c.is_staff()),
    };
    if let Some(y) = q.year
        && !(2000..=9999).contains(&y)
    {
        e.push("year", "must be between 2000 and 9999");
    }
    e.into_result()?;
    let page = page_request("referrals", q.limit, q.cursor.as_deref(), |k| {
        Id::parse(k).ok()
    })?;
    let page = blocking(move || {
        let page = state.db.list_referrals(&f, &page)?;
        let caller = caller.0;
        let items = page
            .items
            .into_iter()
            .map(|r| view_for(r, caller.as_ref()))
            .collect();
        Ok(Paginated::new(
            "referrals",
            items,
            page.next_after,
            ToString::to_string,
        ))
    })
    .await?;
    Ok(web::Json(page))
}

/// Read a referral
///
/// Public: the whole chain (hops, answer, follow-ups, commitments, completion). The internal contact is
/// shown only to moderators, admins and officials of the organization holding it; a referral of a hidden
/// proposal is `404` to everyone else.
///
/// The token is optional. Without one the answer is the public view. A token that is sent is checked: a
/// stale, expired or invalid one is `401`, never silently ignored (sign in again, or send no token).
#[utoipa::path(
    tag = "referrals",
    operation_id = "get_referral",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The referral", body = ReferralView),
        (status = 401, description = "A token was sent but is invalid"),
        (status = 404, description = "No such referral, or its proposal is hidden from the caller"),
    )
)]
#[get("/referrals/{id}")]
pub async fn get_referral(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<String>,
) -> Result<web::Json<ReferralView>, ApiError> {
    let id = parse_id(&id)?;
    let v = blocking(move || {
        let not_found = || ApiError::NotFound("referral not found".to_owned());
        let r = state.db.referral(id)?.ok_or_else(not_found)?;
        if !subject_visible(&state, &r, caller.0.as_ref())? {
            return Err(not_found());
        }
        Ok(view_for(r, caller.0.as_ref()))
    })
    .await?;
    Ok(web::Json(v))
}
