//! Direct access to the server's database, for what no endpoint may do: a deadline in the past, or a
//! look under the API at a reader's projection.

use diesel::sql_types::{BigInt, Text, Timestamp};
use diesel::{Connection, QueryableByName, RunQueryDsl};
use ocf_persistence::DatabaseUrl;

use crate::TestApp;

/// Runs `$body` with `$c` bound to a new connection to `$url`'s database (either backend).
macro_rules! on_db {
    ($url:expr, |$c:ident| $body:expr) => {
        match $url {
            DatabaseUrl::Sqlite(path) => {
                let mut conn =
                    diesel::SqliteConnection::establish(&path.to_string_lossy()).expect("sqlite");
                // The server writes too: wait for its lock rather than fail with "database is locked".
                diesel::sql_query("PRAGMA busy_timeout = 10000")
                    .execute(&mut conn)
                    .expect("busy_timeout");
                let $c = &mut conn;
                $body
            }
            DatabaseUrl::Postgres(url) => {
                let mut conn = diesel::PgConnection::establish(&url).expect("postgres");
                let $c = &mut conn;
                $body
            }
        }
    };
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl TestApp {
    /// Runs one SQL statement (no parameters) and returns the rows it changed.
    pub async fn sql(&self, statement: &str) -> usize {
        let url = self.database_url.clone();
        let statement = statement.to_owned();
        tokio::task::spawn_blocking(move || {
            on_db!(url, |c| diesel::sql_query(&statement).execute(c))
                .unwrap_or_else(|e| panic!("{statement}: {e}"))
        })
        .await
        .expect("join")
    }

    /// The number a query (no parameters) selects `AS n`.
    pub async fn sql_number(&self, query: &str) -> i64 {
        let url = self.database_url.clone();
        let query = query.to_owned();
        tokio::task::spawn_blocking(move || {
            on_db!(url, |c| diesel::sql_query(&query).get_result::<Number>(c))
                .unwrap_or_else(|e| panic!("{query}: {e}"))
                .n
        })
        .await
        .expect("join")
    }

    /// Sets a referral's due date in the database: the server's clock is the real one, so a test of the
    /// overdue rule moves the date instead of the time.
    pub async fn set_due_at(&self, referral: &str, at: chrono::DateTime<chrono::Utc>) {
        let url = self.database_url.clone();
        let id = referral.to_owned();
        let at = at.naive_utc();
        let n = tokio::task::spawn_blocking(move || {
            on_db!(url, |c| diesel::sql_query(
                "UPDATE referrals SET due_at = $1 WHERE id = $2"
            )
            .bind::<Timestamp, _>(at)
            .bind::<Text, _>(id.clone())
            .execute(c))
        })
        .await
        .expect("join");
        assert_eq!(n.expect("update"), 1);
    }
}
