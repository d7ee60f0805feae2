//! What the Open311 view answers: GeoReport v2's objects, field for field.

use serde::Serialize;
use utoipa::ToSchema;

/// A GeoReport error.
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Error {
    /// The HTTP status, as a number.
    #[schema(example = 404)]
    pub code: u16,
    /// What went wrong, in words.
    #[schema(example = "no referred proposal with this id")]
    pub description: String,
}

/// One service: a policy area.
#[derive(Debug, Serialize, ToSchema)]
pub struct Service {
    /// The policy area's code.
    #[schema(example = "transport-logistics")]
    pub service_code: String,
    /// Its Korean name.
    #[schema(example = "교통 및 물류")]
    pub service_name: String,
    /// Its English name.
    #[schema(example = "Transport and logistics")]
    pub description: String,
    /// Always `false`: requests are not created here, so there are no attributes.
    #[schema(example = false)]
    pub metadata: bool,
    /// Always `batch`: statuses follow official documents, not a real-time queue.
    #[schema(example = "batch")]
    pub r#type: String,
    /// The codes and names, comma-separated.
    #[schema(example = "transport-logistics,교통 및 물류")]
    pub keywords: String,
    /// Always `policy_area`.
    #[schema(example = "policy_area")]
    pub group: String,
}

/// One service request: a referred proposal and where its latest referral stands. Every GeoReport
/// field is present; those OCF has no value for are `null`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Request {
    /// The proposal's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub service_request_id: String,
    /// `open` while the referral awaits an answer or implementation; `closed` once implemented or
    /// not accepted.
    #[schema(example = "open", pattern = "^(open|closed)$")]
    pub status: String,
    /// The latest step, in words, with the referral's document number.
    #[schema(example = "국토교통부이(가) 접수하여 검토 중입니다 (OCF-2026-000001)")]
    pub status_notes: String,
    /// The policy area's Korean name.
    #[schema(example = "교통 및 물류")]
    pub service_name: String,
    /// The policy area's code.
    #[schema(example = "transport-logistics")]
    pub service_code: String,
    /// The proposal's title, a blank line, and its text.
    #[schema(example = "심야 버스를 늘려 주세요\n\n심야 시간대 버스 배차를 늘려 주세요.")]
    pub description: String,
    /// The organization that holds the referral now (Korean name).
    #[schema(example = "국토교통부")]
    pub agency_responsible: String,
    /// Always `null`.
    #[schema(value_type = Option<String>, required = true)]
    pub service_notice: Option<String>,
    /// When the proposal was submitted (W3C datetime, Korea Standard Time).
    #[schema(example = "2026-12-02T18:30:00+09:00")]
    pub requested_datetime: String,
    /// When the proposal or its referral last changed.
    #[schema(example = "2026-12-03T09:00:00+09:00")]
    pub updated_datetime: String,
    /// When the next step is due: the answer's deadline, then an accepted answer's expected
    /// completion; `null` once closed.
    #[schema(value_type = Option<String>, example = "2027-01-01T23:59:59+09:00", required = true)]
    pub expected_datetime: Option<String>,
    /// The proposal's region code; `null` when it has none.
    #[schema(value_type = Option<String>, example = "seoul", required = true)]
    pub address: Option<String>,
    /// Always `null`.
    #[schema(value_type = Option<String>, required = true)]
    pub address_id: Option<String>,
    /// Always `null`.
    #[schema(value_type = Option<String>, required = true)]
    pub zipcode: Option<String>,
    /// Always `null`: proposals have no coordinates.
    #[schema(value_type = Option<f64>, required = true)]
    pub lat: Option<f64>,
    /// Always `null`.
    #[schema(value_type = Option<f64>, required = true)]
    pub long: Option<f64>,
    /// Always `null`.
    #[schema(value_type = Option<String>, required = true)]
    pub media_url: Option<String>,
}
