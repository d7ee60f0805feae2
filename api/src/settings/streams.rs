//! The settings of live streams (`GET /forums/{id}/events`).

use std::time::Duration;

use super::{ConfigError, parse_num};

/// The limits of live streams on one instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamSettings {
    /// Open streams this instance holds; past it a new one gets `503` with `Retry-After`.
    pub max_open: usize,
    /// Deliveries (one per batch window) queued for one viewer; a viewer that falls this far behind is
    /// dropped (and resumes).
    pub buffer: usize,
    /// The most events a resume replays; a viewer further behind gets `reset` and reloads.
    pub replay_max: i64,
    /// How often an idle stream sends a heartbeat comment.
    pub heartbeat: Duration,
    /// The reconnection delay the stream tells clients (`retry:`).
    pub retry: Duration,
    /// How often the streams read the log even without a notification (a safety net: a commit wakes them
    /// at once).
    pub safety_poll: Duration,
    /// The shortest time between two deliveries: events committed within it reach each viewer together,
    /// in one write (it bounds the wake-ups and writes per viewer; it adds at most this much delay).
    pub batch: Duration,
}

impl Default for StreamSettings {
    fn default() -> Self {
        Self {
            max_open: 20_000,
            buffer: 256,
            replay_max: 1_000,
            heartbeat: Duration::from_secs(15),
            retry: Duration::from_secs(3),
            safety_poll: Duration::from_secs(2),
            batch: Duration::from_millis(100),
        }
    }
}

impl StreamSettings {
    /// Reads the `STREAM*` variables through `get`, with these defaults.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first variable that is invalid.
    pub(super) fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let d = Self::default();
        let millis = |name: &'static str, default: Duration, range| {
            let default = u64::try_from(default.as_millis()).unwrap_or(u64::MAX);
            parse_num(get, name, default, range).map(Duration::from_millis)
        };
        Ok(Self {
            max_open: parse_num(get, "STREAMS_MAX_OPEN", d.max_open, 1..=1_000_000)?,
            buffer: parse_num(get, "STREAM_BUFFER_BATCHES", d.buffer, 8..=65_536)?,
            replay_max: parse_num(get, "STREAM_REPLAY_MAX", d.replay_max, 0..=100_000)?,
            heartbeat: parse_num(
                get,
                "STREAM_HEARTBEAT_SECONDS",
                d.heartbeat.as_secs(),
                1..=300,
            )
            .map(Duration::from_secs)?,
            retry: millis("STREAM_RETRY_MS", d.retry, 100..=600_000)?,
            safety_poll: millis("STREAM_POLL_MS", d.safety_poll, 100..=600_000)?,
            batch: millis("STREAM_BATCH_MS", d.batch, 0..=5_000)?,
        })
    }
}
