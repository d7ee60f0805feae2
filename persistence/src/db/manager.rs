//! The pool's connection manager: how each backend's connection is opened and set up (SQLite's pragmas),
//! and how a broken one is recognised.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::{DatabaseUrl, DbConnection};

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
    pub(super) url: DatabaseUrl,
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

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use crate::db::{Database, DatabaseUrl};

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
}
