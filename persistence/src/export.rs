//! The open-data files, page by page in `seq` order, so a download streams in constant memory.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use ocf_domain::RepoError;
use ocf_domain::export::{Cell, Dataset, ExportQueries, ExportRow};

use crate::db::{Database, DbConnection};
use crate::error::TxError;
use crate::schema::{comments, events, forums, proposals, referrals};
use crate::time::{from_db, to_db};

fn text(s: String) -> Cell {
    Cell::Text(s)
}

fn opt(s: Option<String>) -> Cell {
    s.map_or(Cell::Null, Cell::Text)
}

fn time(t: NaiveDateTime) -> Cell {
    Cell::Text(from_db(t).to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
}

fn opt_time(t: Option<NaiveDateTime>) -> Cell {
    t.map_or(Cell::Null, time)
}

fn proposals_page(
    conn: &mut DbConnection,
    since: Option<NaiveDateTime>,
    after: i64,
    limit: i64,
) -> Result<Vec<ExportRow>, TxError> {
    use proposals as p;
    let mut q = p::table
        .filter(p::seq.gt(after))
        .filter(p::hidden.eq(false))
        .into_boxed();
    if let Some(s) = since {
        q = q.filter(p::updated_at.ge(s));
    }
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        String,
        Option<String>,
        i64,
        String,
        NaiveDateTime,
        NaiveDateTime,
    );
    let rows: Vec<Row> = q
        .order(p::seq.asc())
        .limit(limit)
        .select((
            p::seq,
            p::id,
            p::title,
            p::body,
            p::policy_area_id,
            p::region,
            p::topic_id,
            p::forum_id,
            p::channel,
            p::status,
            p::merged_into,
            p::support_count,
            p::tags,
            p::created_at,
            p::updated_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| ExportRow {
            seq: r.0,
            cells: vec![
                text(r.1),
                text(r.2),
                text(r.3),
                text(r.4),
                opt(r.5),
                opt(r.6),
                opt(r.7),
                text(r.8),
                text(r.9),
                opt(r.10),
                Cell::Integer(r.11),
                text(r.12),
                time(r.13),
                time(r.14),
            ],
        })
        .collect())
}

fn referrals_page(
    conn: &mut DbConnection,
    since: Option<NaiveDateTime>,
    after: i64,
    limit: i64,
) -> Result<Vec<ExportRow>, TxError> {
    use referrals as r;
    let mut q = r::table.filter(r::seq.gt(after)).into_boxed();
    if let Some(s) = since {
        q = q.filter(r::updated_at.ge(s));
    }
    type Row = (
        (
            i64,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            NaiveDateTime,
            NaiveDateTime,
        ),
        (
            Option<NaiveDateTime>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<NaiveDateTime>,
            Option<String>,
            Option<String>,
            Option<NaiveDateTime>,
            NaiveDateTime,
        ),
    );
    let rows: Vec<Row> = q
        .order(r::seq.asc())
        .limit(limit)
        .select((
            (
                r::seq,
                r::id,
                r::number,
                r::subject_kind,
                r::subject_id,
                r::organization_id,
                r::status,
                r::cover_note,
                r::sent_at,
                r::due_at,
            ),
            (
                r::acknowledged_at,
                r::decision,
                r::reasoning,
                r::planned_measures,
                r::policy_task,
                r::expected_completion_on,
                r::answered_at,
                r::evidence_url,
                r::completion_summary,
                r::completed_at,
                r::updated_at,
            ),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(a, b)| ExportRow {
            seq: a.0,
            cells: vec![
                text(a.1),
                text(a.2),
                text(a.3),
                text(a.4),
                text(a.5),
                text(a.6),
                text(a.7),
                time(a.8),
                time(a.9),
                opt_time(b.0),
                opt(b.1),
                opt(b.2),
                opt(b.3),
                opt(b.4),
                opt(b.5),
                opt_time(b.6),
                opt(b.7),
                opt(b.8),
                opt_time(b.9),
                time(b.10),
            ],
        })
        .collect())
}

fn forums_page(
    conn: &mut DbConnection,
    since: Option<NaiveDateTime>,
    after: i64,
    limit: i64,
) -> Result<Vec<ExportRow>, TxError> {
    use forums as f;
    let mut q = f::table
        .filter(f::seq.gt(after))
        .filter(f::status.ne("draft"))
        .into_boxed();
    if let Some(s) = since {
        q = q.filter(f::updated_at.ge(s));
    }
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        NaiveDateTime,
        NaiveDateTime,
        Option<i64>,
        String,
        i64,
        i64,
        NaiveDateTime,
        NaiveDateTime,
    );
    let rows: Vec<Row> = q
        .order(f::seq.asc())
        .limit(limit)
        .select((
            f::seq,
            f::id,
            f::organization_id,
            f::kind,
            f::mode,
            f::title,
            f::description,
            f::policy_area_id,
            f::region,
            f::starts_at,
            f::ends_at,
            f::capacity,
            f::status,
            f::registered_count,
            f::attended_count,
            f::created_at,
            f::updated_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| ExportRow {
            seq: r.0,
            cells: vec![
                text(r.1),
                text(r.2),
                text(r.3),
                text(r.4),
                text(r.5),
                text(r.6),
                text(r.7),
                opt(r.8),
                time(r.9),
                time(r.10),
                r.11.map_or(Cell::Null, Cell::Integer),
                text(r.12),
                Cell::Integer(r.13),
                Cell::Integer(r.14),
                time(r.15),
                time(r.16),
            ],
        })
        .collect())
}

fn comments_page(
    conn: &mut DbConnection,
    since: Option<NaiveDateTime>,
    after: i64,
    limit: i64,
) -> Result<Vec<ExportRow>, TxError> {
    use comments as c;
    let mut q = c::table
        .filter(c::seq.gt(after))
        .filter(c::hidden.eq(false))
        .filter(c::deleted.eq(false))
        .into_boxed();
    if let Some(s) = since {
        q = q.filter(c::updated_at.ge(s));
    }
    type Row = (
        i64,
        String,
        String,
        String,
        Option<String>,
        i32,
        String,
        String,
        i64,
        i64,
        NaiveDateTime,
        NaiveDateTime,
    );
    let rows: Vec<Row> = q
        .order(c::seq.asc())
        .limit(limit)
        .select((
            c::seq,
            c::id,
            c::subject_type,
            c::subject_id,
            c::parent_id,
            c::depth,
            c::author_role,
            c::body,
            c::like_count,
            c::reply_count,
            c::created_at,
            c::updated_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| ExportRow {
            seq: r.0,
            cells: vec![
                text(r.1),
                text(r.2),
                text(r.3),
                opt(r.4),
                Cell::Integer(i64::from(r.5)),
                text(r.6),
                text(r.7),
                Cell::Integer(r.8),
                Cell::Integer(r.9),
                time(r.10),
                time(r.11),
            ],
        })
        .collect())
}

impl ExportQueries for Database {
    fn export_page(
        &self,
        dataset: Dataset,
        since: Option<DateTime<Utc>>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ExportRow>, RepoError> {
        let since = since.map(to_db);
        self.read(|conn| match dataset {
            Dataset::Proposals => proposals_page(conn, since, after, limit),
            Dataset::Referrals => referrals_page(conn, since, after, limit),
            Dataset::Forums => forums_page(conn, since, after, limit),
            Dataset::Comments => comments_page(conn, since, after, limit),
        })
    }

    fn change_mark(&self) -> Result<(i64, i64), RepoError> {
        self.read(|conn| {
            let (max, count): (Option<i64>, i64) = events::table
                .select((diesel::dsl::max(events::seq), diesel::dsl::count_star()))
                .first(conn)?;
            Ok((max.unwrap_or(0), count))
        })
    }

    fn last_change_at(&self) -> Result<Option<DateTime<Utc>>, RepoError> {
        self.read(|conn| {
            let at: Option<NaiveDateTime> = events::table
                .order(events::seq.desc())
                .select(events::occurred_at)
                .first(conn)
                .optional()?;
            Ok(at.map(from_db))
        })
    }
}
