//! One diesel code path for SQLite and PostgreSQL: a `MultiConnection` enum chosen by the URL scheme,
//! a small r2d2 manager that keeps each backend's own connection error, and embedded migrations.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{Pool, PooledConnection};
use ocf_domain::RepoError;

use crate::error::TxError;

#[derive(diesel::MultiConnection)]
pub(crate) enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the data lives, parsed from `DATABASE_URL`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://ocf.db`, `sqlite:///var/lib/ocf/ocf.db` or `sqlite:ocf.db`.
    Sqlite(PathBuf),
    /// `postgres://user:password@host:port/db` (or `postgresql://`), passed to libpq as is.
    Postgres(String),
}

impl DatabaseUrl {
    /// # Errors
    /// [`DbError::Url`] when the scheme is neither `sqlite:` nor `postgres://`/`postgresql://`.
    pub fn parse(raw: &str) -> Result<Self, DbError> {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        let path = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
            .ok_or_else(|| {
                DbError::Url(
                    "must start with sqlite: or postgres:// (e.g. sqlite://ocf.db)".to_owned(),
                )
            })?;
        if path.is_empty() || path.contains('?') || path == ":memory:" {
            return Err(DbError::Url(
                "a SQLite URL needs a file path (e.g. sqlite://ocf.db); in-memory databases are not shared between pooled connections"
                    .to_owned(),
            ));
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Never prints a PostgreSQL password.
impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            Self::Postgres(url) => {
                let redacted = match (url.find("://"), url.rfind('@')) {
                    (Some(scheme_end), Some(at)) if at > scheme_end => {
                        let userinfo = &url[scheme_end + 3..at];
                        let user = userinfo.split(':').next().unwrap_or_default();
                        format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..])
                    }
                    _ => url.clone(),
                };
                f.write_str(&redacted)
            }
        }
    }
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

#[derive(Debug, thiserror::Error)]
pub(crate) enum ConnectError {
    #[error(transparent)]
    Connection(#[from] diesel::ConnectionError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("cannot create the database folder: {0}")]
    Folder(#[from] std::io::Error),
}

/// Opens connections for the pool. Unlike the derived `MultiConnection::establish`, it reports the backend's
/// own error (wrong password, unknown host, ...), which r2d2 then returns instead of a bare time-out.
#[derive(Debug)]
pub(crate) struct Manager {
    url: DatabaseUrl,
}

impl diesel::r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConnection, ConnectError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => Ok(DbConnection::Postgresql(
                diesel::PgConnection::establish(url)?,
            )),
            DatabaseUrl::Sqlite(path) => {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)?;
                }
                let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())?;
                // busy_timeout first: switching to WAL needs a lock that another connection may hold.
                // WAL lets readers run while one writer writes; foreign keys are off by default in SQLite.
                // Pages are read through a shared memory map (no copy per read, one copy for all pooled
                // connections) instead of each connection's 2 MB cache plus a `pread` per miss; up to 64 GiB
                // (the ceiling `.cargo/config.toml` compiles in), address space, not memory.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA mmap_size = 68719476736;",
                )?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1").map_err(ConnectError::from)
    }

    /// Diesel's own fast, non-blocking check (a failed transaction left open, a lost PostgreSQL socket):
    /// with no test on checkout, this is what keeps a broken connection out of the pool.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        use diesel::r2d2::R2D2Connection;
        match conn {
            DbConnection::Postgresql(c) => c.is_broken(),
            DbConnection::Sqlite(c) => c.is_broken(),
        }
    }
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

/// Runs `f` in a write transaction. On SQLite it begins `IMMEDIATE`, taking the write lock at once
/// (waiting up to `busy_timeout` for another process's writer): a deferred transaction that reads first
/// cannot later take the lock if another connection committed since its snapshot, and SQLite refuses
/// that at once (`SQLITE_BUSY`) instead of waiting, a 500 for a request that did nothing wrong (seen
/// with two instances on one file). On PostgreSQL, diesel's `BEGIN`.
///
/// # Errors
/// `f`'s error (after a rollback), or the storage's on begin or commit.
pub(crate) fn write_transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    in_transaction(conn, "BEGIN IMMEDIATE", "BEGIN", f)
}

/// Runs `f` in a transaction begun with `sqlite` or `postgres` (the SQL of its `BEGIN`), committed if
/// `f` succeeds and rolled back if not.
fn in_transaction<T, E>(
    conn: &mut DbConnection,
    sqlite: &str,
    postgres: &str,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <DbConnection as diesel::Connection>::TransactionManager;
    match &mut *conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, sqlite)?,
        DbConnection::Postgresql(c) => AnsiTransactionManager::begin_transaction_sql(c, postgres)?,
    }
    match f(conn) {
        Ok(value) => match Manager::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(e) => {
                // As diesel does: a failed commit is rolled back, and the commit's error reported.
                let _ = Manager::rollback_transaction(conn);
                Err(e.into())
            }
        },
        Err(e) => {
            // A failed rollback leaves the connection marked broken; the pool drops it.
            let _ = Manager::rollback_transaction(conn);
            Err(e)
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend_by_scheme() -> Result<(), DbError> {
        assert_eq!(
            DatabaseUrl::parse("sqlite://ocf.db")?,
            DatabaseUrl::Sqlite("ocf.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/ocf.db")?,
            DatabaseUrl::Sqlite("/var/ocf.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:data/ocf.db")?,
            DatabaseUrl::Sqlite("data/ocf.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p@h/db")?.backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://h/db")?.backend(),
            Backend::Postgres
        );
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
        assert!(DatabaseUrl::parse("sqlite::memory:").is_err());
        Ok(())
    }

    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }

    fn count(conn: &mut DbConnection) -> Result<i64, TxError> {
        let c: Count = diesel::sql_query("SELECT COUNT(*) AS n FROM scratch").get_result(conn)?;
        Ok(c.n)
    }

    /// Counts `scratch`, has another connection commit a row, and counts again, all inside `read`.
    fn counts_around_a_commit(
        db: &Database,
        read: impl FnOnce(
            &Database,
            &mut dyn FnMut(&mut DbConnection) -> Result<(i64, i64), TxError>,
        ) -> Result<(i64, i64), RepoError>,
    ) -> Result<(i64, i64), RepoError> {
        read(db, &mut |conn| {
            let before = count(conn)?;
            db.write(|other| {
                diesel::sql_query("INSERT INTO scratch DEFAULT VALUES").execute(other)?;
                Ok(())
            })
            .map_err(TxError::Repo)?;
            Ok((before, count(conn)?))
        })
    }

    #[test]
    fn a_snapshot_read_does_not_see_commits_made_between_its_statements()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let db = Database::connect(&DatabaseUrl::Sqlite(dir.path().join("ocf.db")), 4)?;
        db.write(|conn| {
            conn.batch_execute("CREATE TABLE scratch (x INTEGER PRIMARY KEY)")?;
            Ok(())
        })?;
        let (before, after) = counts_around_a_commit(&db, |db, f| db.read_snapshot(f))?;
        assert_eq!((before, after), (0, 0), "one snapshot for every statement");
        // The plain read sees the commit: without the snapshot, the figures would not agree.
        let (before, after) = counts_around_a_commit(&db, |db, f| db.read(f))?;
        assert_eq!((before, after), (1, 2));
        // The snapshot was a transaction and is over: the connection reads the latest.
        assert_eq!(db.read_snapshot(count)?, 2);
        Ok(())
    }

    #[derive(diesel::QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = diesel::sql_types::Text)]
        compile_options: String,
    }

    #[derive(diesel::QueryableByName)]
    struct MmapSize {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        mmap_size: i64,
    }

    /// The options of `.cargo/config.toml` reached the bundled SQLite: without its ceiling, the memory
    /// map is silently capped at 2 GiB.
    #[test]
    fn sqlite_is_multi_threaded_and_maps_up_to_64_gib() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let db = Database::connect(&DatabaseUrl::Sqlite(dir.path().join("ocf.db")), 1)?;
        let (options, mmap) = db.read(|conn| {
            let options: Vec<CompileOption> =
                diesel::sql_query("PRAGMA compile_options").load(conn)?;
            let mmap: MmapSize = diesel::sql_query("PRAGMA mmap_size").get_result(conn)?;
            Ok((options, mmap.mmap_size))
        })?;
        let has = |o: &str| options.iter().any(|x| x.compile_options == o);
        assert!(has("THREADSAFE=2"), "compiled multi-threaded");
        assert!(has("DEFAULT_MEMSTATUS=0"));
        assert!(!has("ENABLE_STAT4"));
        assert_eq!(mmap, 64 << 30);
        Ok(())
    }

    #[test]
    fn postgres_passwords_are_not_printed() -> Result<(), DbError> {
        let url = DatabaseUrl::parse("postgres://ocf:s3cret@db.internal:5432/ocf")?;
        assert_eq!(url.to_string(), "postgres://ocf:***@db.internal:5432/ocf");
        assert!(!format!("{url:?}").contains("s3cret"));
        Ok(())
    }
}
