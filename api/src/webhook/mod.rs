//! Sending webhooks: Standard Webhooks signatures (`sign`), targets that may be reached (`target`: no
//! loopback, link-local or private addresses after DNS and on every redirect, unless
//! `WEBHOOK_ALLOW_PRIVATE_TARGETS=true`), and one attempt (`send`).

mod send;
pub mod sign;
pub mod target;

pub use send::{Sender, WebhookSettings};
