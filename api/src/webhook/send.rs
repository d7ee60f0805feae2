//! One attempt: POST the stored body with the Standard Webhooks headers, 15 s at most, and read what the
//! receiver said.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use ocf_domain::webhook::{AttemptOutcome, Delivery, Endpoint};

use super::{sign, target};

/// How long one attempt may take, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(15);
/// Redirects followed at most (each checked like the first target).
const MAX_REDIRECTS: usize = 5;

/// How webhooks are sent.
#[derive(Debug, Clone, Copy)]
pub struct WebhookSettings {
    /// `WEBHOOK_ALLOW_PRIVATE_TARGETS`: allow loopback and private addresses (tests, closed networks).
    pub allow_private_targets: bool,
    /// `WEBHOOK_RETRY_SCALE`: the retry schedule's time scale (1.0; tests shorten it).
    pub retry_scale: f64,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            allow_private_targets: false,
            retry_scale: 1.0,
        }
    }
}

/// The HTTP client deliveries go out through.
#[derive(Debug, Clone)]
pub struct Sender {
    client: reqwest::Client,
    pub settings: WebhookSettings,
}

impl Sender {
    /// # Errors
    /// When the TLS backend cannot start.
    pub fn new(settings: WebhookSettings) -> Result<Self, String> {
        let allow = settings.allow_private_targets;
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.error("too many redirects")
            } else if target::url_allowed(attempt.url(), allow) {
                attempt.follow()
            } else {
                attempt.error("a redirect to a private address")
            }
        });
        let mut builder = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(redirects)
            .no_proxy()
            .user_agent(concat!("ocf-webhooks/", env!("CARGO_PKG_VERSION")));
        if !allow {
            builder = builder.dns_resolver(Arc::new(target::PublicOnly));
        }
        Ok(Self {
            client: builder.build().map_err(|e| e.to_string())?,
            settings,
        })
    }

    /// Sends one attempt of `delivery` to `endpoint`.
    pub async fn attempt(
        &self,
        delivery: &Delivery,
        endpoint: &Endpoint,
        now: DateTime<Utc>,
    ) -> AttemptOutcome {
        let failed = |error: String| AttemptOutcome::Failed {
            status: None,
            retry_after: None,
            error,
        };
        let url = match reqwest::Url::parse(&endpoint.url) {
            Ok(u) => u,
            Err(e) => return failed(format!("the URL is invalid: {e}")),
        };
        if !target::url_allowed(&url, self.settings.allow_private_targets) {
            return failed("the URL's address is not public".to_owned());
        }
        let timestamp = now.timestamp();
        let signature = sign::signature(
            &endpoint.signing_secrets(now),
            &delivery.id,
            timestamp,
            &delivery.body,
        );
        let sent = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &delivery.id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(delivery.body.clone())
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                let why = if e.is_timeout() {
                    "no answer within 15 s".to_owned()
                } else {
                    let mut msg = e.to_string();
                    let mut source = std::error::Error::source(&e);
                    while let Some(s) = source {
                        msg = format!("{msg}: {s}");
                        source = s.source();
                    }
                    msg
                };
                return failed(why);
            }
        };
        let status = response.status().as_u16();
        if response.status().is_success() {
            return AttemptOutcome::Delivered { status };
        }
        if status == 410 {
            return AttemptOutcome::Gone;
        }
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        AttemptOutcome::Failed {
            status: Some(status),
            retry_after,
            error: format!("the endpoint answered {status}"),
        }
    }
}
