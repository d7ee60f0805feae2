//! `ForumStore`: what a unit of work stores for forums, inside its transaction.

use diesel::prelude::*;
use ocf_domain::forum::outcome::ForumOutcome;
use ocf_domain::forum::{Forum, ForumId, ForumStore};
use ocf_domain::{RepoError, search};

use super::{agenda_json, load, load_outcome, outcome_values, panel_json, venue_json};
use crate::db::{Backend, DbConnection};
use crate::error::{TxError, dangling};
use crate::schema::{forum_outcomes, forum_topics, forums};
use crate::time::to_db;
use crate::uow::Tx;

/// Adds the topics linked since the forum was read (topics are never unlinked).
fn write_topics(conn: &mut DbConnection, f: &Forum) -> Result<(), TxError> {
    let id = f.id().to_string();
    let stored: i64 = forum_topics::table
        .filter(forum_topics::forum_id.eq(&id))
        .count()
        .get_result(conn)?;
    for (i, t) in f.topic_ids().iter().enumerate().skip(stored as usize) {
        diesel::insert_into(forum_topics::table)
            .values((
                forum_topics::forum_id.eq(&id),
                forum_topics::topic_id.eq(t.to_string()),
                forum_topics::position.eq(i as i32),
            ))
            .execute(conn)?;
    }
    Ok(())
}

impl ForumStore for Tx<'_> {
    fn insert(&mut self, f: &Forum) -> Result<(), RepoError> {
        let r = f.record();
        self.run(|conn, _| {
            diesel::insert_into(forums::table)
                .values((
                    forums::id.eq(r.id.to_string()),
                    forums::organization_id.eq(r.organization_id.to_string()),
                    forums::created_by.eq(r.created_by.to_string()),
                    forums::kind.eq(r.kind.as_str()),
                    forums::mode.eq(r.mode.as_str()),
                    forums::title.eq(r.title.as_str()),
                    forums::description.eq(r.description.as_str()),
                    forums::policy_area_id.eq(r.policy_area_id.to_string()),
                    forums::region.eq(r.venue.as_ref().map(|v| v.region.as_str())),
                    forums::venue.eq(r.venue.as_ref().map(venue_json)),
                    forums::starts_at.eq(to_db(r.schedule.starts_at)),
                    forums::ends_at.eq(to_db(r.schedule.ends_at)),
                    forums::registration_opens_at.eq(r.schedule.registration_opens_at.map(to_db)),
                    forums::registration_closes_at.eq(r.schedule.registration_closes_at.map(to_db)),
                    forums::capacity.eq(r.capacity),
                    forums::livestream_url.eq(r.livestream_url.as_ref().map(|u| u.as_str())),
                    forums::panel.eq(panel_json(&r.panel)),
                    forums::agenda.eq(agenda_json(&r.agenda)),
                    forums::status.eq(r.status.as_str()),
                    forums::search_text
                        .eq(search::index_text(r.title.as_str(), r.description.as_str())),
                    forums::created_at.eq(to_db(r.created_at)),
                    forums::updated_at.eq(to_db(r.updated_at)),
                    forums::version.eq(r.version),
                ))
                .execute(conn)
                .map_err(dangling("organization, policy area or creator"))?;
            write_topics(conn, f)
        })
    }

    fn get(&mut self, id: ForumId) -> Result<Option<Forum>, RepoError> {
        self.run(|conn, _| load(conn, &id.to_string()))
    }

    fn lock(&mut self, id: ForumId) -> Result<Option<Forum>, RepoError> {
        self.run(|conn, backend| {
            if backend == Backend::Postgres {
                diesel::sql_query("SELECT id FROM forums WHERE id = $1 FOR UPDATE")
                    .bind::<diesel::sql_types::Text, _>(id.to_string())
                    .execute(conn)?;
            }
            load(conn, &id.to_string())
        })
    }

    fn update(&mut self, f: &Forum) -> Result<(), RepoError> {
        let r = f.record();
        self.run(|conn, _| {
            let changed = diesel::update(
                forums::table
                    .filter(forums::id.eq(r.id.to_string()))
                    .filter(forums::version.eq(f.read_version())),
            )
            .set((
                (
                    forums::kind.eq(r.kind.as_str()),
                    forums::mode.eq(r.mode.as_str()),
                    forums::title.eq(r.title.as_str()),
                    forums::description.eq(r.description.as_str()),
                    forums::policy_area_id.eq(r.policy_area_id.to_string()),
                    forums::region.eq(r.venue.as_ref().map(|v| v.region.as_str())),
                    forums::venue.eq(r.venue.as_ref().map(venue_json)),
                    forums::starts_at.eq(to_db(r.schedule.starts_at)),
                    forums::ends_at.eq(to_db(r.schedule.ends_at)),
                    forums::registration_opens_at.eq(r.schedule.registration_opens_at.map(to_db)),
                    forums::registration_closes_at.eq(r.schedule.registration_closes_at.map(to_db)),
                    forums::capacity.eq(r.capacity),
                ),
                (
                    forums::livestream_url.eq(r.livestream_url.as_ref().map(|u| u.as_str())),
                    forums::panel.eq(panel_json(&r.panel)),
                    forums::agenda.eq(agenda_json(&r.agenda)),
                    forums::status.eq(r.status.as_str()),
                    forums::cancel_reason.eq(r.cancel_reason.as_deref()),
                    forums::registered_count.eq(r.seats.registered),
                    forums::waitlisted_count.eq(r.seats.waitlisted),
                    forums::attended_count.eq(r.seats.attended),
                    forums::outcome_id.eq(r.outcome_id.as_deref()),
                    forums::search_text
                        .eq(search::index_text(r.title.as_str(), r.description.as_str())),
                    forums::updated_at.eq(to_db(r.updated_at)),
                    forums::version.eq(r.version),
                    forums::live_at.eq(r.live_at.map(to_db)),
                    forums::agenda_current.eq(r.agenda_current),
                ),
            ))
            .execute(conn)
            .map_err(dangling("policy area"))?;
            if changed == 0 {
                return Err(RepoError::Conflict("forum").into());
            }
            write_topics(conn, f)
        })
    }

    fn outcome(&mut self, id: ForumId) -> Result<Option<ForumOutcome>, RepoError> {
        self.run(|conn, _| load_outcome(conn, &id.to_string()))
    }

    fn put_outcome(&mut self, o: &ForumOutcome) -> Result<(), RepoError> {
        let (recs, ids) = outcome_values(o);
        self.run(|conn, _| {
            diesel::delete(forum_outcomes::table.filter(forum_outcomes::id.eq(o.id.to_string())))
                .execute(conn)?;
            diesel::insert_into(forum_outcomes::table)
                .values((
                    forum_outcomes::id.eq(o.id.to_string()),
                    forum_outcomes::forum_id.eq(o.forum_id.to_string()),
                    forum_outcomes::summary.eq(o.summary.as_str()),
                    forum_outcomes::recommendations.eq(&recs),
                    forum_outcomes::attendee_count.eq(o.attendee_count),
                    forum_outcomes::proposal_ids.eq(&ids),
                    forum_outcomes::created_at.eq(to_db(o.created_at)),
                    forum_outcomes::updated_at.eq(to_db(o.updated_at)),
                ))
                .execute(conn)?;
            Ok(())
        })
    }
}
