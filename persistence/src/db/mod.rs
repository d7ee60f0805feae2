//! One diesel code path for SQLite and PostgreSQL: a `MultiConnection` enum chosen by the URL scheme
//! (`url`), a small r2d2 manager that keeps each backend's own connection error (`manager`), and the
//! pool with its read, snapshot and write helpers (`transaction` has how each begins).

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{Pool, PooledConnection};
use ocf_domain::RepoError;

use crate::error::TxError;

mod manager;
mod transaction;
mod url;

use manager::Manager;
use transaction::in_transaction;
pub(crate) use transaction::write_transaction;
pub use url::{Backend, DatabaseUrl};

#[derive(diesel::MultiConnection)]
pub(crate) enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid DATABASE_URL: {0}")]
    Url(String),
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("cannot apply migrations: {0}")]
    Migrate(String),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
}

/// The storage adapter: a connection pool that implements every repository port of the domain.
pub struct Database {
    pool: Pool<Manager>,
    backend: Backend,
    pub(crate) url: DatabaseUrl,
    /// SQLite allows one writer at a time; taking turns here avoids `SQLITE_BUSY` on lock upgrades
    /// inside deferred transactions. PostgreSQL needs no such lock.
    sqlite_writer: Mutex<()>,
    /// Small writes waiting for SQLite's writer, committed together by whoever gets the turn first
    /// (see [`Database::write_grouped`]).
    pub(crate) grouped: Mutex<Vec<Arc<crate::grouped::GroupedWrite>>>,
    /// Called after a commit that appended an event to a live stream (see [`Database::on_stream_commit`]).
    stream_hook: std::sync::OnceLock<Box<dyn Fn() + Send + Sync>>,
    /// Proposals changed after the funnel reader's cursor beyond which a funnel request computes its
    /// whole filter from the state and the log instead of correcting the projection row by row.
    pub(crate) funnel_far_behind: usize,
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Database")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

/// See [`Database::with_funnel_far_behind`].
pub const DEFAULT_FUNNEL_FAR_BEHIND: usize = 10_000;

impl Database {
    /// Opens a pool of `pool_size` connections; fails within a few seconds if the database is unreachable.
    ///
    /// # Errors
    /// [`DbError::Connect`] with the backend's own message.
    pub fn connect(url: &DatabaseUrl, pool_size: u32) -> Result<Self, DbError> {
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(5))
            // No `SELECT 1` before every checkout: it costs a round trip per request. A connection that
            // broke is dropped after use (`has_broken`); at worst one query fails on it first.
            .test_on_check_out(false)
            .build(Manager { url: url.clone() })
            .map_err(|e| DbError::Connect(e.to_string()))?;
        Ok(Self {
            pool,
            backend: url.backend(),
            url: url.clone(),
            sqlite_writer: Mutex::new(()),
            grouped: Mutex::new(Vec::new()),
            stream_hook: std::sync::OnceLock::new(),
            funnel_far_behind: DEFAULT_FUNNEL_FAR_BEHIND,
        })
    }

    /// Sets how far behind the funnel reader may be (proposals the log changed after its cursor) before a
    /// funnel request stops correcting the projection and computes its whole filter itself.
    #[must_use]
    pub fn with_funnel_far_behind(mut self, proposals: usize) -> Self {
        self.funnel_far_behind = proposals;
        self
    }

    /// Registers what runs after every commit that appended an event to a live stream: on SQLite that is
    /// how this process's streams learn of it (PostgreSQL tells every instance with `NOTIFY`). Set once.
    pub fn on_stream_commit(&self, hook: impl Fn() + Send + Sync + 'static) {
        let _ = self.stream_hook.set(Box::new(hook));
    }

    pub(crate) fn stream_committed(&self) {
        if let Some(hook) = self.stream_hook.get() {
            hook();
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// Checks that the database answers (for `/readyz`).
    ///
    /// # Errors
    /// [`DbError`] when no connection can be had or the query fails.
    pub fn ping(&self) -> Result<(), DbError> {
        let mut conn = self.conn().map_err(|e| DbError::Connect(e.to_string()))?;
        conn.batch_execute("SELECT 1")?;
        Ok(())
    }

    pub(crate) fn conn(&self) -> Result<PooledConnection<Manager>, r2d2::Error> {
        self.pool.get()
    }

    /// Runs read-only work on a pooled connection.
    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, TxError>,
    ) -> Result<T, RepoError> {
        let mut conn = self.conn().map_err(unavailable)?;
        f(&mut conn).map_err(RepoError::from)
    }

    /// Runs read-only work of several statements that must agree with each other on one snapshot of
    /// the database: a read transaction (`REPEATABLE READ READ ONLY` on PostgreSQL; on SQLite in WAL
    /// mode a deferred transaction reads one snapshot from its first statement). Without it each
    /// statement sees the commits made since the one before, and a figure read from a projection and
    /// its reader's cursor in two statements can count the same rows twice or not at all.
    pub(crate) fn read_snapshot<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, TxError>,
    ) -> Result<T, RepoError> {
        let mut conn = self.conn().map_err(unavailable)?;
        in_transaction(
            &mut conn,
            "BEGIN",
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
            f,
        )
        .map_err(RepoError::from)
    }

    /// SQLite takes one writer at a time: writers of this process wait their turn here rather than on
    /// `busy_timeout`. PostgreSQL needs no turn.
    pub(crate) fn writer_turn(&self) -> Option<std::sync::MutexGuard<'_, ()>> {
        match self.backend {
            Backend::Sqlite => Some(
                self.sqlite_writer
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            ),
            Backend::Postgres => None,
        }
    }

    /// Runs `f` in one transaction: everything it writes commits together or not at all.
    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, TxError>,
    ) -> Result<T, RepoError> {
        let _turn = self.writer_turn();
        let mut conn = self.conn().map_err(unavailable)?;
        write_transaction(&mut conn, f).map_err(RepoError::from)
    }

    /// Runs `f`, which writes with exactly one statement, outside an explicit transaction: a single
    /// statement is atomic on its own, and on PostgreSQL this saves the `BEGIN` and `COMMIT` round trips.
    /// On SQLite it still takes the writer's turn.
    pub(crate) fn write_statement<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, TxError>,
    ) -> Result<T, RepoError> {
        let _turn = self.writer_turn();
        let mut conn = self.conn().map_err(unavailable)?;
        f(&mut conn).map_err(RepoError::from)
    }
}
/// No pooled connection within the time-out: the database is overloaded or gone.
pub(crate) fn unavailable(e: r2d2::Error) -> RepoError {
    RepoError::Unavailable(match e.to_string().as_str() {
        "timed out waiting for connection" | "" => {
            "no database connection became free in time".to_owned()
        }
        other => other.to_owned(),
    })
}
