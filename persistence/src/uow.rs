//! The domain's unit of work on a diesel transaction: [`Database::transact`] runs a use case inside one
//! transaction and commits exactly when it returns `Ok`. Each repository a use case reaches through the
//! [`UnitOfWork`] is the same transaction's connection.

use std::sync::{Arc, Mutex};

use ocf_domain::RepoError;
use ocf_domain::comment::CommentStore;
use ocf_domain::event::EventLog;
use ocf_domain::follow::FollowStore;
use ocf_domain::forum::ForumStore;
use ocf_domain::forum::registration::RegistrationStore;
use ocf_domain::moderation::ReportStore;
use ocf_domain::proposal::ProposalStore;
use ocf_domain::referral::ReferralStore;
use ocf_domain::topic::TopicStore;
use ocf_domain::uow::UnitOfWork;

use crate::db::{Backend, Database, DbConnection, unavailable};
use crate::error::{TxError, backend as storage_failure};

/// One open transaction (or, for [`Database::transact_grouped`] on PostgreSQL, one connection whose
/// statements each commit on their own).
pub(crate) struct Tx<'c> {
    pub conn: &'c mut DbConnection,
    pub backend: Backend,
    /// Whether it appended an event to a live stream (the stream hook runs after it commits).
    pub streamed: bool,
}

impl<'c> Tx<'c> {
    pub(crate) fn new(conn: &'c mut DbConnection, backend: Backend) -> Self {
        Self {
            conn,
            backend,
            streamed: false,
        }
    }
}

impl Tx<'_> {
    /// Runs storage work, turning its failure into the domain's error.
    pub(crate) fn run<T>(
        &mut self,
        f: impl FnOnce(&mut DbConnection, Backend) -> Result<T, TxError>,
    ) -> Result<T, RepoError> {
        f(self.conn, self.backend).map_err(RepoError::from)
    }
}

impl UnitOfWork for Tx<'_> {
    fn proposals(&mut self) -> &mut dyn ProposalStore {
        self
    }
    fn topics(&mut self) -> &mut dyn TopicStore {
        self
    }
    fn reports(&mut self) -> &mut dyn ReportStore {
        self
    }
    fn events(&mut self) -> &mut dyn EventLog {
        self
    }
    fn forums(&mut self) -> &mut dyn ForumStore {
        self
    }
    fn registrations(&mut self) -> &mut dyn RegistrationStore {
        self
    }
    fn comments(&mut self) -> &mut dyn CommentStore {
        self
    }
    fn referrals(&mut self) -> &mut dyn ReferralStore {
        self
    }
    fn channel_records(&mut self) -> &mut dyn ocf_domain::partner::ChannelRecordStore {
        self
    }
    fn follows(&mut self) -> &mut dyn FollowStore {
        self
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Database {
    /// Runs the use case `f` in one transaction: everything it stores and every event it appends commit
    /// together when it returns `Ok`, and nothing does when it returns `Err` (its error is returned as is).
    ///
    /// # Errors
    /// `f`'s error, or a storage failure (no connection, a failed commit) as `E`.
    pub fn transact<T, E>(
        &self,
        f: impl FnOnce(&mut dyn UnitOfWork) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<RepoError>,
    {
        let _turn = self.writer_turn();
        let mut conn = self.conn().map_err(|e| E::from(unavailable(e)))?;
        let backend = self.backend();
        let mut refused: Option<E> = None;
        let mut streamed = false;
        let conn: &mut DbConnection = &mut conn;
        let done = crate::db::write_transaction(conn, |conn| {
            let mut tx = Tx::new(conn, backend);
            let out = f(&mut tx).map_err(|e| {
                refused = Some(e);
                diesel::result::Error::RollbackTransaction
            });
            streamed = tx.streamed;
            out
        });
        if done.is_ok() && streamed {
            self.stream_committed();
        }
        done.map_err(|e| {
            refused
                .take()
                .unwrap_or_else(|| E::from(storage_failure(e)))
        })
    }

    /// Runs a small use case whose only write is one statement (a support, a vote), so that a burst of
    /// them stays cheap: on SQLite it joins the other small writes waiting for the writer and commits
    /// with them (group commit; it rolls back alone if it fails), and on PostgreSQL its statement commits
    /// by itself, without `BEGIN`/`COMMIT` round trips. A use case that writes twice must use
    /// [`Database::transact`], and so must one that appends a live stream's event (the stream's
    /// advisory lock lasts a transaction: see `docs/EVENTS.md`, "Live streams").
    ///
    /// # Errors
    /// As [`Database::transact`].
    pub fn transact_grouped<T, E>(
        &self,
        f: impl FnOnce(&mut dyn UnitOfWork) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<RepoError> + Send + 'static,
    {
        let backend = self.backend();
        if backend == Backend::Postgres {
            let mut conn = self.conn().map_err(|e| E::from(unavailable(e)))?;
            let mut tx = Tx::new(&mut conn, backend);
            let out = f(&mut tx);
            if out.is_ok() && tx.streamed {
                self.stream_committed();
            }
            return out;
        }
        self.grouped_on_sqlite(f)
    }

    /// Runs a small use case of a few statements that arrives in bursts (a comment, a like): on SQLite it
    /// joins the group commit like [`Database::transact_grouped`], in a savepoint of its own, so it stays
    /// atomic and rolls back alone; on PostgreSQL, which has many writers, it is one transaction of its
    /// own, as [`Database::transact`].
    ///
    /// # Errors
    /// As [`Database::transact`].
    pub fn transact_batched<T, E>(
        &self,
        f: impl FnOnce(&mut dyn UnitOfWork) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<RepoError> + Send + 'static,
    {
        if self.backend() == Backend::Postgres {
            return self.transact(f);
        }
        self.grouped_on_sqlite(f)
    }

    /// SQLite's group commit for a use case: its own savepoint inside the leader's transaction.
    fn grouped_on_sqlite<T, E>(
        &self,
        f: impl FnOnce(&mut dyn UnitOfWork) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<RepoError> + Send + 'static,
    {
        let backend = self.backend();
        let refused: Arc<Mutex<Option<E>>> = Arc::new(Mutex::new(None));
        let slot = refused.clone();
        let streamed = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = streamed.clone();
        let done = self.write_grouped(move |conn| {
            let mut tx = Tx::new(conn, backend);
            let out = f(&mut tx).map_err(|e| {
                *lock(&slot) = Some(e);
                TxError::Repo(RepoError::Conflict("refused"))
            });
            flag.store(tx.streamed, std::sync::atomic::Ordering::Relaxed);
            out
        });
        // `write_grouped` returns once the group has committed.
        if done.is_ok() && streamed.load(std::sync::atomic::Ordering::Relaxed) {
            self.stream_committed();
        }
        done.map_err(|e| lock(&refused).take().unwrap_or_else(|| E::from(e)))
    }
}
