//! Bulk loading of past reviews and referrals, for seeding a data set with a full history (the
//! benchmark's funnel at 1M proposals): each proposal's status changes as `proposal.status_changed`
//! events, and each referral with its first hop and its steps' events, as the use cases would have
//! written them.

use chrono::{DateTime, Utc};
use diesel::connection::SimpleConnection;
use ocf_domain::RepoError;
use ocf_domain::account::UserId;
use ocf_domain::organization::OrganizationId;
use ocf_domain::proposal::{ProposalId, ProposalStatus};
use ocf_domain::referral::{Decision, Referral, ReferralStatus};

use crate::bulk::{insert_rows, lit, opt, ts};
use crate::db::Database;
use crate::error::TxError;

/// A referral as it stands after its steps (each `None` not reached).
#[derive(Debug, Clone)]
pub struct PastReferral {
    pub year: i32,
    pub serial: i64,
    pub organization_id: OrganizationId,
    pub sent_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub answered: Option<(DateTime<Utc>, Decision)>,
    pub completed_at: Option<DateTime<Utc>>,
}

impl PastReferral {
    fn status(&self) -> ReferralStatus {
        match (self.acknowledged_at, self.answered, self.completed_at) {
            (_, _, Some(_)) => ReferralStatus::Implemented,
            (_, Some((_, Decision::NotAccepted)), _) => ReferralStatus::Closed,
            (_, Some(_), _) => ReferralStatus::Answered,
            (Some(_), None, _) => ReferralStatus::Acknowledged,
            (None, None, _) => ReferralStatus::Sent,
        }
    }
}

/// One proposal's past: the status changes staff made, in order, and its referral.
#[derive(Debug, Clone)]
pub struct PastReview {
    pub proposal_id: ProposalId,
    pub moderator: UserId,
    /// `(from, to, at)`, oldest first.
    pub changes: Vec<(ProposalStatus, ProposalStatus, DateTime<Utc>)>,
    pub referral: Option<PastReferral>,
}

fn event(
    aggregate: (&str, &str),
    event_type: &str,
    actor: (&str, &UserId),
    at: DateTime<Utc>,
    payload: &str,
    about: Option<&str>,
) -> Result<String, TxError> {
    Ok(format!(
        "({}, {}, {}, {}, {}, {}, {}, {}, {})",
        lit(&ocf_domain::Id::<()>::generate().to_string())?,
        lit(aggregate.0)?,
        lit(aggregate.1)?,
        lit(event_type)?,
        lit(actor.0)?,
        lit(&actor.1.to_string())?,
        ts(at),
        lit(payload)?,
        opt(about)?,
    ))
}

impl Database {
    /// Stores the reviews' status changes and referrals (with their first hops and events), and sets
    /// each referred proposal's status to follow its referral, in one transaction. The proposals, the
    /// organizations and the moderators must exist; serials must be new (the year's document counter
    /// moves past them).
    ///
    /// # Errors
    /// [`RepoError::Backend`] on any failure; nothing is stored then.
    pub fn bulk_insert_history(&self, reviews: &[PastReview]) -> Result<(), RepoError> {
        self.write(|conn| {
            let mut events = Vec::new();
            let mut referrals = Vec::new();
            let mut hops = Vec::new();
            let mut follows: Vec<(ProposalStatus, String)> = Vec::new();
            for r in reviews {
                let pid = r.proposal_id.to_string();
                for (from, to, at) in &r.changes {
                    let payload = format!(
                        "{{\"from_status\":\"{}\",\"to_status\":\"{}\"}}",
                        from.as_str(),
                        to.as_str()
                    );
                    events.push(event(
                        ("proposal", &pid),
                        "proposal.status_changed",
                        ("moderator", &r.moderator),
                        *at,
                        &payload,
                        None,
                    )?);
                }
                let Some(f) = &r.referral else {
                    continue;
                };
                let id = ocf_domain::Id::<()>::generate().to_string();
                let org = f.organization_id.to_string();
                let status = f.status();
                let answered_at = f.answered.map(|(at, _)| at);
                let decision = f.answered.map(|(_, d)| d.as_str());
                let last = [Some(f.sent_at), f.acknowledged_at, answered_at, f.completed_at]
                    .into_iter()
                    .flatten()
                    .max()
                    .unwrap_or(f.sent_at);
                let when = |t: Option<DateTime<Utc>>| t.map_or_else(|| "NULL".to_owned(), ts);
                referrals.push(format!(
                    "({}, {}, {}, {}, 'proposal', {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, 1)",
                    lit(&id)?,
                    lit(&Referral::document_number(f.year, f.serial))?,
                    f.year,
                    f.serial,
                    lit(&pid)?,
                    lit(&org)?,
                    lit(status.as_str())?,
                    lit("국민제안 심사 결과 채택된 제안을 송부합니다.")?,
                    lit(&r.moderator.to_string())?,
                    ts(f.sent_at),
                    ts(f.due_at),
                    when(f.acknowledged_at),
                    opt(decision)?,
                    opt(decision.map(|_| "검토 결과를 회신합니다."))?,
                    opt(decision
                        .filter(|d| *d != Decision::NotAccepted.as_str())
                        .map(|_| "국정과제 연계"))?,
                    when(answered_at),
                    when(f.completed_at),
                    ts(last),
                ));
                hops.push(format!(
                    "({}, 0, {}, NULL, {}, {}, FALSE)",
                    lit(&id)?,
                    lit(&org)?,
                    ts(f.sent_at),
                    ts(f.due_at)
                ));
                let about = format!("proposal:{pid}");
                let steps = [
                    (Some(f.sent_at), "referral.sent", "moderator", "sent"),
                    (f.acknowledged_at, "referral.acknowledged", "official", "acknowledged"),
                    (answered_at, "referral.answered", "official", status.as_str()),
                    (f.completed_at, "referral.completed", "official", "implemented"),
                ];
                for (at, event_type, role, to) in steps {
                    let Some(at) = at else { continue };
                    let mut payload = format!(
                        "{{\"to_status\":\"{to}\",\"related_id\":\"{org}\",\"related_kind\":\"organization\""
                    );
                    if event_type == "referral.answered" {
                        payload.push_str(&format!(",\"decision\":\"{}\"", decision.unwrap_or("")));
                    }
                    payload.push('}');
                    events.push(event(
                        ("referral", &id),
                        event_type,
                        (role, &r.moderator),
                        at,
                        &payload,
                        Some(&about),
                    )?);
                }
                let follow = match status {
                    ReferralStatus::Sent | ReferralStatus::Acknowledged => ProposalStatus::Referred,
                    ReferralStatus::Implemented => ProposalStatus::Implemented,
                    ReferralStatus::Answered | ReferralStatus::Closed => ProposalStatus::Answered,
                };
                follows.push((follow, lit(&pid)?));
            }
            insert_rows(
                conn,
                "INSERT INTO referrals (id, number, year, serial, subject_kind, subject_id, \
                 organization_id, status, cover_note, sent_by, sent_at, due_at, acknowledged_at, \
                 decision, reasoning, policy_task, answered_at, completed_at, updated_at, version)",
                referrals,
            )?;
            insert_rows(
                conn,
                "INSERT INTO referral_hops (referral_id, position, organization_id, reason, sent_at, \
                 due_at, extended)",
                hops,
            )?;
            insert_rows(
                conn,
                "INSERT INTO events (id, aggregate_type, aggregate_id, event_type, actor_role, actor_id, \
                 occurred_at, payload, about)",
                events,
            )?;
            // Serials taken here are taken: the next referral of the year numbers after them.
            conn.batch_execute(
                "INSERT INTO document_counters (year, last_serial) \
                 SELECT year, MAX(serial) FROM referrals WHERE TRUE GROUP BY year \
                 ON CONFLICT (year) DO UPDATE SET last_serial = excluded.last_serial",
            )?;
            for status in [
                ProposalStatus::Referred,
                ProposalStatus::Answered,
                ProposalStatus::Implemented,
            ] {
                let ids: Vec<&str> = follows
                    .iter()
                    .filter(|(s, _)| *s == status)
                    .map(|(_, id)| id.as_str())
                    .collect();
                for chunk in ids.chunks(500) {
                    conn.batch_execute(&format!(
                        "UPDATE proposals SET status = '{}' WHERE id IN ({})",
                        status.as_str(),
                        chunk.join(", ")
                    ))?;
                }
            }
            Ok(())
        })
    }
}
