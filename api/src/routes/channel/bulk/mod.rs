//! `POST /channels/{id}/proposals/bulk`: NDJSON in, NDJSON out. The body is read as a stream, line by
//! line, never whole; valid lines are stored in batches of 1,000, one transaction each, and each line's
//! result is written only once its batch has committed. So a result a partner has read is stored, and a
//! re-send after a cut completes the rest (what was stored comes back `unchanged`).

use std::sync::Arc;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, post, web};
use futures_util::StreamExt;
use ocf_domain::partner::intake::{self, BatchResult, Intake, IntakeOutcome};
use ocf_domain::partner::{ExternalId, KeyClaim, Scope};
use ocf_domain::{RepoError, UseCaseError, clock};
use serde::Serialize;
use sha2::Digest;
use utoipa::ToSchema;

use super::intake::{BulkLine, PartnerProposalRequest, check_record, intake_of};
use super::{idempotency, parse_channel_id};
use crate::auth::Partner;
use crate::error::{ApiError, Problem};
use crate::extract::parse_json;
use crate::state::{AppState, blocking};

mod body;

use body::{Import, Line};

/// The most lines one request may hold.
pub const MAX_LINES: usize = 100_000;
/// The longest line, in bytes.
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// Lines stored per transaction.
const BATCH: usize = 1_000;
const NDJSON: &str = "application/x-ndjson";

/// One line of the answer: what became of one line of the request.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkLineResult {
    /// The line's number in the request, from 1 (empty lines count, and get no result).
    #[schema(example = 1, minimum = 1)]
    pub line: usize,
    /// The line's `external_id`, or `null` when it had none that could be read.
    #[schema(example = "IB-2026-000123", required = true)]
    pub external_id: Option<String>,
    /// `created`, `updated`, `unchanged`, or `error` (then `problem` says why).
    pub status: crate::vocab::BulkLineStatus,
    /// The proposal the record maps to; `null` on an error.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", required = true)]
    pub proposal_id: Option<String>,
    /// Why the line was refused (RFC 9457 problem details); only on an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Problem, nullable = false)]
    pub problem: Option<Problem>,
}

/// A line's `external_id` and the rest of its record.
fn parse_line(
    raw: &[u8],
) -> Result<(ExternalId, PartnerProposalRequest), (Option<String>, ApiError)> {
    let line: BulkLine = parse_json(raw).map_err(|e| (None, e))?;
    let (external, record) = line.split();
    let id = ExternalId::parse(&external).map_err(|e| {
        (
            Some(external.clone()),
            ApiError::validation("external_id", e),
        )
    })?;
    Ok((id, record))
}

fn refused(
    request_id: &str,
    line: usize,
    external_id: Option<String>,
    e: &ApiError,
) -> BulkLineResult {
    let mut problem = e.problem();
    // The batch runs off the request's task: the request's id is carried to it.
    problem.request_id = request_id.to_owned();
    BulkLineResult {
        line,
        external_id,
        status: crate::vocab::BulkLineStatus::Error,
        proposal_id: None,
        problem: Some(problem),
    }
}

/// Checks and stores one batch of lines, and answers each. Blocking.
fn run_batch(
    state: &AppState,
    intake: &Intake,
    rid: &str,
    lines: Vec<Line>,
) -> Vec<BulkLineResult> {
    let mut results: Vec<Option<BulkLineResult>> = Vec::with_capacity(lines.len());
    let mut valid = Vec::new();
    let mut records = Vec::new();
    for line in lines {
        match line {
            Line::Refused(n, e) => results.push(Some(refused(rid, n, None, &e))),
            Line::Text(n, raw) => match parse_line(&raw) {
                Err((external, e)) => results.push(Some(refused(rid, n, external, &e))),
                Ok((id, body)) => match check_record(state, id.clone(), &body) {
                    Err(e) => results.push(Some(refused(rid, n, Some(id.as_str().to_owned()), &e))),
                    Ok(record) => {
                        valid.push((results.len(), n, id.as_str().to_owned()));
                        records.push(record);
                        results.push(None);
                    }
                },
            },
        }
    }
    match store(state, intake, records) {
        Ok(outcomes) => {
            for ((slot, n, external), outcome) in valid.into_iter().zip(outcomes) {
                results[slot] = Some(match outcome {
                    Ok((outcome, proposal)) => BulkLineResult {
                        line: n,
                        external_id: Some(external),
                        status: match outcome {
                            IntakeOutcome::Created => crate::vocab::BulkLineStatus::Created,
                            IntakeOutcome::Updated => crate::vocab::BulkLineStatus::Updated,
                            IntakeOutcome::Unchanged => crate::vocab::BulkLineStatus::Unchanged,
                        },
                        proposal_id: Some(proposal.to_string()),
                        problem: None,
                    },
                    Err(e) => refused(rid, n, Some(external), &ApiError::from(e)),
                });
            }
        }
        Err(e) => {
            for (slot, n, external) in valid {
                results[slot] = Some(refused(rid, n, Some(external), &e));
            }
        }
    }
    results.into_iter().flatten().collect()
}

/// Stores a batch in one transaction, once more if a concurrent import stored one of its records first.
fn store(
    state: &AppState,
    intake: &Intake,
    records: Vec<ocf_domain::partner::intake::PartnerRecord>,
) -> Result<Vec<BatchResult>, ApiError> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let again = records.clone();
    match state
        .db
        .transact(|uow| intake::upsert_batch(uow, intake, records, clock::now()))
    {
        Err(UseCaseError::Repo(RepoError::Duplicate { .. })) => state
            .db
            .transact(|uow| intake::upsert_batch(uow, intake, again, clock::now()))
            .map_err(ApiError::from),
        other => other.map_err(ApiError::from),
    }
}

fn ndjson(results: &[BulkLineResult]) -> Bytes {
    let mut out = Vec::with_capacity(results.len() * 120);
    for r in results {
        if serde_json::to_writer(&mut out, r).is_ok() {
            out.push(b'\n');
        }
    }
    Bytes::from(out)
}

/// Import partner proposals in bulk
///
/// `application/x-ndjson`: one partner record per line, the `PUT` body plus its `external_id`, at most
/// 100,000 lines of at most 64 KiB each. The body is read as a stream and stored in batches of 1,000,
/// each in one transaction. The answer, `200` with NDJSON, has one result per non-empty line, in order:
/// `created`, `updated`, `unchanged`, or `error` with a problem (a line past the 100,000th is refused
/// with `payload_too_large` and ends the import). A result is written only after its batch committed,
/// so every result read is stored; re-sending the same lines creates nothing twice. With an
/// `Idempotency-Key`, a retry replays the first answer exactly. The import counts as one request of the
/// channel's quota. Needs a machine token of this channel with `proposals:write`.
#[utoipa::path(
    tag = "partners",
    operation_id = "import_partner_proposals",
    security(("partner" = ["proposals:write"])),
    params(
        ("id" = String, Path, format = Uuid, description = "The channel's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe (IETF httpapi draft): the same key with the same body replays the stored answer (`Idempotent-Replayed: true`), with another body is `422 idempotency_key_reused`, and while the first is still running is `409 idempotency_key_in_use`. 1-255 printable ASCII characters, optionally quoted; kept 24 hours per channel.", max_length = 257, example = "\"8e03978e-40d5-43e8-bc93-6894a57f9324\""),
    ),
    request_body(content = BulkLine, content_type = "application/x-ndjson",
        description = "One JSON object per line: the record of `PUT /channels/{id}/proposals/{external_id}` with its `external_id` (string, 1-128 characters) added"),
    responses(
        (status = 200, description = "One result per non-empty line, as NDJSON, written batch by batch", content_type = "application/x-ndjson", body = BulkLineResult,
            headers(("Idempotent-Replayed" = String, description = "`true` when this is the stored answer of an earlier import with the same `Idempotency-Key`"))),
        (status = 401, description = "No valid machine token"),
        (status = 403, description = "Another channel's token (`wrong_channel`), no `proposals:write` (`insufficient_scope`), or the channel is suspended (`channel_suspended`)"),
        (status = 404, description = "No such channel"),
        (status = 400, description = "The `Idempotency-Key` is malformed (`invalid_header`)"),
        (status = 409, description = "A request with this `Idempotency-Key` is still running (`idempotency_key_in_use`)"),
        (status = 415, description = "The body is not NDJSON (`unsupported_media_type`)"),
        (status = 422, description = "This `Idempotency-Key` was used for a different request (`idempotency_key_reused`)"),
    )
)]
#[post("/channels/{id}/proposals/bulk")]
pub async fn import(
    partner: Partner,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let channel_id = parse_channel_id(&path)?;
    partner.require(channel_id, Scope::ProposalsWrite)?;
    let is_ndjson = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(NDJSON));
    if !is_ndjson {
        return Err(ApiError::UnsupportedMediaType(
            "the body must be NDJSON (Content-Type: application/x-ndjson)".to_owned(),
        ));
    }
    let s = state.clone();
    let intake = Arc::new(blocking(move || intake_of(&s, channel_id)).await?);
    let key = idempotency::key_of(&req)?;
    let mut hasher = idempotency::start_hash(&req);
    if let Some(key) = &key {
        let (s, k) = (state.clone(), key.clone());
        let claim = blocking(move || idempotency::claim(&s, channel_id, &k, None, clock::now()));
        match claim.await? {
            KeyClaim::Claimed => {}
            KeyClaim::InFlight => return Err(idempotency::in_flight()),
            KeyClaim::Done(stored) => {
                // The same request? Only its whole body tells (read, hashed, not kept).
                let mut payload = payload;
                while let Some(chunk) = payload.next().await {
                    let chunk = chunk.map_err(|e| {
                        ApiError::MalformedJson(format!("the body could not be read: {e}"))
                    })?;
                    hasher.update(&chunk);
                }
                return idempotency::replay(&stored, &idempotency::finish_hash(hasher));
            }
        }
    }
    let import = Import::new(payload, state, intake, key, hasher);
    let body = futures_util::stream::unfold(import, |mut import| async move {
        if !import.finished {
            let lines = import.next_lines().await;
            if !lines.is_empty() {
                let (state, intake) = (import.state.clone(), import.intake.clone());
                let rid = import.request_id.clone();
                let results = blocking(move || Ok(run_batch(&state, &intake, &rid, lines))).await;
                let chunk = match results {
                    Ok(results) => {
                        let bytes = ndjson(&results);
                        if import.key.is_some() {
                            import.answer.extend_from_slice(&bytes);
                        }
                        Ok(bytes)
                    }
                    Err(e) => {
                        import.failed = true;
                        Err(actix_web::Error::from(e))
                    }
                };
                return Some((chunk, import));
            }
        }
        import.complete().await;
        None
    });
    Ok(HttpResponse::Ok().content_type(NDJSON).streaming(body))
}
