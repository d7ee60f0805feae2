//! The funnel reader's projection (`funnel_journeys`, one journey per proposal with its filter
//! columns) and the funnel's read: the projection narrowed by the filter, with the journeys the log
//! changed after the reader's cursor computed afresh, so the answer is as of now and costs an index
//! range, not a walk of the log.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use ocf_domain::RepoError;
use ocf_domain::event::LogCursor;
use ocf_domain::stats::{
    FUNNEL_READER, FunnelFilter, FunnelProjection, FunnelRows, Journey, Period,
};

use super::journeys::{CHUNK, journeys_of};
use crate::bulk::{insert_rows, lit, opt, ts};
use crate::db::{Backend, Database, DbConnection};
use crate::error::TxError;
use crate::referral::parsed;
use crate::schema::{funnel_journeys as fj, log_readers, proposals, referral_hops, referrals};
use crate::time::{from_db, to_db};

/// `$table`'s rows that `$f` selects, as a boxed query to narrow further. `$table` has the
/// proposals' filter columns under their names; `$id` and `$at` are its proposal id and submission
/// time.
macro_rules! narrowed {
    ($table:ident, $id:ident, $at:ident, $f:expr) => {{
        let f: &FunnelFilter = $f;
        let mut q = $table::table.into_boxed();
        let (start, end) = Period {
            from: f.from,
            to: f.to,
        }
        .bounds();
        if let Some(start) = start {
            q = q.filter($table::$at.ge(to_db(start)));
        }
        if let Some(end) = end {
            q = q.filter($table::$at.lt(to_db(end)));
        }
        if let Some(c) = &f.channel {
            q = q.filter($table::channel.eq(c.clone()));
        }
        if let Some(a) = f.policy_area_id {
            q = q.filter($table::policy_area_id.eq(a.to_string()));
        }
        if let Some(r) = f.region {
            q = q.filter($table::region.eq(r.as_str()));
        }
        if let Some(t) = f.topic_id {
            q = q.filter($table::topic_id.eq(t.to_string()));
        }
        if let Some(forum) = f.forum_id {
            q = q.filter($table::forum_id.eq(forum.to_string()));
        }
        if let Some(org) = f.organization_id {
            // Referred to the organization at any step: sent there, or transferred there.
            let hops = referral_hops::table
                .filter(referral_hops::organization_id.eq(org.to_string()))
                .select(referral_hops::referral_id);
            q = q.filter(
                $table::$id.eq_any(
                    referrals::table
                        .filter(referrals::subject_kind.eq("proposal"))
                        .filter(referrals::id.eq_any(hops))
                        .select(referrals::subject_id),
                ),
            );
        }
        q
    }};
}

/// A projected journey: the proposal id and its stages.
type Projected = (
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<String>,
    Option<NaiveDateTime>,
);

const STAGES: (
    fj::proposal_id,
    fj::collected_at,
    fj::reviewed_at,
    fj::selected_at,
    fj::rejected_at,
    fj::merged_at,
    fj::referred_at,
    fj::answered_at,
    fj::decision,
    fj::implemented_at,
) = (
    fj::proposal_id,
    fj::collected_at,
    fj::reviewed_at,
    fj::selected_at,
    fj::rejected_at,
    fj::merged_at,
    fj::referred_at,
    fj::answered_at,
    fj::decision,
    fj::implemented_at,
);

fn journey(row: Projected) -> Result<(String, Journey), TxError> {
    let (id, collected, reviewed, selected, rejected, merged, referred, answered, decision, done) =
        row;
    let journey = Journey {
        collected_at: from_db(collected),
        reviewed_at: reviewed.map(from_db),
        selected_at: selected.map(from_db),
        rejected_at: rejected.map(from_db),
        merged_at: merged.map(from_db),
        referred_at: referred.map(from_db),
        answered_at: answered.map(from_db),
        decision: decision
            .as_deref()
            .map(|d| parsed(d, "decision"))
            .transpose()?,
        implemented_at: done.map(from_db),
    };
    Ok((id, journey))
}

/// A proposal id the log named.
#[derive(QueryableByName)]
struct Named {
    #[diesel(sql_type = Text)]
    id: String,
}

/// The proposals whose journey the log may have changed after `cursor`: those of its proposal events,
/// and the subjects of its referral events.
fn touched_after(
    conn: &mut DbConnection,
    backend: Backend,
    cursor: LogCursor,
) -> Result<Vec<String>, TxError> {
    let rows: Vec<Named> = match backend {
        // `+aggregate_type` keeps SQLite on the rowid range after the cursor (a few rows): with the
        // equality usable, its planner prefers `events_by_aggregate` and reads every proposal event
        // there is (some 100 ms a request at 1M proposals).
        Backend::Sqlite => diesel::sql_query(
            "SELECT aggregate_id AS id FROM events WHERE seq > $1 AND +aggregate_type = 'proposal' \
             UNION SELECT subject_id AS id FROM referrals WHERE subject_kind = 'proposal' AND id IN \
             (SELECT aggregate_id FROM events WHERE seq > $2 AND +aggregate_type = 'referral')",
        )
        .bind::<BigInt, _>(cursor.seq)
        .bind::<BigInt, _>(cursor.seq)
        .load(conn)?,
        Backend::Postgres => diesel::sql_query(
            "SELECT aggregate_id AS id FROM events \
             WHERE (tx_id, seq) > ($1::text::xid8, $2) AND aggregate_type = 'proposal' \
             UNION SELECT subject_id AS id FROM referrals WHERE subject_kind = 'proposal' AND id IN \
             (SELECT aggregate_id FROM events \
              WHERE (tx_id, seq) > ($3::text::xid8, $4) AND aggregate_type = 'referral')",
        )
        .bind::<Text, _>(cursor.tx.to_string())
        .bind::<BigInt, _>(cursor.seq)
        .bind::<Text, _>(cursor.tx.to_string())
        .bind::<BigInt, _>(cursor.seq)
        .load(conn)?,
    };
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// The funnel's rows for `f`; past `far_behind` proposals changed after the reader's cursor, computed
/// from the state and the log instead of the projection.
pub(crate) fn funnel_rows(
    conn: &mut DbConnection,
    backend: Backend,
    f: &FunnelFilter,
    far_behind: usize,
) -> Result<FunnelRows, TxError> {
    let cursor: LogCursor = log_readers::table
        .filter(log_readers::name.eq(FUNNEL_READER))
        .select((log_readers::tx, log_readers::seq))
        .first::<(i64, i64)>(conn)
        .optional()?
        .map(|(tx, seq)| LogCursor { tx, seq })
        .unwrap_or_default();
    let touched = touched_after(conn, backend, cursor)?;
    if touched.len() > far_behind {
        // The reader is far behind (its first runs over a large history): every journey the filter
        // selects, computed here, costs less than replacing this many projected rows one by one.
        let all: Vec<(String, NaiveDateTime)> = narrowed!(proposals, id, created_at, f)
            .select((proposals::id, proposals::created_at))
            .load(conn)?;
        return Ok(FunnelRows::of(
            journeys_of(conn, all)?.into_values().collect(),
        ));
    }
    let stale: HashSet<&str> = touched.iter().map(String::as_str).collect();

    let mut collected: i64 = narrowed!(fj, proposal_id, collected_at, f)
        .count()
        .get_result(conn)?;
    let rows: Vec<Projected> = narrowed!(fj, proposal_id, collected_at, f)
        // The column itself, not `= $n`: a partial index `WHERE progressed` (migration 000011, the
        // progressed journeys with their stage times) is used only where the query's condition is
        // its condition, which a bound value never proves.
        .filter(fj::progressed)
        .select(STAGES)
        .load(conn)?;
    let mut progressed = Vec::with_capacity(rows.len());
    for row in rows {
        let (id, j) = journey(row)?;
        if !stale.contains(id.as_str()) {
            progressed.push(j);
        }
    }
    // The log moved these after the cursor: their projected rows are replaced by their journeys now.
    for chunk in touched.chunks(CHUNK) {
        let projected: i64 = narrowed!(fj, proposal_id, collected_at, f)
            .filter(fj::proposal_id.eq_any(chunk))
            .count()
            .get_result(conn)?;
        let now: Vec<(String, NaiveDateTime)> = narrowed!(proposals, id, created_at, f)
            .filter(proposals::id.eq_any(chunk))
            .select((proposals::id, proposals::created_at))
            .load(conn)?;
        collected += i64::try_from(now.len()).unwrap_or(i64::MAX) - projected;
        progressed.extend(
            journeys_of(conn, now)?
                .into_values()
                .filter(Journey::progressed),
        );
    }
    Ok(FunnelRows {
        collected: u64::try_from(collected).unwrap_or(0),
        progressed,
    })
}

/// A proposal's filter columns: id, submitted at, channel, policy area, region, topic, forum.
type Columns = (
    String,
    NaiveDateTime,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Replaces the projected journeys of `ids` by their journeys now.
fn project(conn: &mut DbConnection, ids: &[String]) -> Result<(), TxError> {
    for chunk in ids.chunks(CHUNK) {
        diesel::delete(fj::table.filter(fj::proposal_id.eq_any(chunk))).execute(conn)?;
        let rows: Vec<Columns> = proposals::table
            .filter(proposals::id.eq_any(chunk))
            .select((
                proposals::id,
                proposals::created_at,
                proposals::channel,
                proposals::policy_area_id,
                proposals::region,
                proposals::topic_id,
                proposals::forum_id,
            ))
            .load(conn)?;
        let mut journeys = journeys_of(conn, rows.iter().map(|r| (r.0.clone(), r.1)).collect())?;
        let at = |t: Option<DateTime<Utc>>| t.map_or_else(|| "NULL".to_owned(), ts);
        let mut values = Vec::with_capacity(rows.len());
        for (id, collected, channel, area, region, topic, forum) in rows {
            let Some(j) = journeys.remove(&id) else {
                continue;
            };
            values.push(format!(
                "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                lit(&id)?,
                ts(from_db(collected)),
                lit(&channel)?,
                lit(&area)?,
                opt(region.as_deref())?,
                opt(topic.as_deref())?,
                opt(forum.as_deref())?,
                if j.progressed() { "TRUE" } else { "FALSE" },
                at(j.reviewed_at),
                at(j.selected_at),
                at(j.rejected_at),
                at(j.merged_at),
                at(j.referred_at),
                at(j.answered_at),
                opt(j.decision.map(|d| d.as_str()))?,
                at(j.implemented_at),
            ));
        }
        insert_rows(
            conn,
            "INSERT INTO funnel_journeys (proposal_id, collected_at, channel, policy_area_id, region, \
             topic_id, forum_id, progressed, reviewed_at, selected_at, rejected_at, merged_at, \
             referred_at, answered_at, decision, implemented_at)",
            values,
        )?;
    }
    Ok(())
}

impl FunnelProjection for Database {
    fn project_journeys(
        &self,
        from: LogCursor,
        to: LogCursor,
        proposals: &[String],
        referral_ids: &[String],
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        self.write(|conn| {
            if !crate::readers::advance(conn, FUNNEL_READER, from, to, now)? {
                return Ok(false);
            }
            let mut ids: HashSet<String> = proposals.iter().cloned().collect();
            for chunk in referral_ids.chunks(CHUNK) {
                ids.extend(
                    referrals::table
                        .filter(referrals::id.eq_any(chunk))
                        .filter(referrals::subject_kind.eq("proposal"))
                        .select(referrals::subject_id)
                        .load::<String>(conn)?,
                );
            }
            let ids: Vec<String> = ids.into_iter().collect();
            project(conn, &ids)?;
            Ok(true)
        })
    }
}
