//! The settings of webhook deliveries (`WEBHOOK_*`).

use super::{ConfigError, err};
use crate::webhook::WebhookSettings;

/// Reads `WEBHOOK_ALLOW_PRIVATE_TARGETS` (default false) and `WEBHOOK_RETRY_SCALE` (default 1) through
/// `get`.
///
/// # Errors
/// [`ConfigError`] naming the first variable that is invalid.
pub(super) fn from_lookup(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<WebhookSettings, ConfigError> {
    let allow_private_targets = match get("WEBHOOK_ALLOW_PRIVATE_TARGETS").as_deref() {
        None | Some("false" | "0") => false,
        Some("true" | "1") => true,
        Some(_) => {
            return Err(err(
                "WEBHOOK_ALLOW_PRIVATE_TARGETS",
                "must be true or false",
            ));
        }
    };
    let retry_scale = match get("WEBHOOK_RETRY_SCALE") {
        None => 1.0,
        Some(v) => v
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|s| (0.0001..=1.0).contains(s))
            .ok_or_else(|| err("WEBHOOK_RETRY_SCALE", "must be a number from 0.0001 to 1"))?,
    };
    Ok(WebhookSettings {
        allow_private_targets,
        retry_scale,
    })
}
