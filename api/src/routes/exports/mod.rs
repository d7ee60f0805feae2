//! `/exports`: the open data. A data dictionary, and four files (proposals, referrals, forums,
//! comments) as CSV (UTF-8 with a byte order mark, so spreadsheets in Korea read Hangul) or NDJSON,
//! streamed page by page in constant memory, `?since=` for incremental pulls, tagged for conditional
//! GET by the event log's mark (every change appends to it, so an unchanged mark means unchanged data).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use ocf_domain::export::{Dataset, ExportQueries};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

mod encode;

use crate::conditional;
use crate::error::ApiError;
use crate::state::{AppState, blocking};
use encode::{csv_chunk, ndjson_chunk};

/// Rows per database read while streaming.
const PAGE: i64 = 1000;
const LICENCE_KO: &str = "공공누리 제1유형 (출처표시)";
const LICENCE_EN: &str =
    "Korea Open Government License Type 1 (attribution), compatible with CC BY 4.0";
const LICENCE_URL: &str = "https://www.kogl.or.kr/info/licenseType1.do";

/// A file of the open data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportDataset {
    Proposals,
    Referrals,
    Forums,
    Comments,
}

impl From<ExportDataset> for Dataset {
    fn from(d: ExportDataset) -> Self {
        match d {
            ExportDataset::Proposals => Self::Proposals,
            ExportDataset::Referrals => Self::Referrals,
            ExportDataset::Forums => Self::Forums,
            ExportDataset::Comments => Self::Comments,
        }
    }
}

/// A file's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Ndjson,
}

impl ExportFormat {
    fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Ndjson => "application/x-ndjson",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Ndjson => "ndjson",
        }
    }
}

/// One column in the dictionary.
#[derive(Debug, Serialize, ToSchema)]
pub struct ColumnView {
    /// The column's name (the CSV header, the NDJSON key).
    #[schema(example = "support_count")]
    pub name: &'static str,
    /// How its values read: `string`, `integer`, `uuid`, `datetime` (RFC 3339, UTC), `date`
    /// (YYYY-MM-DD) or `code` (one of a closed set). An empty CSV cell, or NDJSON `null`, is no value.
    #[schema(
        example = "integer",
        pattern = "^(string|integer|uuid|datetime|date|code)$"
    )]
    pub r#type: &'static str,
    /// What it means, in Korean.
    #[schema(example = "공감 수")]
    pub description_ko: &'static str,
    /// What it means, in English.
    #[schema(example = "Supports")]
    pub description_en: &'static str,
}

/// One file in the dictionary.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileView {
    /// The file.
    pub name: ExportDataset,
    /// Where to download it (add `?format=ndjson` for NDJSON).
    #[schema(example = "/api/v1/exports/proposals")]
    pub path: String,
    /// The encodings it comes in.
    pub formats: Vec<ExportFormat>,
    /// What it holds, in Korean.
    pub description_ko: &'static str,
    /// What it holds, in English.
    pub description_en: &'static str,
    /// Its columns, in order.
    pub columns: Vec<ColumnView>,
}

/// The data dictionary of the open data.
#[derive(Debug, Serialize, ToSchema)]
pub struct DataDictionary {
    /// The licence, in Korean.
    #[schema(example = "공공누리 제1유형 (출처표시)")]
    pub licence_ko: &'static str,
    /// The licence, in English.
    #[schema(
        example = "Korea Open Government License Type 1 (attribution), compatible with CC BY 4.0"
    )]
    pub licence_en: &'static str,
    /// The licence's text.
    #[schema(example = "https://www.kogl.or.kr/info/licenseType1.do")]
    pub licence_url: &'static str,
    /// When the data last changed (RFC 3339, UTC); `null` before anything happened.
    #[schema(value_type = Option<DateTime<Utc>>, required = true)]
    pub updated_at: Option<DateTime<Utc>>,
    /// Every file.
    pub files: Vec<FileView>,
}

fn dataset_name(d: Dataset) -> ExportDataset {
    match d {
        Dataset::Proposals => ExportDataset::Proposals,
        Dataset::Referrals => ExportDataset::Referrals,
        Dataset::Forums => ExportDataset::Forums,
        Dataset::Comments => ExportDataset::Comments,
    }
}

/// The open data's dictionary
///
/// Every file, its columns with their type and meaning in Korean and English, the licence (KOGL Type 1,
/// compatible with CC BY 4.0) and when the data last changed. No file holds personal data. Public;
/// conditional GET with `ETag` / `If-None-Match`.
#[utoipa::path(
    tag = "open data",
    operation_id = "get_data_dictionary",
    responses(
        (status = 200, description = "The dictionary",
            headers(("ETag" = String, description = "The answer's tag, for `If-None-Match`")),
            body = DataDictionary),
        (status = 304, description = "The copy named in `If-None-Match` is current",
            headers(("ETag" = String, description = "The answer's tag"))),
        (status = 400, description = "The query string has parameters (there are none)"),
    )
)]
#[get("/exports")]
pub async fn dictionary(
    req: HttpRequest,
    state: web::Data<AppState>,
    _query: web::Query<crate::routes::stats::NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let updated_at = blocking(move || Ok(state.db.last_change_at()?)).await?;
    let files = Dataset::ALL
        .iter()
        .map(|&d| {
            let (ko, en) = d.description();
            FileView {
                name: dataset_name(d),
                path: format!("/api/v1/exports/{}", d.as_str()),
                formats: vec![ExportFormat::Csv, ExportFormat::Ndjson],
                description_ko: ko,
                description_en: en,
                columns: d
                    .columns()
                    .iter()
                    .map(|c| ColumnView {
                        name: c.name,
                        r#type: c.kind.as_str(),
                        description_ko: c.ko,
                        description_en: c.en,
                    })
                    .collect(),
            }
        })
        .collect();
    let body = DataDictionary {
        licence_ko: LICENCE_KO,
        licence_en: LICENCE_EN,
        licence_url: LICENCE_URL,
        updated_at,
        files,
    };
    conditional::json(&req, &body)
}

/// How to download a file.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `csv` or `ndjson`; without it, `Accept: application/x-ndjson` chooses NDJSON, and anything
    /// else CSV.
    #[param(value_type = Option<ExportFormat>, example = "csv")]
    pub format: Option<String>,
    /// Only rows changed at or after this time (RFC 3339), for incremental pulls: keep the
    /// dictionary's `updated_at` of your last pull.
    #[param(value_type = Option<DateTime<Utc>>, example = "2026-12-01T00:00:00Z")]
    pub since: Option<String>,
}

fn chosen_format(req: &HttpRequest, raw: Option<&str>) -> Result<ExportFormat, ApiError> {
    match raw {
        Some("csv") => Ok(ExportFormat::Csv),
        Some("ndjson") => Ok(ExportFormat::Ndjson),
        Some(_) => Err(ApiError::validation("format", "must be csv or ndjson")),
        None => {
            let accept = req
                .headers()
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            Ok(
                if accept.contains("application/x-ndjson") && !accept.contains("text/csv") {
                    ExportFormat::Ndjson
                } else {
                    ExportFormat::Csv
                },
            )
        }
    }
}

/// One open-data file
///
/// Every row of the file (see `GET /exports` for the columns), streamed: CSV in UTF-8 with a byte
/// order mark and a header row, or NDJSON (one JSON object per line). In CSV, text that begins with
/// `=`, `+`, `-`, `@`, a tab or a carriage return has a leading `'`, so a spreadsheet shows it rather
/// than running it as a formula; NDJSON carries every value as stored. `since` gives only rows changed
/// at or after a time. Public; `ETag` changes whenever anything on the platform changes, and
/// `If-None-Match` with the last one gives `304`.
#[utoipa::path(
    tag = "open data",
    operation_id = "export_dataset",
    params(
        ("dataset" = ExportDataset, Path, description = "The file"),
        ExportQuery,
    ),
    responses(
        (status = 200, description = "The file, streamed",
            headers(
                ("ETag" = String, description = "The file's tag, for `If-None-Match`"),
                ("Content-Disposition" = String, description = "`attachment` with a file name"),
            ),
            content(
                (String = "text/csv"),
                (String = "application/x-ndjson"),
            )),
        (status = 304, description = "The copy named in `If-None-Match` is current",
            headers(("ETag" = String, description = "The file's tag"))),
        (status = 400, description = "The query string is malformed or has unknown parameters"),
        (status = 404, description = "No such file"),
        (status = 422, description = "`format` or `since` is invalid"),
    )
)]
#[get("/exports/{dataset}")]
pub async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let dataset: Dataset = path
        .into_inner()
        .parse()
        .map_err(|_| ApiError::NotFound("no such file; see GET /api/v1/exports".to_owned()))?;
    let format = chosen_format(&req, query.format.as_deref())?;
    let since = match query.since.as_deref() {
        None => None,
        Some(raw) => Some(
            DateTime::parse_from_rfc3339(raw)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| ApiError::validation("since", "must be an RFC 3339 time"))?,
        ),
    };
    // Every change appends to the log: its mark (highest position, number of events) tags the file.
    let (last, events) = {
        let state = state.clone();
        blocking(move || Ok(state.db.change_mark()?)).await?
    };
    let tag = conditional::tag_of(&[
        dataset.as_str().as_bytes(),
        format.extension().as_bytes(),
        since.map(|s| s.to_rfc3339()).unwrap_or_default().as_bytes(),
        &last.to_be_bytes(),
        &events.to_be_bytes(),
    ]);
    if conditional::not_modified(&req, &tag) {
        return Ok(conditional::unchanged(&tag));
    }
    let names: Vec<&'static str> = dataset.columns().iter().map(|c| c.name).collect();
    let stream = futures_util::stream::unfold(Some((0_i64, true)), move |step| {
        let state = state.clone();
        let names = names.clone();
        async move {
            let (after, first) = step?;
            let page =
                blocking(move || Ok(state.db.export_page(dataset, since, after, PAGE)?)).await;
            let rows = match page {
                Ok(rows) => rows,
                Err(e) => {
                    log::error!("export of {} failed: {e}", dataset.as_str());
                    return Some((
                        Err(actix_web::error::ErrorInternalServerError("export failed")),
                        None,
                    ));
                }
            };
            let next = match rows.last() {
                Some(last) if rows.len() as i64 == PAGE => Some((last.seq, false)),
                _ => None,
            };
            if rows.is_empty() && !first {
                return None;
            }
            let chunk = match format {
                ExportFormat::Csv => csv_chunk(&rows, first.then_some(names.as_slice()))
                    .map_err(actix_web::error::ErrorInternalServerError),
                ExportFormat::Ndjson => Ok(ndjson_chunk(&rows, &names)),
            };
            Some((chunk, next))
        }
    });
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header(header::ETag(tag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"ocf-{}.{}\"",
                dataset.as_str(),
                format.extension()
            ),
        ))
        .streaming(stream))
}
