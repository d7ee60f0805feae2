//! `/open311/v2`: a GeoReport v2 status view over referred proposals, so civic clients can poll what
//! became of a proposal with a known standard (<https://wiki.open311.org/GeoReport_v2>). Read-only: one
//! service per policy area; each referred proposal is a service request, its status following its latest
//! referral. Errors are GeoReport's own: an array of `{code, description}`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, FixedOffset, Offset, Utc};
use ocf_domain::Id;
use ocf_domain::open311::{RequestFilter, RequestStatus, ServiceRequest, ServiceRequests};
use ocf_domain::ports::{OrganizationRepository, PolicyAreaRepository};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;

mod dto;

use crate::state::{AppState, blocking};
pub use dto::{Open311Error, Open311Request, Service};

/// Requests per page at most (the GeoReport default), and by default.
pub const MAX_PAGE_SIZE: usize = 1000;
/// Without `start_date`, the last 90 days (GeoReport's default window).
const DEFAULT_WINDOW_DAYS: i64 = 90;
/// Korea Standard Time: GeoReport datetimes carry their offset.
const KST_SECONDS: i32 = 9 * 3600;

fn error(status: StatusCode, description: impl Into<String>) -> HttpResponse {
    let mut response = HttpResponse::build(status).json([Open311Error {
        code: status.as_u16(),
        description: description.into(),
    }]);
    response
        .extensions_mut()
        .insert(crate::request_id::OwnErrorFormat);
    response
}

fn w3c(t: DateTime<Utc>) -> String {
    let kst = FixedOffset::east_opt(KST_SECONDS).unwrap_or_else(|| Utc.fix());
    t.with_timezone(&kst)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

fn view(state: &AppState, r: &ServiceRequest) -> Result<Open311Request, ApiError> {
    let area = state.db.policy_area(r.policy_area_id)?;
    let org = state.db.organization(r.referral.organization_id)?;
    let org_name = org
        .map(|o| o.name_ko.as_str().to_owned())
        .unwrap_or_default();
    Ok(Open311Request {
        service_request_id: r.proposal_id.to_string(),
        status: r.status().as_str().to_owned(),
        status_notes: r.status_notes(&org_name),
        service_name: area
            .as_ref()
            .map(|a| a.name_ko.as_str().to_owned())
            .unwrap_or_default(),
        service_code: area.map(|a| a.code.as_str().to_owned()).unwrap_or_default(),
        description: format!("{}\n\n{}", r.title, r.body),
        agency_responsible: org_name,
        service_notice: None,
        requested_datetime: w3c(r.requested_at),
        updated_datetime: w3c(r.updated_at()),
        expected_datetime: r.expected_at().map(w3c),
        address: r.region.map(|g| g.as_str().to_owned()),
        address_id: None,
        zipcode: None,
        lat: None,
        long: None,
        media_url: None,
    })
}

/// Open311 services
///
/// One service per policy area (GeoReport v2 `GET services.json`). Public.
#[utoipa::path(
    tag = "open311",
    operation_id = "open311_services",
    params(("jurisdiction_id" = Option<String>, Query, description = "Accepted and ignored: OCF is one jurisdiction", max_length = 100)),
    responses(
        (status = 200, description = "Every service", body = Vec<Service>),
        (status = 400, description = "An unknown parameter", body = Vec<Open311Error>),
    )
)]
#[get("/services.json")]
pub async fn services(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if let Err(e) = jurisdiction_only(&req) {
        return e.response();
    }
    let areas = blocking(move || Ok(state.db.all_policy_areas()?)).await;
    match areas {
        Ok(mut areas) => {
            areas.sort_by(|a, b| a.code.as_str().cmp(b.code.as_str()));
            let list: Vec<Service> = areas
                .into_iter()
                .map(|a| Service {
                    keywords: format!("{},{}", a.code.as_str(), a.name_ko.as_str()),
                    service_code: a.code.as_str().to_owned(),
                    service_name: a.name_ko.as_str().to_owned(),
                    description: a.name_en.as_str().to_owned(),
                    metadata: false,
                    r#type: "batch".to_owned(),
                    group: "policy_area".to_owned(),
                })
                .collect();
            HttpResponse::Ok().json(list)
        }
        Err(e) => internal(e),
    }
}

/// A storage failure: problem+json like every other 500 (only refusals speak GeoReport).
fn internal(e: ApiError) -> HttpResponse {
    actix_web::ResponseError::error_response(&e)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JurisdictionOnly {
    jurisdiction_id: Option<String>,
}

/// Longest `service_code` accepted (policy area codes are shorter).
const MAX_SERVICE_CODE: usize = 60;
/// Longest `jurisdiction_id` accepted (it is ignored, but bounded like every input).
const MAX_JURISDICTION: usize = 100;

fn check_jurisdiction(raw: Option<&str>) -> Result<(), Refusal> {
    match raw {
        Some(j) if j.chars().count() > MAX_JURISDICTION => Err(bad(format!(
            "jurisdiction_id is longer than {MAX_JURISDICTION} characters"
        ))),
        _ => Ok(()),
    }
}

/// The query of `services.json` and of one request: only `jurisdiction_id`.
fn jurisdiction_only(req: &HttpRequest) -> Result<(), Refusal> {
    let q = parse::<JurisdictionOnly>(req)?;
    check_jurisdiction(q.jurisdiction_id.as_deref())
}

/// The filters of `requests.json`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RequestsQuery {
    /// Accepted and ignored: OCF is one jurisdiction.
    #[param(max_length = 100)]
    pub jurisdiction_id: Option<String>,
    /// Only these requests (proposal ids, comma-separated); the other filters are then ignored.
    #[param(
        example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11",
        pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(,[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}){0,99}$"
    )]
    pub service_request_id: Option<String>,
    /// Only this service (a policy area code).
    #[param(example = "transport-logistics", max_length = 60)]
    pub service_code: Option<String>,
    /// Requested at or after (W3C datetime, e.g. `2026-01-01T00:00:00+09:00`); default 90 days ago.
    #[param(value_type = Option<DateTime<Utc>>, example = "2026-01-01T00:00:00+09:00")]
    pub start_date: Option<String>,
    /// Requested at or before (W3C datetime); default now.
    #[param(value_type = Option<DateTime<Utc>>, example = "2026-12-31T23:59:59+09:00")]
    pub end_date: Option<String>,
    /// Only `open` or only `closed` requests (comma-separated for both).
    #[param(example = "open", pattern = "^(open|closed)(,(open|closed))?$")]
    pub status: Option<String>,
    /// The page, from 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000, example = 1)]
    pub page: Option<String>,
    /// Requests per page, 1-1000 (default 1000).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000, example = 100)]
    pub page_size: Option<String>,
}

/// A `400`, before it becomes GeoReport's error array.
#[derive(Debug)]
struct Refusal(String);

impl Refusal {
    fn response(self) -> HttpResponse {
        error(StatusCode::BAD_REQUEST, self.0)
    }
}

fn parse<T: serde::de::DeserializeOwned>(req: &HttpRequest) -> Result<T, Refusal> {
    serde_urlencoded::from_str(req.query_string())
        .map_err(|e| Refusal(format!("invalid query string: {e}")))
}

fn bad(description: impl Into<String>) -> Refusal {
    Refusal(description.into())
}

fn datetime(raw: Option<&str>, name: &str) -> Result<Option<DateTime<Utc>>, Refusal> {
    raw.map(|r| {
        DateTime::parse_from_rfc3339(r)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| {
                bad(format!(
                    "{name} must be a W3C datetime, e.g. 2026-01-01T00:00:00+09:00"
                ))
            })
    })
    .transpose()
}

fn number(raw: Option<&str>, name: &str, max: usize, default: usize) -> Result<usize, Refusal> {
    match raw {
        None => Ok(default),
        Some(r) => match r.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(bad(format!(
                "{name} must be a whole number from 1 to {max}"
            ))),
        },
    }
}

struct Plan {
    filter: RequestFilter,
    area_code: Option<String>,
    page: usize,
    page_size: usize,
}

fn plan(q: RequestsQuery) -> Result<Plan, Refusal> {
    check_jurisdiction(q.jurisdiction_id.as_deref())?;
    let page = number(q.page.as_deref(), "page", 100_000, 1)?;
    let page_size = number(
        q.page_size.as_deref(),
        "page_size",
        MAX_PAGE_SIZE,
        MAX_PAGE_SIZE,
    )?;
    // Every parameter is checked, even those that `service_request_id` makes the list ignore.
    let start = datetime(q.start_date.as_deref(), "start_date")?;
    let end = datetime(q.end_date.as_deref(), "end_date")?;
    let status = match q.status.as_deref() {
        None => None,
        Some(raw) => {
            let mut wanted = Vec::new();
            for part in raw.split(',') {
                wanted.push(match part {
                    "open" => RequestStatus::Open,
                    "closed" => RequestStatus::Closed,
                    _ => return Err(bad("status must be open, closed, or both comma-separated")),
                });
            }
            wanted.dedup();
            (wanted.len() == 1).then(|| wanted[0])
        }
    };
    if q.service_code
        .as_deref()
        .is_some_and(|c| c.chars().count() > MAX_SERVICE_CODE)
    {
        return Err(bad(format!(
            "service_code is longer than {MAX_SERVICE_CODE} characters"
        )));
    }
    let mut filter = RequestFilter::default();
    if let Some(ids) = q.service_request_id.as_deref() {
        for raw in ids.split(',') {
            let id = Id::parse(raw.trim())
                .map_err(|_| bad(format!("service_request_id '{raw}' is not a request id")))?;
            filter.ids.push(id);
        }
        if filter.ids.len() > 100 {
            return Err(bad("at most 100 service_request_id values"));
        }
        return Ok(Plan {
            filter,
            area_code: None,
            page,
            page_size,
        });
    }
    // An end before the start is an empty window (no request falls in it), not an error.
    filter.start = start.or_else(|| {
        let until = end.unwrap_or_else(ocf_domain::clock::now);
        Some(until - chrono::Duration::days(DEFAULT_WINDOW_DAYS))
    });
    filter.end = end;
    filter.status = status;
    Ok(Plan {
        filter,
        area_code: q.service_code,
        page,
        page_size,
    })
}

/// Open311 service requests
///
/// Referred proposals, newest request first (GeoReport v2 `GET requests.json`): by default those
/// requested in the last 90 days, at most 1000 per page (`page`, `page_size`). `service_request_id`
/// lists given requests and ignores the other filters. Public.
#[utoipa::path(
    tag = "open311",
    operation_id = "open311_requests",
    params(RequestsQuery),
    responses(
        (status = 200, description = "One page of requests", body = Vec<Open311Request>),
        (status = 400, description = "A parameter is invalid or unknown", body = Vec<Open311Error>),
        (status = 404, description = "`service_code` names no service (GeoReport: service_code not found)", body = Vec<Open311Error>),
    )
)]
#[get("/requests.json")]
pub async fn requests(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let plan = match parse::<RequestsQuery>(&req).and_then(plan) {
        Ok(p) => p,
        Err(e) => return e.response(),
    };
    let result = blocking(move || {
        let mut filter = plan.filter;
        if let Some(code) = plan.area_code.as_deref() {
            match state.policy_areas.id_of(&state.db, code)? {
                Some(id) => filter.policy_area_id = Some(id),
                None => {
                    return Ok(Err(format!(
                        "no service with code '{code}'; see services.json"
                    )));
                }
            }
        }
        let all = state.db.service_requests(&filter)?;
        let skip = (plan.page - 1).saturating_mul(plan.page_size);
        let mut out = Vec::new();
        for r in all.iter().skip(skip).take(plan.page_size) {
            out.push(view(&state, r)?);
        }
        Ok(Ok(out))
    })
    .await;
    match result {
        Ok(Ok(list)) => HttpResponse::Ok().json(list),
        Ok(Err(description)) => error(StatusCode::NOT_FOUND, description),
        Err(e) => internal(e),
    }
}

/// One Open311 service request
///
/// A referred proposal, as an array of one (GeoReport v2 `GET requests/{id}.json`). Public.
#[utoipa::path(
    tag = "open311",
    operation_id = "open311_request",
    params(
        ("id" = String, Path, description = "The proposal's id", format = Uuid),
        ("jurisdiction_id" = Option<String>, Query, description = "Accepted and ignored", max_length = 100),
    ),
    responses(
        (status = 200, description = "The request, as an array of one", body = Vec<Open311Request>),
        (status = 400, description = "An unknown parameter", body = Vec<Open311Error>),
        (status = 404, description = "No referred proposal with this id", body = Vec<Open311Error>),
    )
)]
#[get("/requests/{id}.json")]
pub async fn request(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    if let Err(e) = jurisdiction_only(&req) {
        return e.response();
    }
    let Ok(id) = Id::parse(&path.into_inner()) else {
        return error(StatusCode::NOT_FOUND, "no referred proposal with this id");
    };
    let result = blocking(move || {
        let filter = RequestFilter {
            ids: vec![id],
            ..RequestFilter::default()
        };
        let found = state.db.service_requests(&filter)?;
        found.first().map(|r| view(&state, r)).transpose()
    })
    .await;
    match result {
        Ok(Some(v)) => HttpResponse::Ok().json([v]),
        Ok(None) => error(StatusCode::NOT_FOUND, "no referred proposal with this id"),
        Err(e) => internal(e),
    }
}
