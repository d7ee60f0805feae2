//! `/reports/annual/{year}`: the white paper's data for one year in one document, as JSON or as a
//! printable HTML page. Public, and tagged for conditional GET.

use actix_web::http::header::{self, Accept, HeaderValue};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, get, web};
use ocf_domain::clock;
use ocf_domain::stats::annual::{self, TOP_TOPICS};
use ocf_domain::stats::{AnnualInputs, AnnualQueries, AnnualReport, FunnelFilter, StatsQueries};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::routes::stats::{ForumStatsView, FunnelView, organization_ref, record_views};
use crate::state::{AppState, blocking};

pub mod dto;
mod html;
mod labels;

pub use dto::AnnualReportView;
use dto::{ForumHeldView, ImplementedView, ReportPeriod, TopicVotesView};

/// How to answer.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `json` or `html`; without it, `Accept` decides (`text/html` before `application/json` gives the
    /// page), and JSON is the default.
    #[param(value_type = Option<ReportFormat>)]
    pub format: Option<String>,
}

/// The annual report's formats: the JSON document, or the printable HTML page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Json,
    Html,
}

fn chosen_format(req: &HttpRequest, raw: Option<&str>) -> Result<ReportFormat, ApiError> {
    match raw {
        Some("json") => return Ok(ReportFormat::Json),
        Some("html") => return Ok(ReportFormat::Html),
        Some(_) => return Err(ApiError::validation("format", "must be json or html")),
        None => {}
    }
    let Some(accept) = req.get_header::<Accept>() else {
        return Ok(ReportFormat::Json);
    };
    // `q=0` means "not this one".
    let refused: Vec<_> = accept
        .iter()
        .filter(|m| m.quality == header::Quality::ZERO)
        .map(|m| m.item.clone())
        .collect();
    for mime in accept.ranked() {
        if refused.contains(&mime) {
            continue;
        }
        match (mime.type_().as_str(), mime.subtype().as_str()) {
            ("text", "html") => return Ok(ReportFormat::Html),
            ("application", "json") | ("application" | "*", "*") => return Ok(ReportFormat::Json),
            _ => {}
        }
    }
    Ok(ReportFormat::Json)
}

/// The year from the path; anything else is a report that does not exist.
fn year_of(raw: &str) -> Result<i32, ApiError> {
    let not_found = |why: String| ApiError::NotFound(format!("annual report not found: {why}"));
    // Four digits, so that one report has one address (not `+2026` or `02026`).
    let year: i32 = Some(raw)
        .filter(|r| r.len() == 4 && r.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|r| r.parse().ok())
        .ok_or_else(|| not_found("the year is four digits such as 2026".to_owned()))?;
    annual::check_year(year, clock::now()).map_err(not_found)?;
    Ok(year)
}

/// Reads and folds the report for `year`. Blocking.
fn build(state: &AppState, year: i32) -> Result<AnnualReportView, ApiError> {
    let period = annual::year_period(year);
    let inputs = AnnualInputs {
        funnel: state.db.funnel_rows(&FunnelFilter {
            from: period.from,
            to: period.to,
            ..FunnelFilter::default()
        })?,
        forums: state.db.forum_rows(period)?,
        referrals: state.db.referral_rows()?,
        top_topics: state.db.top_topics(period, TOP_TOPICS)?,
        implemented: state.db.implemented(period)?,
    };
    let report = AnnualReport::of(year, inputs, clock::now());
    let mut implemented = Vec::with_capacity(report.implemented.len());
    for row in report.implemented {
        if let Some(org) = organization_ref(state, row.organization_id)? {
            implemented.push(ImplementedView::new(row, org));
        }
    }
    Ok(AnnualReportView {
        year,
        period: ReportPeriod {
            from: period.from.map(|d| d.to_string()).unwrap_or_default(),
            to: period.to.map(|d| d.to_string()).unwrap_or_default(),
        },
        funnel: FunnelView::from(report.funnel),
        forums: ForumStatsView::from(report.forums),
        forums_held: report
            .forums_held
            .into_iter()
            .map(ForumHeldView::from)
            .collect(),
        top_topics: report
            .top_topics
            .into_iter()
            .map(TopicVotesView::from)
            .collect(),
        organizations: record_views(state, report.organizations)?,
        implemented,
    })
}

/// The annual report
///
/// One year of the platform (1 January to 31 December, Korea Standard Time) in one document, the data
/// of the white paper: the funnel of the proposals collected that year, the forums held with their
/// attendance, the ten most voted topics suggested, each organization's record with the referrals first
/// sent that year, and every proposal implemented that year with its policy task and the date of each
/// step of its journey. As JSON, or as a printable HTML page (Korean with English headings, A4, inline
/// CSS, nothing loaded from elsewhere) by `?format=html` or `Accept: text/html`; each figure of the page
/// carries its JSON place in `data-figure`. Years from 2017 to the current one. Public; `ETag` and
/// `If-None-Match` give `304` while nothing changed.
#[utoipa::path(
    tag = "statistics",
    operation_id = "get_annual_report",
    params(
        ("year" = i32, Path, description = "The year, four digits, from 2017 to the current year in Korea", minimum = 2017, maximum = 9999, example = 2026),
        ReportQuery,
    ),
    responses(
        (status = 200, description = "The report",
            headers(
                ("ETag" = String, description = "The answer's tag, for `If-None-Match`"),
                ("Vary" = String, description = "`Accept`: the format can follow it"),
            ),
            content(
                (AnnualReportView = "application/json"),
                (String = "text/html", example = "<!DOCTYPE html><html lang=\"ko\">…</html>"),
            )),
        (status = 304, description = "The copy named in `If-None-Match` is current",
            headers(("ETag" = String, description = "The answer's tag"))),
        (status = 400, description = "The query string is malformed or has unknown parameters"),
        (status = 404, description = "No report for that year: not a number, before 2017 or still to come"),
        (status = 422, description = "`format` is neither `json` nor `html`"),
    )
)]
#[get("/reports/annual/{year}")]
pub async fn get_annual_report(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = year_of(&path)?;
    let format = chosen_format(&req, query.format.as_deref())?;
    let view = blocking(move || build(&state, year)).await?;
    let mut response = match format {
        ReportFormat::Json => crate::conditional::json(&req, &view)?,
        ReportFormat::Html => crate::conditional::tagged(
            &req,
            "text/html; charset=utf-8",
            html::page(&view).into_bytes(),
        ),
    };
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}
