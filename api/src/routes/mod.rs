//! HTTP handlers, one module per area. Handlers are thin: extract, convert to domain types, call the
//! repository off the async workers, map to a response DTO.

pub mod accounts;
pub mod admin;
pub mod channel;
pub mod comment;
pub mod common;
pub mod exports;
pub mod follow;
pub mod forum;
pub mod health;
pub mod moderation;
pub mod notification;
pub mod oauth;
pub mod open311;
pub mod proposal;
pub mod reference;
pub mod referral;
pub mod reports;
pub mod stats;
pub mod topic;

use ocf_domain::account::User;
use serde::Serialize;
use utoipa::ToSchema;

/// An account as its owner and admins see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    /// The account's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// The sign-in email, lower-cased.
    #[schema(example = "kim.minji@example.kr")]
    pub email: String,
    /// The public name shown next to contributions.
    #[schema(example = "김민지")]
    pub display_name: String,
    /// What the account may do; never empty.
    #[schema(example = json!(["citizen"]), min_items = 1)]
    pub roles: Vec<crate::vocab::Role>,
    /// For officials, the organization (ministry or agency) they act for; otherwise `null`.
    #[schema(example = json!(null), required = true)]
    pub organization_id: Option<String>,
    /// When the account was created (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When the account last changed (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        Self {
            id: u.id.to_string(),
            email: u.email.as_str().to_owned(),
            display_name: u.display_name.as_str().to_owned(),
            roles: u.roles.iter().map(crate::vocab::Role::from).collect(),
            organization_id: u.organization_id.map(|o| o.to_string()),
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// Registers every route with its OpenAPI entry, once.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(health::healthz).service(health::readyz);
    let api = utoipa_actix_web::scope::scope("/api/v1")
        .service(accounts::register)
        .service(accounts::login)
        .service(accounts::refresh)
        .service(accounts::logout)
        .service(accounts::get_me)
        .service(accounts::update_me)
        .service(admin::list_users)
        .service(admin::update_user)
        .service(reference::list_organizations)
        .service(reference::create_organization)
        .service(reference::get_organization)
        .service(reference::update_organization)
        .service(reference::list_policy_areas)
        .service(reference::create_policy_area);
    let api = proposal::configure(api);
    let api = topic::configure(api);
    let api = channel::configure(api);
    let api = forum::configure(api);
    let api = comment::configure(api);
    let api = moderation::configure(api)
        .service(stats::get_funnel)
        .service(stats::get_organization_stats)
        .service(stats::get_forum_stats)
        .service(reports::get_annual_report)
        .service(exports::dictionary)
        .service(exports::export);
    let api = referral::configure(api)
        .service(follow::follow_proposal)
        .service(follow::unfollow_proposal)
        .service(follow::follow_topic)
        .service(follow::unfollow_topic)
        .service(follow::follow_forum_updates)
        .service(follow::unfollow_forum_updates)
        .service(notification::list)
        .service(notification::unread_count)
        .service(notification::mark_read);
    cfg.service(api);
    cfg.service(
        utoipa_actix_web::scope::scope("/open311/v2")
            .service(open311::services)
            .service(open311::requests)
            .service(open311::request),
    );
}
