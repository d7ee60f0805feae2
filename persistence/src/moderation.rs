//! `ModerationRepository`: reports, automatic hiding, decisions and the public log.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use ocf_domain::account::UserId;
use ocf_domain::moderation::{
    LogEntry, ModerationAction, Report, ReportDecision, ReportId, ReportReason,
};
use ocf_domain::ports::ModerationRepository;
use ocf_domain::proposal::{ActorRole, EventKind, Proposal, ProposalEvent};
use ocf_domain::{Id, Page, PageRequest, RepoError};

use crate::db::{Database, DbConnection};
use crate::error::{TxError, corrupt, unique};
use crate::proposals::{insert_event, save};
use crate::schema::{moderation_log, proposals, reports};
use crate::time::{from_db, to_db};

const PROPOSAL: &str = "proposal";

fn insert_log(conn: &mut DbConnection, e: &LogEntry, actor: Option<UserId>) -> Result<(), TxError> {
    diesel::insert_into(moderation_log::table)
        .values((
            moderation_log::id.eq(e.id.to_string()),
            moderation_log::action.eq(e.action.as_str()),
            moderation_log::target_type.eq(PROPOSAL),
            moderation_log::target_id.eq(e.proposal_id.to_string()),
            moderation_log::reason.eq(e.reason.as_deref()),
            moderation_log::actor_role.eq(e.actor_role.as_str()),
            moderation_log::actor_id.eq(actor.map(|a| a.to_string())),
            moderation_log::created_at.eq(to_db(e.created_at)),
        ))
        .execute(conn)?;
    Ok(())
}

type ReportRow = (
    String,
    String,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<String>,
);

fn to_report(r: ReportRow) -> Result<Report, TxError> {
    let (id, target, reporter, reason, created, resolved, decision) = r;
    Ok(Report {
        id: Id::parse(&id).map_err(|e| corrupt("report id", e))?,
        proposal_id: Id::parse(&target).map_err(|e| corrupt("report target", e))?,
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

const REPORT_COLUMNS: (
    reports::id,
    reports::target_id,
    reports::reporter_id,
    reports::reason,
    reports::created_at,
    reports::resolved_at,
    reports::decision,
) = (
    reports::id,
    reports::target_id,
    reports::reporter_id,
    reports::reason,
    reports::created_at,
    reports::resolved_at,
    reports::decision,
);

impl ModerationRepository for Database {
    fn file_report(&self, report: &Report, threshold: i64) -> Result<bool, RepoError> {
        self.write(|conn| {
            let target = report.proposal_id.to_string();
            diesel::insert_into(reports::table)
                .values((
                    reports::id.eq(report.id.to_string()),
                    reports::target_type.eq(PROPOSAL),
                    reports::target_id.eq(&target),
                    reports::reporter_id.eq(report.reporter_id.to_string()),
                    reports::reason.eq(report.reason.as_str()),
                    reports::created_at.eq(to_db(report.created_at)),
                ))
                .execute(conn)
                .map_err(unique("report"))?;
            let open: i64 = reports::table
                .filter(reports::target_type.eq(PROPOSAL))
                .filter(reports::target_id.eq(&target))
                .filter(reports::resolved_at.is_null())
                .count()
                .get_result(conn)?;
            if open < threshold {
                return Ok(false);
            }
            let hidden = diesel::update(
                proposals::table
                    .filter(proposals::id.eq(&target))
                    .filter(proposals::hidden.eq(false)),
            )
            .set((
                proposals::hidden.eq(true),
                proposals::version.eq(proposals::version + 1),
            ))
            .execute(conn)?;
            if hidden == 0 {
                return Ok(false);
            }
            let reason =
                format!("hidden automatically after {open} reports, until a moderator decides");
            let mut event = ProposalEvent::new(
                report.proposal_id,
                EventKind::Hidden,
                ActorRole::System,
                report.created_at,
            );
            event.reason = Some(reason.clone());
            insert_event(conn, &event, None)?;
            let entry = LogEntry {
                id: Id::generate(),
                action: ModerationAction::AutoHide,
                proposal_id: report.proposal_id,
                reason: Some(reason),
                actor_role: ActorRole::System,
                created_at: report.created_at,
            };
            insert_log(conn, &entry, None)?;
            Ok(true)
        })
    }

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

    fn resolve_reports(
        &self,
        proposal: &Proposal,
        event: Option<&ProposalEvent>,
        decision: ReportDecision,
        reason: &str,
        actor: UserId,
        actor_role: ActorRole,
        now: DateTime<Utc>,
    ) -> Result<usize, RepoError> {
        self.write(|conn| {
            let resolved = diesel::update(
                reports::table
                    .filter(reports::target_type.eq(PROPOSAL))
                    .filter(reports::target_id.eq(proposal.id.to_string()))
                    .filter(reports::resolved_at.is_null()),
            )
            .set((
                reports::resolved_at.eq(to_db(now)),
                reports::decision.eq(decision.as_str()),
                reports::resolved_by.eq(actor.to_string()),
            ))
            .execute(conn)?;
            if resolved == 0 {
                return Err(RepoError::Conflict("report").into());
            }
            if let Some(event) = event {
                save(conn, proposal)?;
                insert_event(conn, event, Some(actor))?;
            }
            let action = match decision {
                ReportDecision::Uphold => ModerationAction::ReportUpheld,
                ReportDecision::Dismiss => ModerationAction::ReportDismissed,
            };
            let entry = LogEntry {
                id: Id::generate(),
                action,
                proposal_id: proposal.id,
                reason: Some(reason.to_owned()),
                actor_role,
                created_at: now,
            };
            insert_log(conn, &entry, Some(actor))?;
            Ok(resolved)
        })
    }

    fn moderate(
        &self,
        proposal: &Proposal,
        event: &ProposalEvent,
        entry: &LogEntry,
        actor: UserId,
    ) -> Result<(), RepoError> {
        self.write(|conn| {
            save(conn, proposal)?;
            insert_event(conn, event, Some(actor))?;
            insert_log(conn, entry, Some(actor))
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
                    moderation_log::target_id,
                    moderation_log::reason,
                    moderation_log::actor_role,
                    moderation_log::created_at,
                ))
                .into_boxed();
            if let Some(after) = &page.after {
                q = q.filter(moderation_log::id.lt(after.clone()));
            }
            let rows: Vec<(
                String,
                String,
                String,
                Option<String>,
                String,
                NaiveDateTime,
            )> = q
                .order(moderation_log::id.desc())
                .limit(page.fetch_limit())
                .load(conn)?;
            let items = rows
                .into_iter()
                .map(|(id, action, target, reason, role, at)| {
                    Ok(LogEntry {
                        id: Id::parse(&id).map_err(|e| corrupt("log id", e))?,
                        action: ModerationAction::parse(&action)
                            .map_err(|e| corrupt("log action", e))?,
                        proposal_id: Id::parse(&target).map_err(|e| corrupt("log target", e))?,
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
