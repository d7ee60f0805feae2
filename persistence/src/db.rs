//! One diesel code path for SQLite and PostgreSQL: a `MultiConnection` enum chosen by the URL scheme,
//! a small r2d2 manager that keeps each backend's own connection error, and embedded migrations.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use ocf_domain::RepoError;

use crate::error::TxError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Any number will do, as long as it is the same for every instance: it serialises concurrent migrations.
const MIGRATION_LOCK_KEY: i64 = 0x0CF_0001;

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
                // connections) instead of each connection's 2 MB cache plus a `pread` per miss.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA mmap_size = 1073741824;",
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
    url: DatabaseUrl,
    /// SQLite allows one writer at a time; taking turns here avoids `SQLITE_BUSY` on lock upgrades
    /// inside deferred transactions. PostgreSQL needs no such lock.
    sqlite_writer: Mutex<()>,
    /// Small writes waiting for SQLite's writer, committed together by whoever gets the turn first
    /// (see [`Database::write_grouped`]).
    grouped: Mutex<Vec<Arc<GroupedWrite>>>,
}

/// The work of one grouped write, and its outcome once a leader has run it (the work keeps its own value).
type GroupedWork = Box<dyn FnOnce(&mut DbConnection) -> Result<(), TxError> + Send>;

struct GroupedWrite {
    work: Mutex<Option<GroupedWork>>,
    outcome: Mutex<Option<Result<(), RepoError>>>,
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Database")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

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
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies pending migrations and returns the versions it applied. Safe to call from several processes
    /// at once: they take turns, through an advisory lock on PostgreSQL and an exclusive lock on a file
    /// beside the database on SQLite (`<database>.migrate-lock`), so the second finds nothing to do.
    ///
    /// # Errors
    /// [`DbError::Migrate`] when a migration fails or the lock file cannot be opened.
    pub fn migrate(&self) -> Result<Vec<String>, DbError> {
        let mut conn = self.conn().map_err(|e| DbError::Connect(e.to_string()))?;
        let applied = match &mut *conn {
            DbConnection::Sqlite(c) => {
                let _turn = self.sqlite_migration_lock()?;
                c.run_pending_migrations(SQLITE_MIGRATIONS)
                    .map(|v| v.iter().map(ToString::to_string).collect())
                    .map_err(|e| DbError::Migrate(e.to_string()))
            }
            DbConnection::Postgresql(c) => {
                diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
                    .execute(c)?;
                let result = c
                    .run_pending_migrations(POSTGRES_MIGRATIONS)
                    .map(|v| v.iter().map(ToString::to_string).collect())
                    .map_err(|e| DbError::Migrate(e.to_string()));
                diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
                    .execute(c)?;
                result
            }
        }?;
        Ok(applied)
    }

    /// Applies pending migrations in order up to and including version `last` (the folder name's digits,
    /// e.g. `20261127000002`), and returns the versions it applied: a database as an older release left
    /// it, for upgrade tests. Unlike [`Database::migrate`] it takes no lock: run it on a quiet database.
    ///
    /// # Errors
    /// [`DbError::Migrate`] when a migration fails.
    pub fn migrate_through(&self, last: &str) -> Result<Vec<String>, DbError> {
        fn run<C: MigrationHarness<B>, B: diesel::backend::Backend>(
            c: &mut C,
            source: EmbeddedMigrations,
            last: &str,
        ) -> Result<Vec<String>, DbError> {
            let fail =
                |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migrate(e.to_string());
            let mut applied = Vec::new();
            for m in c.pending_migrations(source).map_err(fail)? {
                let version = m.name().version().to_string();
                if version.as_str() > last {
                    break;
                }
                c.run_migration(&*m).map_err(fail)?;
                applied.push(version);
            }
            Ok(applied)
        }
        let mut conn = self.conn().map_err(|e| DbError::Connect(e.to_string()))?;
        match &mut *conn {
            DbConnection::Sqlite(c) => run(c, SQLITE_MIGRATIONS, last),
            DbConnection::Postgresql(c) => run(c, POSTGRES_MIGRATIONS, last),
        }
    }

    /// Holds an exclusive lock on `<database>.migrate-lock` until dropped (the file stays; the lock goes with
    /// the handle, also when the process dies).
    fn sqlite_migration_lock(&self) -> Result<std::fs::File, DbError> {
        let DatabaseUrl::Sqlite(path) = &self.url else {
            return Err(DbError::Migrate("not a SQLite database".to_owned()));
        };
        let mut lock_path = path.clone();
        lock_path.as_mut_os_string().push(".migrate-lock");
        let cannot = |e: std::io::Error| {
            DbError::Migrate(format!("cannot lock {}: {e}", lock_path.display()))
        };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(cannot)?;
        file.lock().map_err(cannot)?;
        Ok(file)
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
        let conn: &mut DbConnection = &mut conn;
        conn.transaction(f).map_err(RepoError::from)
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

impl Database {
    /// Runs `work`, a small write, in one SQLite transaction together with the other small writes that
    /// are waiting at the same moment (group commit). Each caller queues its work and waits for the
    /// writer's turn; the first to get it runs everything queued, each piece in a savepoint of its own
    /// (one failing piece rolls back alone), commits once, and hands every caller its own outcome. A
    /// commit writes each changed page to the WAL once per transaction, so under a burst of supports
    /// many share one commit. On PostgreSQL, which has many writers and its own group commit, `work`
    /// simply runs as one statement.
    pub(crate) fn write_grouped<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut DbConnection) -> Result<T, TxError> + Send + 'static,
    ) -> Result<T, RepoError> {
        if self.backend == Backend::Postgres {
            return self.write_statement(work);
        }
        let value: Arc<Mutex<Option<T>>> = Arc::new(Mutex::new(None));
        let slot = value.clone();
        let work: GroupedWork = Box::new(move |conn| {
            let v = work(conn)?;
            *lock(&slot) = Some(v);
            Ok(())
        });
        self.grouped_turn(work)?;
        lock(&value)
            .take()
            .ok_or(RepoError::Conflict("grouped write"))
    }

    /// Queues `work` and waits for the writer's turn; see [`Database::write_grouped`].
    fn grouped_turn(&self, work: GroupedWork) -> Result<(), RepoError> {
        let mine = Arc::new(GroupedWrite {
            work: Mutex::new(Some(work)),
            outcome: Mutex::new(None),
        });
        lock(&self.grouped).push(mine.clone());
        let _turn = self.writer_turn();
        if let Some(done) = lock(&mine.outcome).take() {
            return done;
        }
        // Not run yet, so still queued: this caller leads, for everything queued so far.
        let batch = std::mem::take(&mut *lock(&self.grouped));
        let ran = self.conn().map_err(unavailable).and_then(|mut conn| {
            let conn: &mut DbConnection = &mut conn;
            conn.transaction(|conn| {
                batch
                    .iter()
                    .map(|w| {
                        let work = lock(&w.work).take();
                        Ok(match work {
                            Some(work) => conn.transaction(work).map_err(RepoError::from),
                            None => Err(RepoError::Conflict("grouped write")),
                        })
                    })
                    .collect::<Result<Vec<_>, TxError>>()
            })
            .map_err(RepoError::from)
        });
        let mut own = None;
        match ran {
            Ok(outcomes) => {
                for (w, outcome) in batch.iter().zip(outcomes) {
                    if Arc::ptr_eq(w, &mine) {
                        own = Some(outcome);
                    } else {
                        *lock(&w.outcome) = Some(outcome);
                    }
                }
            }
            Err(e) => {
                for w in batch.iter().filter(|w| !Arc::ptr_eq(w, &mine)) {
                    *lock(&w.outcome) = Some(Err(copy_error(&e)));
                }
                own = Some(Err(e));
            }
        }
        own.unwrap_or(Err(RepoError::Conflict("grouped write")))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The same failure for another member of a failed group (`RepoError` holds a boxed cause, so it is not
/// `Clone`; the copy keeps the message).
fn copy_error(e: &RepoError) -> RepoError {
    match e {
        RepoError::Duplicate { field } => RepoError::Duplicate { field },
        RepoError::NotFound(what) => RepoError::NotFound(what),
        RepoError::Conflict(what) => RepoError::Conflict(what),
        RepoError::Unavailable(why) => RepoError::Unavailable(why.clone()),
        RepoError::Backend(cause) => {
            RepoError::Backend(Box::new(std::io::Error::other(cause.to_string())))
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

    #[test]
    fn postgres_passwords_are_not_printed() -> Result<(), DbError> {
        let url = DatabaseUrl::parse("postgres://ocf:s3cret@db.internal:5432/ocf")?;
        assert_eq!(url.to_string(), "postgres://ocf:***@db.internal:5432/ocf");
        assert!(!format!("{url:?}").contains("s3cret"));
        Ok(())
    }

    #[test]
    fn a_fresh_sqlite_file_is_created_and_migrated() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let url = DatabaseUrl::Sqlite(dir.path().join("nested/ocf.db"));
        let db = Database::connect(&url, 2)?;
        assert!(!db.migrate()?.is_empty());
        assert!(db.migrate()?.is_empty(), "a second run applies nothing");
        db.ping()?;
        Ok(())
    }

    #[test]
    fn processes_migrating_a_fresh_file_at_once_take_turns()
    -> Result<(), Box<dyn std::error::Error>> {
        for _ in 0..10 {
            let dir = tempfile::tempdir()?;
            let url = DatabaseUrl::Sqlite(dir.path().join("ocf.db"));
            // Separate `Database`s, as separate processes would have: no shared in-process lock.
            let runs: Vec<_> = (0..4)
                .map(|_| {
                    let url = url.clone();
                    std::thread::spawn(move || {
                        Database::connect(&url, 1)
                            .and_then(|db| db.migrate())
                            .map(|applied| applied.len())
                            .map_err(|e| e.to_string())
                    })
                })
                .collect();
            let mut applied = Vec::new();
            for run in runs {
                applied.push(run.join().map_err(|_| "a migration panicked")??);
            }
            applied.sort_unstable();
            assert_eq!(applied[..3], [0, 0, 0], "only one run applies anything");
            assert!(applied[3] > 0);
        }
        Ok(())
    }

    #[test]
    fn grouped_writes_each_get_their_own_outcome_and_a_failure_rolls_back_alone()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let db = Arc::new(Database::connect(
            &DatabaseUrl::Sqlite(dir.path().join("ocf.db")),
            8,
        )?);
        db.write(|conn| {
            conn.batch_execute("CREATE TABLE scratch (x INTEGER PRIMARY KEY)")?;
            Ok(())
        })?;
        // 64 writers at once; every eighth inserts a value another one also inserts (a duplicate).
        let threads: Vec<_> = (0..64)
            .map(|i: i64| {
                let db = db.clone();
                std::thread::spawn(move || {
                    let x = if i % 8 == 7 { i - 1 } else { i };
                    let outcome = db.write_grouped(move |conn| {
                        diesel::sql_query("INSERT INTO scratch (x) VALUES ($1)")
                            .bind::<diesel::sql_types::BigInt, _>(x)
                            .execute(conn)?;
                        Ok(x % 2 == 0)
                    });
                    (i, outcome)
                })
            })
            .collect();
        let mut failed = 0;
        for t in threads {
            let (i, outcome) = t.join().map_err(|_| "a writer panicked")?;
            match outcome {
                Ok(even) => assert_eq!(even, (if i % 8 == 7 { i - 1 } else { i }) % 2 == 0),
                Err(RepoError::Backend(_)) => failed += 1,
                Err(e) => return Err(e.into()),
            }
        }
        assert_eq!(failed, 8, "one of each duplicate pair fails");
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let count: Count = db.read(|conn| {
            Ok(diesel::sql_query("SELECT COUNT(*) AS n FROM scratch").get_result(conn)?)
        })?;
        assert_eq!(count.n, 56, "every other write committed");
        Ok(())
    }
}
