//! Storage errors become domain errors here, inside the adapter.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use ocf_domain::RepoError;

/// The error type of closures run inside a transaction: a diesel failure or a domain outcome.
#[derive(Debug)]
pub(crate) enum TxError {
    Db(DieselError),
    Repo(RepoError),
}

impl From<DieselError> for TxError {
    fn from(e: DieselError) -> Self {
        Self::Db(e)
    }
}

impl From<RepoError> for TxError {
    fn from(e: RepoError) -> Self {
        Self::Repo(e)
    }
}

impl From<TxError> for RepoError {
    fn from(e: TxError) -> Self {
        match e {
            TxError::Db(e) => backend(e),
            TxError::Repo(e) => e,
        }
    }
}

pub(crate) fn backend(e: impl std::error::Error + Send + Sync + 'static) -> RepoError {
    RepoError::Backend(Box::new(e))
}

/// Maps a unique-constraint violation to `Duplicate { field }`, anything else to `Backend`.
pub(crate) fn unique(field: &'static str) -> impl Fn(DieselError) -> TxError {
    move |e| match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            TxError::Repo(RepoError::Duplicate { field })
        }
        other => TxError::Db(other),
    }
}

/// A stored value that no longer parses into its domain type: the data is corrupt, not the request.
#[derive(Debug, thiserror::Error)]
#[error("stored {what} is invalid: {detail}")]
pub(crate) struct CorruptRow {
    pub what: &'static str,
    pub detail: String,
}

pub(crate) fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> TxError {
    TxError::Repo(backend(CorruptRow {
        what,
        detail: detail.to_string(),
    }))
}

/// Maps a foreign-key violation to `NotFound(what)` (a dangling reference), anything else to `Backend`.
pub(crate) fn dangling(what: &'static str) -> impl Fn(DieselError) -> TxError {
    move |e| match e {
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
            TxError::Repo(RepoError::NotFound(what))
        }
        other => TxError::Db(other),
    }
}
