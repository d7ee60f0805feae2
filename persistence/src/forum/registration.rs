//! Registrations in storage: `RegistrationStore` inside a unit of work, and the list with waitlist
//! positions (a window function, the same SQL on both backends).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamp};
use ocf_domain::account::UserId;
use ocf_domain::forum::ForumId;
use ocf_domain::forum::registration::{
    Registration, RegistrationFilter, RegistrationId, RegistrationQueries, RegistrationStatus,
    RegistrationStore,
};
use ocf_domain::{Id, Page, PageRequest, RepoError};

use crate::db::{Database, DbConnection};
use crate::error::{TxError, corrupt, unique};
use crate::schema::forum_registrations as reg;
use crate::time::{from_db, to_db};
use crate::uow::Tx;

type Row = (
    i64,
    String,
    String,
    String,
    String,
    bool,
    NaiveDateTime,
    NaiveDateTime,
);

const COLUMNS: (
    reg::seq,
    reg::id,
    reg::forum_id,
    reg::user_id,
    reg::status,
    reg::attended,
    reg::created_at,
    reg::updated_at,
) = (
    reg::seq,
    reg::id,
    reg::forum_id,
    reg::user_id,
    reg::status,
    reg::attended,
    reg::created_at,
    reg::updated_at,
);

fn to_registration(r: Row, position: Option<i64>) -> Result<(i64, Registration), TxError> {
    let (seq, id, forum, user, status, attended, created, updated) = r;
    Ok((
        seq,
        Registration {
            id: Id::parse(&id).map_err(|e| corrupt("registration id", e))?,
            forum_id: Id::parse(&forum).map_err(|e| corrupt("registration forum", e))?,
            user_id: Id::parse(&user).map_err(|e| corrupt("registration user", e))?,
            status: status
                .parse()
                .map_err(|e: String| corrupt("registration status", e))?,
            attended,
            waitlist_position: position,
            created_at: from_db(created),
            updated_at: from_db(updated),
        },
    ))
}

fn first(
    conn: &mut DbConnection,
    q: reg::BoxedQuery<'_, crate::db::MultiBackend>,
) -> Result<Option<Registration>, TxError> {
    q.select(COLUMNS)
        .first::<Row>(conn)
        .optional()?
        .map(|r| to_registration(r, None).map(|(_, r)| r))
        .transpose()
}

impl RegistrationStore for Tx<'_> {
    fn insert(&mut self, r: &Registration) -> Result<(), RepoError> {
        self.run(|conn, _| {
            diesel::insert_into(reg::table)
                .values((
                    reg::id.eq(r.id.to_string()),
                    reg::forum_id.eq(r.forum_id.to_string()),
                    reg::user_id.eq(r.user_id.to_string()),
                    reg::status.eq(r.status.as_str()),
                    reg::attended.eq(r.attended),
                    reg::created_at.eq(to_db(r.created_at)),
                    reg::updated_at.eq(to_db(r.updated_at)),
                ))
                .execute(conn)
                .map_err(unique("registration"))?;
            Ok(())
        })
    }

    fn active(&mut self, forum: ForumId, user: UserId) -> Result<Option<Registration>, RepoError> {
        self.run(|conn, _| {
            let q = reg::table
                .filter(reg::forum_id.eq(forum.to_string()))
                .filter(reg::user_id.eq(user.to_string()))
                .filter(reg::status.ne(RegistrationStatus::Cancelled.as_str()))
                .into_boxed();
            first(conn, q)
        })
    }

    fn get(&mut self, id: RegistrationId) -> Result<Option<Registration>, RepoError> {
        self.run(|conn, _| {
            first(
                conn,
                reg::table.filter(reg::id.eq(id.to_string())).into_boxed(),
            )
        })
    }

    fn first_waitlisted(&mut self, forum: ForumId, n: i64) -> Result<Vec<Registration>, RepoError> {
        self.run(|conn, _| {
            let rows: Vec<Row> = reg::table
                .filter(reg::forum_id.eq(forum.to_string()))
                .filter(reg::status.eq(RegistrationStatus::Waitlisted.as_str()))
                .order(reg::seq.asc())
                .limit(n)
                .select(COLUMNS)
                .load(conn)?;
            rows.into_iter()
                .map(|r| to_registration(r, None).map(|(_, r)| r))
                .collect()
        })
    }

    fn update(&mut self, r: &Registration) -> Result<(), RepoError> {
        self.run(|conn, _| {
            diesel::update(reg::table.filter(reg::id.eq(r.id.to_string())))
                .set((
                    reg::status.eq(r.status.as_str()),
                    reg::attended.eq(r.attended),
                    reg::updated_at.eq(to_db(r.updated_at)),
                ))
                .execute(conn)?;
            Ok(())
        })
    }
}

#[derive(QueryableByName)]
struct ListedRow {
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    forum_id: String,
    #[diesel(sql_type = Text)]
    user_id: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Bool)]
    attended: bool,
    #[diesel(sql_type = Timestamp)]
    created_at: NaiveDateTime,
    #[diesel(sql_type = Timestamp)]
    updated_at: NaiveDateTime,
    #[diesel(sql_type = Nullable<BigInt>)]
    position: Option<i64>,
}

impl RegistrationQueries for Database {
    fn list_registrations(
        &self,
        f: &RegistrationFilter,
        page: &PageRequest<i64>,
    ) -> Result<Page<(i64, Registration), i64>, RepoError> {
        self.read(|conn| {
            // Positions count the waitlisted ahead in arrival order, over the whole forum.
            // `$n` placeholders work on both backends (see `crate::endorsement`).
            let p = |n: usize| format!("${n}");
            let sql = format!(
                "SELECT * FROM (SELECT seq, id, forum_id, user_id, status, attended, created_at, updated_at, \
                 CASE WHEN status = 'waitlisted' THEN ROW_NUMBER() OVER \
                 (PARTITION BY status ORDER BY seq) END AS position \
                 FROM forum_registrations WHERE forum_id = {}) r \
                 WHERE seq > {} AND ({} = '' OR user_id = {}) AND ({} = '' OR status = {}) \
                 ORDER BY seq LIMIT {}",
                p(1),
                p(2),
                p(3),
                p(3),
                p(4),
                p(4),
                p(5)
            );
            let user = f.user_id.map(|u| u.to_string()).unwrap_or_default();
            let status = f.status.map(|s| s.as_str().to_owned()).unwrap_or_default();
            let rows: Vec<ListedRow> = diesel::sql_query(sql)
                .bind::<Text, _>(f.forum_id.to_string())
                .bind::<BigInt, _>(page.after.unwrap_or(0))
                .bind::<Text, _>(user)
                .bind::<Text, _>(status)
                .bind::<BigInt, _>(page.fetch_limit())
                .load(conn)?;
            let items = rows
                .into_iter()
                .map(|r| {
                    to_registration(
                        (
                            r.seq,
                            r.id,
                            r.forum_id,
                            r.user_id,
                            r.status,
                            r.attended,
                            r.created_at,
                            r.updated_at,
                        ),
                        r.position,
                    )
                })
                .collect::<Result<Vec<_>, TxError>>()?;
            Ok(Page::from_rows(items, page, |(seq, _)| *seq))
        })
    }
}
