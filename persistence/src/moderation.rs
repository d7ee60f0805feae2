//! Moderation in storage: reports and the public log, for every kind of target (`target_type`,
//! `target_id`). `ReportStore` works inside a unit of work; `ModerationQueries` is the read side.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use ocf_domain::account::UserId;
use ocf_domain::actor::ActorRole;
use ocf_domain::moderation::{
    LogEntry, ModerationAction, ModerationQueries, Report, ReportDecision, ReportId, ReportReason,
    ReportStore, Target,
};
use ocf_domain::{Id, Page, PageRequest, RepoError};

use crate::db::{Backend, Database};
use crate::error::{TxError, corrupt, unique};
use crate::schema::{moderation_log, reports};
use crate::time::{from_db, to_db};
use crate::uow::Tx;

type ReportRow = (
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<String>,
);

const REPORT_COLUMNS: (
    reports::id,
    reports::target_type,
    reports::target_id,
    reports::reporter_id,
    reports::reason,
    reports::created_at,
    reports::resolved_at,
    reports::decision,
) = (
    reports::id,
    reports::target_type,
    reports::target_id,
    reports::reporter_id,
    reports::reason,
    reports::created_at,
    reports::resolved_at,
    reports::decision,
);

fn to_report(r: ReportRow) -> Result<Report, TxError> {
    let (id, kind, target, reporter, reason, created, resolved, decision) = r;
    Ok(Report {
        id: Id::parse(&id).map_err(|e| corrupt("report id", e))?,
        target: Target::parse(&kind, &target).map_err(|e| corrupt("report target", e))?,
        reporter_id: Id::parse(&reporter).map_err(|e| corrupt("reporter", e))?,
        reason: ReportReason::parse(&reason).map_err(|e| corrupt("report reason", e))?,
        created_at: from_db(created),
        resolved_at: resolved.map(from_db),
        decision: decision
            .as_deref()
            .map(ReportDecision::parse)
            .transpose()
            .map_err(|e| corrupt("report decision", e))?,
    })
}

/// The open reports on a target.
macro_rules! open_reports {
    ($target:expr) => {
        reports::table
            .filter(reports::target_type.eq($target.kind().as_str()))
            .filter(reports::target_id.eq($target.id()))
            .filter(reports::resolved_at.is_null())
    };
}

impl ReportStore for Tx<'_> {
    fn insert(&mut self, report: &Report) -> Result<(), RepoError> {
        self.run(|conn, _| {
            diesel::insert_into(reports::table)
                .values((
                    reports::id.eq(report.id.to_string()),
                    reports::target_type.eq(report.target.kind().as_str()),
                    reports::target_id.eq(report.target.id()),
                    reports::reporter_id.eq(report.reporter_id.to_string()),
                    reports::reason.eq(report.reason.as_str()),
                    reports::created_at.eq(to_db(report.created_at)),
                ))
                .execute(conn)
                .map_err(unique("report"))?;
            Ok(())
        })
    }

    fn get(&mut self, id: ReportId) -> Result<Option<Report>, RepoError> {
        self.run(|conn, _| {
            reports::table
                .filter(reports::id.eq(id.to_string()))
                .select(REPORT_COLUMNS)
                .first::<ReportRow>(conn)
                .optional()?
                .map(to_report)
                .transpose()
        })
    }

    fn lock_target(&mut self, target: Target) -> Result<(), RepoError> {
        self.run(|conn, backend| {
            if backend == Backend::Postgres {
                let table = match target {
                    Target::Proposal(_) => "proposals",
                    Target::Topic(_) => "topics",
                    Target::Comment(_) => "comments",
                };
                diesel::sql_query(format!("SELECT id FROM {table} WHERE id = $1 FOR UPDATE"))
                    .bind::<diesel::sql_types::Text, _>(target.id())
                    .execute(conn)?;
            }
            Ok(())
        })
    }

    fn count_open(&mut self, target: Target) -> Result<i64, RepoError> {
        self.run(|conn, _| Ok(open_reports!(target).count().get_result(conn)?))
    }

    fn resolve_open(
        &mut self,
        target: Target,
        decision: ReportDecision,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<ReportId>, RepoError> {
        self.run(|conn, _| {
            let ids: Vec<String> = open_reports!(target).select(reports::id).load(conn)?;
            let resolved = diesel::update(
                reports::table
                    .filter(reports::id.eq_any(&ids))
                    .filter(reports::resolved_at.is_null()),
            )
            .set((
                reports::resolved_at.eq(to_db(now)),
                reports::decision.eq(decision.as_str()),
                reports::resolved_by.eq(by.to_string()),
            ))
            .execute(conn)?;
            if resolved != ids.len() {
                // Another moderator resolved some of them meanwhile.
                return Err(RepoError::Conflict("report").into());
            }
            ids.iter()
                .map(|id| Id::parse(id).map_err(|e| corrupt("report id", e)))
                .collect()
        })
    }

    fn log(&mut self, e: &LogEntry, actor: Option<UserId>) -> Result<(), RepoError> {
        self.run(|conn, _| {
            diesel::insert_into(moderation_log::table)
                .values((
                    moderation_log::id.eq(e.id.to_string()),
                    moderation_log::action.eq(e.action.as_str()),
                    moderation_log::target_type.eq(e.target.kind().as_str()),
                    moderation_log::target_id.eq(e.target.id()),
                    moderation_log::reason.eq(e.reason.as_deref()),
                    moderation_log::actor_role.eq(e.actor_role.as_str()),
                    moderation_log::actor_id.eq(actor.map(|a| a.to_string())),
                    moderation_log::created_at.eq(to_db(e.created_at)),
                ))
                .execute(conn)?;
            Ok(())
        })
    }
}

impl ModerationQueries for Database {
    fn report(&self, id: ReportId) -> Result<Option<Report>, RepoError> {
        self.read(|conn| {
            reports::table
                .filter(reports::id.eq(id.to_string()))
                .select(REPORT_COLUMNS)
                .first::<ReportRow>(conn)
                .optional()?
                .map(to_report)
                .transpose()
        })
    }

    fn list_reports(
        &self,
        resolved: bool,
        page: &PageRequest<String>,
    ) -> Result<Page<Report, String>, RepoError> {
        self.read(|conn| {
            let mut q = reports::table.select(REPORT_COLUMNS).into_boxed();
            q = if resolved {
                q.filter(reports::resolved_at.is_not_null())
            } else {
                q.filter(reports::resolved_at.is_null())
            };
            if let Some(after) = &page.after {
                q = q.filter(reports::id.gt(after.clone()));
            }
            let rows: Vec<ReportRow> = q
                .order(reports::id.asc())
                .limit(page.fetch_limit())
                .load(conn)?;
            let items = rows
                .into_iter()
                .map(to_report)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page::from_rows(items, page, |r| r.id.to_string()))
        })
    }

    fn moderation_log(
        &self,
        page: &PageRequest<String>,
    ) -> Result<Page<LogEntry, String>, RepoError> {
        self.read(|conn| {
            let mut q = moderation_log::table
                .select((
                    moderation_log::id,
                    moderation_log::action,
                    moderation_log::target_type,
                    moderation_log::target_id,
                    moderation_log::reason,
                    moderation_log::actor_role,
                    moderation_log::created_at,
                ))
                .into_boxed();
            if let Some(after) = &page.after {
                q = q.filter(moderation_log::id.lt(after.clone()));
            }
            type Row = (
                String,
                String,
                String,
                String,
                Option<String>,
                String,
                NaiveDateTime,
            );
            let rows: Vec<Row> = q
                .order(moderation_log::id.desc())
                .limit(page.fetch_limit())
                .load(conn)?;
            let items = rows
                .into_iter()
                .map(|(id, action, kind, target, reason, role, at)| {
                    Ok(LogEntry {
                        id: Id::parse(&id).map_err(|e| corrupt("log id", e))?,
                        action: ModerationAction::parse(&action)
                            .map_err(|e| corrupt("log action", e))?,
                        target: Target::parse(&kind, &target)
                            .map_err(|e| corrupt("log target", e))?,
                        reason,
                        actor_role: ActorRole::parse(&role).map_err(|e| corrupt("log actor", e))?,
                        created_at: from_db(at),
                    })
                })
                .collect::<Result<Vec<_>, TxError>>()?;
            Ok(Page::from_rows(items, page, |e| e.id.to_string()))
        })
    }
}
