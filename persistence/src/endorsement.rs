//! Supports (proposals) and votes (topics) in SQL: one row per person, a counter and a trending score on
//! the endorsed row, and a guarded insert that checks the rule in the same statement. Both aggregates use
//! these with their own table names.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use crate::db::{Backend, DbConnection};
use crate::error::TxError;
use crate::time::to_db;

// Raw SQL here uses `$n` placeholders, which both backends accept. SQLite reads them as *named* parameters
// numbered by first appearance, so every statement must mention `$1` before `$2` before `$3`.

/// Where one kind of endorsement lives.
pub(crate) struct Endorsements {
    /// The endorsements: `(<key>, user_id, created_at)`.
    pub table: &'static str,
    /// The endorsed rows: `id`, `status`, `author_id`, `hidden`, `<counter>`, `trending_score`.
    pub subject: &'static str,
    pub key: &'static str,
    pub counter: &'static str,
    /// The statuses in which an endorsement may be added, as SQL literals.
    pub open: fn() -> String,
    /// When endorsing also follows the subject: its kind in `follows` (`'proposal'`).
    pub follows: Option<&'static str>,
}

impl Endorsements {
    /// Adds `user`'s endorsement if the subject is open, not theirs, not hidden (unless `hidden_ok`) and
    /// not yet endorsed by them, and moves the counts; returns whether one was added. On PostgreSQL this
    /// is one statement (atomic without a transaction: no `BEGIN`/`COMMIT` round trips).
    pub(crate) fn add(
        &self,
        conn: &mut DbConnection,
        backend: Backend,
        id: &str,
        user: &str,
        now: DateTime<Utc>,
        hidden_ok: bool,
    ) -> Result<bool, TxError> {
        let Self {
            table,
            subject,
            key,
            counter,
            open,
            follows,
        } = self;
        let guarded_insert = format!(
            "INSERT INTO {table} ({key}, user_id, created_at) SELECT $1, $2, $3 \
             WHERE EXISTS (SELECT 1 FROM {subject} WHERE id = $1 AND status IN ({}) AND author_id <> $2{}) \
             ON CONFLICT DO NOTHING",
            open(),
            if hidden_ok { "" } else { " AND NOT hidden" }
        );
        let bump = format!(
            "UPDATE {subject} SET {counter} = {counter} + 1, trending_score = trending_score + 1"
        );
        match backend {
            Backend::Postgres => {
                // Following is part of the same statement, so it commits with the support or not at all.
                let follow = follows.map_or_else(String::new, |kind| {
                    format!(
                        ", followed AS (INSERT INTO follows (subject_type, subject_id, user_id, created_at) \
                         SELECT '{kind}', {key}, user_id, created_at FROM added ON CONFLICT DO NOTHING)"
                    )
                });
                let updated = diesel::sql_query(format!(
                    "WITH added AS ({guarded_insert} RETURNING {key}, user_id, created_at){follow} \
                     {bump} WHERE id = (SELECT {key} FROM added)"
                ))
                .bind::<Text, _>(id)
                .bind::<Text, _>(user)
                .bind::<Timestamp, _>(to_db(now))
                .execute(conn)?;
                Ok(updated == 1)
            }
            Backend::Sqlite => {
                let inserted = diesel::sql_query(guarded_insert)
                    .bind::<Text, _>(id)
                    .bind::<Text, _>(user)
                    .bind::<Timestamp, _>(to_db(now))
                    .execute(conn)?;
                if inserted == 1 {
                    diesel::sql_query(format!("{bump} WHERE id = $1"))
                        .bind::<Text, _>(id)
                        .execute(conn)?;
                    // Inside the group commit's savepoint: atomic with the support.
                    if let Some(kind) = follows {
                        diesel::sql_query(format!(
                            "INSERT INTO follows (subject_type, subject_id, user_id, created_at) \
                             VALUES ('{kind}', $1, $2, $3) ON CONFLICT DO NOTHING"
                        ))
                        .bind::<Text, _>(id)
                        .bind::<Text, _>(user)
                        .bind::<Timestamp, _>(to_db(now))
                        .execute(conn)?;
                    }
                }
                Ok(inserted == 1)
            }
        }
    }

    /// Removes `user`'s endorsement; returns whether there was one. One given after `since` also counted
    /// in the trending score.
    pub(crate) fn remove(
        &self,
        conn: &mut DbConnection,
        backend: Backend,
        id: &str,
        user: &str,
        since: DateTime<Utc>,
    ) -> Result<bool, TxError> {
        let Self {
            table,
            subject,
            key,
            counter,
            ..
        } = self;
        let since = to_db(since);
        let delete =
            format!("DELETE FROM {table} WHERE {key} = $1 AND user_id = $2 RETURNING created_at");
        match backend {
            Backend::Postgres => {
                let updated = diesel::sql_query(format!(
                    "WITH removed AS ({delete}) \
                     UPDATE {subject} SET {counter} = {counter} - 1, trending_score = \
                       CASE WHEN trending_score > 0 AND (SELECT created_at FROM removed) > $3 \
                       THEN trending_score - 1 ELSE trending_score END \
                     WHERE id = $1 AND EXISTS (SELECT 1 FROM removed)"
                ))
                .bind::<Text, _>(id)
                .bind::<Text, _>(user)
                .bind::<Timestamp, _>(since)
                .execute(conn)?;
                Ok(updated == 1)
            }
            Backend::Sqlite => {
                #[derive(QueryableByName)]
                struct Removed {
                    #[diesel(sql_type = Timestamp)]
                    created_at: NaiveDateTime,
                }
                let removed: Option<Removed> = diesel::sql_query(delete)
                    .bind::<Text, _>(id)
                    .bind::<Text, _>(user)
                    .get_result(conn)
                    .optional()?;
                let Some(removed) = removed else {
                    return Ok(false);
                };
                diesel::sql_query(format!(
                    "UPDATE {subject} SET {counter} = {counter} - 1, \
                     trending_score = CASE WHEN trending_score >= $1 THEN trending_score - $1 ELSE 0 END WHERE id = $2"
                ))
                .bind::<BigInt, _>(i64::from(removed.created_at > since))
                .bind::<Text, _>(id)
                .execute(conn)?;
                Ok(true)
            }
        }
    }

    /// Recomputes the trending scores (endorsements given after `since`) that have gone stale; returns
    /// how many changed. Only scores above zero can have: new endorsements raise scores as they come.
    pub(crate) fn refresh_trending(
        &self,
        conn: &mut DbConnection,
        since: DateTime<Utc>,
    ) -> Result<usize, TxError> {
        let Self {
            table,
            subject,
            key,
            ..
        } = self;
        let fresh = format!(
            "(SELECT COUNT(*) FROM {table} s WHERE s.{key} = {subject}.id AND s.created_at > $1)"
        );
        Ok(diesel::sql_query(format!(
            "UPDATE {subject} SET trending_score = {fresh} WHERE trending_score > 0 AND trending_score <> {fresh}"
        ))
        .bind::<Timestamp, _>(to_db(since))
        .execute(conn)?)
    }
}
