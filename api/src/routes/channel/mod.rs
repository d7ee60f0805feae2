//! Partner channels: admin registration and credentials (`admin`, `credentials`), and the partner
//! machines' intake and status reads (`intake`).

use ocf_domain::Id;
use ocf_domain::partner::{ChannelId, ChannelRepository, PartnerChannel};

use crate::error::ApiError;
use crate::state::AppState;

pub mod admin;
pub mod bulk;
pub mod credentials;
pub mod deliveries;
pub mod dto;
pub mod flags;
pub mod idempotency;
pub mod intake;
pub mod intake_dto;
pub mod links;
pub mod webhook_dto;
pub mod webhooks;

pub use dto::ChannelPresenceView;

fn parse_channel_id(raw: &str) -> Result<ChannelId, ApiError> {
    Id::parse(raw).map_err(|_| ApiError::NotFound("channel not found".to_owned()))
}

/// The channel, or `404`. Blocking.
fn load_channel(state: &AppState, id: ChannelId) -> Result<PartnerChannel, ApiError> {
    state
        .db
        .channel(id)?
        .ok_or_else(|| ApiError::NotFound("channel not found".to_owned()))
}

/// Registers the channel routes.
pub fn configure<S>(scope: utoipa_actix_web::scope::Scope<S>) -> utoipa_actix_web::scope::Scope<S>
where
    S: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Error = actix_web::Error,
            InitError = (),
        >,
{
    scope
        .service(admin::list_channels)
        .service(admin::create_channel)
        .service(admin::get_channel)
        .service(admin::update_channel)
        .service(credentials::create_credential)
        .service(credentials::list_credentials)
        .service(credentials::get_credential)
        .service(credentials::rotate_credential)
        .service(credentials::revoke_credential)
        // Before the record routes: `bulk` is a reserved external id.
        .service(bulk::import)
        .service(intake::put_record)
        .service(intake::get_record)
        .service(webhooks::list_webhooks)
        .service(webhooks::create_webhook)
        .service(webhooks::update_webhook)
        .service(webhooks::delete_webhook)
        .service(deliveries::list_deliveries)
        .service(deliveries::redeliver)
        .service(links::link_record)
        .service(flags::list_flags)
        .service(super::oauth::token)
}
