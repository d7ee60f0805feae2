//! SQLite group commit: small writes waiting for the single writer commit together (see
//! [`Database::write_grouped`]).

use std::sync::{Arc, Mutex};

use diesel::prelude::*;
use ocf_domain::RepoError;

use crate::db::{Backend, Database, DbConnection, unavailable};
use crate::error::TxError;

/// The work of one grouped write, and its outcome once a leader has run it (the work keeps its own value).
pub(crate) type GroupedWork = Box<dyn FnOnce(&mut DbConnection) -> Result<(), TxError> + Send>;

pub(crate) struct GroupedWrite {
    work: Mutex<Option<GroupedWork>>,
    outcome: Mutex<Option<Result<(), RepoError>>>,
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
        if self.backend() == Backend::Postgres {
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
            crate::db::write_transaction(conn, |conn| {
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

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;

    use super::*;
    use crate::db::DatabaseUrl;

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
