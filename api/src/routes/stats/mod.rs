//! `/stats`: the funnel of proposals, each organization's record with referrals, and the forums held,
//! computed from the current state and the event log. Public, and tagged for conditional GET.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::NaiveDate;
use ocf_domain::Id;
use ocf_domain::clock;
use ocf_domain::error::ValidationErrors;
use ocf_domain::ports::OrganizationRepository;
use ocf_domain::proposal::Channel;
use ocf_domain::stats::{ForumStats, Funnel, FunnelFilter, Period, StatsQueries, organizations};
use ocf_domain::values::Region;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::routes::common::{area_id, filter};
use crate::state::{AppState, blocking};

pub mod dto;

pub use dto::{ForumStatsView, FunnelView, OrganizationStatsView};
use dto::{OrganizationRecordView, OrganizationRef};

/// The period of a statistic.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First day, inclusive (YYYY-MM-DD, Korea Standard Time).
    #[param(value_type = Option<String>, format = Date, example = "2026-01-01")]
    pub from: Option<String>,
    /// Last day, inclusive (YYYY-MM-DD, Korea Standard Time); not before `from`.
    #[param(value_type = Option<String>, format = Date, example = "2026-12-31")]
    pub to: Option<String>,
}

/// Which proposals the funnel counts. Every filter narrows.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FunnelQuery {
    /// Collected on or after this day (YYYY-MM-DD, Korea Standard Time).
    #[param(value_type = Option<String>, format = Date, example = "2026-01-01")]
    pub from: Option<String>,
    /// Collected on or before this day (YYYY-MM-DD, Korea Standard Time); not before `from`.
    #[param(value_type = Option<String>, format = Date, example = "2026-12-31")]
    pub to: Option<String>,
    /// Only proposals that came in through this channel.
    #[param(
        example = "web",
        pattern = "^(web|offline|offline_forum|partner:[A-Za-z0-9_-]{1,40})$"
    )]
    pub channel: Option<String>,
    /// Only this policy area (code).
    #[param(example = "transport-logistics", max_length = 60)]
    pub policy_area: Option<String>,
    /// Only this region.
    #[param(value_type = Option<crate::vocab::Region>, example = "seoul")]
    pub region: Option<String>,
    /// Only proposals answering this topic.
    #[param(format = Uuid)]
    pub topic_id: Option<String>,
    /// Only proposals born at this forum.
    #[param(format = Uuid)]
    pub forum_id: Option<String>,
    /// Only proposals referred to this organization (at any step).
    #[param(format = Uuid)]
    pub organization_id: Option<String>,
}

fn day(errors: &mut ValidationErrors, field: &str, raw: Option<&str>) -> Option<NaiveDate> {
    filter(errors, field, raw, |r| {
        NaiveDate::parse_from_str(r, "%Y-%m-%d").map_err(|_| "must be a date, YYYY-MM-DD")
    })
}

pub(crate) fn period(
    errors: &mut ValidationErrors,
    from: Option<&str>,
    to: Option<&str>,
) -> Period {
    let from = day(errors, "from", from);
    let to = day(errors, "to", to);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        errors.push("to", "is before `from`");
    }
    Period { from, to }
}

fn id_filter<T>(errors: &mut ValidationErrors, field: &str, raw: Option<&str>) -> Option<Id<T>> {
    filter(errors, field, raw, |r| {
        Id::parse(r).map_err(|_| "is not a valid identifier")
    })
}

/// The funnel of proposals
///
/// How many of the proposals collected reached each stage (under review, selected, rejected, merged,
/// referred, answered, implemented), the answers by decision, and for each step of the main path the
/// conversion rate and the median days it took. A proposal counts at every stage it reached, so a
/// referred proposal also counts as selected and under review. Stages come from the log (the first
/// time staff moved it) and the current state (its referral). Public; `ETag` and `If-None-Match`
/// give `304` while nothing changed.
#[utoipa::path(
    tag = "statistics",
    operation_id = "get_funnel",
    params(FunnelQuery),
    responses(
        (status = 200, description = "The funnel",
            headers(("ETag" = String, description = "The answer's tag, for `If-None-Match`")),
            body = FunnelView),
        (status = 304, description = "The copy named in `If-None-Match` is current",
            headers(("ETag" = String, description = "The answer's tag"))),
        (status = 400, description = "The query string is malformed or has unknown parameters"),
        (status = 422, description = "A filter is invalid: a day, a channel, a region, an unknown policy area or an id"),
    )
)]
#[get("/stats/funnel")]
pub async fn get_funnel(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<FunnelQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let mut errors = ValidationErrors::new();
    let p = period(&mut errors, q.from.as_deref(), q.to.as_deref());
    let channel = filter(&mut errors, "channel", q.channel.as_deref(), Channel::parse);
    let region = filter(
        &mut errors,
        "region",
        q.region.as_deref(),
        str::parse::<Region>,
    );
    let topic_id = id_filter(&mut errors, "topic_id", q.topic_id.as_deref());
    let forum_id = id_filter(&mut errors, "forum_id", q.forum_id.as_deref());
    let organization_id = id_filter(&mut errors, "organization_id", q.organization_id.as_deref());
    errors.into_result()?;
    let view = blocking(move || {
        let policy_area_id = match q.policy_area.as_deref() {
            Some(code) => Some(area_id(&state, code)?),
            None => None,
        };
        let f = FunnelFilter {
            from: p.from,
            to: p.to,
            channel: channel.map(|c| c.code()),
            policy_area_id,
            region,
            topic_id,
            forum_id,
            organization_id,
        };
        Ok(FunnelView::from(Funnel::of_rows(
            &state.db.funnel_rows(&f)?,
        )))
    })
    .await?;
    crate::conditional::json(&req, &view)
}

/// Each organization's record
///
/// For every organization that received a referral: referrals received (sent or transferred in),
/// acknowledged, answered on time and late, overdue now, and transferred away; the median and 90th
/// percentile of days from arrival to answer; answers by decision; and the commitments from its
/// follow-ups still open, and open past their day. Public; conditional GET as for the funnel.
#[utoipa::path(
    tag = "statistics",
    operation_id = "get_organization_stats",
    responses(
        (status = 200, description = "Every organization's record",
            headers(("ETag" = String, description = "The answer's tag, for `If-None-Match`")),
            body = OrganizationStatsView),
        (status = 304, description = "The copy named in `If-None-Match` is current",
            headers(("ETag" = String, description = "The answer's tag"))),
        (status = 400, description = "The query string has parameters (there are none)"),
    )
)]
#[get("/stats/organizations")]
pub async fn get_organization_stats(
    req: HttpRequest,
    state: web::Data<AppState>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let view = blocking(move || {
        let records = organizations::records(&state.db.referral_rows()?, clock::now());
        Ok(OrganizationStatsView {
            items: record_views(&state, records)?,
        })
    })
    .await?;
    crate::conditional::json(&req, &view)
}

/// An organization as the statistics name it; `None` when it is gone. Blocking.
///
/// # Errors
/// Storage failures.
pub(crate) fn organization_ref(
    state: &AppState,
    id: ocf_domain::organization::OrganizationId,
) -> Result<Option<OrganizationRef>, ApiError> {
    Ok(state.db.organization(id)?.map(|o| OrganizationRef {
        id: o.id.to_string(),
        code: o.code.as_str().to_owned(),
        name_ko: o.name_ko.as_str().to_owned(),
        name_en: o.name_en.as_str().to_owned(),
    }))
}

/// The records with their organizations, by organization code. Blocking.
///
/// # Errors
/// Storage failures.
pub(crate) fn record_views(
    state: &AppState,
    records: Vec<ocf_domain::stats::OrganizationRecord>,
) -> Result<Vec<OrganizationRecordView>, ApiError> {
    let mut items = Vec::with_capacity(records.len());
    for r in records {
        let Some(id) = r.organization_id else {
            continue;
        };
        if let Some(org) = organization_ref(state, id)? {
            items.push(OrganizationRecordView::new(org, r));
        }
    }
    items.sort_by(|a, b| a.organization.code.cmp(&b.organization.code));
    Ok(items)
}

/// No parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoQuery {}

/// The forums held
///
/// The forums that started in the period: how many took place (went live, ended or reported), by kind
/// and by region; how many were cancelled; registrations and attendance at those held; and the
/// proposals born at them with their status now. Public; conditional GET as for the funnel.
#[utoipa::path(
    tag = "statistics",
    operation_id = "get_forum_stats",
    params(PeriodQuery),
    responses(
        (status = 200, description = "The forums' figures",
            headers(("ETag" = String, description = "The answer's tag, for `If-None-Match`")),
            body = ForumStatsView),
        (status = 304, description = "The copy named in `If-None-Match` is current",
            headers(("ETag" = String, description = "The answer's tag"))),
        (status = 400, description = "The query string is malformed or has unknown parameters"),
        (status = 422, description = "`from` or `to` is not a day, or `to` is before `from`"),
    )
)]
#[get("/stats/forums")]
pub async fn get_forum_stats(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = ValidationErrors::new();
    let p = period(&mut errors, query.from.as_deref(), query.to.as_deref());
    errors.into_result()?;
    let view = blocking(move || {
        Ok(ForumStatsView::from(ForumStats::of(
            &state.db.forum_rows(p)?,
        )))
    })
    .await?;
    crate::conditional::json(&req, &view)
}
