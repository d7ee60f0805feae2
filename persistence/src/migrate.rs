//! Embedded migrations, applied on start-up by every instance in turn, and up to a given version for
//! upgrade tests.

use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::db::{Database, DatabaseUrl, DbConnection, DbError};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Any number will do, as long as it is the same for every instance: it serialises concurrent migrations.
const MIGRATION_LOCK_KEY: i64 = 0x0CF_0001;

impl Database {
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
