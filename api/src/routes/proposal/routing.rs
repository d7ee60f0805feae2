//! `GET /proposals/{id}/suggested-organizations`: which organizations the ledger suggests for a proposal,
//! with a score and the terms that drove it (`ocf_domain::routing`, learned by `jobs::routing`).

use actix_web::{get, web};
use ocf_domain::ports::{OrganizationRepository, RoutingStore};
use ocf_domain::routing::{self, document_terms};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{parse_id, visible};
use crate::auth::Staff;
use crate::error::ApiError;
use crate::state::{AppState, blocking};

/// How many suggestions at most (default 5).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SuggestionsQuery {
    /// 1-20 (default 5).
    #[param(example = 5, minimum = 1, maximum = 20)]
    pub limit: Option<u32>,
}

/// One suggested organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionView {
    /// The organization's id (for `POST /referrals`).
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub organization_id: String,
    /// The organization's code.
    #[schema(example = "MOLIT")]
    pub code: String,
    /// Its Korean name.
    #[schema(example = "국토교통부")]
    pub name_ko: String,
    /// Its English name.
    #[schema(example = "Ministry of Land, Infrastructure and Transport")]
    pub name_en: String,
    /// The model's probability that this organization is the competent one, 0-1; the suggestions'
    /// scores sum to at most 1.
    #[schema(example = 0.82, minimum = 0.0, maximum = 1.0)]
    pub score: f64,
    /// Up to 5 terms of the proposal (Korean as two-syllable pieces) that most favour this organization
    /// over the others, best first.
    #[schema(example = json!(["주차", "차장", "공영"]))]
    pub terms: Vec<String>,
}

/// The suggestions, best first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionsView {
    /// Best first.
    pub items: Vec<SuggestionView>,
    /// How many kept referrals (answered by the organization they were sent or transferred to) the
    /// model has learned from; with none, there are no suggestions.
    #[schema(example = 1718, minimum = 0)]
    pub learned_referrals: i64,
}

/// Suggest competent organizations for a proposal
///
/// Moderators and admins, before referring. Ranks organizations by what was referred to them before:
/// naive Bayes over the terms of past proposals whose referrals the organization answered (not the ones
/// it transferred away), learned off the request path as answers come in. Each suggestion has a score
/// and the terms that drove it.
#[utoipa::path(
    tag = "referrals",
    operation_id = "suggest_organizations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The proposal's id"), SuggestionsQuery),
    responses(
        (status = 200, description = "The suggestions, best first (none before any referral was answered)", body = SuggestionsView),
        (status = 400, description = "The query string is malformed"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "Not a moderator or an admin"),
        (status = 404, description = "No such proposal"),
        (status = 422, description = "`limit` is invalid"),
    )
)]
#[get("/proposals/{id}/suggested-organizations")]
pub async fn suggested_organizations(
    state: web::Data<AppState>,
    caller: Staff,
    id: web::Path<String>,
    query: web::Query<SuggestionsQuery>,
) -> Result<web::Json<SuggestionsView>, ApiError> {
    let id = parse_id(&id)?;
    let limit = match query.limit {
        None => 5,
        Some(l @ 1..=20) => l as usize,
        Some(_) => return Err(ApiError::validation("limit", "must be between 1 and 20")),
    };
    let view = blocking(move || {
        let p = visible(&state, id, Some(&caller.0))?;
        let tags: Vec<String> = p.tags().iter().map(|t| t.as_str().to_owned()).collect();
        let terms = document_terms(p.title().as_str(), p.body().as_str(), &tags);
        let (stats, vocabulary) = state.db.routing_stats(&terms)?;
        let learned_referrals = stats.iter().map(|s| s.documents).sum();
        let mut items = Vec::new();
        for s in routing::rank(&terms, &stats, vocabulary, limit) {
            let Some(org) = state.db.organization(s.organization)? else {
                continue;
            };
            items.push(SuggestionView {
                organization_id: org.id.to_string(),
                code: org.code.as_str().to_owned(),
                name_ko: org.name_ko.as_str().to_owned(),
                name_en: org.name_en.as_str().to_owned(),
                score: s.score,
                terms: s.terms,
            });
        }
        Ok(SuggestionsView {
            items,
            learned_referrals,
        })
    })
    .await?;
    Ok(web::Json(view))
}
