//! `ReferralStore`: what a unit of work stores for referrals, inside its transaction.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer};
use ocf_domain::RepoError;
use ocf_domain::referral::{Referral, ReferralId, ReferralStatus, ReferralStore, SubjectKind};

use super::{date_text, load, participants_json};
use crate::db::{Backend, DbConnection};
use crate::error::{TxError, dangling, unique};
use crate::schema::{referral_commitments, referral_follow_ups, referral_hops, referrals};
use crate::time::to_db;
use crate::uow::Tx;

#[derive(QueryableByName)]
struct Serial {
    #[diesel(sql_type = BigInt)]
    last_serial: i64,
}

/// Adds the hops and follow-ups recorded since the referral was read (both only grow), and writes every
/// commitment (new ones inserted, known ones updated).
fn write_children(conn: &mut DbConnection, r: &Referral) -> Result<(), TxError> {
    let rec = r.record();
    let id = rec.id.to_string();
    let hops: i64 = referral_hops::table
        .filter(referral_hops::referral_id.eq(&id))
        .count()
        .get_result(conn)?;
    // Of the stored hops only the last can change (its extension).
    if let Some(last) = (hops as usize)
        .checked_sub(1)
        .and_then(|i| rec.hops.get(i).map(|h| (i, h)))
    {
        diesel::update(
            referral_hops::table
                .filter(referral_hops::referral_id.eq(&id))
                .filter(referral_hops::position.eq(last.0 as i32)),
        )
        .set(referral_hops::extended.eq(last.1.extended))
        .execute(conn)?;
    }
    for (i, h) in rec.hops.iter().enumerate().skip(hops as usize) {
        diesel::insert_into(referral_hops::table)
            .values((
                referral_hops::referral_id.eq(&id),
                referral_hops::position.eq(i as i32),
                referral_hops::organization_id.eq(h.organization_id.to_string()),
                referral_hops::reason.eq(&h.reason),
                referral_hops::sent_at.eq(to_db(h.sent_at)),
                referral_hops::due_at.eq(to_db(h.due_at)),
                referral_hops::extended.eq(h.extended),
            ))
            .execute(conn)
            .map_err(dangling("organization"))?;
    }
    let follow_ups: i64 = referral_follow_ups::table
        .filter(referral_follow_ups::referral_id.eq(&id))
        .count()
        .get_result(conn)?;
    for (i, f) in rec.follow_ups.iter().enumerate().skip(follow_ups as usize) {
        diesel::insert_into(referral_follow_ups::table)
            .values((
                referral_follow_ups::id.eq(f.id.to_string()),
                referral_follow_ups::referral_id.eq(&id),
                referral_follow_ups::position.eq(i as i32),
                referral_follow_ups::held_on.eq(date_text(f.held_on)),
                referral_follow_ups::participants.eq(participants_json(&f.participants)),
                referral_follow_ups::minutes.eq(&f.minutes),
                referral_follow_ups::recorded_by.eq(f.recorded_by.to_string()),
                referral_follow_ups::created_at.eq(to_db(f.created_at)),
            ))
            .execute(conn)?;
    }
    let stored: Vec<String> = referral_commitments::table
        .filter(referral_commitments::referral_id.eq(&id))
        .select(referral_commitments::id)
        .load(conn)?;
    for (i, c) in rec.commitments.iter().enumerate() {
        let cid = c.id.to_string();
        if stored.contains(&cid) {
            diesel::update(referral_commitments::table.filter(referral_commitments::id.eq(&cid)))
                .set((
                    referral_commitments::status.eq(c.status.as_str()),
                    referral_commitments::updated_at.eq(to_db(c.updated_at)),
                ))
                .execute(conn)?;
        } else {
            diesel::insert_into(referral_commitments::table)
                .values((
                    referral_commitments::id.eq(&cid),
                    referral_commitments::referral_id.eq(&id),
                    referral_commitments::follow_up_id.eq(c.follow_up_id.to_string()),
                    referral_commitments::position.eq(i as i32),
                    referral_commitments::description.eq(&c.description),
                    referral_commitments::due_on.eq(date_text(c.due_on)),
                    referral_commitments::status.eq(c.status.as_str()),
                    referral_commitments::updated_at.eq(to_db(c.updated_at)),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

impl ReferralStore for Tx<'_> {
    fn next_serial(&mut self, year: i32) -> Result<i64, RepoError> {
        self.run(|conn, _| {
            // The counter's row stays locked until this transaction ends (PostgreSQL; SQLite has one
            // writer), so concurrent referrals take numbers one after another, and a rollback gives its
            // number back: no gaps, no repeats.
            let s: Serial = diesel::sql_query(
                "INSERT INTO document_counters (year, last_serial) VALUES ($1, 1) \
                 ON CONFLICT (year) DO UPDATE SET last_serial = document_counters.last_serial + 1 \
                 RETURNING last_serial",
            )
            .bind::<Integer, _>(year)
            .get_result(conn)?;
            Ok(s.last_serial)
        })
    }

    fn insert(&mut self, r: &Referral) -> Result<(), RepoError> {
        let rec = r.record();
        self.run(|conn, _| {
            diesel::insert_into(referrals::table)
                .values((
                    (
                        referrals::id.eq(rec.id.to_string()),
                        referrals::number.eq(&rec.number),
                        referrals::year.eq(rec.year),
                        referrals::serial.eq(rec.serial),
                        referrals::subject_kind.eq(rec.subject_kind.as_str()),
                        referrals::subject_id.eq(&rec.subject_id),
                        referrals::organization_id.eq(rec.organization_id.to_string()),
                        referrals::status.eq(rec.status.as_str()),
                    ),
                    (
                        referrals::cover_note.eq(&rec.cover_note),
                        referrals::sent_by.eq(rec.sent_by.to_string()),
                        referrals::sent_at.eq(to_db(rec.sent_at)),
                        referrals::due_at.eq(to_db(rec.due_at)),
                        referrals::updated_at.eq(to_db(rec.updated_at)),
                        referrals::version.eq(rec.version),
                    ),
                ))
                .execute(conn)
                .map_err(|e| match dangling("organization")(e) {
                    TxError::Db(e) => unique("subject")(e),
                    other => other,
                })?;
            write_children(conn, r)
        })
    }

    fn lock(&mut self, id: ReferralId) -> Result<Option<Referral>, RepoError> {
        self.run(|conn, backend| {
            if backend == Backend::Postgres {
                diesel::sql_query("SELECT id FROM referrals WHERE id = $1 FOR UPDATE")
                    .bind::<diesel::sql_types::Text, _>(id.to_string())
                    .execute(conn)?;
            }
            load(conn, &id.to_string())
        })
    }

    fn update(&mut self, r: &Referral) -> Result<(), RepoError> {
        let rec = r.record();
        let ack = rec.acknowledgement.as_ref();
        let ans = rec.answer.as_ref();
        let done = rec.completion.as_ref();
        self.run(|conn, _| {
            let changed = diesel::update(
                referrals::table
                    .filter(referrals::id.eq(rec.id.to_string()))
                    .filter(referrals::version.eq(rec.version - 1)),
            )
            .set((
                (
                    referrals::organization_id.eq(rec.organization_id.to_string()),
                    referrals::status.eq(rec.status.as_str()),
                    referrals::due_at.eq(to_db(rec.due_at)),
                    referrals::extension_reason.eq(rec.extension.as_ref().map(|e| e.0.as_str())),
                    referrals::extended_at.eq(rec.extension.as_ref().map(|e| to_db(e.1))),
                    referrals::division.eq(ack.map(|a| a.division.as_str())),
                    referrals::contact.eq(ack.and_then(|a| a.contact.as_deref())),
                    referrals::acknowledged_at.eq(ack.map(|a| to_db(a.acknowledged_at))),
                    referrals::acknowledged_by.eq(ack.map(|a| a.acknowledged_by.to_string())),
                ),
                (
                    referrals::decision.eq(ans.map(|a| a.decision.as_str())),
                    referrals::reasoning.eq(ans.map(|a| a.reasoning.as_str())),
                    referrals::planned_measures.eq(ans.and_then(|a| a.planned_measures.as_deref())),
                    referrals::policy_task.eq(ans.and_then(|a| a.policy_task.as_deref())),
                    referrals::expected_completion_on
                        .eq(ans.and_then(|a| a.expected_completion_on).map(date_text)),
                    referrals::answered_at.eq(ans.map(|a| to_db(a.answered_at))),
                    referrals::answered_by.eq(ans.map(|a| a.answered_by.to_string())),
                ),
                (
                    referrals::evidence_url.eq(done.map(|c| c.evidence_url.as_str())),
                    referrals::completion_summary.eq(done.map(|c| c.summary.as_str())),
                    referrals::completed_at.eq(done.map(|c| to_db(c.completed_at))),
                    referrals::completed_by.eq(done.map(|c| c.completed_by.to_string())),
                    referrals::updated_at.eq(to_db(rec.updated_at)),
                    referrals::version.eq(rec.version),
                ),
            ))
            .execute(conn)
            .map_err(dangling("organization"))?;
            if changed == 0 {
                return Err(TxError::Repo(RepoError::Conflict("referral")));
            }
            write_children(conn, r)
        })
    }

    fn open_for(
        &mut self,
        kind: SubjectKind,
        subject_id: &str,
    ) -> Result<Option<String>, RepoError> {
        self.run(|conn, _| {
            let open: Vec<&str> = ReferralStatus::OPEN.iter().map(|s| s.as_str()).collect();
            Ok(referrals::table
                .filter(referrals::subject_kind.eq(kind.as_str()))
                .filter(referrals::subject_id.eq(subject_id))
                .filter(referrals::status.eq_any(open))
                .select(referrals::number)
                .first(conn)
                .optional()?)
        })
    }
}
