//! The platform's notion of "now": UTC, truncated to microseconds, the precision both SQLite (as stored
//! here) and PostgreSQL keep, so a value reads back exactly as it was written on either backend.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
}
