//! What a unit of work stores for moderation: reports and the public log.

use chrono::{DateTime, Utc};

use super::{LogEntry, Report, ReportDecision, ReportId, Target};
use crate::RepoError;
use crate::account::UserId;

pub trait ReportStore {
    /// # Errors
    /// [`RepoError::Duplicate`] `{ field: "report" }` when this person reported this target before.
    fn insert(&mut self, report: &Report) -> Result<(), RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn get(&mut self, id: ReportId) -> Result<Option<Report>, RepoError>;

    /// Holds `target` for the rest of the unit of work, so that reports on it are counted one after another
    /// (PostgreSQL: a row lock; SQLite's single writer already takes turns).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn lock_target(&mut self, target: Target) -> Result<(), RepoError>;

    /// How many distinct people have open reports on `target`.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn count_open(&mut self, target: Target) -> Result<i64, RepoError>;

    /// Resolves every open report on `target` with `decision`; returns the ids resolved.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn resolve_open(
        &mut self,
        target: Target,
        decision: ReportDecision,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<ReportId>, RepoError>;

    /// Adds an entry to the public moderation log (`actor` is kept privately).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn log(&mut self, entry: &LogEntry, actor: Option<UserId>) -> Result<(), RepoError>;
}

/// The read side of moderation: the report queue and the public log.
pub trait ModerationQueries {
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn report(&self, id: ReportId) -> Result<Option<Report>, RepoError>;

    /// Reports, oldest first; only open ones unless `resolved` is true (then only resolved ones).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn list_reports(
        &self,
        resolved: bool,
        page: &crate::PageRequest<String>,
    ) -> Result<crate::Page<Report, String>, RepoError>;

    /// The public moderation log, newest first.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn moderation_log(
        &self,
        page: &crate::PageRequest<String>,
    ) -> Result<crate::Page<LogEntry, String>, RepoError>;
}
