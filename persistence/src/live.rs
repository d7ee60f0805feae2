//! What live streams need from storage besides the log: the viewers each instance holds (rows, so the
//! count crosses instances) and, on PostgreSQL, a dedicated listening connection outside the pool.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};
use ocf_domain::RepoError;
use ocf_domain::forum::ForumId;

use crate::db::{Database, DatabaseUrl, DbError};
use crate::events::EVENTS_CHANNEL;
use crate::schema::stream_presence;
use crate::time::to_db;

impl Database {
    /// Records that `instance` now holds `viewers` per forum (forgetting its forums not listed), and
    /// answers the viewers of those forums across every instance seen since `fresh_since`.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`] and [`RepoError::Unavailable`].
    pub fn report_viewers(
        &self,
        instance: &str,
        viewers: &[(ForumId, i64)],
        now: DateTime<Utc>,
        fresh_since: DateTime<Utc>,
    ) -> Result<HashMap<ForumId, i64>, RepoError> {
        let ids: Vec<String> = viewers.iter().map(|(f, _)| f.to_string()).collect();
        self.write(|conn| {
            diesel::delete(
                stream_presence::table
                    .filter(stream_presence::instance_id.eq(instance))
                    .filter(stream_presence::forum_id.ne_all(&ids)),
            )
            .execute(conn)?;
            // Instances that stopped (or died) without saying so.
            diesel::delete(
                stream_presence::table.filter(stream_presence::seen_at.lt(to_db(fresh_since))),
            )
            .execute(conn)?;
            for (forum, count) in viewers {
                // `$n` placeholders and `ON CONFLICT ... DO UPDATE` read the same on both backends.
                diesel::sql_query(
                    "INSERT INTO stream_presence (instance_id, forum_id, viewers, seen_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (instance_id, forum_id) \
                     DO UPDATE SET viewers = excluded.viewers, seen_at = excluded.seen_at",
                )
                .bind::<Text, _>(instance)
                .bind::<Text, _>(forum.to_string())
                .bind::<BigInt, _>(*count)
                .bind::<Timestamp, _>(to_db(now))
                .execute(conn)?;
            }
            // One row per instance and forum: a handful, summed here.
            let rows: Vec<(String, i64)> = stream_presence::table
                .filter(stream_presence::forum_id.eq_any(&ids))
                .filter(stream_presence::seen_at.gt(to_db(fresh_since)))
                .select((stream_presence::forum_id, stream_presence::viewers))
                .load(conn)?;
            let mut total = HashMap::new();
            for (f, n) in rows {
                if let Ok(f) = ForumId::parse(&f) {
                    *total.entry(f).or_insert(0) += n;
                }
            }
            Ok(total)
        })
    }
}

/// One PostgreSQL connection, outside the pool, that `LISTEN`s for committed stream events.
pub struct Listener {
    conn: diesel::PgConnection,
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Listener")
    }
}

impl Listener {
    /// Connects as `application_name` (so operators see it in `pg_stat_activity`) and listens; `None` on
    /// SQLite, which has no notifications (one instance fans out itself).
    ///
    /// # Errors
    /// [`DbError::Connect`] or [`DbError::Query`].
    pub fn connect(url: &DatabaseUrl, application_name: &str) -> Result<Option<Self>, DbError> {
        let DatabaseUrl::Postgres(raw) = url else {
            return Ok(None);
        };
        let sep = if raw.contains('?') { '&' } else { '?' };
        // Bounded waits: a half-open connection must fail its next check, not hang it for minutes.
        let named = format!(
            "{raw}{sep}application_name={application_name}&connect_timeout=5&keepalives=1\
             &keepalives_idle=10&keepalives_interval=5&keepalives_count=3&tcp_user_timeout=10000"
        );
        let mut conn =
            diesel::PgConnection::establish(&named).map_err(|e| DbError::Connect(e.to_string()))?;
        diesel::sql_query(format!("LISTEN {EVENTS_CHANNEL}")).execute(&mut conn)?;
        Ok(Some(Self { conn }))
    }

    /// The positions notified since the last call (it reads what the socket has and never blocks).
    ///
    /// # Errors
    /// [`DbError::Query`] when the connection is lost.
    pub fn drain(&mut self) -> Result<Vec<i64>, DbError> {
        let mut out = Vec::new();
        for n in self.conn.notifications_iter() {
            let n = n?;
            out.push(n.payload.parse().unwrap_or(0));
        }
        Ok(out)
    }

    /// A round trip, to find out that a quiet connection is gone.
    ///
    /// # Errors
    /// [`DbError::Query`] when the connection is lost.
    pub fn check(&mut self) -> Result<(), DbError> {
        diesel::sql_query("SELECT 1").execute(&mut self.conn)?;
        Ok(())
    }

    /// This connection's server process, for tests that end it with `pg_terminate_backend`.
    ///
    /// # Errors
    /// [`DbError::Query`] when the connection is lost.
    pub fn backend_pid(&mut self) -> Result<i32, DbError> {
        #[derive(QueryableByName)]
        struct Pid {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            pid: i32,
        }
        let p: Pid =
            diesel::sql_query("SELECT pg_backend_pid() AS pid").get_result(&mut self.conn)?;
        Ok(p.pid)
    }
}
