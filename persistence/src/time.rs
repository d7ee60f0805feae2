//! Timestamps are stored as UTC `TIMESTAMP` on both backends (the MultiConnection enum has no Timestamptz).

//! Both keep microseconds (PostgreSQL's precision), so a time read back, and a keyset cursor built from
//! it, compares equal to what was stored.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};

pub(crate) fn to_db(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc().trunc_subsecs(6)
}

pub(crate) fn from_db(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}
