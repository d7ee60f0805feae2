//! The moderation use cases, for every kind of content alike.

use chrono::{DateTime, Utc};

use super::{
    AutoHide, LogEntry, ModerationAction, ModerationError, Report, ReportDecision, ReportId,
    ReportReason, Subject, Target,
};
use crate::actor::{Actor, ActorRole, Visibility};
use crate::error::UseCaseError;
use crate::event::{Event, EventPayload, EventType};
use crate::proposal::Reason;
use crate::uow::UnitOfWork;
use crate::{Id, RepoError};

/// The content `actor` may see, or "not found".
///
/// # Errors
/// [`UseCaseError::NotFound`].
pub fn load_visible(
    uow: &mut dyn UnitOfWork,
    actor: Option<&Actor>,
    target: Target,
) -> Result<Subject, UseCaseError> {
    Subject::load(uow, target)?
        .filter(|s| s.visible_to(Visibility::for_viewer(actor)))
        .ok_or_else(|| UseCaseError::not_found(format!("{} not found", target.kind())))
}

fn log(
    uow: &mut dyn UnitOfWork,
    action: ModerationAction,
    target: Target,
    reason: String,
    role: ActorRole,
    actor: Option<&Actor>,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    let entry = LogEntry {
        id: Id::generate(),
        action,
        target,
        reason: Some(reason),
        actor_role: role,
        created_at: now,
    };
    uow.reports().log(&entry, actor.map(|a| a.user_id))
}

fn report_event(
    event_type: EventType,
    report: ReportId,
    target: Target,
    actor: &Actor,
    role: ActorRole,
    now: DateTime<Utc>,
) -> Event {
    Event::new(event_type, report, role, Some(actor.user_id), now).with_payload(EventPayload {
        related_id: Some(target.id()),
        related_kind: Some(target.kind().as_str().to_owned()),
        ..EventPayload::default()
    })
}

/// Files a report; when the target now has enough distinct open reports ([`AutoHide`]), it is hidden
/// until a moderator decides, with its event and a log entry by `system`, in the same unit of work.
///
/// # Errors
/// Not found, reporting one's own content, or a repeated report.
pub fn file_report(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    target: Target,
    reason: ReportReason,
    now: DateTime<Utc>,
) -> Result<Report, UseCaseError> {
    // Reports on one target take turns: two arriving together cannot both count one short of the threshold.
    uow.reports().lock_target(target)?;
    let mut subject = load_visible(uow, Some(actor), target)?;
    let report = Report::file(actor.user_id, &subject, reason, now)?;
    uow.reports().insert(&report)?;
    // A live forum's stream carries reports on its comments to moderators. Its events are appended after
    // every row this use case writes, so it never waits for a row while holding the stream's turn.
    let filed = report_event(
        EventType::ReportFiled,
        report.id,
        target,
        actor,
        ActorRole::Author,
        now,
    )
    .in_forum(subject.forum());
    let open = uow.reports().count_open(target)?;
    let rule = AutoHide::DEFAULT;
    let mut hidden = None;
    // A concurrent report may hide it first: then its version moved, so read it again and re-decide.
    for _ in 0..3 {
        if !rule.applies(open, subject.hidden()) {
            break;
        }
        let reason = rule.reason(open);
        let Some(event) =
            subject.set_hidden(true, Some(reason.clone()), ActorRole::System, None, now)
        else {
            break;
        };
        match subject.save(uow) {
            Ok(()) => {
                log(
                    uow,
                    ModerationAction::AutoHide,
                    target,
                    reason,
                    ActorRole::System,
                    None,
                    now,
                )?;
                hidden = Some(event);
                break;
            }
            Err(RepoError::Conflict(_)) => {
                subject = Subject::load(uow, target)?.ok_or_else(|| {
                    UseCaseError::not_found(format!("{} not found", target.kind()))
                })?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    uow.events().append(&filed)?;
    if let Some(event) = hidden {
        uow.events().append(&event)?;
    }
    Ok(report)
}

/// Staff decide on a report: every open report on the same target is resolved alike, and the target is
/// hidden (uphold) or shown (dismiss), in one unit of work.
///
/// # Errors
/// Not found, already resolved, or a concurrent decision.
pub fn resolve(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    report_id: ReportId,
    decision: ReportDecision,
    reason: Reason,
    now: DateTime<Utc>,
) -> Result<(usize, Subject), UseCaseError> {
    let report = uow
        .reports()
        .get(report_id)?
        .ok_or_else(|| UseCaseError::not_found("report not found"))?;
    if report.resolved_at.is_some() {
        return Err(ModerationError::AlreadyResolved.into());
    }
    let mut subject = load_visible(uow, Some(actor), report.target)?;
    let role = actor.staff_role();
    let hide = decision == ReportDecision::Uphold;
    let event = subject.set_hidden(
        hide,
        Some(reason.as_str().to_owned()),
        role,
        Some(actor.user_id),
        now,
    );
    let resolved = uow
        .reports()
        .resolve_open(report.target, decision, actor.user_id, now)?;
    if resolved.is_empty() {
        return Err(RepoError::Conflict("report").into());
    }
    if let Some(event) = event {
        subject.save(uow)?;
        uow.events().append(&event)?;
    }
    for id in &resolved {
        let mut e = report_event(
            EventType::ReportResolved,
            *id,
            report.target,
            actor,
            role,
            now,
        );
        e.payload.to_status = Some(decision.as_str().to_owned());
        uow.events().append(&e.in_forum(subject.forum()))?;
    }
    let action = match decision {
        ReportDecision::Uphold => ModerationAction::ReportUpheld,
        ReportDecision::Dismiss => ModerationAction::ReportDismissed,
    };
    log(
        uow,
        action,
        report.target,
        reason.as_str().to_owned(),
        role,
        Some(actor),
        now,
    )?;
    Ok((resolved.len(), subject))
}

/// Staff hide (`hide`) or show content, with its event and a log entry.
///
/// # Errors
/// Not found, already so, or a concurrent change.
pub fn set_hidden(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    target: Target,
    hide: bool,
    reason: Reason,
    now: DateTime<Utc>,
) -> Result<Subject, UseCaseError> {
    let mut subject = load_visible(uow, Some(actor), target)?;
    let role = actor.staff_role();
    let event = subject
        .set_hidden(
            hide,
            Some(reason.as_str().to_owned()),
            role,
            Some(actor.user_id),
            now,
        )
        .ok_or(if hide {
            ModerationError::AlreadyHidden
        } else {
            ModerationError::NotHidden
        })?;
    subject.save(uow)?;
    uow.events().append(&event)?;
    let action = if hide {
        ModerationAction::Hide
    } else {
        ModerationAction::Unhide
    };
    log(
        uow,
        action,
        target,
        reason.as_str().to_owned(),
        role,
        Some(actor),
        now,
    )?;
    Ok(subject)
}
