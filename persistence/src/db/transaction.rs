//! Transactions: writes begun so that they cannot be refused halfway (SQLite's `IMMEDIATE`), and reads
//! of several statements on one snapshot.

use super::DbConnection;

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
pub(super) fn in_transaction<T, E>(
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

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use ocf_domain::RepoError;

    use crate::db::{Database, DatabaseUrl, DbConnection};
    use crate::error::TxError;

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
}
