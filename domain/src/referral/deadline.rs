//! Deadlines in Korean time. A referral is due at the end of a day in Asia/Seoul, whatever the server's
//! time zone: `2026-12-31` means until 23:59:59.999999 KST on that day. Korea has kept UTC+9 all year
//! since 1988 (no daylight saving), so a fixed offset is exact for every date a referral can have, and
//! no time-zone database is needed.

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, TimeDelta, Utc};

/// The People's Proposal Regulation's one-month review: the default time to answer, in days.
pub const DEFAULT_DAYS: u64 = 30;
/// The furthest a due date may be set when referring: 90 days ahead.
pub const MAX_DAYS: u64 = 90;
/// An extension adds at most this many days to the current due date.
pub const MAX_EXTENSION_DAYS: u64 = 30;

const SEOUL_OFFSET_SECONDS: i32 = 9 * 3600;

/// Korea Standard Time, UTC+9 (9 hours is within the ±24 hours `FixedOffset` accepts).
const KST: FixedOffset = match FixedOffset::east_opt(SEOUL_OFFSET_SECONDS) {
    Some(o) => o,
    None => panic!("UTC+9 is a valid offset"),
};

fn seoul() -> FixedOffset {
    KST
}

/// The calendar day in Seoul at `t`.
pub fn seoul_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&seoul()).date_naive()
}

/// The year of `t` in Seoul (the document number's year).
pub fn seoul_year(t: DateTime<Utc>) -> i32 {
    seoul_date(t).year()
}

/// The last instant of `day` in Seoul, in UTC: 23:59:59.999999 KST (14:59:59.999999Z).
pub fn end_of_day(day: NaiveDate) -> DateTime<Utc> {
    let next = day.checked_add_days(Days::new(1)).unwrap_or(day);
    let midnight = next.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
        - TimeDelta::seconds(i64::from(SEOUL_OFFSET_SECONDS));
    midnight - TimeDelta::microseconds(1)
}

/// The first instant of `day` in Seoul, in UTC (15:00Z the day before).
pub fn seoul_midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
        - TimeDelta::seconds(i64::from(SEOUL_OFFSET_SECONDS))
}

/// The day `days` after `t`'s day in Seoul.
pub fn days_after(t: DateTime<Utc>, days: u64) -> NaiveDate {
    let today = seoul_date(t);
    today.checked_add_days(Days::new(days)).unwrap_or(today)
}

/// The default due date of a referral sent (or transferred) at `now`: 30 days on, end of day in Seoul.
pub fn default_due(now: DateTime<Utc>) -> DateTime<Utc> {
    end_of_day(days_after(now, DEFAULT_DAYS))
}

/// A due date asked for when referring: after today in Seoul and at most [`MAX_DAYS`] ahead.
///
/// # Errors
/// A message saying which bound it broke.
pub fn check_requested(day: NaiveDate, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let today = seoul_date(now);
    if day <= today {
        return Err(format!("must be after today in Asia/Seoul ({today})"));
    }
    let latest = days_after(now, MAX_DAYS);
    if day > latest {
        return Err(format!("must be at most {MAX_DAYS} days ahead ({latest})"));
    }
    Ok(end_of_day(day))
}

/// A new due date for an extension: after the current one, and at most [`MAX_EXTENSION_DAYS`] later.
///
/// # Errors
/// A message saying which bound it broke.
pub fn check_extension(day: NaiveDate, current: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let due = seoul_date(current);
    if day <= due {
        return Err(format!("must be after the current due date ({due})"));
    }
    let latest = due
        .checked_add_days(Days::new(MAX_EXTENSION_DAYS))
        .unwrap_or(due);
    if day > latest {
        return Err(format!(
            "may add at most {MAX_EXTENSION_DAYS} days to the current due date ({latest})"
        ));
    }
    Ok(end_of_day(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn a_day_ends_at_midnight_in_seoul() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        assert_eq!(end_of_day(day), at("2026-12-31T14:59:59.999999Z"));
    }

    #[test]
    fn the_default_counts_from_the_day_in_seoul() {
        // 23:30 UTC on 30 November is already 1 December in Seoul.
        assert_eq!(
            default_due(at("2026-11-30T23:30:00Z")),
            at("2026-12-31T14:59:59.999999Z")
        );
        // 14:59 UTC on 30 November is still 30 November in Seoul.
        assert_eq!(
            default_due(at("2026-11-30T14:59:00Z")),
            at("2026-12-30T14:59:59.999999Z")
        );
        assert_eq!(seoul_year(at("2026-12-31T15:00:00Z")), 2027);
    }

    #[test]
    fn requested_and_extended_dates_are_bounded() {
        let now = at("2026-12-01T03:00:00Z");
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        assert!(check_requested(d(12, 1), now).is_err());
        assert!(check_requested(d(12, 2), now).is_ok());
        let current = end_of_day(d(12, 31));
        assert!(check_extension(d(12, 31), current).is_err());
        assert!(
            check_extension(
                NaiveDate::from_ymd_opt(2027, 1, 30).unwrap_or_default(),
                current
            )
            .is_ok()
        );
        assert!(
            check_extension(
                NaiveDate::from_ymd_opt(2027, 1, 31).unwrap_or_default(),
                current
            )
            .is_err()
        );
    }
}
